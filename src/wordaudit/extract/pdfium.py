"""The pypdfium2 engine: text lines from PDFium, over ten times faster.

PDFium (Chrome's PDF library) finds lines but does no layout analysis, and
the order it gives them in is not reliable once a page is turned (/Rotate 90
comes out bottom line first), so only the lines and their boxes are taken
from it; ``pdf_layout`` orders them. Besides the lines it reads each page's
annotations (``pdfium_fields``) and the document's title (``pdf_title``).
pypdfium2 is optional: ``pdf.py`` imports this module only when it is
installed and chosen.
"""

from __future__ import annotations

import ctypes
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Generator, Iterator
from math import hypot
from pathlib import Path
from typing import Any

# pypdfium2 has no type hints; the project's mypy settings may already say so.
import pypdfium2 as pdfium  # type: ignore[import-untyped, unused-ignore]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped, unused-ignore]

from wordaudit import page_screen
from wordaudit.errors import CorruptPdf, EncryptedPdf, ExtractError, UnreadableFile
from wordaudit.extract import pdf_fields, pdf_spacing, pdf_title, pdfium_fields
from wordaudit.extract.pdf_comments import Comment
from wordaudit.extract.pdf_layout import (
    Bounds,
    PageLines,
    SkippedPage,
    TextLine,
    is_thin,
    marker_length,
    text_quadrant,
    turn,
    turn_bounds,
)
from wordaudit.page_screen import PageScreen
from wordaudit.record import record

# PDFium ends lines with CRLF; where it decides a line-end hyphen splits a
# word it drops the break and writes U+FFFE for the hyphen. Both end a line
# here, so lines are numbered as drawn and pdf.py decides about the hyphen.
_LINE_END = re.compile("\r\n|\ufffe")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

# pdfminer boxes a glyph from the font's descent to one em above it; PDFium
# gives the baseline, and a fifth of an em is a typical descent.
_DESCENT = 0.2

# An empty space between words wider than this many ems cuts a PDFium line in
# two. pdfminer cuts at about one em (twice a glyph's width); more here, as a
# glyph PDFium has no text for (an emoji drawn as a picture) leaves a hole.
# Checked only where PDFium's rectangles show a hole, or on lines longer than
# this many ems a character allows, to spare the calls into PDFium: a short
# line (a table row of a few words) with little room, as its check is cheap.
_GUTTER = 2.0
_EM_PER_CHARACTER = 0.65
_EM_PER_CHARACTER_SHORT = 0.4
_SHORT_SPACES = 4
_SPACES = re.compile(r" +")

# How deep in form XObjects drawn inside form XObjects rules are looked for:
# producers draw borders on the page or a form or two down; deeper nesting is
# a damaged or hostile file, and each level is another walk of its objects.
_MAX_FORM_DEPTH = 8
# An affine matrix (a, b, c, d, e, f), as PDF writes one.
_Matrix = tuple[float, float, float, float, float, float]

# FPDF_GetLastError() codes (fpdfview.h).
_ERR_FILE, _ERR_FORMAT, _ERR_PASSWORD, _ERR_SECURITY, _ERR_PAGE = 2, 3, 4, 5, 6

Box = tuple[float, float, float, float]


@record
class _Shape:
    """A line where PDFium found it, unturned: the baseline origin, em size
    and direction of its larger end glyph, and the loose boxes of both ends."""

    quadrant: int
    origin: tuple[float, float]
    size: float
    first: Box
    last: Box


def read_pages(
    path: Path,
    comments: list[Comment] | None = None,
    title: list[str] | None = None,
    screen: PageScreen | None = None,
) -> Generator[list[TextLine], None, None]:
    # Opened by path, PDFium reads the file as it goes instead of loading it
    # whole. With no password it tries the empty one, as pdfminer does.
    document: Any = pdfium.PdfDocument(str(path))
    if title is not None:
        title.append(_title(document))
    forms = pdfium_fields.Forms(document, len(document))
    still_open: list[_OpenPage] = []

    def opened() -> Iterator[_OpenPage]:
        for index in range(len(document)):
            page = _OpenPage(document, index, forms, comments)
            still_open.append(page)
            yield page

    try:
        if screen is None or not screen.active:
            for page in opened():
                yield page.laid_out()
                still_open.remove(page)
            return
        for page, evidence, keep in page_screen.screened(opened(), _OpenPage.text_read, screen):
            if keep:
                yield page.laid_out()
            else:
                page.close()
                yield SkippedPage(evidence.has_text)
            still_open.remove(page)
    finally:
        for page in still_open:  # read ahead, when a page's damage stops the reading
            page.close()


class _OpenPage:
    """A page loaded and its text read, until it is laid out or passed over."""

    def __init__(self, document: Any, index: int, forms: pdfium_fields.Forms, comments: list[Comment] | None) -> None:
        self.page: Any = _load_page(document, index)
        self.textpage: Any = None
        try:
            self.textpage = _upright_textpage(self.page)
            self.text: str = self.textpage.get_text_range()
            notes: list[pdfium_fields.Note] | None = [] if comments is not None else None
            self.shown = pdfium_fields.page_annotations(self.page.raw, forms, notes)
        except BaseException:
            self.close()
            raise
        if comments is not None and notes:
            comments.extend(Comment(index + 1, note.text, note.top, note.left) for note in notes if note.text.strip())

    def text_read(self) -> str:
        """The page's text and its form fields' text, as ``page_screen`` reads them."""
        return "\n".join([self.text, *(shown.text for shown in self.shown)]) if self.shown else self.text

    def close(self) -> None:
        """Free PDFium's native page memory now, not when Python collects the
        wrappers, so a long document stays small."""
        if self.textpage is not None:
            self.textpage.close()
            self.textpage = None
        if self.page is not None:
            self.page.close()
            self.page = None

    def laid_out(self) -> PageLines:
        try:
            found = _measure_lines(self.textpage.raw, self.text)
            drawn = _thin_shapes(self.page.raw)
            # A page of form fields over a scan has no text to tell its turn by: its /Rotate does.
            rotation = pdfium_c.FPDFPage_GetRotation(self.page.raw) if not found else 0
        finally:
            self.close()
        # Turn the whole page by the way most of its lines run, as the pdfminer
        # engine does, so a line running another way cannot reorder the rest.
        most = Counter(shape.quadrant for _, shape in found).most_common(1)
        quadrant = most[0][0] if most else 90 * rotation
        lines = [_upright(piece, shape, quadrant) for piece, shape in found]
        lines.extend([line for shown in self.shown for line in pdf_fields.lines_of(shown, quadrant, lines)])
        return PageLines(lines, [turn_bounds(bounds, quadrant) for bounds in drawn])


def _upright_textpage(page: Any) -> Any:
    """The page's text page, its text read in the order a reader of the text
    would read it.

    PDFium orders text as the page is shown, after its /Rotate. When that
    shows the text upside down (text drawn upright on a page someone turned
    over, /Rotate 180), it reads each line's pieces from the right: "Office
    Clerk Back Job title:". Read as if not turned, the order is the drawing's,
    as pdfminer gives it. A scan fed in upside down and turned back by /Rotate
    shows its text upright, and is left as it is."""
    textpage = page.get_textpage()
    rotation = pdfium_c.FPDFPage_GetRotation(page.raw)
    if not rotation:
        return textpage
    quadrant = _drawn_quadrant(textpage.raw)
    if quadrant is None or (quadrant - 90 * rotation) % 360 != 180:
        return textpage
    textpage.close()
    # The page in memory only: PDFium's page objects, boxes and annotations
    # keep their page coordinates, which /Rotate does not change.
    pdfium_c.FPDFPage_SetRotation(page.raw, quadrant // 90)
    return page.get_textpage()


def _drawn_quadrant(textpage: Any) -> int | None:
    """The way most of the page's first glyphs run as drawn (``text_quadrant``)."""
    matrix = pdfium_c.FS_MATRIX()
    quadrants: Counter[int] = Counter()
    for char in range(min(pdfium_c.FPDFText_CountChars(textpage), _GLYPHS_TO_TURN_BY)):
        if pdfium_c.FPDFText_GetMatrix(textpage, char, matrix):
            quadrants[text_quadrant(matrix.a, matrix.b)] += 1
    return quadrants.most_common(1)[0][0] if quadrants else None


_GLYPHS_TO_TURN_BY = 200


def _title(document: Any) -> str:
    """The Title of the document's Info dictionary, as text; "" when there is none.

    Not pypdfium2's ``get_metadata_value``: it decodes strictly, and half a
    character (a lone surrogate from a damaged UTF-16 string) would cost the
    whole title, where pdfminer leaves that half out. So PDFium's UTF-16 is
    decoded here, as pdfminer decodes, and cut to what a title may hold.
    """
    key = b"Title\0"
    try:
        size = pdfium_c.FPDF_GetMetaText(document.raw, key, None, 0)
        if size <= 2:  # nothing but the terminating NUL
            return ""
        buffer = ctypes.create_string_buffer(size)
        pdfium_c.FPDF_GetMetaText(document.raw, key, buffer, size)
        return buffer.raw[: min(size - 2, pdf_title.MAX_BYTES)].decode("utf-16-le", "ignore")
    except Exception:  # a damaged Info dictionary costs the title, not the pages
        return ""


def _load_page(document: Any, index: int) -> Any:
    """The page, loaded without PDFium's form view of it (``FORM_OnAfterLoadPage``,
    which pypdfium2 calls for a document with a form environment): that view
    builds an interactive handler for every widget and keeps it until the
    document closes (6.7 MB a page of 1,500 text boxes). Field values need no
    view (``pdfium_fields``)."""
    raw = pdfium_c.FPDF_LoadPage(document.raw, index)
    if not raw:
        raise pdfium.PdfiumError("Failed to load page.")
    # Registered with its document, as pypdfium2's own get_page does, so that
    # the page is closed before the document and its form environment.
    add_kid = getattr(document, "_add_kid", None)
    page = pdfium.PdfPage(raw, document if add_kid is not None else None, None)
    if add_kid is not None:
        add_kid(page)
    return page


def library_error(exc: Exception) -> ExtractError | None:
    if not isinstance(exc, pdfium.PdfiumError):
        return None
    code = getattr(exc, "err_code", None)
    if code == _ERR_PASSWORD:
        return EncryptedPdf()
    if code == _ERR_SECURITY:
        return EncryptedPdf("PDF uses an encryption method that cannot be opened")
    if code == _ERR_FILE:
        return UnreadableFile("cannot be read")
    if code == _ERR_FORMAT:
        return CorruptPdf("PDF is damaged: its object structure cannot be parsed")
    if code == _ERR_PAGE:
        return CorruptPdf("PDF is damaged: a page cannot be read")
    return CorruptPdf("PDF is damaged: PDFium cannot read it")


def _thin_shapes(page: Any) -> list[Bounds]:
    """The bounds of the thin paths drawn on the page (``pdf_layout.is_thin``:
    borders, separators, underlines), in page space, inside form XObjects too:
    PDFium's bounds of each path object, which pdf_pdfminer's imitate.

    Two calls into PDFium an object, raw as in ``_measure_lines`` (a page of
    text has a few dozen objects, most of them text): 2 to 4 % of the time
    this engine takes to read a page."""
    found: list[Bounds] = []
    count = pdfium_c.FPDFPage_CountObjects(page)
    _add_thin_shapes(found, [pdfium_c.FPDFPage_GetObject(page, index) for index in range(count)], None, 0)
    return found


def _add_thin_shapes(found: list[Bounds], objects: list[Any], matrix: _Matrix | None, depth: int) -> None:
    """Add to ``found`` the bounds of the thin paths among ``objects``, and
    among the objects of the form XObjects among them, each turned into page
    space by ``matrix`` (None: they are the page's own)."""
    get_type = pdfium_c.FPDFPageObj_GetType
    get_bounds = pdfium_c.FPDFPageObj_GetBounds
    path_type, form_type = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for item in objects:
        kind = get_type(item)
        if kind == path_type:
            if get_bounds(item, left, bottom, right, top):
                bounds = (left.value, bottom.value, right.value, top.value)
                if matrix is not None:
                    bounds = _transformed(bounds, matrix)
                if is_thin(bounds):
                    found.append(bounds)
        elif kind == form_type and depth < _MAX_FORM_DEPTH:
            inner = _form_matrix(item, matrix)
            if inner is not None:
                count = pdfium_c.FPDFFormObj_CountObjects(item)
                children = [pdfium_c.FPDFFormObj_GetObject(item, index) for index in range(max(count, 0))]
                _add_thin_shapes(found, children, inner, depth + 1)


def _form_matrix(form: Any, outer: _Matrix | None) -> _Matrix | None:
    """The matrix from a form XObject's space to page space, the form being
    drawn in ``outer``'s space (None: the page's); None when PDFium has none."""
    raw = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(form, raw):
        return None
    own = (raw.a, raw.b, raw.c, raw.d, raw.e, raw.f)
    if outer is None:
        return own
    a, b, c, d, e, f = own
    oa, ob, oc, od, oe, of = outer
    return (
        a * oa + b * oc,
        a * ob + b * od,
        c * oa + d * oc,
        c * ob + d * od,
        e * oa + f * oc + oe,
        e * ob + f * od + of,
    )


def _transformed(bounds: Bounds, matrix: _Matrix) -> Bounds:
    """The bounds of ``bounds`` mapped by ``matrix``."""
    a, b, c, d, e, f = matrix
    left, bottom, right, top = bounds
    xs = [a * x + c * y + e for x in (left, right) for y in (bottom, top)]
    ys = [b * x + d * y + f for x in (left, right) for y in (bottom, top)]
    return min(xs), min(ys), max(xs), max(ys)


def _split_lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) for each line, U+FFFE turned back into the hyphen it was."""
    start = 0
    for end in _LINE_END.finditer(text):
        stop = end.end() if end.group() == "\ufffe" else end.start()
        yield start, text[start:stop].replace("\ufffe", "-")
        start = end.end()
    yield start, text[start:]


def _utf16_offsets(text: str) -> Callable[[int], int] | None:
    """Python string offsets → PDFium text indexes, which count UTF-16 units;
    None when they are the same (no character outside the BMP)."""
    if not _ASTRAL.search(text):
        return None
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    return lambda offset: offset + bisect_right(astral, offset - 1)


def _measure_lines(textpage: Any, text: str) -> list[tuple[str, _Shape]]:
    """Each line with text, and where PDFium drew its two ends.

    That is eight calls into PDFium a line, and a few more on a line that may
    run across a gutter (see ``holed``). Through pypdfium2's helpers each
    cost about twice the native work (a wrapper to unwrap, a new struct), so
    ``textpage`` is PDFium's raw handle, the raw functions are bound once, and
    one FS_MATRIX and one FS_RECTF are filled again and again, each read out
    at once.
    """
    to_utf16 = _utf16_offsets(text)
    char_index = pdfium_c.FPDFText_GetCharIndexFromTextIndex
    get_matrix = pdfium_c.FPDFText_GetMatrix
    font_size = pdfium_c.FPDFText_GetFontSize
    loose_box = pdfium_c.FPDFText_GetLooseCharBox
    count_rects = pdfium_c.FPDFText_CountRects
    get_rect = pdfium_c.FPDFText_GetRect
    matrix = pdfium_c.FS_MATRIX()
    rect = pdfium_c.FS_RECTF()
    rect_left, rect_top, rect_right, rect_bottom = (ctypes.c_double() for _ in range(4))

    def glyph(char: int) -> tuple[float, float, float, float, float]:
        """The glyph's em size in page units, and its matrix's a, b, e, f."""
        if char < 0 or not get_matrix(textpage, char, matrix):
            return 0.0, 1.0, 0.0, 0.0, 0.0
        # FPDFText_GetFontSize is the size set by Tf; the matrix carries any
        # scaling from the text matrix (some producers set 1 Tf and scale by 12).
        size = float(font_size(textpage, char)) * hypot(matrix.c, matrix.d)
        return size, matrix.a, matrix.b, matrix.e, matrix.f

    def box(char: int) -> Box:
        """The glyph's box over the font's full height (so it does not
        depend on the letter), left, bottom, right, top."""
        if char < 0:
            return (0.0, 0.0, 0.0, 0.0)
        if not loose_box(textpage, char, rect):
            raise pdfium.PdfiumError("Failed to get charbox.")
        return (rect.left, rect.bottom, rect.right, rect.top)

    def chars(head: int, tail: int) -> tuple[int, int]:
        """PDFium's character indexes for two text offsets."""
        if to_utf16 is not None:
            head, tail = to_utf16(head), to_utf16(tail)
        return char_index(textpage, head), char_index(textpage, tail)

    def measure(first: int, last: int) -> _Shape:
        """The shape of the text from character ``first`` to ``last``."""
        # The larger end stands for the line: a sentence may end with a small
        # footnote mark. On a tie, the first.
        size, a, b, e, f = glyph(first)
        other = glyph(last)
        if other[0] > size:
            size, a, b, e, f = other
        quadrant = text_quadrant(a, b)
        first_box = box(first)
        if size <= 0:  # no size known (a Type 3 font, say): the font's height will do
            left, bottom, right, top = first_box
            size = abs(top - bottom) if quadrant in (0, 180) else abs(right - left)
        return _Shape(quadrant, (e, f), size, first_box, box(last))

    def along(left: float, bottom: float, right: float, top: float, quadrant: int) -> tuple[float, float]:
        """Where a box starts and ends along a line running ``quadrant``."""
        if not quadrant:
            return left, right
        ends = turn(left, bottom, quadrant)[0], turn(right, top, quadrant)[0]
        return min(ends), max(ends)

    def holed(first: int, last: int, shape: _Shape) -> bool:
        """Whether PDFium's rectangles for the line (one a text object, and
        producers start one per table cell or column) leave a wide hole."""
        count = count_rects(textpage, first, last - first + 1)
        if count < 2:
            return False
        spans = []
        for index in range(count):
            if not get_rect(textpage, index, rect_left, rect_top, rect_right, rect_bottom):
                return False  # no rectangle to go by: the line stays as PDFium gave it
            corners = rect_left.value, rect_bottom.value, rect_right.value, rect_top.value
            spans.append(along(*corners, shape.quadrant))
        spans.sort()
        reach = spans[0][1]
        for start, end in spans[1:]:
            if start - reach > _GUTTER * shape.size:
                return True
            reach = max(reach, end)
        return False

    def hole(space: int, after: int, quadrant: int) -> float:
        """The empty space along the line before the character at ``after``,
        from the end of the last space (``space``) if it is a real glyph, or
        else of the character before the spaces. PDFium gives a space it
        inserted itself a box with no width, anywhere in the gap."""
        ahead, space = chars(space - 1, space)
        try:
            before = box(space)
            if before[0] == before[2] or before[1] == before[3]:
                before = box(ahead)
            following = box(chars(after, after)[0])
        except pdfium.PdfiumError:
            return 0.0  # a glyph without a box: no cut, the line stays as PDFium gave it
        return along(*following, quadrant)[0] - along(*before, quadrant)[1]

    def closed_up(start: int, piece: str, shape: _Shape) -> str:
        """``piece`` (at text offset ``start``) with letter-spaced letters closed up."""

        def gap(head: int, tail: int) -> float | None:
            try:
                before, after = chars(start + head - 1, start + tail)
                return along(*box(after), shape.quadrant)[0] - along(*box(before), shape.quadrant)[1]
            except pdfium.PdfiumError:
                return None

        return pdf_spacing.close_up(piece, gap, shape.size)

    found = []
    for start, piece in _split_lines(text):
        end = len(piece.rstrip())
        if not end:  # blank: nothing to measure
            continue
        # A list item's box starts where its text does, past the bullet, so
        # that its next line is left-aligned with it and joins its box.
        skip = marker_length(piece)
        if not 0 < skip < end:
            skip = len(piece) - len(piece.lstrip())
        head, tail = start + skip, start + end - 1
        if to_utf16 is not None:
            head, tail = to_utf16(head), to_utf16(tail)
        first, last = char_index(textpage, head), char_index(textpage, tail)
        shape = measure(first, last)
        spaces = piece.count(" ", skip, end)
        if spaces and (_too_long(shape, end - skip, spaces) or holed(first, last, shape)):
            # PDFium runs text on one baseline into one line, across a table's
            # or columns' gutter. Cut it at each wide hole, as pdfminer does,
            # and let pdf_layout join what is only a justified line's spacing.
            cuts = [
                (space.start(), space.end())
                for space in _SPACES.finditer(piece, skip, end)
                if hole(start + space.end() - 1, start + space.end(), shape.quadrant) > _GUTTER * shape.size
            ]
            if cuts:
                # The first part keeps the marker its box leaves out.
                texts = [0, *(edge for cut in cuts for edge in cut), len(piece)]
                boxes = [skip, *texts[1:-1], end]
                for index in range(0, len(texts), 2):
                    head, tail = boxes[index], boxes[index + 1]
                    part = piece[texts[index] : texts[index + 1]]
                    part_shape = measure(*chars(start + head, start + tail - 1))
                    if pdf_spacing.may_be_spaced(part):
                        part = closed_up(start + texts[index], part, part_shape)
                    found.append((part, part_shape))
                continue
        if pdf_spacing.may_be_spaced(piece):
            piece = closed_up(start, piece, shape)
        found.append((piece, shape))
    return found


def _too_long(shape: _Shape, length: int, spaces: int) -> bool:
    """Whether a line is too long for its characters to hold no wide hole
    (text averages about half an em a character; code, 0.6): for producers
    that draw a whole row as one text object."""
    first, last = shape.first, shape.last
    if shape.quadrant:
        xs = [turn(x, y, shape.quadrant)[0] for x, y in (first[:2], first[2:], last[:2], last[2:])]
        span = max(xs) - min(xs)
    else:
        span = max(first[2], last[2]) - min(first[0], last[0])
    allowance = _EM_PER_CHARACTER_SHORT if spaces <= _SHORT_SPACES else _EM_PER_CHARACTER
    return span > (allowance * length + _GUTTER) * shape.size


def _upright(text: str, shape: _Shape, quadrant: int) -> TextLine:
    corners = (shape.first[:2], shape.first[2:], shape.last[:2], shape.last[2:])
    xs = [turn(x, y, quadrant)[0] for x, y in corners]
    bottom = turn(*shape.origin, quadrant)[1] - _DESCENT * shape.size
    return TextLine(text, min(xs), bottom, max(xs), bottom + shape.size)
