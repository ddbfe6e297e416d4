"""Paths the user named → a sorted list of ``Source`` files to scan.

Folders are walked recursively, keeping files an extractor can read; hidden
folders, ``node_modules`` and virtual environments are skipped, ``.gitignore``
files are honoured (from the repository root down), ``--exclude`` globs
apply. A file the user names is scanned even if it would be skipped in a
walk. Problems become one-line warnings and the walk goes on.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pathspec

from wordaudit.extract import format_for
from wordaudit.model import Source

_SKIPPED_FOLDERS = frozenset(
    {"node_modules", "__pycache__", "site-packages", "venv", "env", ".venv", "bower_components"}
)


@dataclass(slots=True)
class Discovery:
    sources: list[Source] = field(default_factory=list)
    missing: list[Source] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def discover(
    paths: Sequence[str],
    *,
    exclude: Sequence[str] = (),
    use_gitignore: bool = True,
) -> Discovery:
    found = Discovery()
    excludes = pathspec.GitIgnoreSpec.from_lines(exclude) if exclude else None
    # Only a file reached from two of the named paths can be listed twice.
    several = len(paths) > 1
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            kind = "a broken symbolic link" if path.is_symlink() else "no such file or folder"
            found.missing.append(Source(path, _display(raw), format_for(path) or "unknown", explicit=True))
            found.warnings.append(f"{_display(raw)}: {kind}")
            continue
        if path.is_dir():
            walker = _Walker(path, raw, excludes, use_gitignore, found)
            for source in walker.walk():
                if not several:
                    found.sources.append(source)
                elif source.path.resolve() not in seen:
                    seen.add(source.path.resolve())
                    found.sources.append(source)
        else:
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                found.sources.append(Source(path, _display(raw), format_for(path) or "unknown", explicit=True))
    return found


def _display(raw: str) -> str:
    return raw.replace(os.sep, "/")


class _Walker:
    def __init__(
        self,
        root: Path,
        raw: str,
        excludes: pathspec.GitIgnoreSpec | None,
        use_gitignore: bool,
        found: Discovery,
    ) -> None:
        self.root = root
        self.raw = raw
        self.excludes = excludes
        self.use_gitignore = use_gitignore
        self.found = found

    def walk(self) -> list[Source]:
        ignores = _inherited_gitignores(self.root) if self.use_gitignore else []
        sources: list[Source] = []
        self._walk(sources, str(self.root), "", ignores, frozenset())
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
        ancestors: frozenset[tuple[int, int]],
    ) -> None:
        try:
            stat = os.stat(folder)
            identity = (stat.st_dev, stat.st_ino)
            if identity in ancestors:
                self.found.warnings.append(f"{self._shown(relative)}: symbolic link loop, not followed")
                return
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except PermissionError:
            self.found.warnings.append(f"{self._shown(relative)}: folder cannot be read (permission denied)")
            return
        except OSError as exc:
            self.found.warnings.append(f"{self._shown(relative)}: folder cannot be read ({exc.strerror})")
            return
        ancestors = ancestors | {identity}
        if self.use_gitignore:
            spec = _read_gitignore(Path(folder, ".gitignore"))
            if spec is not None:
                ignores = [*ignores, _Ignore(relative, "", spec)]
        for entry in entries:
            child = relative + entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if self._skipped(entry, child, is_dir, ignores):
                continue
            if is_dir:
                self._walk(sources, entry.path, child + "/", ignores, ancestors)
            else:
                fmt = format_for(entry.name)
                if fmt is not None:
                    sources.append(Source(Path(entry.path), child, fmt))

    def _skipped(self, entry: os.DirEntry[str], child: str, is_dir: bool, ignores: list[_Ignore]) -> bool:
        name = entry.name
        if name.startswith("."):
            return True
        if is_dir and (name in _SKIPPED_FOLDERS or os.path.exists(os.path.join(entry.path, "pyvenv.cfg"))):
            return True
        suffix = "/" if is_dir else ""
        if self.excludes is not None and self.excludes.match_file(child + suffix):
            return True
        for ignore in ignores:
            if child.startswith(ignore.below) and ignore.spec.match_file(
                ignore.lead + child[len(ignore.below) :] + suffix
            ):
                return True
        return False

    def _shown(self, relative: str) -> str:
        return (PurePosixPath(_display(self.raw)) / relative).as_posix()


def _read_gitignore(path: Path) -> pathspec.GitIgnoreSpec | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


@dataclass(frozen=True, slots=True)
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
