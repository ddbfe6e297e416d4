"""For PDF files with the default engine: PDFium when it loads, else pdfminer."""

from wordaudit.extract.pdf import preload_engine

preload_engine("auto")
