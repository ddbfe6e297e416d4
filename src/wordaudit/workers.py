"""Worker processes that read documents under limits.

Untrusted Word and PDF files are parsed here, never in the main process, for
``scan`` and ``fix`` alike (a ``Task`` is what a worker does with one file): each
worker has an address-space cap (``RLIMIT_AS``) and each file a deadline. A
worker that runs out of memory, crashes or overruns is killed and replaced,
and its file gets a one-line error; the scan goes on. Workers start from a
fork server that has the engine imported already, so a replacement is cheap
and no worker is forked from a parent that runs threads (the progress bar).
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Collection, Iterator, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from wordaudit import lost_memory
from wordaudit.config import Config
from wordaudit.model import FileResult, PendingFile, Source
from wordaudit.record import record, replace
from wordaudit.resources import Limits

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from wordaudit.api import Auditor

# What a task's result says when the worker ran out of memory: the pool turns it
# into the memory-limit error and replaces the worker.
MEMORY_ERROR = lost_memory.OUT_OF_MEMORY
# How a file's error starts when its worker did not survive it (the reader
# crashed, hit the memory cap, or the process vanished), as against an error
# the reader itself reported.
_CRASHED = "the reader crashed on this file"
_OVER_MEMORY = "exceeded the "
_STOPPED = "the reader process stopped unexpectedly"


def worker_died(error: str | None) -> bool:
    """Whether a file's error says its worker died on it."""
    return error is not None and error.startswith((_CRASHED, _OVER_MEMORY, _STOPPED))


@record
class WorkerSettings:
    """What a worker needs to build its own auditor (it must be picklable)."""

    config: Config
    inline_suppressions: bool
    report_unused_suppressions: bool
    limits: Limits


class Outcome(Protocol):
    """What a task gives back: anything, as long as it can carry an error."""

    @property
    def error(self) -> str | None: ...


_Result = TypeVar("_Result", bound=Outcome, covariant=True)
_R = TypeVar("_R", bound=Outcome)


class Task(Protocol[_Result]):
    """Work on one untrusted file, sent to a worker (so it must be picklable)."""

    def run(self, auditor: Auditor) -> _Result: ...

    def failed(self, reason: str) -> _Result:
        """The result when the worker did not finish: it was stopped, crashed or ran out of memory."""
        ...


@record
class ScanTask:
    """Scan one file: what ``wordaudit scan`` sends a worker."""

    source: Source
    # Another PDF engine than the configured one: the second try after PDFium failed.
    pdf_engine: str | None = None

    def run(self, auditor: Auditor) -> FileResult:
        from wordaudit.api import scan_source

        if self.pdf_engine is not None:
            auditor = replace(auditor, options=replace(auditor.options, pdf_engine=self.pdf_engine))
        return scan_source(self.source, auditor)

    def failed(self, reason: str) -> FileResult:
        return FileResult(self.source.display, self.source.format, error=reason)


@record
class ReadTask:
    """Scan one file, but hand its candidate blocks back unmatched when this
    worker has no spaCy loaded (``api.read_source``): the parent matches them.
    A part of a large text file is always matched here, where its parts meet."""

    source: Source

    def run(self, auditor: Auditor) -> FileResult | PendingFile:
        from wordaudit.api import read_source, scan_source

        if self.source.part is not None:
            return scan_source(self.source, auditor)
        return read_source(self.source, auditor)

    def failed(self, reason: str) -> FileResult:
        return FileResult(self.source.display, self.source.format, error=reason)


@record
class BatchResult:
    """What a ``ReadBatch`` gives back: each file's answer, in the batch's
    order; or, when the worker did not finish the batch, no answers and why."""

    answers: tuple[FileResult | PendingFile, ...]
    error: str | None = None


@record
class ReadBatch:
    """Read several small text files in one message, as ``ReadTask`` reads one.

    In a tree of tens of thousands of small markdown files, sending each file
    to a worker (pickling its task, the pipe, the result's way back) kept the
    scanning process busier than the reading kept each worker. A batch that
    does not finish (a file in it crashed the worker, took all its memory or
    overran the deadline) is read again a file at a time (``schedule``), so
    that only the file to blame gets the error."""

    tasks: tuple[ReadTask, ...]

    def run(self, auditor: Auditor) -> BatchResult:
        answers = []
        for task in self.tasks:
            lost_memory.forget()  # what one file ran out of is not the next one's
            answer = task.run(auditor)
            if answer.error == MEMORY_ERROR:
                # The heap may be in any state now: the worker goes (``_worker_main``),
                # and the batch is read again a file at a time.
                return self.failed(MEMORY_ERROR)
            answers.append(answer)
        return BatchResult(tuple(answers))

    def failed(self, reason: str) -> BatchResult:
        return BatchResult((), error=reason)


@record
class MatchTask:
    """Match the candidate blocks of a file the scanning process has read: a
    markdown or text file it parsed itself, for a worker with spaCy loaded."""

    pending: PendingFile

    def run(self, auditor: Auditor) -> FileResult:
        from wordaudit.api import finish_pending

        return finish_pending(self.pending, auditor)

    def failed(self, reason: str) -> FileResult:
        source = self.pending.source
        return FileResult(source.display, source.format, error=reason)


def _worker_main(connection: Connection, settings: WorkerSettings) -> None:
    # The parent owns Ctrl-C: it stops the workers itself, without a traceback from each.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # What the server imported is never garbage: frozen, the collector skips
    # it, and leaves its pages shared with the server.
    gc.freeze()
    gc.enable()
    _cap_memory(settings.limits.memory_bytes)
    # A worker says everything through its results; what Python would print
    # on the terminal it shares with the scan is noise there. Above all: when
    # a file takes all the memory under the cap, the reader's generators left
    # suspended are closed as the MemoryError unwinds, closing one needs a few
    # bytes more, and Python printed "Exception ignored in: <generator ...>
    # MemoryError" (it writes nothing when sys.stderr is None).
    sys.stderr = None
    lost_memory.watch()
    from wordaudit.api import build_auditor

    auditor = build_auditor(
        settings.config,
        inline_suppressions=settings.inline_suppressions,
        report_unused_suppressions=settings.report_unused_suppressions,
    )
    while True:
        try:
            task = connection.recv()
        except Exception:  # the parent went away mid-message: nothing left to do
            return
        if task is None:
            return
        index, job = task
        result = _run(job, auditor)
        connection.send((index, result))
        if result.error == MEMORY_ERROR:
            # After a MemoryError the heap may be in any state: start afresh.
            return


def _run(job: Task[Outcome], auditor: Auditor) -> Outcome:
    lost_memory.forget()
    try:
        return job.run(auditor)
    except MemoryError:
        # Raised where a task could not catch it (in its own handler, say). The
        # error is made after this block, once the traceback has let go of the
        # frames that hold the memory.
        pass
    except Exception:
        # What follows a MemoryError that Python could not raise is this
        # file's memory too (``lost_memory``); anything else is a bug.
        if not lost_memory.lost():
            raise
    return job.failed(MEMORY_ERROR)


def _cap_memory(limit: int) -> None:
    try:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, ValueError, OSError):
        pass  # no such limit on this platform: the deadline still applies


class _Worker:
    def __init__(self, context: Any, settings: WorkerSettings) -> None:
        parent_end, child_end = context.Pipe()
        self.connection: Connection = parent_end
        self.process = context.Process(target=_worker_main, args=(child_end, settings), daemon=True)
        with _main_module_hidden():
            self.process.start()
        child_end.close()
        self.task: tuple[int, Task[Any]] | None = None
        self.deadline = 0.0

    def give(self, task: tuple[int, Task[Any]], timeout: float) -> None:
        self.task = task
        self.deadline = time.monotonic() + timeout
        self.connection.send(task)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()


# What the fork server imports before it forks any worker (``preloads``).
# spaCy (0.6 s) only when the server is started for text that passed the
# prefilter: most Word and PDF files never need it (142 of 149 in the
# benchmark), and a server that loaded it anyway kept every worker waiting.
_PRELOAD = "wordaudit.preload"
_READER_PRELOADS = {"docx": "wordaudit.preload.word", "markdown": "wordaudit.preload.markdown"}
_SPACY_PRELOAD = "wordaudit.preload.spacy_pipeline"


def preloads(formats: Collection[str] = (), *, pdf_engine: str = "auto", with_spacy: bool = False) -> list[str]:
    """The modules the fork server imports for workers that read these formats."""
    modules = [_PRELOAD]
    modules += sorted({_READER_PRELOADS[f] for f in formats if f in _READER_PRELOADS})
    if "pdf" in formats:
        modules.append("wordaudit.preload.pdf_pdfminer" if pdf_engine == "pdfminer" else "wordaudit.preload.pdf_auto")
    if with_spacy:
        modules.append(_SPACY_PRELOAD)
    return modules


def server_loads_spacy() -> bool:
    """Whether the running fork server was started to load spaCy for its
    workers (a server left running from an earlier scan may not have been)."""
    return _server()._forkserver_pid in _spacy_servers


# The process ids of fork servers started with spaCy among their preloads.
_spacy_servers: set[int] = set()


def _context(modules: Sequence[str] | None = None) -> Any:
    """The fork server's context; ``modules`` are what it imports if it has
    yet to start (by default, what the last call asked for, else the base)."""
    # Imported here: a rescan answered from the cache starts no worker (6 ms).
    import multiprocessing

    global _server_modules
    if modules is not None or _server_modules is None:
        _server_modules = list(modules or [_PRELOAD])
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_server_modules)
    return context


_server_modules: list[str] | None = None


@contextlib.contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Start a worker without the program's main module.

    A child of the fork server runs the main script again (or imports the
    main module) before its task, as multiprocessing does for code it may
    need to unpickle; a worker needs none of it. A script that calls
    ``audit_paths`` at its top level without ``if __name__ == "__main__"``
    (as a quick one does) would scan again in every worker, which then died
    on starting its own; the console script cost every worker 18 ms of
    imports. multiprocessing reads the main module's name and file from
    ``sys.modules`` as the worker starts: a bare stand-in there, for that
    moment, gives it none."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


def warm_up(modules: Sequence[str] = (_PRELOAD,)) -> None:
    """Start the fork server now, so that it imports what workers need
    (``preloads``) while the caller goes on; workers forked later start
    ready. The first call decides what the server imports."""
    from multiprocessing import forkserver

    running = _server()._forkserver_pid
    _context(modules)
    forkserver.ensure_running()
    started = _server()._forkserver_pid
    if started != running and _SPACY_PRELOAD in modules:
        _spacy_servers.add(started)


def stop_idle_server() -> None:
    """Stop the fork server if no worker was ever started from it.

    A server started ahead of need (``warm_up``) may still be loading spaCy
    when the scan ends: left alone, it would finish loading before it saw that
    the scan had gone, holding the scan's stdout all that time, so a pipe
    reading the report waited for it. A server that has forked workers has
    finished loading, and exits with this process (``wordaudit.preload``).
    """
    server = _server()
    pid = server._forkserver_pid
    if pid is None or pid in _servers_used:
        return
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        server._stop()  # reaps it and removes its socket


def _server() -> Any:
    # multiprocessing keeps its fork server's process id private; it is read
    # here only to stop a server that has no workers.
    from multiprocessing import forkserver

    return forkserver._forkserver


# The process ids of fork servers that have started workers.
_servers_used: set[int] = set()


@contextlib.contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Hold Ctrl-C while a worker is being started, so that no half-started
    worker is left behind (it would print an error about its lost parent)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class WorkerPool:
    def __init__(self, size: int, settings: WorkerSettings) -> None:
        self.settings = settings
        self.context = _context()
        self.workers: list[_Worker] = []
        for _ in range(max(1, size)):
            with _ctrl_c_held():
                self.workers.append(_Worker(self.context, settings))
        if (pid := _server()._forkserver_pid) is not None:
            _servers_used.add(pid)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for worker in self.workers:
            if worker.process.is_alive() and worker.task is None:
                with contextlib.suppress(OSError):
                    worker.connection.send(None)
            worker.stop()
        self.workers = []

    def run(self, sources: Sequence[tuple[int, Source]]) -> Iterator[tuple[int, FileResult]]:
        """Scan results in the order they finish; every source yields exactly one."""
        return self.run_tasks([(index, ScanTask(source)) for index, source in sources])

    def run_tasks(self, tasks: Sequence[tuple[int, Task[_R]]]) -> Iterator[tuple[int, _R]]:
        """Results in the order they finish; every task yields exactly one."""
        from multiprocessing.connection import wait

        pending = deque(tasks)
        limits = self.settings.limits
        while pending or any(w.task is not None for w in self.workers):
            for worker in self.workers:
                if worker.task is None and pending:
                    try:
                        worker.give(pending.popleft(), limits.timeout)
                    except OSError:
                        yield self._replace(worker, _STOPPED)
            busy = [w for w in self.workers if w.task is not None]
            if not busy:
                continue
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = wait([w.connection for w in busy] + [w.process.sentinel for w in busy], timeout)
            for worker in busy:
                outcome = self._collect(worker, ready)
                if outcome is not None:
                    yield outcome
            now = time.monotonic()
            for worker in self.workers:
                if worker.task is not None and now >= worker.deadline:
                    yield self._replace(worker, f"took longer than {limits.timeout:g} s; stopped")

    def _collect(self, worker: _Worker, ready: list[Any]) -> tuple[int, Any] | None:
        if worker.connection in ready:
            try:
                index, result = worker.connection.recv()
            except (EOFError, OSError):
                return self._replace(worker, self._death_reason(worker))
            assert worker.task is not None
            task = worker.task[1]
            worker.task = None
            if result.error == MEMORY_ERROR:
                result = task.failed(f"{_OVER_MEMORY}{self.settings.limits.memory_text} memory limit")
                self._restart(worker)
            return index, result
        if worker.process.sentinel in ready:
            return self._replace(worker, self._death_reason(worker))
        return None

    def _death_reason(self, worker: _Worker) -> str:
        worker.process.join(timeout=1)
        code = worker.process.exitcode
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            return f"{_CRASHED} ({name}); memory limit {self.settings.limits.memory_text}"
        return _STOPPED

    def _replace(self, worker: _Worker, reason: str) -> tuple[int, Any]:
        assert worker.task is not None
        index, task = worker.task
        worker.task = None
        self._restart(worker)
        return index, task.failed(reason)

    def _restart(self, worker: _Worker) -> None:
        with _ctrl_c_held():
            worker.stop()
            position = self.workers.index(worker)
            self.workers[position] = _Worker(self.context, self.settings)
