"""Imported by the worker fork server: workers start with the engine and spaCy
already loaded, and the server loads them while the main process is still
discovering files."""

import signal

from wordaudit import api as _api  # noqa: F401 - imported for its side effect: warm modules
from wordaudit.extract import markdown as _markdown  # noqa: F401
from wordaudit.match import preload

# The fork server gives its children the Ctrl-C handling it had before it
# started serving: ignoring it here makes every worker ignore it from birth.
# The main process alone answers Ctrl-C, and stops the workers itself.
signal.signal(signal.SIGINT, signal.SIG_IGN)
preload()
