"""Decide where each file is read: from the cache, in this process, or in a worker.

Markdown and text are read in this process unless there is a lot of it: most
text files never pass the prefilter, so reading them costs less than starting
workers (measured on the 25 MB benchmark: 2.1 s in-process against 3.0 s with
two workers). With more than one job, a text file that passes the prefilter
is parsed here and its candidate blocks go to a worker, whose server loads
spaCy (and no parser) on another core while this process reads on (8 of the
benchmark's 2,034 files pass; the first is the 103rd).
With over ``_SERVER_WORTH_BYTES`` of text to read, the server starts before the
first file, since the one that needs it may come last (measured with it last
of 2,027 files: 1.29 s against 1.06 s; a tree that needs none pays about
0.07 s), and when no cache may answer, during the walk (``ServerAhead``);
with less, the first such file starts it, or, when little text is left to
read by then and few such files are to be expected, spaCy is loaded in this
process instead (``_little_left``). Word and PDF files always go to a
worker, under its memory cap and deadline, and then the server starts first
(as does all text past ``_POOL_TEXT_BYTES``, the small files in batches);
a worker without spaCy hands such a file's candidate blocks back, and this
process matches them (``handback``), as it then does a text file's. Results
come back in discovery order whatever the number of jobs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from wordaudit.api import Auditor, Progress, pending_source, scan_source, screen_source
from wordaudit.cache import Cache
from wordaudit.config import Config
from wordaudit.extract import text_format
from wordaudit.model import FileResult, PendingFile, Source
from wordaudit.record import field, record, replace
from wordaudit.resources import Limits
from wordaudit.split import merge, split, splits

if TYPE_CHECKING:
    from wordaudit.workers import ScanTask

# ``workers`` and ``handback`` (threads, signals, the pool) are imported when
# a file is read: a rescan that the cache answers needs neither.

# Below this much text, workers cost more to start than they save.
_POOL_TEXT_BYTES = 64 << 20
# Reading less text than this (about 0.12 s, the time a worker server costs
# over loading spaCy here) after the first file that needs spaCy, with few
# more such files expected, spaCy is loaded in this process.
_SERVER_WORTH_BYTES = 6 << 20
_FEW_MATCHES = 10
# Handed this many files, workers are all but sure to hand one back (7 of the
# benchmark's 149 Word files have a candidate: a hundred without one would
# come once in 170 such folders), so this process loads spaCy as they start,
# on the core the starting server leaves idle, not once the first comes back.
# Medians of 6 runs, --jobs 2: 149 Word files 1.90 -> 1.45 s (pandoc's),
# 1.80 -> 1.49 s (LibreOffice's); 120 files with no candidate, 0.77 -> 0.89 s.
# A PDF counts twice: it holds more text, and 8 of the benchmark's 80 PDFs
# have a candidate (a hundred without one would come once in 40,000 such
# folders). Those 80 PDFs, PDFium, 8 runs each alternating: fastest 1.63 ->
# 1.52 s, median 1.74 -> 1.72 s.
_SPACY_SURE_FILES = 100
_PDF_WEIGHT = 2
# Small text files go to a worker this many at a time, or this many bytes
# (``ReadBatch``): at most a tenth of a second's reading, so the workers
# still share the last files evenly. 41 copies of the benchmark's markdown
# (1.03 GB, 83,394 files, --jobs 2 --no-cache): 39.4 -> 27.0 s.
_BATCH_FILES = 64
_BATCH_BYTES = 1 << 20
_BATCH_FILE_BYTES = 256 << 10
# A markdown part the workers may read: parsing takes about 25 MB a MB.
_LARGEST_MARKDOWN_PART = 16 << 20


@record
class RunOptions:
    jobs: int = 1
    cache_folder: Path | None = None
    limits: Limits = field(default_factory=Limits)
    # The server was started with spaCy while discovery walked (``ServerAhead``).
    server_ahead: bool = False


class ServerAhead:
    """Starts the worker server before ``run`` would, when no cache may answer
    (a rescan from the cache must not start one).

    For text: with spaCy, while the walk is still going on, as soon as the
    files found so far hold ``_SERVER_WORTH_BYTES`` of text and no Word or PDF
    file, as ``run`` would start it anyway before the first file. Loading
    spaCy is what a large markdown tree waits for; this way it starts 0.05-0.1
    s sooner (the 25 MB benchmark, --jobs 2 --no-cache, two sets of
    alternating runs on a noisy machine: medians 1.16 -> 1.09 s and 1.36 ->
    1.31 s). For Word and PDF files, which always go to a worker: with their
    readers, once the walk has found them all, before the rule packs load.
    """

    def __init__(self, jobs: int, *, pdf_engine: str = "auto", enabled: bool = True) -> None:
        self._watching = enabled and jobs > 1
        self._pdf_engine = pdf_engine
        self._text_bytes = 0
        self._documents: set[str] = set()
        self.started = False

    def found(self, source: Source) -> None:
        """A file the walk has just found."""
        if not self._watching or self.started:
            return
        if not (text_format(source.format) or source.format == "unknown"):
            self._documents.add(source.format)
        elif not self._documents:
            self._text_bytes += _size(source)
            if self._text_bytes >= _SERVER_WORTH_BYTES:
                self._start(with_spacy=True)  # its workers only match: no reader

    def walked(self) -> None:
        """The walk is over: with Word or PDF files found, start the server
        that reads them (the workers' readers known, spaCy left to ``run``)."""
        if self._watching and not self.started and self._documents:
            self._start(with_spacy=False)

    def _start(self, *, with_spacy: bool) -> None:
        from wordaudit.workers import preloads, warm_up

        warm_up(preloads(self._documents, pdf_engine=self._pdf_engine, with_spacy=with_spacy))
        self.started = True

    def stop(self) -> None:
        """Stop the server if the scan never came to use it."""
        if self.started:
            from wordaudit.workers import stop_idle_server

            stop_idle_server()


def run(
    sources: Sequence[Source],
    auditor: Auditor,
    config: Config,
    options: RunOptions,
    progress: Progress | None = None,
    cache_key: str = "",
) -> tuple[list[FileResult], list[str]]:
    results: list[FileResult | None] = [None] * len(sources)
    hashes: dict[int, str | None] = {}
    warnings: list[str] = []
    cache = Cache(options.cache_folder, cache_key) if options.cache_folder else None
    if cache is not None:
        cache.expect([source.fs_path for source in sources])
    done = 0
    findings = 0

    def finish(index: int, result: FileResult) -> None:
        nonlocal done, findings
        fs_path = sources[index].fs_path
        # Results from the cache come with it already: no copy of each on a rescan.
        results[index] = result if result.fs_path == fs_path else replace(result, fs_path=fs_path)
        done += 1
        findings += len(result.findings)
        if cache is not None and index in hashes:
            cache.store(hashes[index], result)
        if progress is not None:
            progress(done, len(sources), result.path, findings)

    here: list[int] = []
    there: list[int] = []
    for index, source in enumerate(sources):
        if cache is not None:
            cached, content_hash = cache.lookup(source)
            if cached is not None:
                finish(index, cached)
                continue
            hashes[index] = content_hash
        in_process = text_format(source.format) or source.format == "unknown"
        (here if in_process else there).append(index)
    sizes = [_size(sources[i]) for i in here] if options.jobs > 1 else []
    pooled: list[int] = []  # text files sent to workers, in the order of ``sizes``
    if sizes and sum(sizes) >= _POOL_TEXT_BYTES:
        there, here, pooled = sorted(there + here), [], here
    left = sum(sizes)  # text bytes not yet read in this process
    in_process = options.jobs == 1
    # With this much text to read, spaCy is loaded in a server from the start,
    # beside the reading, rather than once the first file needs it: that file
    # may come late. A tree that needs it nowhere pays the start of a process.
    early = options.server_ahead or (not there and left >= _SERVER_WORTH_BYTES)
    to_match: list[tuple[int, PendingFile]] = []  # text files read here, their candidates for spaCy
    try:
        if there:
            from wordaudit.workers import preloads, warm_up

            warm_up(preloads({sources[i].format for i in there}, pdf_engine=config.pdf_engine))
        elif early and not options.server_ahead:
            from wordaudit.workers import preloads, warm_up

            warm_up(preloads(with_spacy=True))  # its workers only match: no reader
        for position, index in enumerate(here):
            source = sources[index]
            left -= sizes[position] if sizes else 0
            if in_process or not text_format(source.format):
                finish(index, scan_source(source, auditor))
                continue
            screened = screen_source(source, auditor, sizes[position])
            if screened is not None:
                finish(index, screened)
                continue
            if _parts_for_workers(source, sizes[position]):
                there.append(index)  # a large file that may hold findings: its parts side by side
                continue
            server = bool(there or early or to_match)
            if not server and _little_left(left, len(here) - position - 1, position + 1):
                # spaCy is loaded here: sooner than a worker server would be ready.
                in_process = True
                finish(index, scan_source(source, auditor))
                continue
            if not server:  # this file needs spaCy: a server loads it while this process reads on
                from wordaudit.workers import preloads, warm_up

                warm_up(preloads(with_spacy=True))
            # Parsed here, where the parser is loaded; only the candidate blocks travel.
            answer = pending_source(source, auditor)
            if isinstance(answer, PendingFile):
                to_match.append((index, answer))
            else:
                finish(index, answer)
        if there or to_match:
            known = dict(zip(pooled, sizes, strict=True)) if pooled else None
            _read_in_workers(sources, there, to_match, auditor, config, options, finish, known)
    finally:
        if there or early or to_match:
            from wordaudit.workers import stop_idle_server

            stop_idle_server()
        if cache is not None:
            cache.close()
            if cache.broken:
                warnings.append(cache.broken)
    return [r for r in results if r is not None], warnings


def _read_in_workers(
    sources: Sequence[Source],
    indexes: Sequence[int],
    to_match: Sequence[tuple[int, PendingFile]],
    auditor: Auditor,
    config: Config,
    options: RunOptions,
    finish: Callable[[int, FileResult], None],
    known_sizes: dict[int, int] | None = None,
) -> None:
    """Read these files in worker processes, and match the candidate blocks of
    those read here (``to_match``), giving each result to ``finish``.
    ``known_sizes``: the sizes of some of the files, by index, already read."""
    from wordaudit.handback import HandedBack
    from wordaudit.workers import (
        BatchResult,
        MatchTask,
        ReadBatch,
        ReadTask,
        ScanTask,
        WorkerPool,
        WorkerSettings,
        server_loads_spacy,
    )

    settings = WorkerSettings(config, auditor.inline_suppressions, auditor.report_unused_suppressions, options.limits)
    sizes = dict(known_sizes or {})
    for index in indexes:  # one stat a file: a tree of 80,000 files spent 2 s on three
        if index not in sizes:
            sizes[index] = _size(sources[index])
    # Big files first, so no worker is left with the largest at the end.
    order = sorted(indexes, key=lambda i: -sizes[i])
    tasks = _Tasks(sources, order, options.jobs, auditor.max_findings_per_file, sizes)
    second_try: list[tuple[int, ScanTask]] = []
    alone: list[tuple[int, ReadTask]] = []  # the files of batches that did not finish
    # Workers without spaCy would each load it for these: this process does, once.
    spacy_there = server_loads_spacy()
    matched_there = to_match if spacy_there else []
    reads = len(tasks.sources)
    first_try: list[tuple[int, ReadTask | MatchTask | ReadBatch]] = []
    batches = _batches(tasks, reads + len(matched_there))
    in_batches = {member for members in batches.values() for member in members}
    first_try += [(t, ReadTask(s)) for t, s in enumerate(tasks.sources) if t not in in_batches]
    first_try += [(reads + n, MatchTask(pending)) for n, (_, pending) in enumerate(matched_there)]
    first_try += [(n, ReadBatch(tuple(ReadTask(tasks.sources[t]) for t in held))) for n, held in batches.items()]
    handed_back = HandedBack(auditor)

    def take(task: int, answer: FileResult | PendingFile) -> None:
        """One file's (or part's) answer to a read task."""
        if isinstance(answer, PendingFile):
            handed_back.add(tasks.index(task), answer)
            return
        done_file = tasks.done(task, answer)
        if done_file is None:
            return
        if _pdfium_failed(done_file[1], config):
            second_try.append((done_file[0], ScanTask(sources[done_file[0]], pdf_engine="pdfminer")))
        else:
            finish(*done_file)
        for matched in handed_back.ready():
            finish(*matched)

    try:
        weight = sum(_PDF_WEIGHT if sources[i].format == "pdf" else 1 for i in order)
        if weight >= _SPACY_SURE_FILES and not spacy_there:  # else the workers match
            handed_back.start()
        for index, pending in to_match if not matched_there else ():
            handed_back.add(index, pending)
        # Never empty: files to read, or files to match where spaCy is loaded.
        with WorkerPool(min(max(options.jobs, 1), len(first_try)), settings) as pool:
            for task, answer in pool.run_tasks(first_try):
                if task in batches:
                    assert isinstance(answer, BatchResult)
                    if answer.error is not None:  # each file again, alone: only the one to blame fails
                        alone += [(member, ReadTask(tasks.sources[member])) for member in batches[task]]
                        continue
                    for member, each in zip(batches[task], answer.answers, strict=True):
                        take(member, each)
                elif task >= reads:
                    assert isinstance(answer, FileResult)  # a MatchTask matches
                    finish(matched_there[task - reads][0], answer)
                else:
                    assert not isinstance(answer, BatchResult)
                    take(task, answer)
            for task, answer in pool.run_tasks(alone):
                take(task, answer)
            for index, result in pool.run_tasks(second_try):
                finish(index, _second_try_result(result))
        for matched in handed_back.rest():
            finish(*matched)
    finally:
        handed_back.close()


def _batches(tasks: _Tasks, first_number: int) -> dict[int, tuple[int, ...]]:
    """The small whole text files among the tasks, in batches (``ReadBatch``),
    numbered from ``first_number``: each batch's tasks, in order."""
    batches: dict[int, tuple[int, ...]] = {}
    batch: list[int] = []
    held = 0
    for task, source in enumerate(tasks.sources):
        size = tasks.size(task)
        if not text_format(source.format) or source.part is not None or size > _BATCH_FILE_BYTES:
            continue
        batch.append(task)
        held += size
        if len(batch) == _BATCH_FILES or held >= _BATCH_BYTES:
            batches[first_number + len(batches)] = tuple(batch)
            batch, held = [], 0
    if len(batch) > 1:
        batches[first_number + len(batches)] = tuple(batch)
    return batches


class _Tasks:
    """The files given to workers, a large plain-text file as several parts."""

    def __init__(
        self, sources: Sequence[Source], order: Sequence[int], jobs: int, max_findings: int, sizes: dict[int, int]
    ) -> None:
        self.sources: list[Source] = []
        self._max_findings = max_findings
        self._file: list[int] = []  # task -> index of its file
        self._slot: list[int] = []  # task -> number of its part
        self._parts: dict[int, list[FileResult | None]] = {}
        self._whole = sources
        self._sizes = sizes
        for index in order:
            parts = split(sources[index], sizes[index]) if jobs > 1 else None
            for slot, source in enumerate(parts or [sources[index]]):
                self.sources.append(source)
                self._file.append(index)
                self._slot.append(slot)
            if parts:
                self._parts[index] = [None] * len(parts)

    def index(self, task: int) -> int:
        """The index of the file a task reads (a part of it, or all of it)."""
        return self._file[task]

    def size(self, task: int) -> int:
        """The bytes a task reads."""
        part = self.sources[task].part
        return part.end - part.start if part is not None else self._sizes[self._file[task]]

    def done(self, task: int, result: FileResult) -> tuple[int, FileResult] | None:
        """The file's index and result once the task finishes the file."""
        index = self._file[task]
        parts = self._parts.get(index)
        if parts is None:
            return index, result
        parts[self._slot[task]] = result
        finished = [p for p in parts if p is not None]
        if len(finished) < len(parts):
            return None
        return index, merge(self._whole[index], finished, self._max_findings)


def _pdfium_failed(result: FileResult, config: Config) -> bool:
    # PDFium is C++: a file it crashes on or needs gigabytes for may still be
    # read by pdfminer, in Python.
    if result.format != "pdf" or config.pdf_engine != "auto":
        return False
    from wordaudit.workers import worker_died

    return worker_died(result.error) and _pdfium_installed()


def _pdfium_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("pypdfium2") is not None


def _second_try_result(result: FileResult) -> FileResult:
    if result.error is not None:
        return result
    return replace(result, notes=(*result.notes, f"{result.path}: PDFium failed on this file; read with pdfminer"))


def _little_left(text_bytes: int, files: int, read: int) -> bool:
    """Whether, at the first text file that needs spaCy, so little is left
    to read that loading spaCy in this process beats a worker server.

    The server loads spaCy on the other core while this process reads on,
    but starting it and its workers costs about 0.15 s more than loading
    spaCy here. That pays only while reading the rest takes longer; and the
    files that need spaCy are matched here one after another, so there must
    be few of them, as estimated from how many files it took to meet the
    first (measured on the benchmark's first 5 MB of markdown: 0.80 s in
    this process, 0.90 s with a server)."""
    expected_matches = files / read
    return text_bytes < _SERVER_WORTH_BYTES and expected_matches <= _FEW_MATCHES


def _parts_for_workers(source: Source, size: int) -> bool:
    """Whether a large text or markdown file is cut into parts small enough
    for the workers' memory cap. A markdown file that could be cut only near
    its start is read in this process, whole, as before."""
    if not splits(source, size):
        return False
    if source.format != "markdown":
        return True
    parts = split(source, size)
    return parts is not None and max(p.part.end - p.part.start for p in parts if p.part) <= _LARGEST_MARKDOWN_PART


def _size(source: Source) -> int:
    try:
        return os.stat(source.fs_path).st_size
    except OSError:
        return 0
