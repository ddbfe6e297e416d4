"""For markdown files: the parser, built as the reader builds it."""

from wordaudit.extract.markdown import preload

preload()
