"""One scan as the command line asks for it: paths or stdin, changed files
only, a baseline. The CLI turns options into a ``ScanRequest``; this module
does the rest and hands back plain data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wordaudit import __version__
from wordaudit.api import Progress, audit_paths_with, audit_stdin
from wordaudit.config import Config
from wordaudit.model import ScanResult
from wordaudit.record import field, record, replace


@record
class ScanRequest:
    paths: tuple[str, ...] = (".",)
    config: Config = field(default_factory=Config)
    inline_suppressions: bool = True
    report_unused_suppressions: bool = False
    jobs: int = 1
    use_cache: bool = False
    changed_since: str | None = None
    staged: bool = False
    stdin: bytes | None = None
    stdin_filename: str | None = None
    baseline: Path | None = None
    update_baseline: bool = False


@record
class ScanOutcome:
    result: ScanResult
    baselined: int = 0
    fixed: tuple[dict[str, Any], ...] = ()
    notes: tuple[str, ...] = ()


def run_scan(request: ScanRequest, progress: Progress | None = None) -> ScanOutcome:
    if request.stdin is not None:
        result = audit_stdin(
            request.stdin,
            request.stdin_filename,
            request.config,
            inline_suppressions=request.inline_suppressions,
            report_unused_suppressions=request.report_unused_suppressions,
        )
    else:
        only = None
        if request.changed_since is not None or request.staged:
            from wordaudit.gitfiles import changed_files

            only = changed_files(since=request.changed_since, staged=request.staged)
        result = audit_paths_with(
            request.paths,
            request.config,
            inline_suppressions=request.inline_suppressions,
            report_unused_suppressions=request.report_unused_suppressions,
            jobs=request.jobs,
            use_cache=request.use_cache,
            progress=progress,
            only=only,
        )
    if request.baseline is None:
        return ScanOutcome(result)
    return _against_baseline(result, request.baseline, update=request.update_baseline)


def _against_baseline(result: ScanResult, path: Path, *, update: bool) -> ScanOutcome:
    from wordaudit import baseline

    outcome = baseline.apply(result, path)
    notes: list[str] = []
    if outcome.fixed:
        notes.append(
            f"{len(outcome.fixed)} baseline finding(s) no longer occur"
            + ("; removed from the baseline" if update else "; run with --update-baseline to drop them")
        )
    if update and outcome.fixed:
        baseline.write(result, path, __version__, list(outcome.kept_entries))
    filtered = replace(outcome.result, warnings=(*outcome.result.warnings, *notes))
    return ScanOutcome(filtered, outcome.baselined, outcome.fixed, tuple(notes))


def write_baseline(result: ScanResult, target: Path) -> int:
    from wordaudit import baseline

    return baseline.write(result, target, __version__)
