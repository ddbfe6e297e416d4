"""Imported by the worker fork server: workers start with the engine and spaCy
already loaded, and the server loads them while the main process is still
discovering files."""

from wordaudit import api as _api  # noqa: F401 - imported for its side effect: warm modules
from wordaudit.extract import markdown as _markdown  # noqa: F401
from wordaudit.match import preload

preload()
