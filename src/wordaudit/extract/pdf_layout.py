"""Page geometry shared by the PDF engines: lines in, reading order and
paragraph boxes out.

An engine only finds a page's text lines and their boxes, turned so the text
runs left to right. Putting them in order and grouping them here, once, is
what makes the two engines number lines alike; it also replaces pdfminer's own
box ordering (``boxes_flow``), which swaps neighbouring list items on ordinary
one-column pages and costs more time than the rest of its layout analysis.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# Lines closer than this (times the line's height) share a box: pdfminer's
# LAParams.line_margin, so boxes come out as pdfminer would make them.
_LINE_MARGIN = 0.5
# Pieces of one visual line are at most this many line heights apart; a list
# marker and its text, further. Columns are further apart than either, or
# pdfminer would have joined them.
_FRAGMENT_GAP = 1.0
_MARKER_GAP = 3.0
# A list marker: a bullet or dash, or a short number, letter or roman numeral
# closed by "." or ")"; then the space before the item's text.
_MARKER = re.compile(r"\s*(?:[^\w\s]{1,2}|\d{1,3}[.)]|[A-Za-z][.)]|[ivxlcIVXLC]{1,5}[.)])\s+")
_OVERLAP = 1.0
# A gap wider than this (times the line height) between two pieces is a space.
_SPACE = 0.15
_WINDOW = 8
# At each X-Y cut, cut at every gap at least this close to the widest one:
# cutting only at the widest costs a level per line on evenly spaced text;
# cutting at every gap would split a two-column page wherever the columns'
# paragraph gaps happen to line up.
_CUT_RATIO = 0.9
# An empty band down a whole region is strong evidence of columns; an empty
# band across it may be paragraph gaps that happen to line up in both
# columns. So a column gap wins against a row gap up to this much wider.
_COLUMN_BIAS = 1.5
_MAX_DEPTH = 60


@dataclass(frozen=True, slots=True)
class TextLine:
    """A line's text and box, turned so the text runs left to right (x grows
    along the text, y up the page). The box spans one em from the font's
    descent, as pdfminer's do, so ``height`` is the font size."""

    text: str
    left: float
    bottom: float
    right: float
    top: float

    @property
    def height(self) -> float:
        return self.top - self.bottom


def text_quadrant(a: float, b: float) -> int:
    """The way a glyph's baseline runs, from the first row (a, b) of its
    matrix: 0, 90, 180 or 270 degrees counter-clockwise from left-to-right."""
    if abs(a) >= abs(b):
        return 0 if a > 0 else 180
    return 90 if b > 0 else 270


def turn(x: float, y: float, quadrant: int) -> tuple[float, float]:
    """(x, y) turned clockwise by ``quadrant`` degrees, so that text running
    that way (see ``text_quadrant``) runs left to right."""
    if quadrant == 90:
        return y, -x
    if quadrant == 180:
        return -x, -y
    if quadrant == 270:
        return -y, x
    return x, y


def marker_length(text: str) -> int:
    """The length of the list marker and spaces ``text`` starts with, or 0."""
    found = _MARKER.match(text)
    return found.end() if found else 0


def _is_marker(text: str) -> bool:
    """Whether ``text`` is a list marker and nothing else."""
    bare = text.strip()
    return bool(bare) and marker_length(bare + " ") == len(bare) + 1


def layout_page(lines: list[TextLine]) -> list[list[TextLine]]:
    """A page's lines, in any order, as boxes in reading order."""
    return group_lines(reading_order(join_fragments(lines)))


def join_fragments(lines: list[TextLine]) -> list[TextLine]:
    """Join pieces of one visual line: a list marker and its item's text, or
    a run pdfminer split off (a link, a no-break space drawn apart).

    pdfminer starts a new line at any gap wider than two glyphs (a tab after
    "•" or "10."); PDFium keeps "• text" as one line, and so does a reader
    counting lines.
    """
    items = sorted(lines, key=_top_to_bottom)
    follower: dict[int, int] = {}
    followed: set[int] = set()
    for i, line in enumerate(items):
        j = _follower(line, items, i)
        if j is not None and j not in followed:
            follower[i] = j
            followed.add(j)
    joined = []
    for start, line in enumerate(items):
        if start in followed:
            continue
        piece = start
        while piece in follower:  # ends: each follower starts further right
            piece = follower[piece]
            line = _merge(line, items[piece])
        joined.append(line)
    return joined


def _follower(line: TextLine, items: list[TextLine], index: int) -> int | None:
    """The index of the piece continuing ``line`` on its right, if any.
    ``items`` is sorted top to bottom, so only near neighbours can qualify."""
    reach = (_MARKER_GAP if _is_marker(line.text) else _FRAGMENT_GAP) * line.height
    best: int | None = None
    for j in range(max(index - _WINDOW, 0), min(index + _WINDOW + 1, len(items))):
        other = items[j]
        gap = other.left - line.right
        if (
            other.left > line.left
            and -_OVERLAP * line.height <= gap <= reach
            and _same_baseline(line, other)
            and (best is None or other.left < items[best].left)
        ):
            best = j
    return best


def _same_baseline(a: TextLine, b: TextLine) -> bool:
    # A marker may be smaller than its text (LibreOffice's bullets are), so
    # compare bottoms with room for the difference in descent.
    return abs(a.bottom - b.bottom) <= 0.25 * max(a.height, b.height)


def _merge(left: TextLine, right: TextLine) -> TextLine:
    tall = left if left.height >= right.height else right
    # The pieces' own spaces say whether a space divides them ("vs." / " Plan");
    # if neither has one, a gap does ("•" / "Lead"), touching glyphs do not
    # ("managing" / ", with").
    spaced = left.text[-1:].isspace() or right.text[:1].isspace()
    apart = right.left - left.right > _SPACE * tall.height
    text = left.text + (" " if apart and not spaced else "") + right.text
    # A list item's box starts where its text does, as a PDFium line's does
    # (see pdfium._measure), so its next line is left-aligned with it.
    start = right.left if _is_marker(left.text) else left.left
    return TextLine(text, start, tall.bottom, right.right, tall.top)


def reading_order(lines: list[TextLine], depth: int = 0) -> list[TextLine]:
    """Recursive X-Y cut: split at the widest empty band across the page or
    down it, and at every band nearly as wide; read the parts top to bottom
    or left to right; recurse into each."""
    if len(lines) < 2 or depth > _MAX_DEPTH:
        return sorted(lines, key=_top_to_bottom)
    rows = _bands(lines, lambda line: (-line.top, -line.bottom))
    columns = _bands(lines, lambda line: (line.left, line.right))
    widest_row = max((gap for gap, _ in rows[1:]), default=0.0)
    widest_column = max((gap for gap, _ in columns[1:]), default=0.0)
    if widest_row <= 0 and widest_column <= 0:
        return sorted(lines, key=_top_to_bottom)
    if widest_column * _COLUMN_BIAS > widest_row:
        bands, widest = columns, widest_column
    else:
        bands, widest = rows, widest_row
    parts: list[list[TextLine]] = []
    for gap, members in bands:
        if parts and gap < _CUT_RATIO * widest:
            parts[-1].extend(members)
        else:
            parts.append(members)
    return [line for part in parts for line in reading_order(part, depth + 1)]


def _bands(
    lines: list[TextLine], span: Callable[[TextLine], tuple[float, float]]
) -> list[tuple[float, list[TextLine]]]:
    """Lines whose spans overlap, banded; each band with the gap before it."""
    bands: list[tuple[float, list[TextLine]]] = []
    reach = 0.0
    for line in sorted(lines, key=span):
        low, high = span(line)
        if bands and low <= reach:
            bands[-1][1].append(line)
            reach = max(reach, high)
        else:
            bands.append((low - reach if bands else 0.0, [line]))
            reach = high
    return bands


def _top_to_bottom(line: TextLine) -> tuple[float, float]:
    return (-line.top, line.left)


def group_lines(lines: list[TextLine]) -> list[list[TextLine]]:
    """Consecutive lines share a box when the second is the first's
    neighbour by pdfminer's rule (LTTextLineHorizontal.find_neighbors):
    close below, the same height, aligned left, right or centre."""
    boxes: list[list[TextLine]] = []
    for line in lines:
        if boxes and _continues(boxes[-1][-1], line):
            boxes[-1].append(line)
        else:
            boxes.append([line])
    return boxes


def _continues(above: TextLine, line: TextLine) -> bool:
    near = _LINE_MARGIN * above.height
    return (
        line.top <= above.top
        and above.bottom - line.top <= near
        and abs(above.height - line.height) <= near
        and (
            abs(line.left - above.left) <= near
            or abs(line.right - above.right) <= near
            or abs(line.left + line.right - above.left - above.right) / 2 <= near
        )
    )
