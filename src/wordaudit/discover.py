"""Paths the user named → a sorted list of ``Source`` files to scan.

Folders are walked recursively, keeping files an extractor can read; hidden
folders, ``node_modules`` and virtual environments are skipped, ``.gitignore``
files are honoured (from the repository root down), ``--exclude`` globs
apply. A file the user names is scanned even if it would be skipped in a
walk. Problems become one-line warnings and the walk goes on.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping, Sequence
from operator import attrgetter
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from wordaudit.extract import TEXT_MAPPINGS, format_for, format_for_name, unread_document
from wordaudit.model import Source
from wordaudit.printable import printable
from wordaudit.record import field, record

if TYPE_CHECKING:
    # Imported when a pattern is first compiled: most trees have no ignore file
    # and no --exclude, and a cached rescan must not pay for the matcher.
    import pathspec

_SKIPPED_FOLDERS = frozenset(
    {"node_modules", "__pycache__", "site-packages", "venv", "env", ".venv", "bower_components"}
)


@record(frozen=False)
class Discovery:
    sources: list[Source] = field(default_factory=list)
    # A named path that is not there, with why: listed as that file's error,
    # once, and not as a warning too.
    missing: list[tuple[Source, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Documents a folder walk met in formats no extractor reads (old .doc,
    # .rtf, .odt): what each is, and the paths as shown.
    unread: dict[str, list[str]] = field(default_factory=dict)


def discover(
    paths: Sequence[str],
    *,
    exclude: Sequence[str] = (),
    exclude_base: Path | None = None,
    use_gitignore: bool = True,
    formats: Mapping[str, str] | None = None,
    on_source: Callable[[Source], None] | None = None,
) -> Discovery:
    """``exclude`` patterns are relative to ``exclude_base`` (default: the
    current folder), whichever folder is walked. ``formats`` maps more
    suffixes (".mdx") to the formats they are read as. ``on_source`` is told
    of each file as it is found, while the walk goes on."""
    found = Discovery()
    excludes = _spec(exclude) if exclude else None
    # Only a file reached from two of the named paths can be listed twice.
    several = len(paths) > 1
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            kind = "a broken symbolic link" if path.is_symlink() else "no such file or folder"
            source = Source(str(path), _display(raw), format_for(path, formats) or "unknown", explicit=True)
            found.missing.append((source, kind))
            continue
        if path.is_dir():
            below = _below(path, exclude_base) if excludes is not None else ""
            walker = _Walker(path, raw, excludes, below, use_gitignore, found, formats, on_source)
            for source in walker.walk():
                if not several:
                    found.sources.append(source)
                elif source.path.resolve() not in seen:
                    seen.add(source.path.resolve())
                    found.sources.append(source)
        elif not path.is_file():
            # A named pipe would block the scan until something writes to it.
            source = Source(str(path), _display(raw), format_for(path, formats) or "unknown", explicit=True)
            found.missing.append((source, f"not a regular file ({_special_kind(path)})"))
        else:
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                source = Source(str(path), _display(raw), format_for(path, formats) or "unknown", explicit=True)
                found.sources.append(source)
                if on_source is not None:
                    on_source(source)
    if found.unread:
        found.warnings.append(_unread_warning(found.unread))
    return found


def _plural(kind: str, count: int) -> str:
    """ "old binary Word document (.doc)" for one, "...documents (.doc)" for more."""
    return kind if count == 1 else kind.replace(" (", "s (", 1)


def _unread_warning(unread: dict[str, list[str]]) -> str:
    """One line for the documents no extractor reads: how many of each kind, and the first."""
    count = sum(len(paths) for paths in unread.values())
    kinds = ", ".join(f"{len(paths)} {_plural(kind, len(paths))}" for kind, paths in sorted(unread.items()))
    first = min(path for paths in unread.values() for path in paths)
    noun = "document" if count == 1 else "documents"
    mappings = sorted({TEXT_MAPPINGS[kind] for kind in unread if kind in TEXT_MAPPINGS})
    advice = []
    if len(mappings) < len(unread):
        advice.append("save as .docx or PDF")
    if mappings:
        advice.append(f"map text formats under [formats] in wordaudit.toml ({', '.join(mappings)})")
    return (
        f"{count} {noun} not audited, in formats wordaudit does not read: {kinds}"
        f" (first: {first}); {', or '.join(advice)} to audit"
    )


def _below(folder: Path, base: Path | None) -> str:
    """Where ``folder`` is below ``base``, as a prefix for the paths of its
    files ("docs/", "" for the base itself, "../other/" beside it: no pattern
    anchored in the base matches there, a bare name still does)."""
    relative = os.path.relpath(folder.resolve(), (base or Path.cwd()).resolve())
    return "" if relative == "." else Path(relative).as_posix() + "/"


def _display(raw: str) -> str:
    return printable(raw.replace(os.sep, "/"))


class _Walker:
    def __init__(
        self,
        root: Path,
        raw: str,
        excludes: pathspec.GitIgnoreSpec | None,
        excludes_below: str,
        use_gitignore: bool,
        found: Discovery,
        formats: Mapping[str, str] | None = None,
        on_source: Callable[[Source], None] | None = None,
    ) -> None:
        self.formats = formats
        self.on_source = on_source
        self.root = root
        self.raw = raw
        self.excludes = excludes
        # Where the root is below the folder the excludes are relative to.
        self.excludes_below = excludes_below
        self.use_gitignore = use_gitignore
        self.found = found
        # The root is normalised (a Path's string); below ".", the entries'
        # paths start "./", which a Path would drop: drop it the same way.
        self.strip = 2 if str(root) == "." else 0

    def walk(self) -> list[Source]:
        ignores = _inherited_gitignores(self.root) if self.use_gitignore else []
        sources: list[Source] = []
        self._walk(sources, str(self.root), "", ignores, (), linked=False)
        return sources

    # Paths below are plain strings relative to the root, "a/b/" style, and the
    # sources go straight into one list: a walk of thousands of entries must not
    # build a pathlib object for each, nor pass each file up a chain of generators.
    def _walk(
        self,
        sources: list[Source],
        folder: str,
        relative: str,
        ignores: list[_Ignore],
        ancestors: tuple[str, ...],
        *,
        linked: bool,
    ) -> None:
        below_root = bool(relative)
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=_NAME)
        except OSError as exc:
            if not (below_root and _is_venv(folder)):
                self._unreadable(relative, exc)
            return
        names = {entry.name for entry in entries}
        # A virtual environment is told by its pyvenv.cfg, looked for in the
        # listing already read rather than by a stat of every folder.
        if below_root and "pyvenv.cfg" in names and _is_venv(folder):
            return
        # A loop needs a symbolic link back to a folder above (or a bind mount,
        # met only deep down): only such a folder is compared with those
        # above it, and a walk of a plain tree costs no stat per folder.
        if (linked or len(ancestors) > _DEEP) and _is_ancestor(folder, ancestors):
            self.found.warnings.append(f"{self._shown(relative)}: symbolic link loop, not followed")
            return
        ancestors = (*ancestors, folder)
        if self.use_gitignore and ".gitignore" in names:
            spec = _read_gitignore(Path(folder, ".gitignore"))
            if spec is not None:
                ignores = [*ignores, _Ignore(relative, "", spec)]
        # Most trees have no pattern at all: then no entry needs matching.
        patterns = self.excludes is not None or bool(ignores)
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            child = relative + name
            if is_dir:
                if name in _SKIPPED_FOLDERS or (patterns and self._ignored(child, "/", ignores)):
                    continue
                self._walk(sources, entry.path, child + "/", ignores, ancestors, linked=entry.is_symlink())
                continue
            fmt = format_for_name(name, self.formats)
            if fmt is not None:
                if patterns and self._ignored(child, "", ignores):
                    continue
                if _special(entry):
                    # A named pipe or a socket left in the tree: reading it would block or fail.
                    kind = _special_kind(Path(entry.path))
                    self.found.warnings.append(f"{self._shown(child)}: not a regular file ({kind}), not read")
                    continue
                source = Source(entry.path[self.strip :], printable(child), fmt)
                sources.append(source)
                if self.on_source is not None:
                    self.on_source(source)
            elif (document := unread_document(name)) is not None and not (
                patterns and self._ignored(child, "", ignores)
            ):
                self.found.unread.setdefault(document, []).append(self._shown(child))

    def _unreadable(self, relative: str, exc: OSError) -> None:
        reason = "permission denied" if isinstance(exc, PermissionError) else exc.strerror
        self.found.warnings.append(f"{self._shown(relative)}: folder cannot be read ({reason})")

    def _ignored(self, child: str, suffix: str, ignores: list[_Ignore]) -> bool:
        """Whether --exclude or a .gitignore skips ``child`` (``suffix`` is "/" for a folder)."""
        if self.excludes is not None and self.excludes.match_file(self.excludes_below + child + suffix):
            return True
        for ignore in ignores:
            if child.startswith(ignore.below) and ignore.spec.match_file(
                ignore.lead + child[len(ignore.below) :] + suffix
            ):
                return True
        return False

    def _shown(self, relative: str) -> str:
        return printable((PurePosixPath(self.raw.replace(os.sep, "/")) / relative).as_posix())


def _special(entry: os.DirEntry[str]) -> bool:
    """Whether the entry is neither a regular file nor a link to nothing (which the
    reader reports as missing). Answered from the listing for a plain file."""
    try:
        if entry.is_file():
            return False
        return not entry.is_symlink() or os.path.exists(entry.path)
    except OSError:
        return False


def _special_kind(path: Path) -> str:
    try:
        mode = path.stat().st_mode
    except OSError:
        return "cannot be examined"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file or folder"


_NAME = attrgetter("name")
# Below this many folders, a folder reached without a symbolic link is not
# checked for a loop.
_DEEP = 32


def _is_ancestor(folder: str, ancestors: tuple[str, ...]) -> bool:
    """Whether ``folder`` is one of the folders above it in the walk."""
    try:
        here = os.stat(folder)
        return any(os.path.samestat(here, os.stat(above)) for above in ancestors)
    except OSError:
        return False


def _is_venv(folder: str) -> bool:
    return os.path.exists(os.path.join(folder, "pyvenv.cfg"))


def _read_gitignore(path: Path) -> pathspec.GitIgnoreSpec | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return _spec(lines)


def _spec(lines: Sequence[str]) -> pathspec.GitIgnoreSpec:
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


@record
class _Ignore:
    """A .gitignore file: it judges paths ``below`` its folder (relative to the
    walk's root), seen from its folder as ``lead`` + the rest of the path."""

    below: str
    lead: str
    spec: pathspec.GitIgnoreSpec


def _inherited_gitignores(root: Path) -> list[_Ignore]:
    """The .gitignore files above the scanned folder, up to its repository's root."""
    start = root.resolve()
    chain: list[Path] = []
    for folder in [start, *start.parents]:
        chain.append(folder)
        if (folder / ".git").exists():
            break
    else:
        return []
    ignores = []
    for folder in reversed(chain[1:]):
        spec = _read_gitignore(folder / ".gitignore")
        if spec is not None:
            lead = start.relative_to(folder).as_posix() + "/"
            ignores.append(_Ignore("", lead, spec))
    return ignores
