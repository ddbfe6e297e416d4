"""A progress bar on stderr for scans that take more than about a second.

Shown only on a terminal; it never touches stdout, where the report goes.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any

_DELAY = 1.0


class ProgressReporter:
    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> ProgressReporter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def update(self, done: int, total: int, path: str, findings: int) -> None:
        if not self.enabled or time.monotonic() - self.started < _DELAY:
            return
        if self._progress is None:
            self._start(total)
        self._progress.update(self._task, completed=done, findings=findings, current=_short(path))

    def _start(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("scanning"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[findings]} findings"),
            TextColumn("{task.completed} files"),
            TimeElapsedColumn(),
            TextColumn("{task.fields[current]}", style="dim"),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._progress.add_task("scan", total=total, findings=0, current="")
        self._progress.start()


def _short(path: str, width: int = 40) -> str:
    return path if len(path) <= width else "…" + path[-(width - 1) :]
