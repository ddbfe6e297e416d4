"""For PDF files when pdfminer is the engine asked for."""

from wordaudit.extract.pdf import preload_engine

preload_engine("pdfminer")
