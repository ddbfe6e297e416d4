"""The console script: a plain scan command line goes straight to the scan,
any other to the typer command line (``cli``)."""

from __future__ import annotations

import _thread
import atexit
import os
import signal
import sys
import time
from typing import Any, NoReturn


def main() -> None:
    """The command, then an exit without the interpreter's teardown."""
    from wordaudit.scan_args import read_scan

    keep_ctrl_c()
    options = read_scan(sys.argv[1:])
    try:
        if options is not None:
            from wordaudit.scan_command import run

            code: object = run(**options)  # type: ignore[arg-type]
        else:
            from wordaudit.cli import app

            app()
            code = 0
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt:
        # Before the command's own handling starts (while modules load).
        print("wordaudit: interrupted", file=sys.stderr)
        code = 130
    except BrokenPipeError:
        # The reader of the report stopped reading (`| head`): no traceback,
        # and no second failure when the rest is flushed at the exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    leave(code)


def keep_ctrl_c() -> None:
    """Raise again a Ctrl-C that lands where Python cannot raise it.

    The KeyboardInterrupt of a Ctrl-C that comes while Python runs a callback
    for the interpreter (the weakref callback every import runs to let go of
    its module lock, a ``__del__``) cannot leave that callback: Python printed
    "Exception ignored in: <function _get_module_lock.<locals>.cb ...>" with
    a traceback, dropped the interrupt, and the scan ran on to its end (seen
    once in 40 Ctrl-Cs sent 0.09-0.23 s into a scan). The signal is sent again
    a moment later, from a thread: sent from the hook itself, it would be
    raised in the hook, and lost there in turn.
    """
    report = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
            _thread.start_new_thread(_ctrl_c_again, ())
            return
        report(unraisable)

    sys.unraisablehook = hook


def _ctrl_c_again() -> None:
    time.sleep(_CTRL_C_AGAIN_AFTER)
    os.kill(os.getpid(), signal.SIGINT)


# Long enough for the callback that lost the interrupt to have returned.
_CTRL_C_AGAIN_AFTER = 0.01


def leave(code: object) -> NoReturn:
    """Leave as ``sys.exit(code)`` would, less the interpreter's teardown:
    freeing every module and object took 20 ms, a tenth of a rescan answered
    from the cache. Exit handlers still run (multiprocessing's removes the
    worker server's socket folder), and a failed flush of the report still
    exits with 120, as Python's own exit does."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            status = 120
    os._exit(status)
