"""The pdfminer.six engine: text lines from pdfminer's layout analysis.

Pure Python and always installed, but slow. pdfminer finds the lines (it
groups glyphs into words and lines well); ``pdf_layout`` orders them. Besides
the lines it reads each page's annotations (form fields and text boxes,
``pdf_fields``; comments, ``pdf_comments``) and the document's title
(``pdf_title``). Imported only when a PDF is read with this engine.
"""

from __future__ import annotations

import itertools
import logging
import zlib
from collections import Counter
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pdfminer.pdftypes
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import (
    LAParams,
    LTChar,
    LTFigure,
    LTLayoutContainer,
    LTTextLine,
)
from pdfminer.pdfdocument import (
    PDFBaseXRef,
    PDFDocument,
    PDFEncryptionError,
    PDFNoValidXRef,
    PDFPasswordIncorrect,
)
from pdfminer.pdfinterp import PDFGraphicState, PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser, PDFSyntaxError
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psexceptions import PSEOF
from pdfminer.psparser import PSLiteral
from pdfminer.utils import Matrix, PathSegment, decode_text

from wordaudit.errors import CorruptPdf, EncryptedPdf, ExtractError, ResourceLimitExceeded
from wordaudit.extract import pdf_comments, pdf_fields, pdf_spacing, pdf_title
from wordaudit.extract.pdf_comments import Comment
from wordaudit.extract.pdf_layout import Bounds, PageLines, TextLine, is_thin, marker_length, text_quadrant

if TYPE_CHECKING:
    from wordaudit.page_screen import PageScreen

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

# pdfminer logs what it repairs in a damaged file ("Not adding object 4 to
# xref because..."); with no handler configured Python prints that on stderr,
# after the report, where the file's one-line error already says it. A
# handler of its own keeps it there unless logging is configured (--debug).
logging.getLogger("pdfminer").addHandler(logging.NullHandler())

# Only pdfminer's grouping of glyphs into lines (and words) is used: pdf_layout
# orders and boxes the lines. all_texts: the text of form XObjects (LTFigure)
# is grouped too, or it would come out as loose glyphs.
_LAPARAMS = LAParams(boxes_flow=None, all_texts=True)


def read_pages(
    path: Path,
    comments: list[Comment] | None = None,
    title: list[str] | None = None,
    screen: PageScreen | None = None,
) -> Generator[list[TextLine], None, None]:
    # ``screen`` is not used: pdfminer's own reading of a page, which the
    # screen would need first, is most of what a page costs this engine.
    with path.open("rb") as stream:
        # caching=False: a caching document keeps every object it has parsed,
        # so memory would grow with the page count (measured: it does, for no
        # speed gain). The resource manager still caches fonts.
        document = PDFDocument(PDFParser(stream), password="", caching=False)
        _bound_page_search(document, path.stat().st_size)
        if title is not None:
            title.append(_title(document))
        manager = PDFResourceManager(caching=True)
        # No laparams: pdfminer's own analysis would also group the lines into
        # boxes, work pdf_layout does again, and that step is quadratic in
        # overlapping lines (a page drawn 300 times over took six minutes).
        device = _Aggregator(manager)
        interpreter = PDFPageInterpreter(manager, device)
        form = resolve1(document.catalog.get("AcroForm"))
        default_appearance = _text(form.get("DA")) if isinstance(form, dict) else ""
        budget = pdf_fields.Budget()
        for number, page in enumerate(PDFPage.create_pages(document), start=1):
            lines = [_text_line(line) for line in _upright_lines(interpreter, device, page)]
            annotations = _annotations(page, budget)
            lines.extend(_annotation_lines(page, annotations, default_appearance, lines))
            if comments is not None:
                comments.extend(_comments(number, annotations))
            yield PageLines(lines, device.drawn)


class _Aggregator(PDFPageAggregator):
    """pdfminer's page aggregator, keeping of each painted path only its
    bounds, and those only if thin (``pdf_layout.is_thin``): the page's rules.

    A path is bounded as PDFium bounds a path object, so that both engines
    see the same rules: one box for the whole path, however many subpaths it
    has, over every point it names (a curve's control points too), a stroked
    one's reaching a line width past them. pdfminer's own objects for paths
    (LTCurve, LTLine, LTRect) are not made: nothing reads them."""

    def __init__(self, manager: PDFResourceManager) -> None:
        # No laparams: see read_pages.
        super().__init__(manager, laparams=None)
        self.drawn: list[Bounds] = []

    def begin_page(self, page: PDFPage, ctm: Matrix) -> None:
        super().begin_page(page, ctm)
        self.drawn = []

    def paint_path(
        self, gstate: PDFGraphicState, stroke: bool, fill: bool, evenodd: bool, path: Sequence[PathSegment]
    ) -> None:
        bounds = _path_bounds(path, self.ctm, _stroke_width(gstate) if stroke else None)
        if bounds is not None and is_thin(bounds):
            self.drawn.append(bounds)


def _stroke_width(gstate: PDFGraphicState) -> float:
    """The line width on the page; 0, as PDFium takes it, when the file set none that is a number."""
    width = gstate.linewidth
    return float(width) if isinstance(width, int | float) else 0.0


def _path_bounds(path: Sequence[PathSegment], ctm: Matrix | None, stroke_width: float | None) -> Bounds | None:
    """A path's bounds on the page, as PDFium gives them (see ``_Aggregator``);
    ``stroke_width`` is None for a path that is only filled, else its line
    width on the page (pdfminer scales it by the CTM when it is set). None
    for a path with no point."""
    xs = [float(value) for segment in path for value in segment[1::2]]
    ys = [float(value) for segment in path for value in segment[2::2]]
    if not xs or len(xs) != len(ys):
        return None
    left, bottom, right, top = min(xs), min(ys), max(xs), max(ys)
    a, b, c, d, e, f = ctm or (1, 0, 0, 1, 0, 0)
    page_xs = [a * x + c * y + e for x in (left, right) for y in (bottom, top)]
    page_ys = [b * x + d * y + f for x in (left, right) for y in (bottom, top)]
    # A stroke of width 0 is drawn one device pixel wide: PDFium bounds it half a point each side.
    reach = 0.0 if stroke_width is None else stroke_width or 0.5
    return min(page_xs) - reach, min(page_ys) - reach, max(page_xs) + reach, max(page_ys) + reach


class _BoundedXRef:
    """An xref whose list of object numbers ends after ``limit`` of them.

    When a PDF has no page tree, pdfminer looks for pages among every object
    number its xref declares, and a damaged xref stream can declare 2**64 of
    them (a fuzzed 12 KB file would have taken 30 minutes). No file holds more
    objects than it has bytes, so the search stops there.
    """

    def __init__(self, xref: PDFBaseXRef, limit: int) -> None:
        self._xref = xref
        self._limit = limit

    def get_objids(self) -> Iterator[int]:
        return itertools.islice(self._xref.get_objids(), self._limit)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._xref, name)


def _bound_page_search(document: PDFDocument, file_size: int) -> None:
    limit = max(file_size, 10_000)
    document.xrefs = [cast(PDFBaseXRef, _BoundedXRef(xref, limit)) for xref in document.xrefs]


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


def _title(document: PDFDocument) -> str:
    """The Title of the document's Info dictionary, as text; "" when there is none.

    ``document.info`` holds the Info dictionary of each trailer, newest first
    (an incremental update writes a whole new one); the newest is the
    document's, as PDFium takes it.
    """
    try:
        info = document.info[0] if document.info else None
        return _title_text(resolve1(info.get("Title"))) if isinstance(info, dict) else ""
    except Exception:  # a damaged Info dictionary costs the title, not the pages
        return ""


def _title_text(value: object) -> str:
    """A title's PDF string as text, decoded as PDFium decodes it, so that
    both engines read the same title: UTF-16 (either byte order) or UTF-8
    after their byte order mark (PDF 2.0 allows UTF-8), else PDFDocEncoding.
    Bytes that do not decode are left out. A name (/Title /Clerk) or a
    stream is taken as its text, as PDFium takes it; a number, an array or a
    dictionary is no title."""
    if isinstance(value, PSLiteral):
        value = value.name
    elif isinstance(value, PDFStream):
        value = value.get_data()
    if isinstance(value, str):
        return value
    if not isinstance(value, bytes):
        return ""
    raw = value[: pdf_title.MAX_BYTES]
    for mark, codec in ((b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"), (b"\xef\xbb\xbf", "utf-8")):
        if raw.startswith(mark):
            return raw[len(mark) :].decode(codec, "ignore")
    return decode_text(raw)


def _upright_lines(interpreter: PDFPageInterpreter, device: PDFPageAggregator, page: PDFPage) -> list[LTTextLine]:
    """The page's text lines, laid out so that most of its text runs left to right.

    pdfminer applies /Rotate, which is right when the producer drew the text
    turned to compensate, and wrong when it turned an upright page (qpdf
    --rotate, a scanner's landscape setting): the text then runs up or down
    the page and comes out one letter per line. Which case it is shows only
    in the glyphs, so look, and lay the page out again turned if needed.
    """
    interpreter.process_page(page)
    lines = _text_lines(device.get_result())
    quadrant = _text_direction(lines)
    if quadrant:
        page.rotate = (page.rotate + quadrant) % 360
        interpreter.process_page(page)
        lines = _text_lines(device.get_result())
    return lines


def _text_lines(container: LTLayoutContainer) -> list[LTTextLine]:
    """pdfminer's lines of the container's glyphs, then those of its figures."""
    glyphs = [item for item in container if isinstance(item, LTChar)]
    lines: list[LTTextLine] = []
    if glyphs:
        for line in container.group_objects(_LAPARAMS, glyphs):
            if not line.is_empty():
                line.analyze(_LAPARAMS)
                lines.append(line)
    for item in container:
        if isinstance(item, LTFigure):
            lines.extend(_text_lines(item))
    return lines


def _text_direction(lines: list[LTTextLine]) -> int:
    """The way most glyphs on the page run (see ``text_quadrant``)."""
    directions: Counter[int] = Counter()
    for line in lines:
        for char in line:
            if isinstance(char, LTChar):
                directions[text_quadrant(char.matrix[0], char.matrix[1])] += 1
    most = directions.most_common(1)
    return most[0][0] if most else 0


def _text_line(line: LTTextLine) -> TextLine:
    text = line.get_text().rstrip("\n")
    start = _text_start(line, marker_length(text))
    if pdf_spacing.may_be_spaced(text):
        text = _closed_up(line, text)
    return TextLine(text, start, line.y0, line.x1, line.y1)


def _closed_up(line: LTTextLine, text: str) -> str:
    """``text`` with letter-spaced letters closed up (``pdf_spacing``), the
    gaps measured between the glyphs' boxes along the line."""
    ends: dict[int, float] = {}  # a glyph's text offset past its end: its right edge
    starts: dict[int, float] = {}  # a glyph's text offset: its left edge
    offset = 0
    for item in line:
        piece = item.get_text()
        if isinstance(item, LTChar) and piece.strip():
            starts[offset] = float(item.x0)
            ends[offset + len(piece)] = float(item.x1)
        offset += len(piece)

    def gap(head: int, tail: int) -> float | None:
        if head not in ends or tail not in starts:
            return None
        return starts[tail] - ends[head]

    return pdf_spacing.close_up(text, gap, float(line.y1 - line.y0))


def _text_start(line: LTTextLine, skip: int) -> float:
    """Where the line's text starts, past a list marker of ``skip`` characters:
    a list item's box starts there, so its next line is left-aligned with it."""
    seen = 0
    for item in line:
        if seen >= skip and isinstance(item, LTChar):
            return float(item.x0)
        seen += len(item.get_text())
    return float(line.x0)


# How far up a widget's chain of parent fields its value, type and flags are looked for.
_MAX_FIELD_DEPTH = 32


def _annotations(page: PDFPage, budget: pdf_fields.Budget) -> list[object]:
    """The page's annotations, as many as the document's budget allows."""
    annotations = resolve1(page.annots)
    if not isinstance(annotations, list):
        return []
    return [resolve1(reference) for reference in annotations[: budget.take(len(annotations))]]


def _comments(page: int, annotations: list[object]) -> Iterator[Comment]:
    """The reviewers' notes among the page's annotations (``pdf_comments``)."""
    for annotation in annotations:
        if not isinstance(annotation, dict):
            continue
        subtype = resolve1(annotation.get("Subtype"))
        flags = resolve1(annotation.get("F"))
        if not isinstance(subtype, PSLiteral) or subtype.name not in pdf_comments.KINDS:
            continue
        if isinstance(flags, int) and flags & pdf_fields.HIDDEN_FLAGS:
            continue
        text = _text(annotation.get("Contents"))
        if text.strip():
            box = _box(annotation)
            yield Comment(page, text, *((box[3], box[0]) if box is not None else (0.0, 0.0)))


def _box(annotation: dict[str, object]) -> tuple[float, float, float, float] | None:
    """The annotation's rectangle, (left, bottom, right, top); None when it has no sound one."""
    rect = resolve1(annotation.get("Rect"))
    rect = [resolve1(value) for value in rect] if isinstance(rect, list) else None
    if rect is None or len(rect) != 4 or not all(isinstance(v, int | float) for v in rect):
        return None
    return (min(rect[0], rect[2]), min(rect[1], rect[3]), max(rect[0], rect[2]), max(rect[1], rect[3]))


def _annotation_lines(
    page: PDFPage, annotations: list[object], default_appearance: str, text_lines: list[TextLine]
) -> list[TextLine]:
    """The lines of the page's visible form fields and FreeText boxes, placed
    as the page's glyphs are (pdfminer's /Rotate turn, from the media box)."""
    if not annotations:
        return []
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    a, b, c, d, e, f = {
        90: (0, -1, 1, 0, -y0, x1),
        180: (-1, 0, 0, -1, x1, y1),
        270: (0, 1, -1, 0, y1, -x0),
    }.get(page.rotate % 360, (1, 0, 0, 1, -x0, -y0))
    lines = []
    found = (_shown(annotation, default_appearance) for annotation in annotations)
    for shown in pdf_fields.distinct(found):
        left, bottom, right, top = shown.box
        xs = [a * x + c * y + e for x in (left, right) for y in (bottom, top)]
        ys = [b * x + d * y + f for x in (left, right) for y in (bottom, top)]
        placed = pdf_fields.Shown(shown.text, (min(xs), min(ys), max(xs), max(ys)), shown.size, shown.multiline)
        lines.extend(pdf_fields.lines_of(placed, page=text_lines))
    return lines


def _shown(annotation: object, default_appearance: str) -> pdf_fields.Shown | None:
    if not isinstance(annotation, dict):
        return None
    subtype = resolve1(annotation.get("Subtype"))
    kind = subtype.name if isinstance(subtype, PSLiteral) else None
    flags = resolve1(annotation.get("F"))
    if kind not in ("Widget", "FreeText") or (isinstance(flags, int) and flags & pdf_fields.HIDDEN_FLAGS):
        return None
    box = _box(annotation)
    if box is None:
        return None
    if kind == "FreeText":
        # The form's default appearance is for fields: a text box has its own or none.
        text = _text(annotation.get("Contents"))
        size = pdf_fields.font_size(_text(annotation.get("DA")))
        return pdf_fields.Shown(text, box, size, multiline=True) if text.strip() else None
    field = _inherited(annotation)
    field_type = field.get("FT")
    if not (isinstance(field_type, PSLiteral) and field_type.name in ("Tx", "Ch")):
        return None
    field_flags = field.get("Ff")
    flags = field_flags if isinstance(field_flags, int) and field_type.name == "Tx" else 0
    text = _choice_labels(field) if field_type.name == "Ch" else _text(field.get("V"))
    if not text.strip() or flags & pdf_fields.PASSWORD:
        return None
    multiline = bool(flags & pdf_fields.MULTILINE)
    size = pdf_fields.font_size(_text(field.get("DA")) or default_appearance)
    return pdf_fields.Shown(text, box, size, multiline)


def _inherited(widget: dict[str, object]) -> dict[str, object]:
    """A widget's field entries (type, value, flags, appearance), each taken
    from the widget or the nearest parent field that has it."""
    found: dict[str, object] = {}
    node: object = widget
    for _ in range(_MAX_FIELD_DEPTH):
        if not isinstance(node, dict):
            break
        for key in ("FT", "V", "Ff", "DA", "Opt"):
            if key not in found and key in node:
                found[key] = resolve1(node[key])
        node = resolve1(node.get("Parent"))
    return found


def _choice_labels(field: dict[str, object]) -> str:
    """What a choice field shows for its value: the label of each selected
    option ("Back Office" for the export value "BO"), or the value itself
    (text typed into an editable combo box)."""
    value = field.get("V")
    selected = [_text(v) for v in value[:100]] if isinstance(value, list) else [_text(value)]
    labels: dict[str, str] = {}
    options = field.get("Opt")
    for option in options[:1000] if isinstance(options, list) else ():
        pair = resolve1(option)
        if isinstance(pair, list) and len(pair) == 2:
            labels.setdefault(_text(pair[0]), _text(pair[1]))
    return ", ".join(labels.get(choice, choice) for choice in selected if choice)


def _text(value: object) -> str:
    """A PDF text string (or a choice field's list of them) as text."""
    value = resolve1(value)
    if isinstance(value, bytes):
        return decode_text(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ", ".join(text for text in map(_text, value[:100]) if text)
    if isinstance(value, PDFStream):  # a text stream, as a long field value may be
        try:
            return decode_text(value.get_data()[: pdf_fields.MAX_TEXT])
        except Exception:  # a damaged stream: no text, like a missing value
            return ""
    return ""
