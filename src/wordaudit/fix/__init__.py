"""``wordaudit fix``: scan, plan edits (``fix.model``), apply them per format.

The applier registry maps a format to the module of this package that fixes
it; a module defines ``apply(path, edits) -> Applied`` (see ``fix.model``).
A new format is one module plus one line in ``_APPLIERS``: a Word applier
that writes tracked changes would add ``"docx": "docx"``. Appliers never
write; this module writes each file atomically once its edits are applied.
"""

from __future__ import annotations

import difflib
import importlib
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from wordaudit.config import Config
from wordaudit.errors import WordauditError
from wordaudit.fix.model import REVIEW, Applied, Applier, Edit, Reviewer, Unfixed, plan
from wordaudit.model import ExitCode, Source

log = logging.getLogger("wordaudit")

_APPLIERS: dict[str, str] = {
    "markdown": "text",
    "text": "text",
    "docx": "docx",
}
# Formats no applier will ever write, and what to do instead.
_NEVER_FIXABLE = {"pdf": "edit their source documents"}
# Formats fixed into a copy beside the original unless in_place: a person reviews
# a Word document's tracked changes in the copy, and the original stays as it was.
_COPY_BESIDE = frozenset({"docx"})


def applier_for(fmt: str) -> Applier | None:
    name = _APPLIERS.get(fmt)
    return cast(Applier, importlib.import_module(f"wordaudit.fix.{name}")) if name else None


@dataclass(frozen=True, slots=True)
class FileFix:
    path: str
    format: str
    fixed: tuple[Edit, ...] = ()  # written; with --diff, what would be
    unfixed: tuple[Unfixed, ...] = ()
    error: str | None = None
    unsupported: bool = False  # no applier for this format: left alone, not scanned
    diff: str = ""
    copy: str = ""  # where the fixes went when not into the file itself


@dataclass(frozen=True, slots=True)
class FixReport:
    files: tuple[FileFix, ...]
    written: bool  # False with --diff: nothing was changed on disk
    unreviewed: tuple[str, ...] = ()  # files not reached after the reviewer quit
    warnings: tuple[str, ...] = ()

    @property
    def diff(self) -> str:
        return "".join(f.diff for f in self.files)

    @property
    def exit_code(self) -> ExitCode:
        """0 when nothing is left to fix, 1 when something is (with --diff, a
        change not yet written is something left)."""
        left = self.unreviewed or any(f.unfixed or f.error for f in self.files)
        pending = not self.written and any(f.fixed for f in self.files)
        return ExitCode.FINDINGS if left or pending else ExitCode.OK


def fix_paths(
    paths: Sequence[str | Path],
    config: Config,
    *,
    reviewer: Reviewer | None = None,
    write: bool = True,
    track_changes: bool = True,
    in_place: bool = False,
) -> FixReport:
    """Fix the findings of every file under ``paths`` that has an applier.

    Without a reviewer, each finding that ``fix.model.review_reason`` allows
    gets its first suggestion; with one, the reviewer decides every finding.
    ``write=False`` changes nothing and fills each file's ``diff`` instead.
    Word documents get tracked changes (``track_changes=False``: the text is
    replaced outright) in a copy beside them (``in_place``: over them).
    """
    from wordaudit.api import build_auditor, scan_source
    from wordaudit.discover import discover

    auditor = build_auditor(config)
    found = discover([str(p) for p in paths], exclude=config.exclude, use_gitignore=config.respect_gitignore)
    # A copy an earlier fix wrote (job.wordaudit.docx) is not fixed again unless named.
    found.sources = [s for s in found.sources if s.explicit or not s.path.stem.endswith(".wordaudit")]
    files: list[FileFix] = []
    for index, source in enumerate(found.sources):
        applier = applier_for(source.format)
        if applier is None:
            files.append(_unsupported(source))
            continue
        scanned = scan_source(source, auditor)
        if scanned.error:
            files.append(FileFix(source.display, source.format, error=scanned.error))
            continue
        planned = plan(scanned.findings, reviewer)
        target = source.path if in_place or source.format not in _COPY_BESIDE else fixed_copy(source.path)
        files.append(_fix_file(source, applier, planned.edits, planned.unfixed, write, target, track_changes))
        if planned.quit:
            rest = tuple(s.display for s in found.sources[index + 1 :] if applier_for(s.format))
            return FixReport(tuple(files), write, rest, tuple(found.warnings))
    files.extend(FileFix(s.display, s.format, error="no such file or folder") for s in found.missing)
    # A missing path is listed once, as its file's error, not also as a warning.
    missing = tuple(f"{s.display}: " for s in found.missing)
    warnings = tuple(w for w in found.warnings if not w.startswith(missing))
    return FixReport(tuple(files), write, (), warnings)


def _unsupported(source: Source) -> FileFix:
    if source.format == "unknown":
        return FileFix(source.display, source.format, error=f"unsupported file type '{source.path.suffix}'")
    return FileFix(source.display, source.format, unsupported=True)


def fixed_copy(path: Path) -> Path:
    """Where a Word document's fixes go unless in place: job.docx → job.wordaudit.docx."""
    return path.with_name(f"{path.stem}.wordaudit{path.suffix}")


def _fix_file(
    source: Source,
    applier: Applier,
    edits: tuple[Edit, ...],
    unfixed: tuple[Unfixed, ...],
    write: bool,
    target: Path,
    track_changes: bool,
) -> FileFix:
    """Apply and write one file; whatever goes wrong stays this file's error."""
    from wordaudit.fix.atomic import write_atomic

    if not edits:
        return FileFix(source.display, source.format, unfixed=unfixed)
    try:
        applied = applier.apply(source.path, edits, track_changes=track_changes)
        if write and applied.data is not None:
            write_atomic(target, applied.data, like=source.path)
    except WordauditError as exc:
        return FileFix(source.display, source.format, unfixed=unfixed, error=f"not changed: {exc}")
    except OSError as exc:
        return FileFix(source.display, source.format, unfixed=unfixed, error=f"not changed: {exc.strerror or exc}")
    except Exception as exc:  # the per-file boundary: one bad file must not end the run
        log.debug("%s: internal error", source.display, exc_info=True)
        return FileFix(source.display, source.format, unfixed=unfixed, error=f"not changed: internal error: {exc}")
    diff = "" if write else unified_diff(applied, source.display)
    copy = str(fixed_copy(Path(source.display))) if target != source.path and applied.data is not None else ""
    return FileFix(source.display, source.format, applied.done, unfixed + applied.unfixed, diff=diff, copy=copy)


def unified_diff(applied: Applied, path: str) -> str:
    lines = difflib.unified_diff(
        applied.before.splitlines(keepends=True), applied.after.splitlines(keepends=True), path, path
    )
    # A last line without a newline gets diff's own marker, as in git and patch.
    return "".join(line if line.endswith("\n") else f"{line}\n\\ No newline at end of file\n" for line in lines)


def summary(report: FixReport) -> list[str]:
    """The lines ``wordaudit fix`` prints on stderr, most important first."""
    lines = [*report.warnings]
    fixed = sum(len(f.fixed) for f in report.files)
    changed = sum(1 for f in report.files if f.fixed)
    verb = "Fixed" if report.written else "Would fix"
    lines.append(f"{verb} {_count(fixed, 'finding')} in {_count(changed, 'file')}.")
    where = "would go" if not report.written else "went"
    lines.extend(f"  {f.path}: the fixes {where} to {f.copy}" for f in report.files if f.copy)
    left = [u for f in report.files for u in f.unfixed]
    if left:
        lines.append(f"Left {_count(len(left), 'finding')} unchanged:")
        lines.extend(f"  {_place(u)}: {u.reason}" for u in left)
        if any(u.reason.startswith(REVIEW) for u in left):
            lines.append("Review them with: wordaudit fix --interactive PATH")
    lines.extend(f"{f.path}: {f.error}" for f in report.files if f.error)
    if report.unreviewed:
        lines.append(f"Quit before reviewing {_count(len(report.unreviewed), 'more file')}.")
    unsupported = Counter(f.format for f in report.files if f.unsupported)
    for fmt, number in sorted(unsupported.items()):
        if fmt in _NEVER_FIXABLE:
            lines.append(f"{_count(number, f'{fmt.upper()} file')} cannot be fixed; {_NEVER_FIXABLE[fmt]}.")
        else:
            lines.append(f"{fmt} fixing is not available yet; {_count(number, f'{fmt} file')} left unchanged.")
    return lines


def _place(unfixed: Unfixed) -> str:
    f = unfixed.finding
    return f'{f.path}:{f.line}:{f.column}: {f.rule} "{f.match}"'


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
