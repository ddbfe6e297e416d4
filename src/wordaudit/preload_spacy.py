"""Imported by the worker fork server, after ``wordaudit.preload``, when it is
started for files that will need spaCy: every worker then starts with it."""

from wordaudit.match import preload

preload()
