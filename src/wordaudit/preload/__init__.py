"""Imported by the worker fork server, never by the scanning process (it
makes Ctrl-C ignored): workers start with wordaudit's modules already
imported, which the server does while the main process goes on.

The modules beside this one import what workers need for one kind of file
(``workers.preloads`` picks them): the server imports them once, where every
worker would otherwise import them again, python-docx alone taking 70 ms.
"""

import atexit
import contextlib
import gc
import os
import signal
import sys

# The server only imports and forks, and what it imports lives as long as it
# does: the cyclic collector would walk those objects again and again for
# nothing (a tenth of loading spaCy). Workers freeze what they inherit and
# turn it back on (``workers._worker_main``).
gc.disable()

from wordaudit import api as _api  # noqa: E402, F401 - imported for its side effect: warm modules
from wordaudit import pack_yaml as _pack_yaml  # noqa: E402, F401 - each worker parses the rule packs
from wordaudit.extract import markdown as _markdown  # noqa: E402, F401

# The fork server gives its children the Ctrl-C handling it had before it
# started serving: ignoring it here makes every worker ignore it from birth.
# The main process alone answers Ctrl-C, and stops the workers itself.
signal.signal(signal.SIGINT, signal.SIG_IGN)


def _exit_at_once() -> None:
    # The server learns that the scan is over when its pipe to the scanning
    # process closes, and then exits like any Python program: tearing down
    # spaCy, numpy and the rest took 80 ms, all the while holding the scan's
    # stdout and stderr, so a CI step or a pipe reading the report waited that
    # long after wordaudit had finished. The server holds nothing to tidy up.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    os._exit(0)


atexit.register(_exit_at_once)
