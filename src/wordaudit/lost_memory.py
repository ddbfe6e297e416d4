"""MemoryErrors that Python could not raise, noted for the file being read.

Out of memory under a worker's cap, a reader's generators are closed as the
MemoryError unwinds; closing one needs a little memory too, and the
MemoryError that raises there can only go to ``sys.unraisablehook``. CPython
then sometimes failed on with another error ("SystemError: error return
without exception set", one memory bomb in ten): reported as an internal
error, or killing the worker, where the file had simply run out of memory.
A worker notes such MemoryErrors (``watch``), and an error that follows one
while a file is read is that file's memory (``lost``).
"""

from __future__ import annotations

import sys
from typing import Any

# What a file whose reading ran out of memory gets, wherever it was caught
# (the worker's pool turns it into the memory-limit error).
OUT_OF_MEMORY = "ran out of memory reading this file"

_lost = False


def watch() -> None:
    """Note, from now on, the MemoryErrors this process cannot raise (in a
    worker: it prints nothing anyway)."""
    sys.unraisablehook = _note


def _note(unraisable: Any) -> None:
    global _lost
    if unraisable.exc_type is not None and issubclass(unraisable.exc_type, MemoryError):
        _lost = True


def lost() -> bool:
    """Whether a MemoryError was lost since ``forget``."""
    return _lost


def forget() -> None:
    """A new file: what an earlier one ran out of is not its own."""
    global _lost
    _lost = False
