"""Text that a PDF shows in annotations rather than in its pages' content:
the values typed into a fillable form's fields, and text boxes added on top
of a page (Acrobat's "Add Text", "Fill & Sign": FreeText annotations).

A position description filled in as a PDF form keeps "Back Office Clerk" only
as the value of its "Title" field, which a viewer draws in the field's box;
neither engine's text layer holds it. Each engine reads the annotations (how
differs), and this module turns each into text lines placed in the field's
box, so that ``pdf_layout`` reads them where a person sees them: beside their
label ("Title: Back Office Clerk", one row), in reading order, numbered with
the page's lines.

The lines are placed, not measured: a field's value is drawn by the viewer in
a font chosen at view time. A box under four lines high holds one line, level
with the text beside it (its label, or the sentence the field is set in), or
centred when alone; a taller box is filled from its top, its wrapping
estimated (half an em a character), and a phrase across its wraps is found as
in any paragraph. The variable named ``baseline`` below is the foot of a
line's box, as ``TextLine.bottom`` is. A hidden field, a password, a check
box, a button or a signature shows no prose and is not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from wordaudit.extract.pdf_layout import TextLine, turn
from wordaudit.record import record

# PDF annotation flags (PDF 32000-1, 12.5.3): Invisible, Hidden, NoView.
HIDDEN_FLAGS = 1 | 2 | 32
# The text field flags Multiline (12.7.4.3), bit 13, and Password, bit 14: a
# password field shows asterisks, not its value.
MULTILINE = 1 << 12
PASSWORD = 1 << 13
# The font size a viewer uses where the field says "auto" (0 Tf) in a multi-line
# field, and the most it fits into a one-line field's height (Acrobat's habit).
_AUTO_SIZE = 12.0
_AUTO_FILL = 0.7
_PADDING = 2.0
_LEADING = 1.15
_EM_PER_CHARACTER = 0.5
_TALL = 4.0
_FONT_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s+Tf")
# A page cannot hold more annotations than this worth reading; a hostile file may declare millions.
MAX_ANNOTATIONS = 2000
# Nor a document: a long one with a link on every line (250 a page) would cost
# pdfminer half a millisecond an annotation to look at.
MAX_DOCUMENT_ANNOTATIONS = 20_000
MAX_TEXT = 20_000


@record
class Shown:
    """An annotation's text and the box it is drawn in (page space, unturned)."""

    text: str
    box: tuple[float, float, float, float]  # left, bottom, right, top
    size: float  # the font size, 0 when the viewer fits it
    multiline: bool


class Budget:
    """How many more of a document's annotations may be looked at."""

    def __init__(self) -> None:
        self.left = MAX_DOCUMENT_ANNOTATIONS

    def take(self, count: int) -> int:
        """How many of a page's ``count`` annotations to look at."""
        taken = max(min(count, MAX_ANNOTATIONS, self.left), 0)
        self.left -= taken
        return taken


def distinct(found: Iterable[Shown | None]) -> list[Shown]:
    """The annotations found, each once: a page's list may name one widget twice."""
    return list(dict.fromkeys(shown for shown in found if shown is not None))


def font_size(default_appearance: str | None) -> float:
    """The size in a default appearance string ("/Helv 10 Tf 0 g"); 0 when none or auto."""
    if not default_appearance:
        return 0.0
    found = _FONT_SIZE.search(default_appearance)
    return float(found.group(1)) if found else 0.0


def lines_of(shown: Shown, quadrant: int = 0, page: Sequence[TextLine] = ()) -> list[TextLine]:
    """The lines ``shown`` draws, turned by ``quadrant`` as the page's text
    lines (``page``) are."""
    text = shown.text[:MAX_TEXT].replace("\r\n", "\n").replace("\r", "\n")
    corners = [turn(x, y, quadrant) for x in shown.box[::2] for y in shown.box[1::2]]
    left, right = min(x for x, _ in corners), max(x for x, _ in corners)
    bottom, top = min(y for _, y in corners), max(y for _, y in corners)
    height = top - bottom
    if height <= 0 or right <= left:  # no box (a damaged /Rect): nothing is drawn
        return []
    size = shown.size or (_AUTO_SIZE if shown.multiline else min(_AUTO_SIZE, height * _AUTO_FILL) or _AUTO_SIZE)
    # A box four lines high or more is filled from its top, whatever its flags
    # say: producers leave a text area's Multiline flag unset (LibreOffice does).
    if not shown.multiline and height < _TALL * size:
        row = " ".join(text.split())
        if not row:
            return []
        # Across the box the viewer keeps for it: a field set in a sentence is
        # sized to its value, and the sentence goes on right after the box.
        start, end = left + _PADDING, max(right - _PADDING, left + _PADDING + 1)
        neighbour = _neighbour(left, bottom, right, top, page)
        if neighbour is not None:
            # Level with the text beside the box (its label, or the sentence it
            # is set in), as a person reads it: a piece of that row.
            return [TextLine(row, start, neighbour.bottom, end, neighbour.top)]
        # Alone: centred in its box, as a viewer draws it.
        middle = (bottom + top - size) / 2
        return [TextLine(row, start, middle, end, middle + size)]
    rows = [row for paragraph in text.split("\n") for row in _wrapped(paragraph, right - left, size)]
    baseline = top - _PADDING - size
    found = []
    for row in rows:
        if row.strip():
            width = min(len(row) * _EM_PER_CHARACTER * size, right - left - 2 * _PADDING)
            found.append(TextLine(row, left + _PADDING, baseline, left + _PADDING + width, baseline + size))
        baseline -= size * _LEADING
    return found


def _neighbour(left: float, bottom: float, right: float, top: float, page: Sequence[TextLine]) -> TextLine | None:
    """The page's line nearest the box on its left or its right, its middle
    within the box's height: the label a form puts beside a field, however
    wide the label column, or the sentence a field is set in."""
    best: tuple[float, TextLine] | None = None
    for line in page:
        middle = (line.bottom + line.top) / 2
        if not bottom <= middle <= top:
            continue
        gap = left - line.right if line.right <= left + _PADDING else line.left - right
        if gap >= -_PADDING and (best is None or gap < best[0]):
            best = (gap, line)
    return best[1] if best is not None else None


def _wrapped(paragraph: str, width: float, size: float) -> list[str]:
    """The paragraph broken into rows that fit ``width`` at half an em a character."""
    room = max(int((width - 2 * _PADDING) / (_EM_PER_CHARACTER * size)), 1)
    rows: list[str] = []
    row = ""
    for word in paragraph.split():
        if row and len(row) + 1 + len(word) > room:
            rows.append(row)
            row = word
        else:
            row = f"{row} {word}" if row else word
    rows.append(row)
    return rows
