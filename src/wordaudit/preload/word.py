"""For Word files: the reader and python-docx, which it imports when it opens a file."""

from docx import package as _package  # noqa: F401 - imported for its side effect: warm modules

from wordaudit.extract import docx as _docx  # noqa: F401
