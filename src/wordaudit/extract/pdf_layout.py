"""The pdfminer.six engine: text boxes from pdfminer's layout analysis.

pdfminer is pure Python and slow, but its layout analysis groups lines into
paragraph-like boxes and orders them column by column, which is what a block
should be. Imported only when a PDF is read with this engine.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Generator, Iterator
from pathlib import Path

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTChar, LTFigure, LTLayoutContainer, LTPage, LTTextBox
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

from wordaudit.errors import CorruptPdf, EncryptedPdf, ExtractError

# boxes_flow 0.5 (pdfminer's default) weighs horizontal position enough that a
# two-column page is read column by column; 0 and above give the same order on
# our fixtures, None (pure top-to-bottom) interleaves the columns.
# all_texts: text inside form XObjects (LTFigure) is grouped into boxes too,
# or it would be lost.
_LAPARAMS = LAParams(boxes_flow=0.5, all_texts=True)


def read_pages(path: Path) -> Generator[list[list[str]], None, None]:
    with path.open("rb") as stream:
        # caching=False: a cached document keeps every object it has parsed,
        # so memory would grow with the page count. Fonts are still cached by
        # the resource manager, which is where caching pays.
        document = PDFDocument(PDFParser(stream), password="", caching=False)
        manager = PDFResourceManager(caching=True)
        device = PDFPageAggregator(manager, laparams=_LAPARAMS)
        interpreter = PDFPageInterpreter(manager, device)
        for page in PDFPage.create_pages(document):
            yield [_box_lines(box) for box in _text_boxes(_upright_layout(interpreter, device, page))]


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
    turn = _text_direction(layout)
    if turn:
        page.rotate = (page.rotate + turn) % 360
        interpreter.process_page(page)
        layout = device.get_result()
    return layout


def _text_direction(layout: LTPage) -> int:
    """The direction most glyphs run in, in degrees counter-clockwise (0, 90,
    180 or 270), from the first two entries of each glyph's matrix."""
    directions: Counter[int] = Counter()
    for box in _text_boxes(layout):
        for line in box:
            for char in line:
                if isinstance(char, LTChar):
                    directions[_quadrant(char.matrix[0], char.matrix[1])] += 1
    most = directions.most_common(1)
    return most[0][0] if most else 0


def _quadrant(a: float, b: float) -> int:
    if abs(a) >= abs(b):
        return 0 if a > 0 else 180
    return 90 if b > 0 else 270


def _text_boxes(container: LTLayoutContainer) -> Iterator[LTTextBox]:
    # The layout puts boxes first, in reading order, then figures; a figure's
    # own boxes therefore follow the page's running text.
    for item in container:
        if isinstance(item, LTTextBox):
            yield item
        elif isinstance(item, LTFigure):
            yield from _text_boxes(item)


def _box_lines(box: LTTextBox) -> list[str]:
    return [line.get_text() for line in box]
