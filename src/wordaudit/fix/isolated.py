"""Fix Word documents without parsing them in this process.

A Word document is a zip of XML that python-docx, lxml and zlib parse: a
hostile one can take all the memory or time there is, or crash the parser.
So, as in a scan, a worker process (``wordaudit.workers``, with its memory cap
and deadline) reads it, twice: once to scan it, so that this process can plan
the edits (and a person review them) from the findings alone, and once to
apply the edits and write the new document into a temporary file beside its
target. This process makes that file and renames it into place, so a worker
killed half way through leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from wordaudit.config import Config
from wordaudit.fix import ApplyResult, apply_edits, not_changed
from wordaudit.fix.atomic import discard, install, temporary_beside, write_synced
from wordaudit.fix.model import Edit
from wordaudit.model import FileResult, Source
from wordaudit.record import record
from wordaudit.resources import Limits
from wordaudit.workers import Outcome, ScanTask, Task, WorkerPool, WorkerSettings, preloads, warm_up

if TYPE_CHECKING:
    from wordaudit.api import Auditor

_R = TypeVar("_R", bound=Outcome)


@record
class ApplyTask:
    """Apply one document's edits in a worker, and write the result into ``temp``."""

    source: Source
    edits: tuple[Edit, ...]
    track_changes: bool
    temp: Path | None  # None with --diff: nothing is written

    def run(self, auditor: Auditor) -> ApplyResult:
        write = None if self.temp is None else partial(write_synced, self.temp)
        return apply_edits(self.source, self.edits, track_changes=self.track_changes, write=write)

    def failed(self, reason: str) -> ApplyResult:
        return ApplyResult(error=reason)


class WorkerFixer:
    """Scans and fixes files in one worker process, started at the first file."""

    def __init__(self, config: Config) -> None:
        limits = Limits(timeout=config.timeout, memory_bytes=config.memory_limit_mb << 20)
        # Built like the auditor of ``fix`` itself: suppressions honoured, unused ones not reported.
        self._settings = WorkerSettings(config, True, False, limits)
        self._pool: WorkerPool | None = None

    def warm_up(self, formats: Collection[str]) -> None:
        """Start the worker server, which imports the readers of these formats,
        and spaCy, while this process fixes text files. The worker matches what
        it reads: loaded there, spaCy would count against the first
        document's deadline (a second or more on a slow machine)."""
        warm_up(preloads(formats, with_spacy=True))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def scan(self, source: Source) -> FileResult:
        return self._run(ScanTask(source))

    def apply(
        self, source: Source, edits: tuple[Edit, ...], *, track_changes: bool, target: Path | None
    ) -> ApplyResult:
        if target is None:
            return self._run(ApplyTask(source, edits, track_changes, None))
        try:
            temp = temporary_beside(target)
        except OSError as exc:
            return ApplyResult(error=not_changed(exc))
        installed = False
        try:
            result = self._run(ApplyTask(source, edits, track_changes, temp))
            if result.changed and result.error is None:
                install(temp, target, like=source.path)
                installed = True
        except OSError as exc:
            result = ApplyResult(error=not_changed(exc))
        finally:
            if not installed:  # no edit applied, the worker failed or was stopped, or Ctrl-C
                discard(temp)
        return result

    def _run(self, task: Task[_R]) -> _R:
        if self._pool is None:
            self._pool = WorkerPool(1, self._settings)
        ((_, result),) = self._pool.run_tasks([(0, task)])
        return result
