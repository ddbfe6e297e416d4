"""``wordaudit fix``: scan, plan edits (``fix.model``), apply them per format.

The applier registry maps a format to the module of this package that fixes
it; a module defines ``apply(path, edits) -> Applied`` (see ``fix.model``).
A new format is one module plus one line in ``_APPLIERS``. Appliers never
write; this module writes each file atomically once its edits are applied.

Formats in ``_IN_WORKER`` are untrusted archives that native code parses:
their files are scanned, fixed and written to a temporary file in a worker
process (``fix.isolated``), under the memory cap and deadline of a scan, and
only the rename into place happens here.
"""

from __future__ import annotations

import difflib
import importlib
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from wordaudit.config import Config
from wordaudit.errors import WordauditError
from wordaudit.extract import unsupported
from wordaudit.fix.model import REVIEW, Applied, Applier, Edit, Reviewer, Unfixed, plan
from wordaudit.model import ExitCode, FileResult, Source
from wordaudit.record import record

if TYPE_CHECKING:
    from wordaudit.api import Auditor
    from wordaudit.per_file import PerFileIgnores

log = logging.getLogger("wordaudit")

_APPLIERS: dict[str, str] = {
    "markdown": "text",
    "text": "text",
    "docx": "docx",
}
# Read only in a worker process: the main process never parses these.
_IN_WORKER = frozenset({"docx"})
# Formats no applier will ever write, and what to do instead.
_NEVER_FIXABLE = {"pdf": "edit their source documents"}
# Formats fixed into a copy beside the original unless in_place: a person reviews
# a Word document's tracked changes in the copy, and the original stays as it was.
_COPY_BESIDE = frozenset({"docx"})


@record
class ApplyResult:
    """What applying one file's edits came to (a worker sends it back whole)."""

    done: tuple[Edit, ...] = ()
    unfixed: tuple[Unfixed, ...] = ()
    diff: str = ""
    changed: bool = False  # some edit was applied: there is a new file (written, unless --diff)
    error: str | None = None


class Fixer(Protocol):
    """Where one format's files are scanned and fixed: here, or in a worker."""

    def scan(self, source: Source) -> FileResult: ...

    def apply(
        self, source: Source, edits: tuple[Edit, ...], *, track_changes: bool, target: Path | None
    ) -> ApplyResult:
        """Apply ``edits`` and write the result as ``target`` (None: only make the diff)."""
        ...


@record
class FileFix:
    path: str
    format: str
    fixed: tuple[Edit, ...] = ()  # written; with --diff, what would be
    unfixed: tuple[Unfixed, ...] = ()
    error: str | None = None
    unsupported: bool = False  # no applier for this format: left alone (a PDF's findings are listed)
    diff: str = ""
    copy: str = ""  # where the fixes went when not into the file itself


@record
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
    from wordaudit.api import build_auditor
    from wordaudit.discover import discover
    from wordaudit.fix.isolated import WorkerFixer
    from wordaudit.per_file import per_file_ignores

    auditor = build_auditor(config)
    found = discover(
        [str(p) for p in paths],
        exclude=config.exclude,
        exclude_base=config.exclude_base(),
        use_gitignore=config.respect_gitignore,
        formats=config.formats,
    )
    # A copy an earlier fix wrote (job.wordaudit.docx) is not fixed again unless named.
    found.sources = [s for s in found.sources if s.explicit or not s.path.stem.endswith(".wordaudit")]
    here, there = InProcessFixer(auditor), WorkerFixer(config)
    ignores = per_file_ignores(config)
    in_worker = {s.format for s in found.sources} & (_IN_WORKER | _NEVER_FIXABLE.keys())
    if in_worker:
        there.warm_up(in_worker)
    files: list[FileFix] = []
    try:
        for index, source in enumerate(found.sources):
            if source.format in _NEVER_FIXABLE:
                files.append(_never_fixable(source, there, ignores))
                continue
            if source.format not in _APPLIERS:
                files.append(_unsupported(source))
                continue
            fixer = there if source.format in _IN_WORKER else here
            fixed, stop = _fix_one(
                source, fixer, reviewer, ignores, write=write, track_changes=track_changes, in_place=in_place
            )
            files.append(fixed)
            if stop:
                rest = tuple(s.display for s in found.sources[index + 1 :] if s.format in _APPLIERS)
                return FixReport(tuple(files), write, rest, tuple(found.warnings))
    finally:
        there.close()
    files.extend(FileFix(s.display, s.format, error=why) for s, why in found.missing)
    return FixReport(tuple(files), write, (), tuple(found.warnings))


def _never_fixable(source: Source, fixer: Fixer, ignores: PerFileIgnores | None) -> FileFix:
    """A PDF, scanned so that its findings are listed (and the exit status says
    something is left), each to be fixed in the document it was made from."""
    scanned = _scan(source, fixer, ignores)
    if scanned.error:
        return FileFix(source.display, source.format, error=scanned.error)
    reason = f"cannot be fixed in a {source.format.upper()}: change the document it was made from"
    unfixed = tuple(Unfixed(finding, reason) for finding in scanned.findings)
    return FileFix(source.display, source.format, unfixed=unfixed, unsupported=True)


def _scan(source: Source, fixer: Fixer, ignores: PerFileIgnores | None) -> FileResult:
    """The file's findings, less those ``[per-file-ignores]`` switches off."""
    scanned = fixer.scan(source)
    return scanned if ignores is None else ignores.apply(scanned, source.fs_path)


def _unsupported(source: Source) -> FileFix:
    if source.format == "unknown":
        return FileFix(source.display, source.format, error=unsupported(source.path))
    return FileFix(source.display, source.format, unsupported=True)


def fixed_copy(path: Path) -> Path:
    """Where a Word document's fixes go unless in place: job.docx → job.wordaudit.docx."""
    return path.with_name(f"{path.stem}.wordaudit{path.suffix}")


def _fix_one(
    source: Source,
    fixer: Fixer,
    reviewer: Reviewer | None,
    ignores: PerFileIgnores | None,
    *,
    write: bool,
    track_changes: bool,
    in_place: bool,
) -> tuple[FileFix, bool]:
    """Scan, plan, apply and write one file; and whether the reviewer quit."""
    scanned = _scan(source, fixer, ignores)
    if scanned.error:
        return FileFix(source.display, source.format, error=scanned.error), False
    copy_there = write and not in_place and source.format in _COPY_BESIDE and fixed_copy(source.path).exists()
    if scanned.findings and copy_there:
        # The copy an earlier fix wrote may hold a reviewer's accepted and
        # rejected changes since: it is never written over (asked before any
        # question of --interactive).
        shown = fixed_copy(Path(source.display)).name
        reason = f"not changed: {shown} is already there (an earlier fix's copy); move it away to fix again"
        return FileFix(source.display, source.format, error=reason), False
    planned = plan(scanned.findings, reviewer)
    if not planned.edits:
        return FileFix(source.display, source.format, unfixed=planned.unfixed), planned.quit
    target = source.path if in_place or source.format not in _COPY_BESIDE else fixed_copy(source.path)
    result = fixer.apply(source, planned.edits, track_changes=track_changes, target=target if write else None)
    # Where the fixes went (or would go), when not into the file itself.
    copy = str(fixed_copy(Path(source.display))) if target != source.path and result.changed else ""
    unfixed = planned.unfixed + result.unfixed
    fixed = FileFix(source.display, source.format, result.done, unfixed, result.error, diff=result.diff, copy=copy)
    return fixed, planned.quit


class InProcessFixer:
    """Markdown and text: read and written by this process, where they cost least."""

    def __init__(self, auditor: Auditor) -> None:
        self.auditor = auditor

    def scan(self, source: Source) -> FileResult:
        from wordaudit.api import scan_source

        return scan_source(source, self.auditor)

    def apply(
        self, source: Source, edits: tuple[Edit, ...], *, track_changes: bool, target: Path | None
    ) -> ApplyResult:
        from wordaudit.fix.atomic import write_atomic

        write = None if target is None else partial(write_atomic, target, like=source.path)
        return apply_edits(source, edits, track_changes=track_changes, write=write)


def apply_edits(
    source: Source, edits: Sequence[Edit], *, track_changes: bool, write: Callable[[bytes], None] | None
) -> ApplyResult:
    """Apply one file's edits and hand the new file to ``write`` (None: make the
    diff instead); whatever goes wrong stays this file's error."""
    from wordaudit.workers import MEMORY_ERROR

    try:
        applied = _applier(source.format).apply(source.path, edits, track_changes=track_changes)
        if write is not None and applied.data is not None:
            write(applied.data)
    except WordauditError as exc:
        return ApplyResult(error=f"not changed: {exc}")
    except OSError as exc:
        return ApplyResult(error=not_changed(exc))
    except MemoryError:
        # In a worker, the pool turns this into the memory-limit error and starts afresh.
        return ApplyResult(error=MEMORY_ERROR)
    except Exception as exc:  # the per-file boundary: one bad file must not end the run
        log.debug("%s: internal error", source.display, exc_info=True)
        return ApplyResult(error=f"not changed: internal error: {exc}")
    diff = "" if write is not None else unified_diff(applied, source.display)
    return ApplyResult(applied.done, applied.unfixed, diff, changed=applied.data is not None)


def _applier(fmt: str) -> Applier:
    return cast(Applier, importlib.import_module(f"wordaudit.fix.{_APPLIERS[fmt]}"))


def not_changed(exc: OSError) -> str:
    return f"not changed: {exc.strerror or exc}"


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
    """Where a finding is, as the scan report says it: a text file's line and
    column, a Word or PDF file's place ("paragraph 5", "page 2, line 3")."""
    f = unfixed.finding
    if f.location.startswith("line "):
        return f'{f.path}:{f.line}:{f.column}: {f.rule} "{f.match}"'
    return f'{f.path} ({f.location}): {f.rule} "{f.match}"'


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
