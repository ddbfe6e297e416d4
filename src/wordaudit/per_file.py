"""``[per-file-ignores]``: rules switched off for the files a pattern names.

A glossary that defines "back office", or an archive kept as it was, may use a
phrase on purpose. Patterns are .gitignore patterns relative to the folder of
the configuration file (ruff's ``per-file-ignores``, Vale's per-glob sections);
a finding they drop counts as suppressed, as an inline suppression's does.
Applied to results, after the cache: changing the table needs no file read again.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from wordaudit.config import Config
from wordaudit.model import FileResult
from wordaudit.record import replace

if TYPE_CHECKING:
    import pathspec


class PerFileIgnores:
    def __init__(self, table: Mapping[str, tuple[str, ...]], base: Path) -> None:
        import pathspec

        self._base = base.resolve()
        self._specs: list[tuple[pathspec.GitIgnoreSpec, frozenset[str]]] = [
            (pathspec.GitIgnoreSpec.from_lines([pattern]), frozenset(rules)) for pattern, rules in table.items()
        ]

    def rules_for(self, path: str) -> frozenset[str]:
        """The rules switched off for the file at ``path`` (as the scan opened it)."""
        relative = os.path.relpath(Path(path).resolve(), self._base)
        if relative.startswith(".."):
            return frozenset()
        posix = Path(relative).as_posix()
        ignored: frozenset[str] = frozenset()
        for spec, rules in self._specs:
            if spec.match_file(posix):
                ignored |= rules
        return ignored

    def apply(self, result: FileResult, path: str) -> FileResult:
        """``result`` without the findings of rules switched off for ``path``."""
        ignored = self.rules_for(path) if result.findings else frozenset()
        if not ignored:
            return result
        kept = tuple(f for f in result.findings if f.rule not in ignored)
        dropped = len(result.findings) - len(kept)
        return replace(result, findings=kept, suppressed=result.suppressed + dropped)


def per_file_ignores(config: Config) -> PerFileIgnores | None:
    """The table of ``config``, its patterns relative to the configuration's folder."""
    if not config.per_file_ignores:
        return None
    base = config.source.parent if config.source is not None else Path.cwd()
    return PerFileIgnores(config.per_file_ignores, base)
