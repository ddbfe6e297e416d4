"""For files that will need spaCy: every worker then starts with it loaded."""

from wordaudit.match import preload

preload()
