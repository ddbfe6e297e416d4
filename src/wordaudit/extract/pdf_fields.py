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
a font chosen at view time, so a value's wrapping in a multi-line field is
estimated (half an em a character), and a phrase across its wraps is found as
in any paragraph. The variable named ``baseline`` below is the foot of a
line's box, as ``TextLine.bottom`` is. A hidden field, a password, a check box, a button or a
signature shows no prose and is not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wordaudit.extract.pdf_layout import TextLine, turn

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
_TALL = 2.0
_FONT_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s+Tf")
# A page cannot hold more annotations than this worth reading; a hostile file may declare millions.
MAX_ANNOTATIONS = 2000
_MAX_TEXT = 20_000


@dataclass(frozen=True, slots=True)
class Shown:
    """An annotation's text and the box it is drawn in (page space, unturned)."""

    text: str
    box: tuple[float, float, float, float]  # left, bottom, right, top
    size: float  # the font size, 0 when the viewer fits it
    multiline: bool


def font_size(default_appearance: str | None) -> float:
    """The size in a default appearance string ("/Helv 10 Tf 0 g"); 0 when none or auto."""
    if not default_appearance:
        return 0.0
    found = _FONT_SIZE.search(default_appearance)
    return float(found.group(1)) if found else 0.0


def lines_of(shown: Shown, quadrant: int = 0) -> list[TextLine]:
    """The lines ``shown`` draws, turned by ``quadrant`` as the page's text lines are."""
    text = shown.text[:_MAX_TEXT].replace("\r\n", "\n").replace("\r", "\n")
    corners = [turn(x, y, quadrant) for x in shown.box[::2] for y in shown.box[1::2]]
    left, right = min(x for x, _ in corners), max(x for x, _ in corners)
    bottom, top = min(y for _, y in corners), max(y for _, y in corners)
    height = top - bottom
    size = shown.size or (_AUTO_SIZE if shown.multiline else min(_AUTO_SIZE, height * _AUTO_FILL) or _AUTO_SIZE)
    # A box two lines high or more is filled from its top, whatever its flags say:
    # producers leave a text area's Multiline flag unset (LibreOffice does).
    if not shown.multiline and height < _TALL * size:
        rows = [" ".join(text.split())]
        # On the foot of its box, not centred in it as a viewer draws it: a
        # box taller than its label's line sits on that line (a field set in
        # a sentence, a form's "Title: ____"), so the value is read in its row.
        baseline = bottom
    else:
        rows = [row for paragraph in text.split("\n") for row in _wrapped(paragraph, right - left, size)]
        baseline = top - _PADDING - size
    found = []
    for row in rows:
        if row.strip():
            width = min(len(row) * _EM_PER_CHARACTER * size, right - left - 2 * _PADDING)
            found.append(TextLine(row, left + _PADDING, baseline, left + _PADDING + width, baseline + size))
        baseline -= size * _LEADING
    return found


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
