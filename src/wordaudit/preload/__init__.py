"""Imported by the worker fork server, never by the scanning process (it
makes Ctrl-C ignored): workers start with wordaudit's modules already
imported, which the server does while the main process goes on.

The modules beside this one import what workers need for one kind of file
(``workers.preloads`` picks them): the server imports them once, where every
worker would otherwise import them again, python-docx alone taking 70 ms.
"""

import signal

from wordaudit import api as _api  # noqa: F401 - imported for its side effect: warm modules
from wordaudit.extract import markdown as _markdown  # noqa: F401

# The fork server gives its children the Ctrl-C handling it had before it
# started serving: ignoring it here makes every worker ignore it from birth.
# The main process alone answers Ctrl-C, and stops the workers itself.
signal.signal(signal.SIGINT, signal.SIG_IGN)
