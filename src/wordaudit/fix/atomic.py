"""Replace a file's content all at once.

The new bytes go to a temporary file in the same folder (so the rename stays
on one file system, where it is atomic), get the original's permission bits,
and are renamed over the original. Anyone reading the file sees the old
content or the new, never half of each; if anything fails, the original is
untouched and the temporary file is gone.

The steps are also offered one by one, for a Word document: this process
makes the temporary file and renames it, a worker process (which may be
killed at any moment) writes the bytes in between.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, like: Path | None = None) -> None:
    """Write ``data`` as ``path``, with the permission bits of ``like`` (a file
    written beside its original) or else of ``path`` itself."""
    temp = temporary_beside(path)
    try:
        write_synced(temp, data)
        install(temp, path, like=like)
    except BaseException:
        discard(temp)
        raise


def temporary_beside(path: Path) -> Path:
    """A new empty file in the folder of the file ``path`` names, to rename over it."""
    # Through a symbolic link to the file it names: renaming over the link
    # would turn it into a copy and leave the real file unfixed.
    target = path.resolve()
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed at once: only its name is wanted
        dir=target.parent, prefix=f".{target.name}.", suffix=".wordaudit-tmp", delete=False
    )
    handle.close()
    return Path(handle.name)


def write_synced(temp: Path, data: bytes) -> None:
    """Fill the temporary file, on disk before the rename makes it the file."""
    with temp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def install(temp: Path, path: Path, *, like: Path | None = None) -> None:
    """Rename the written temporary file over ``path``, with the permission bits
    of ``like`` or else of ``path``; on failure the temporary file is removed."""
    target = path.resolve()
    try:
        os.chmod(temp, stat.S_IMODE((like or target).stat().st_mode))
        os.replace(temp, target)
    except BaseException:
        discard(temp)
        raise


def discard(temp: Path) -> None:
    with contextlib.suppress(OSError):
        temp.unlink()
