"""Scan fuzz cases through the pipeline the command line uses, and judge each outcome.

Cases go through ``wordaudit.workers.WorkerPool`` into ``api.scan_source``:
the same memory cap, deadline and crash handling a scan of Word and PDF files
gets, so a case that hangs or kills its reader costs one worker, not the run,
and comes back as the one-line error a user would see.
"""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from fuzzing import PIPELINE_FORMATS, Case
from fuzzing.zips import CANARY
from wordaudit.config import Config
from wordaudit.model import FileResult, Source
from wordaudit.resources import Limits
from wordaudit.workers import WorkerPool, WorkerSettings

# One line a report can show: the limit ``errors._one_line`` cuts to.
MAX_ERROR_LENGTH = 200
# Probed, not imported: the fuzzing process itself never loads PDFium.
PDFIUM = importlib.util.find_spec("pypdfium2") is not None


@dataclass(frozen=True, slots=True)
class Outcome:
    case: Case
    result: FileResult
    problem: str | None  # None: findings, or a one-line error a person can act on

    def line(self) -> str:
        shown = self.result.error if self.result.error is not None else f"{len(self.result.findings)} findings"
        return f"{self.case.describe()}: {self.problem}: {shown!r}"


def judge(result: FileResult, scratch: Path) -> str | None:
    """What is wrong with an outcome, or None when it is what a user should get."""
    error = result.error
    if error is None:
        for finding in result.findings:
            if finding.line < 1 or finding.column < 1 or (finding.page is not None and finding.page < 1):
                return f"finding at impossible position {finding.line}:{finding.column} page {finding.page}"
            if CANARY in finding.context:
                return "XML entity was expanded"
        return None
    if "\n" in error or "\r" in error:
        return "error spans lines"
    if "Traceback" in error:
        return "error holds a traceback"
    if str(scratch) in error or str(scratch.resolve()) in error:
        return "error names the scratch folder"
    if "internal error" in error:
        return "internal error"
    if len(error) >= MAX_ERROR_LENGTH:
        return "error too long"
    # The pool's own verdicts: legitimate for a user, but a small fuzzed file
    # should never need them, so each is a lead worth reading.
    if error.startswith("took longer than"):
        return "timeout"
    if error.startswith(("the reader crashed", "the reader process stopped")):
        return "crash"
    if error.startswith("exceeded the") and "memory limit" in error:
        return "memory limit"
    return None


def engine_for(case: Case) -> str:
    """PDFs alternate between the two engines when PDFium is installed; CI,
    without it, reads every PDF with pdfminer, as ``auto`` would."""
    if case.fmt != "pdf":
        return "auto"
    return "pdfium" if case.seed % 2 and PDFIUM else "pdfminer"


class Runner:
    """Worker pools (one per PDF engine) that live as long as the runner."""

    def __init__(self, jobs: int = 2, timeout: float = 20.0, memory_mb: int = 1024) -> None:
        self.jobs = jobs
        self.limits = Limits(timeout=timeout, memory_bytes=memory_mb << 20)
        self.scratch = Path(tempfile.mkdtemp(prefix="wordaudit-fuzz-"))
        self._pools: dict[str, WorkerPool] = {}

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def run(self, cases: Sequence[Case]) -> Iterator[Outcome]:
        """Every case's outcome, grouped by engine, in the order they finish."""
        groups: dict[str, list[Case]] = defaultdict(list)
        for case in cases:
            groups[engine_for(case)].append(case)
        for engine, group in sorted(groups.items()):
            pool = self._pool(engine)
            tasks = []
            for index, case in enumerate(group):
                # A folder per case: two documents may share a name (a stem and a seed).
                path = self.scratch / str(index) / case.filename
                path.parent.mkdir(exist_ok=True)
                path.write_bytes(case.data)
                tasks.append((index, Source(str(path), case.filename, PIPELINE_FORMATS[case.fmt], explicit=True)))
            for index, result in pool.run(tasks):
                shutil.rmtree(tasks[index][1].path.parent, ignore_errors=True)
                yield Outcome(group[index], result, judge(result, self.scratch))

    def _pool(self, engine: str) -> WorkerPool:
        if engine not in self._pools:
            settings = WorkerSettings(Config(pdf_engine=engine), True, False, self.limits)
            self._pools[engine] = WorkerPool(self.jobs, settings)
        return self._pools[engine]
