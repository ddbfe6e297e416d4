"""The pdfminer.six engine: text lines from pdfminer's layout analysis.

Pure Python and always installed, but slow. pdfminer finds the lines (it
groups glyphs into words and lines well); ``pdf_layout`` orders them. Imported
only when a PDF is read with this engine.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Generator, Iterator
from pathlib import Path

import pdfminer.pdftypes
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import (
    LAParams,
    LTChar,
    LTFigure,
    LTLayoutContainer,
    LTPage,
    LTTextBox,
    LTTextLine,
)
from pdfminer.pdfdocument import (
    PDFDocument,
    PDFEncryptionError,
    PDFNoValidXRef,
    PDFPasswordIncorrect,
)
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser, PDFSyntaxError
from pdfminer.psexceptions import PSEOF

from wordaudit.errors import CorruptPdf, EncryptedPdf, ExtractError, ResourceLimitExceeded
from wordaudit.extract.pdf_layout import TextLine, marker_length, text_quadrant

# No real page needs a content stream this large; a flate bomb does.
MAX_STREAM_BYTES = 256 << 20


class _BoundedZlib:
    """Stands in for the ``zlib`` module inside pdfminer: a compressed stream
    is inflated only up to ``MAX_STREAM_BYTES`` (pdfminer would inflate a
    flate bomb whole, gigabytes, before looking at it)."""

    error = zlib.error

    @staticmethod
    def decompress(data: bytes) -> bytes:
        inflater = zlib.decompressobj()
        result = inflater.decompress(data, MAX_STREAM_BYTES)
        if inflater.unconsumed_tail:
            raise ResourceLimitExceeded(
                f"PDF stream would inflate beyond {MAX_STREAM_BYTES >> 20} MB (flate bomb?); not read"
            )
        return result + inflater.flush()

    @staticmethod
    def decompressobj() -> zlib._Decompress:
        return zlib.decompressobj()


pdfminer.pdftypes.zlib = _BoundedZlib  # type: ignore[assignment,attr-defined]

# boxes_flow=None: pdf_layout orders the lines, so skip pdfminer's box
# ordering, the slowest step of its analysis. all_texts: lay out the text of
# form XObjects (LTFigure) too, or it would come out as loose glyphs.
_LAPARAMS = LAParams(boxes_flow=None, all_texts=True)


def read_pages(path: Path) -> Generator[list[TextLine], None, None]:
    with path.open("rb") as stream:
        # caching=False: a caching document keeps every object it has parsed,
        # so memory would grow with the page count (measured: it does, for no
        # speed gain). The resource manager still caches fonts.
        document = PDFDocument(PDFParser(stream), password="", caching=False)
        manager = PDFResourceManager(caching=True)
        device = PDFPageAggregator(manager, laparams=_LAPARAMS)
        interpreter = PDFPageInterpreter(manager, device)
        for page in PDFPage.create_pages(document):
            layout = _upright_layout(interpreter, device, page)
            yield [_text_line(line) for box in _text_boxes(layout) for line in box]


def library_error(exc: Exception) -> ExtractError | None:
    """pdfminer's own exceptions as the user should read them; None for the rest."""
    if isinstance(exc, PDFPasswordIncorrect):
        return EncryptedPdf()
    if isinstance(exc, PDFEncryptionError):
        return EncryptedPdf("PDF uses an encryption method that cannot be opened")
    if isinstance(exc, PSEOF):
        return CorruptPdf("PDF is damaged: the file ends too early (truncated?)")
    if isinstance(exc, PDFNoValidXRef):
        return CorruptPdf("PDF is damaged: no valid cross-reference table")
    if isinstance(exc, PDFSyntaxError):
        return CorruptPdf("PDF is damaged: its object structure cannot be parsed")
    return None


def _upright_layout(
    interpreter: PDFPageInterpreter, device: PDFPageAggregator, page: PDFPage
) -> LTPage:
    """Lay the page out so that most of its text runs left to right.

    pdfminer applies /Rotate, which is right when the producer drew the text
    turned to compensate, and wrong when it turned an upright page (qpdf
    --rotate, a scanner's landscape setting): the text then runs up or down
    the page and comes out one letter per line. Which case it is shows only
    in the glyphs, so look, and lay the page out again turned if needed.
    """
    interpreter.process_page(page)
    layout = device.get_result()
    quadrant = _text_direction(layout)
    if quadrant:
        page.rotate = (page.rotate + quadrant) % 360
        interpreter.process_page(page)
        layout = device.get_result()
    return layout


def _text_direction(layout: LTPage) -> int:
    """The way most glyphs on the page run (see ``text_quadrant``)."""
    directions: Counter[int] = Counter()
    for box in _text_boxes(layout):
        for line in box:
            for char in line:
                if isinstance(char, LTChar):
                    directions[text_quadrant(char.matrix[0], char.matrix[1])] += 1
    most = directions.most_common(1)
    return most[0][0] if most else 0


def _text_line(line: LTTextLine) -> TextLine:
    text = line.get_text().rstrip("\n")
    return TextLine(text, _text_start(line, marker_length(text)), line.y0, line.x1, line.y1)


def _text_start(line: LTTextLine, skip: int) -> float:
    """Where the line's text starts, past a list marker of ``skip`` characters:
    a list item's box starts there, so its next line is left-aligned with it."""
    seen = 0
    for item in line:
        if seen >= skip and isinstance(item, LTChar):
            return float(item.x0)
        seen += len(item.get_text())
    return float(line.x0)


def _text_boxes(container: LTLayoutContainer) -> Iterator[LTTextBox]:
    for item in container:
        if isinstance(item, LTTextBox):
            yield item
        elif isinstance(item, LTFigure):
            yield from _text_boxes(item)
