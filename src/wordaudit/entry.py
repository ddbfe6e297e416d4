"""The console script: a plain scan command line goes straight to the scan,
any other to the typer command line (``cli``)."""

from __future__ import annotations

import atexit
import os
import sys
from typing import NoReturn


def main() -> None:
    """The command, then an exit without the interpreter's teardown."""
    from wordaudit.scan_args import read_scan

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
