"""Match, in the scanning process, the blocks that workers hand back.

A worker that reads a Word or PDF file with a candidate block and has no
spaCy loaded hands the file's candidate blocks back (``api.read_source``)
instead of loading spaCy (0.5 s) for them, as every worker would otherwise
do. This process, which mostly waits on the workers, loads it once, in a
thread, while the workers go on reading: on the benchmark's 149 Word files,
7 of which have findings, that took one spaCy load off every worker.
"""

from __future__ import annotations

import contextlib
import queue
import sys
import threading
from collections.abc import Iterator

from wordaudit.api import Auditor, finish_pending
from wordaudit.model import FileResult, PendingFile

# While the thread works, the main thread must still answer a worker within a
# fraction of a file's time (a Word file takes about 6 ms), not wait out
# Python's default 5 ms switch interval behind spaCy's import.
_SWITCH_INTERVAL = 0.0005
_POLL = 0.1


class HandedBack:
    """Files handed back, matched one after another in a thread."""

    def __init__(self, auditor: Auditor) -> None:
        self._auditor = auditor
        self._todo: queue.SimpleQueue[tuple[int, PendingFile] | None] = queue.SimpleQueue()
        self._done: queue.SimpleQueue[tuple[int, FileResult]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._outstanding = 0
        self._switch_interval = sys.getswitchinterval()

    def add(self, index: int, pending: PendingFile) -> None:
        self.start()
        self._outstanding += 1
        self._todo.put((index, pending))

    def start(self) -> None:
        """Start the thread, which loads spaCy at once, before any file is
        handed back: called early when some file is all but sure to be."""
        if self._thread is None:
            sys.setswitchinterval(_SWITCH_INTERVAL)
            # A daemon: after Ctrl-C the process exits without waiting for it.
            self._thread = threading.Thread(target=self._match_all, name="wordaudit-match", daemon=True)
            self._thread.start()

    def ready(self) -> Iterator[tuple[int, FileResult]]:
        """The files matched so far, without waiting."""
        while self._outstanding:
            try:
                item = self._done.get_nowait()
            except queue.Empty:
                return
            self._outstanding -= 1
            yield item

    def rest(self) -> Iterator[tuple[int, FileResult]]:
        """Every file not yet given out, waiting for each; then the thread ends."""
        while self._outstanding:
            try:
                # A timeout keeps Ctrl-C answered while waiting.
                item = self._done.get(timeout=_POLL)
            except queue.Empty:
                continue
            self._outstanding -= 1
            yield item
        self.close()

    def close(self) -> None:
        if self._thread is not None:
            self._todo.put(None)
            self._thread = None
            sys.setswitchinterval(self._switch_interval)

    def _match_all(self) -> None:
        with contextlib.suppress(Exception):  # a failure to load is each file's error, in finish_pending
            self._auditor.matcher.load_pipeline()
        while (item := self._todo.get()) is not None:
            index, pending = item
            try:
                # finish_pending turns anything wrong with the file into its error.
                result = finish_pending(pending, self._auditor)
            except BaseException as exc:  # every file must be answered, or rest() would wait for ever
                source = pending.source
                result = FileResult(source.display, source.format, error=f"internal error: {type(exc).__name__}")
            self._done.put((index, result))
