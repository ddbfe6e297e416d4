"""Imported by the worker fork server: workers start with wordaudit's modules
already imported, which the server does while the main process goes on."""

import signal

from wordaudit import api as _api  # noqa: F401 - imported for its side effect: warm modules
from wordaudit.extract import markdown as _markdown  # noqa: F401

# The fork server gives its children the Ctrl-C handling it had before it
# started serving: ignoring it here makes every worker ignore it from birth.
# The main process alone answers Ctrl-C, and stops the workers itself.
signal.signal(signal.SIGINT, signal.SIG_IGN)
