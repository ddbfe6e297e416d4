"""Replace a file's content all at once.

The new bytes go to a temporary file in the same folder (so the rename stays
on one file system, where it is atomic), get the original's permission bits,
and are renamed over the original. Anyone reading the file sees the old
content or the new, never half of each; if anything fails, the original is
untouched and the temporary file is gone.
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
    # Through a symbolic link to the file it names: renaming over the link
    # would turn it into a copy and leave the real file unfixed.
    target = path.resolve()
    mode = stat.S_IMODE((like or target).stat().st_mode)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, kept on failure paths
        dir=target.parent, prefix=f".{target.name}.", suffix=".wordaudit-tmp", delete=False
    )
    temp = Path(handle.name)
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
