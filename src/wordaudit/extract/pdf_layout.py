"""Page geometry shared by the PDF engines: lines in, reading order and
paragraph boxes out.

An engine only finds a page's text lines and their boxes, turned so the text
runs left to right. Putting them in order and grouping them here, once, is
what makes the two engines number lines alike; it also replaces pdfminer's own
box ordering (``boxes_flow``), which swaps neighbouring list items on ordinary
one-column pages and costs more time than the rest of its layout analysis.
An engine also gives the bounds of the thin shapes drawn on the page: a
horizontal rule (a table's border, a separator) parts the lines above and
below it (``Rules``).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from operator import attrgetter, itemgetter

from wordaudit.record import field, record

# Lines closer than this (times the line's height) share a box: pdfminer's
# LAParams.line_margin, so boxes come out as pdfminer would make them.
_LINE_MARGIN = 0.5
# Pieces of one visual line are at most this many line heights apart; a list
# marker and its text, further. Columns are further apart than either, or
# pdfminer would have joined them; so are table cells, whose text Word's
# default padding (0.19 cm a side) keeps 0.9 em apart at 12 pt.
_FRAGMENT_GAP = 0.85
_MARKER_GAP = 3.0
# A paragraph's first line is indented this much at most (in its line
# heights): Word's first-line indent, 1.27 cm, is 3 ems at 12 pt and 4 at 9 pt.
_FIRST_LINE_INDENT = 5.0
# A list marker, then the space before the item's text: a bullet or dash; a
# short number, letter or roman numeral closed by "." or ")" or in brackets
# ("(a)", "(iv)"); a clause's number ("1.1", "2.3.1", "1.1."); or a bare
# number ("1"), as Word numbers a list with "%1" and as a footnote starts.
# A number that takes more room than its tab stop leaves ("viii." at a 0.63 cm
# hanging indent) is set with no space at all before the item's capital.
_LIST_NUMBER = r"(?:\d{1,3}|[A-Za-z]|[ivxlcIVXLC]{1,5})"
# Set with no space, only numbers and roman numerals: "A.Smith" is a name.
_WIDE_NUMBER = r"(?:\d{1,3}|[ivxlcIVXLC]{1,5})"
# Markers that read as well as numbers in prose ("12 people", "1.5 days"): a
# bare number, or numbers joined by points with none after the last.
_PLAIN_NUMBER = re.compile(r"\s*\d{1,3}(?:\.\d{1,3}){0,3}\s")
_MARKER = re.compile(
    r"\s*(?:"
    rf"(?:[^\w\s]{{1,2}}|\d{{1,3}}(?:\.\d{{1,3}}){{0,3}}\.?|{_LIST_NUMBER}[.)]|\({_LIST_NUMBER}\))\s+"
    rf"|(?:{_WIDE_NUMBER}[.)]|\({_WIDE_NUMBER}\))(?=[A-Z])"
    r")"
)
_OVERLAP = 1.0
# A gap wider than this (times the line height) between two pieces is a space.
_SPACE = 0.15
_WINDOW = 8
# A row's next cell or column starts this close (in line heights) to where
# the next row's does: the mark of a gutter, not a justified line's spacing.
_ALIGNED_START = 0.15
# A page column's gutter is 4 ems at most (Word's default, half an inch, is
# 3.3 at 11 pt): a cell with more room than that left before the next column
# did not wrap its line (Rows).
_GUTTER_ROOM = 4.0
# How far (in line heights) a full line may be from a stretched one whose
# right edge it shows to be the column's.
_EDGE_SEARCH = 6.0
# Lines of one paragraph are of one size, within this fraction.
_SIZE_TOLERANCE = 0.2
# A heading is this much larger than its text at least (as a fraction of the
# larger): Word's Heading 3 is 12 pt over 11 pt body text.
_SIZE_STEP = 0.06
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
# A column gap this many times wider below a row cut than across the whole
# region: the narrow one was beside a title, not a gutter (_title_over_columns).
_TITLE_GUTTER = 2.0
# How many of the latest boxes a line may continue (group_lines).
# Loose line spacing (line_spacing): a gap recurring this many times, give or
# take this much (in line heights), up to this wide, between lines whose
# heights differ by this fraction at most.
_LOOSE_RUN = 3
_LOOSE_TOLERANCE = 0.08
_LOOSE_MAX = 2.0
_SAME_SIZE = 0.1
_LOOKBACK = 3
# Paragraph ends with a wider gap below that show two-line paragraphs' spacing (_paired_gap).
_PARAGRAPH_ENDS = 2
# What may end a paragraph's (or a label's) last line: closing punctuation, then
# any closing quotes or brackets after it.
ENDS_CLOSED = re.compile(r"[.!?:;\u2026][\"'\u201d\u2019)\]]*\s*$")
# Each pass of join_fragments can bridge one more stretched line of a run of them.
_MAX_PASSES = 20
# A drawn shape thinner than this (points) may be a rule. Bounds are as PDFium
# gives them: a stroked path's reach a line width past each side, so a 1.5 pt
# border (the heaviest of Word's usual ones) is 3 pt thick here; thicker
# shapes are shading, bars and frames.
RULE_THICKNESS = 3.0
# A rule's middle may lie this far (in line heights) above the upper line's
# box or below the lower one's and still be between them: the engines place a
# box differently about the baseline (PDFium a fifth of an em below it,
# pdfminer at the font's descent, which LibreOffice writes as 0), and a table
# border with no cell padding lies at the font's real descent.
_RULE_REACH = 0.3
# What tells a rule from an underline or a strikethrough of the upper line
# (in line heights), which starts with its text and ends with it or its
# trailing space (LibreOffice underlines that; a space is up to 0.6 em, in
# Courier): the rule starts this far left of the upper line's text, as a
# cell's border does by the cell's padding (Word's 0.19 cm is 0.45 em at
# 12 pt; LibreOffice's 0.1 cm, 0.24 em) ...
_RULE_MARGIN = 0.2
# ... or ends this far right of it, as a paragraph's border does past a short
# line. "our back" / "office team", underlined as one link, is one phrase.
_RULE_OVERHANG = 0.75
# A rule starts where the lines' text does or left of it, and runs at least
# as far as the shorter line's text (a paragraph under a narrower table runs
# on past its border), give or take this much (in line heights): the boxes are
# the glyphs' advances.
_RULE_SLACK = 0.1
# Pieces of one rule (a table's border drawn a cell at a time) meet within
# this (points) end to end, and their middles within this across.
_RULE_JOIN = 1.0


@record
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


# A drawn shape's bounds: left, bottom, right, top.
Bounds = tuple[float, float, float, float]


class PageLines(list[TextLine]):
    """A page's text lines, and the bounds of the thin shapes drawn on it
    (``RULE_THICKNESS``), turned as the lines are. An engine that gives a
    plain list of lines gives no shapes."""

    __slots__ = ("drawn",)

    def __init__(self, lines: Iterable[TextLine] = (), drawn: Iterable[Bounds] = ()) -> None:
        super().__init__(lines)
        self.drawn: list[Bounds] = list(drawn)


class SkippedPage(PageLines):
    """A page not laid out: no rule's words stand on it or near it
    (``page_screen``). ``has_text``: whether it has any text all the same."""

    __slots__ = ("has_text",)

    def __init__(self, has_text: bool) -> None:
        super().__init__()
        self.has_text = has_text


def turn_bounds(bounds: Bounds, quadrant: int) -> Bounds:
    """``bounds`` turned as ``turn`` turns a point."""
    if not quadrant:
        return bounds
    left, bottom, right, top = bounds
    (x0, y0), (x1, y1) = turn(left, bottom, quadrant), turn(right, top, quadrant)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def is_thin(bounds: Bounds) -> bool:
    """Whether a shape is thin enough to be a rule, one way or the other: the
    page's text may run either way."""
    left, bottom, right, top = bounds
    return top - bottom <= RULE_THICKNESS or right - left <= RULE_THICKNESS


@record
class _Rule:
    """A horizontal rule: where it starts and ends along the text, and its middle up the page."""

    left: float
    right: float
    middle: float


_MIDDLE = attrgetter("middle")
_LEFT = attrgetter("left")


class Rules:
    """A page's horizontal rules, to ask whether one parts two lines: a thin
    shape drawn between them that runs along both lines' text (_RULE_SLACK),
    and is no underline or strikethrough of the upper line (_RULE_MARGIN).
    "Come back" over "Office hours" in two rows of a bordered table are two
    cells, however the column's widths make the first look wrapped."""

    def __init__(self, drawn: Iterable[Bounds] = ()) -> None:
        rules = [
            _Rule(left, right, (bottom + top) / 2)
            for left, bottom, right, top in drawn
            if _horizontal(top - bottom, right - left)
        ]
        self._rules = sorted(_joined(sorted(rules, key=_MIDDLE)), key=_MIDDLE)
        self._middles = [rule.middle for rule in self._rules]

    def part(self, above: TextLine, below: TextLine) -> bool:
        """Whether a rule lies between ``above`` and the line ``below`` it."""
        if not self._rules:
            return False
        height = above.height
        reach = _RULE_REACH * height
        first = bisect_left(self._middles, below.top - reach)
        last = bisect_right(self._middles, above.bottom + reach)
        if first >= last:  # no rule at that height: most lines, on a page of underlined links
            return False
        slack = _RULE_SLACK * height
        left = min(above.left, below.left) + slack
        right = min(above.right, below.right) - slack
        before = above.left - _RULE_MARGIN * height
        past = above.right + _RULE_OVERHANG * height
        return any(
            rule.left <= left and rule.right >= right and (rule.left <= before or rule.right >= past)
            for rule in self._rules[first:last]
        )


def _horizontal(thickness: float, length: float) -> bool:
    """Whether a shape this thick across the text and this long along it is a
    horizontal rule. Each test fails on a NaN from a broken file."""
    return 0 <= thickness <= RULE_THICKNESS and length > thickness and math.isfinite(length)


def _joined(rules: list[_Rule]) -> list[_Rule]:
    """``rules`` (sorted by their middles) with the pieces of one rule joined:
    those level with each other (within _RULE_JOIN), end to end."""
    joined: list[_Rule] = []
    level: list[_Rule] = []
    for rule in rules:
        if level and rule.middle - level[0].middle > _RULE_JOIN:
            joined.extend(_end_to_end(level))
            level = []
        level.append(rule)
    joined.extend(_end_to_end(level))
    return joined


def _end_to_end(level: list[_Rule]) -> list[_Rule]:
    """Rules level with each other, those that meet end to end joined."""
    joined: list[_Rule] = []
    for rule in sorted(level, key=_LEFT):
        if joined and rule.left <= joined[-1].right + _RULE_JOIN:
            last = joined[-1]
            joined[-1] = _Rule(last.left, max(last.right, rule.right), last.middle)
        else:
            joined.append(rule)
    return joined


def marker_length(text: str) -> int:
    """The length of the list marker and spaces ``text`` starts with, or 0."""
    found = _MARKER.match(text)
    return found.end() if found else 0


def _is_marker(text: str) -> bool:
    """Whether ``text`` is a list marker and nothing else."""
    bare = text.strip()
    return bool(bare) and marker_length(bare + " ") == len(bare) + 1


def _is_note_number(text: str) -> bool:
    """Whether ``text`` is a footnote's number and nothing else: it starts
    the note, a tab or wide space before its text, like a list marker."""
    bare = text.strip()
    return 0 < len(bare) <= 3 and bare.isdigit()


def layout_page(lines: list[TextLine], rules: Rules | None = None) -> list[list[TextLine]]:
    """A page's lines, in any order, as boxes in reading order; ``rules``,
    the page's horizontal rules, part lines."""
    joined = join_fragments(lines)
    return group_lines(reading_order(joined), line_spacing(joined), in_rows(joined), rules)


@record
class Rows:
    """The lines with another line beside them on their baseline: the pieces of
    a table's rows, of label-and-value rows set with a tab stop, or of page
    columns; with the furthest right edge of those pieces by left edge, so that
    a table cell's wrapped line is measured against its column, not against
    body text that starts level with it (Word aligns a table's text so)."""

    ids: frozenset[int] = frozenset()
    furthest: dict[int, float] = field(default_factory=dict)
    # The piece just left of each row piece on its baseline, where there is one.
    left_of: dict[int, TextLine] = field(default_factory=dict)
    # And the piece just right of it.
    right_of: dict[int, TextLine] = field(default_factory=dict)

    def joined(self, line: TextLine, below: TextLine) -> bool:
        """Whether ``below`` carries on the row piece ``line`` in its cell: ``line``
        is wrapped, and does not end a sentence or a label ("Title:"), after which
        no phrase runs on anyway, and the next column shows no new row there."""
        return (
            wrapped(line, below, self.furthest)
            and not ENDS_CLOSED.search(line.text)
            and not self._new_row_beside(line, below)
        )

    def _new_row_beside(self, line: TextLine, below: TextLine) -> bool:
        """Whether a table without borders starts a row at ``below``, a piece
        starting with a capital under the row piece ``line``, with the next
        column's pieces beside both. Measured against the longest label of its
        column, "Come back" looks wrapped over "Office hours"; but the cell had
        room for "Office" before the next column's text: far more room than a
        page column's gutter leaves (_GUTTER_ROOM), or room, where the next
        column's piece beside ``line`` ends its cell too (the piece under it
        would have fitted on it)."""
        first = below.text.lstrip()[:1]
        beside, under = self.right_of.get(id(line)), self.right_of.get(id(below))
        if not (first.isupper() or first.isdigit()) or beside is None or under is None:
            return False
        if not abs(beside.left - under.left) <= _ALIGNED_START * line.height:
            return False
        word = below.text.lstrip().split(" ", 1)[0]
        per_character = (below.right - below.left) / max(len(below.text), 1)
        reach = line.right + (len(word) + 1) * per_character
        if reach < beside.left - _GUTTER_ROOM * line.height:
            return True
        return reach + per_character < beside.left and not wrapped(beside, under, self.furthest)


def in_rows(lines: list[TextLine]) -> Rows:
    found: dict[int, TextLine] = {}
    left_of: dict[int, TextLine] = {}
    right_of: dict[int, TextLine] = {}
    by_baseline = sorted((line for line in lines if _finite(line)), key=lambda line: line.bottom)
    for index, line in enumerate(by_baseline):
        for other in by_baseline[index + 1 : index + 1 + _WINDOW]:
            if not same_baseline(line, other):
                break  # sorted by baseline: none further on shares it
            if other.left >= line.right or line.left >= other.right:
                found[id(line)], found[id(other)] = line, other
                left, right = (line, other) if other.left >= line.right else (other, line)
                nearest = left_of.get(id(right))
                if nearest is None or left.right > nearest.right:
                    left_of[id(right)] = left
                nearest = right_of.get(id(left))
                if nearest is None or right.left < nearest.left:
                    right_of[id(left)] = right
    return Rows(frozenset(found), right_edges(found.values()), left_of, right_of)


@record
class Spacing:
    """How far below a line the next line of its paragraph may start, in line
    heights: _LINE_MARGIN, or more on a page set loosely (``line_spacing``).

    At 1.5 or double line spacing every line of a paragraph lies further below
    the one before than _LINE_MARGIN allows, and each line would be a paragraph
    of its own: "our back" / "office team" across a line end would not be
    found. The wider gap is taken only below a wrapped line, one that ends
    where the next line's first word would not have fitted: below a short
    line (a heading, a list item, a paragraph's last line) it is a paragraph
    break."""

    gap: float = _LINE_MARGIN
    # The furthest right edge of the lines starting at each left edge (whole points).
    furthest: dict[int, float] = field(default_factory=dict)

    def allows(self, above: TextLine, line: TextLine) -> float:
        """The gap allowed between ``above`` and ``line`` below it."""
        return self.gap if self.gap > _LINE_MARGIN and self.wrapped(above, line) else _LINE_MARGIN

    def wrapped(self, line: TextLine, below: TextLine) -> bool:
        """Whether ``below``'s first word would not have fitted at the end of ``line``."""
        return wrapped(line, below, self.furthest)


def right_edges(lines: Iterable[TextLine]) -> dict[int, float]:
    """The furthest right edge of the lines starting at each left edge (whole points)."""
    furthest: dict[int, float] = {}
    for line in lines:
        key = round(line.left)
        furthest[key] = max(furthest.get(key, line.right), line.right)
    return furthest


def wrapped(line: TextLine, below: TextLine, furthest: dict[int, float]) -> bool:
    """Whether ``below``'s first word would not have fitted at the end of
    ``line``, the lines starting where ``line`` does reaching ``furthest``
    (``right_edges``) at most."""
    return _reach(furthest, line.left, line.right) - line.right < _first_word_width(below)


def _wraps_into(line: TextLine, below: TextLine, furthest: dict[int, float]) -> bool:
    """``wrapped``, for a ``below`` that starts left of ``line`` (under its
    marker or first-line indent): the column's right edge is the furthest the
    lines starting where either starts reach. The lines at an indent alone
    may be few: first lines of a short paragraph or two, a numbered heading."""
    right = max(_reach(furthest, line.left, line.right), _reach(furthest, below.left, line.right))
    return right - line.right < _first_word_width(below)


def _reach(furthest: dict[int, float], left: float, default: float) -> float:
    """The furthest right edge of the lines starting at ``left`` (within 2 points), or ``default``."""
    key = round(left)
    return max(furthest.get(other, default) for other in range(key - 2, key + 3))


def _first_word_width(line: TextLine) -> float:
    """About how wide ``line``'s first word and a space before it are."""
    word = line.text.lstrip().split(" ", 1)[0]
    per_character = (line.right - line.left) / max(len(line.text), 1)
    return (len(word) + 1) * per_character


def line_spacing(lines: list[TextLine]) -> Spacing:
    """The page's spacing: loose where, among the lines starting at one left
    edge, the smallest gap that recurs below wrapped lines, to the aligned
    line of the same size, is wider than _LINE_MARGIN and recurs below more
    of them than have the next line close below.

    Below a single-spaced paragraph's last line, a long first word next makes
    the line look wrapped, and the paragraph gap may recur. So a gap counts
    where it is in a chain (the line below wraps too, with the same gap below
    it: a paragraph of three lines at least), as such gaps come one at a
    time; or, for paragraphs of two lines, where the lines that clearly end
    paragraphs at that left edge mostly have a wider gap below them
    (``_paired_gap``). Counted by left edge, loose body text is told apart
    from the single-spaced table cells (as Word's table styles set them) or
    header on its page."""
    items = sorted((line for line in lines if _finite(line)), key=_top_to_bottom)
    measure = Spacing(_LOOSE_MAX, right_edges(items))
    below = _aligned_below(items)
    # Whether a line wraps is the costly test; where no two loose gaps follow
    # each other (most single-spaced pages) neither a chain nor a run of
    # two-line paragraphs can form, and none is made.
    if sum(1 for _, gap in below.values() if gap > _LINE_MARGIN) < _LOOSE_RUN or not any(
        gap > _LINE_MARGIN and (following := below.get(next_index)) is not None and following[1] > _LINE_MARGIN
        for next_index, gap in below.values()
    ):
        return Spacing(_LINE_MARGIN, measure.furthest)
    links: dict[int, tuple[int, float]] = {}  # a wrapped line's index: the next line's, and the gap
    tight: dict[int, int] = {}
    # By left edge: the loose gaps below wrapped lines, and the gaps below lines that are not wrapped.
    wrapped_gaps: dict[int, list[float]] = {}
    ends: dict[int, list[float]] = {}
    # By left edge: how many lines below those wrapped lines start in lower case, and how many with a capital.
    lower: dict[int, int] = {}
    capital: dict[int, int] = {}
    for index, (next_index, gap) in below.items():
        key = round(items[index].left)
        if not measure.wrapped(items[index], items[next_index]):
            ends.setdefault(key, []).append(gap)
        elif gap <= _LINE_MARGIN:
            tight[key] = tight.get(key, 0) + 1
        else:
            links[index] = (next_index, gap)
            wrapped_gaps.setdefault(key, []).append(gap)
            first = items[next_index].text.lstrip()[:1]
            lower[key] = lower.get(key, 0) + first.islower()
            capital[key] = capital.get(key, 0) + first.isupper()
    loose: dict[int, dict[int, float]] = {}
    for index, (next_index, gap) in links.items():
        following = links.get(next_index)
        if following is not None and abs(following[1] - gap) <= _LOOSE_TOLERANCE:
            chain = loose.setdefault(round(items[index].left), {})
            chain[index], chain[next_index] = gap, following[1]
    gaps: list[float] = []
    for key, found in wrapped_gaps.items():
        if capital.get(key) and not lower.get(key):
            # Every line below starts with a capital: one-line paragraphs that
            # fill the line, spaced apart, not the lines of loose paragraphs,
            # some of which go on in lower case.
            continue
        spacing = _recurring_gap(list(loose[key].values()), tight.get(key, 0)) if key in loose else None
        if spacing is None:
            spacing = _paired_gap(found, tight.get(key, 0), ends.get(key, []))
        if spacing is not None:
            gaps.append(spacing)
    return Spacing(min(gaps) + _LOOSE_TOLERANCE if gaps else _LINE_MARGIN, measure.furthest)


def _paired_gap(wrapped_gaps: list[float], tight: int, ends: list[float]) -> float | None:
    """The loose spacing of paragraphs of two lines, where no chain shows it:
    a gap that recurs below wrapped lines while most lines that end
    paragraphs (``ends``, not wrapped) have a wider one below them, as Word's
    spacing after a paragraph adds. On a single-spaced page the lines that
    only look wrapped end paragraphs too, with the same gap below them as
    the rest."""
    gap = _recurring_gap(wrapped_gaps, tight)
    if gap is None:
        return None
    wider = sum(1 for end in ends if end > gap + _LOOSE_TOLERANCE)
    level = sum(1 for end in ends if abs(end - gap) <= _LOOSE_TOLERANCE)
    return gap if wider >= _PARAGRAPH_ENDS and wider > level else None


def _aligned_below(items: list[TextLine]) -> dict[int, tuple[int, float]]:
    """For each line (by index, top to bottom), the next line below it aligned
    left and of its size, and the gap between them in its line heights, when
    that is _LOOSE_MAX at most."""
    found: dict[int, tuple[int, float]] = {}
    for index, line in enumerate(items):
        height = line.height
        if not height > 0:
            continue
        for next_index in range(index + 1, min(index + 1 + _WINDOW, len(items))):
            below = items[next_index]
            if below.top >= line.bottom or abs(below.height - height) > _SAME_SIZE * height:
                continue
            if abs(below.left - line.left) <= _LINE_MARGIN * height:
                gap = (line.bottom - below.top) / height
                if gap <= _LOOSE_MAX:
                    found[index] = (next_index, gap)
                break
            if below.left < line.right and below.right > line.left:
                break  # an indented line between (a wrapped code line's rest): no gap to measure
    return found


def _recurring_gap(gaps: list[float], tight: int) -> float | None:
    """The smallest gap that recurs _LOOSE_RUN times in ``gaps`` and more often
    than ``tight`` lines have the next line close below them, if any."""
    gaps.sort()
    for index in range(len(gaps) - _LOOSE_RUN + 1):
        smallest = gaps[index]
        if gaps[index + _LOOSE_RUN - 1] - smallest <= _LOOSE_TOLERANCE:
            recurring = sum(1 for gap in gaps[index:] if gap - smallest <= _LOOSE_TOLERANCE)
            return smallest if recurring > tight else None
    return None


def _finite(line: TextLine) -> bool:
    return all(math.isfinite(value) for value in (line.left, line.bottom, line.right, line.top))


def join_fragments(lines: list[TextLine]) -> list[TextLine]:
    """Join pieces of one visual line: a list marker and its item's text, a
    run pdfminer split off (a link, a no-break space drawn apart), or the
    words of a justified line stretched wide.

    pdfminer starts a new line at any gap wider than two glyphs (a tab after
    "•" or "10."); PDFium keeps "• text" as one line, and so does a reader
    counting lines.
    """
    joined, again = _join_once(lines)
    # A stretched line is known by the full line beside it, which may itself
    # have been in pieces until this pass: go again while a wide gap is left
    # and the pass joined pieces.
    for _ in range(_MAX_PASSES):
        if not again:
            break
        joined, again = _join_once(joined)
    return joined


def _join_once(lines: list[TextLine]) -> tuple[list[TextLine], bool]:
    """The lines with each piece joined to its follower, and whether another
    pass may join more: a wide gap was bridged, or one is left where pieces
    were joined."""
    items = sorted(lines, key=_top_to_bottom)
    follower: dict[int, int] = {}
    followed: set[int] = set()
    followers, bridged, left_open = _followers(items)
    for i, j in enumerate(followers):
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
    return joined, bridged or (left_open and bool(follower))


def _followers(items: list[TextLine]) -> tuple[list[int | None], bool, bool]:
    """For each line, the index of the piece continuing it on its right, if
    any; whether any is beyond a justified line's wide gap; and whether a
    wide gap is left unbridged. ``items`` is
    sorted top to bottom, so only near neighbours can qualify. A line is
    compared with up to 16 neighbours, so the coordinates are read into lists
    once rather than from the lines for every pair."""
    lefts = [_piece_start(line) for line in items]
    rights = [line.right for line in items]
    bottoms = [line.bottom for line in items]
    heights = [line.height for line in items]
    count = len(items)
    found: list[int | None] = []
    bridged = left_open = False
    for index, line in enumerate(items):
        left, right, bottom, height = lefts[index], rights[index], bottoms[index], heights[index]
        reach = (_MARKER_GAP if _is_marker(line.text) or _is_note_number(line.text) else _FRAGMENT_GAP) * height
        overlap = -_OVERLAP * height
        best: int | None = None
        beyond: int | None = None  # the nearest piece further than ``reach``
        row_right = right  # where the pieces on this baseline end
        ends = [right]  # where each of them ends
        for j in range(max(index - _WINDOW, 0), min(index + _WINDOW + 1, count)):
            other_left = lefts[j]
            # "not >" and "not <=", so that a NaN coordinate (a broken file)
            # fails here as it fails every other test.
            if not other_left > left:
                continue
            # The same baseline. A marker may be smaller than its text
            # (LibreOffice's bullets are), so bottoms are compared with room
            # for the difference in descent.
            limit = reach
            if abs(bottom - bottoms[j]) <= 0.25 * max(height, heights[j]):
                row_right = max(row_right, rights[j])
                ends.append(rights[j])
            elif _script(bottom, height, bottoms[j], heights[j]):
                limit = max(reach, _FRAGMENT_GAP * heights[j])  # a mark's gap is its text's
            else:
                continue
            gap = other_left - right
            if overlap <= gap <= limit:
                if best is None or other_left < lefts[best]:
                    best = j
            elif gap > reach and other_left <= row_right and (beyond is None or other_left < lefts[beyond]):
                beyond = j
        if best is None and beyond is not None:
            if _bridged(items, index, rights[beyond], ends) or _spanned(items, index, beyond):
                best, bridged = beyond, True
            else:
                left_open = True
        found.append(best)
    return found, bridged, left_open


def _script(bottom: float, height: float, other_bottom: float, other_height: float) -> bool:
    """Whether one of two pieces is a superscript or subscript of the other
    (a footnote mark): clearly smaller, and inside the other's height. PDFium
    gives such a mark a line of its own on a turned page; pdfminer, whose
    rule this is, keeps it on the line."""
    if height < other_height:
        bottom, height, other_bottom, other_height = other_bottom, other_height, bottom, height
    margin = 0.25 * height
    return (
        other_height <= 0.8 * height
        and other_bottom >= bottom - margin
        and other_bottom + other_height <= bottom + height + margin
    )


def _bridged(items: list[TextLine], index: int, reach: float, ends: list[float]) -> bool:
    """Whether a wide gap after ``items[index]`` is a justified line's
    stretched space, not a table's or columns' gutter: the line just above or
    below is a full line of the same paragraph, starting no later than this
    piece and ending where a piece of this row ends (``ends``), no sooner
    than the piece past the gap (``reach``: its right edge). Text in cells or
    columns stops short of a gutter, and rarely ends where a full line above
    does. Not only where the row ends: the next column's text may share its
    baseline."""
    line = items[index]
    near = _LINE_MARGIN * line.height
    targets = [end for end in ends if end >= reach - near]
    return any(
        other.left <= line.left + near and any(abs(other.right - end) <= near for end in targets)
        for other in _next_to(items, index)
    )


def _spanned(items: list[TextLine], index: int, beyond: int) -> bool:
    """Whether a wide gap between ``items[index]`` and ``items[beyond]``, the
    piece that resumes the row, is a justified line's stretched space though
    no full line is next to it. In a narrow column a line of two long words
    often sits between two short lines ("behind-the-scenes" / "employees
    careful" / "reconciliation receive."). All these marks together:
    - each side of the gap is one word: justified spacing stretches every
      space of a line alike, so a piece with a plain space in it ("Please
      call back" | "office staff…") is a cell or column, not stretched text;
    - the row ends where a full line of the column nearby ends (justified
      text's right edge);
    - a line just above or below runs across the whole gap (no gutter there);
    - none there starts where the row resumes (as the next cell or column of
      a table, or of a two-column page, does)."""
    line, resumed = items[index], items[beyond]
    if len(line.text.split()) != 1 or len(resumed.text.split()) != 1:
        return False
    aligned = _ALIGNED_START * line.height
    spans = False
    for other in _next_to(items, index):
        if abs(other.left - resumed.left) <= aligned:
            return False
        spans = spans or (other.left <= line.right and other.right >= resumed.left and _same_size(line, other))
    return spans and _column_edge(items, index, resumed.right)


def _column_edge(items: list[TextLine], index: int, reach: float) -> bool:
    """Whether a full line of the same size within a few lines above or
    below ``items[index]`` starts where it does and ends at ``reach``."""
    line = items[index]
    near = _LINE_MARGIN * line.height
    span = _EDGE_SEARCH * line.height
    for step in (1, -1):
        at = index + step
        while 0 <= at < len(items) and abs(items[at].bottom - line.bottom) <= span:
            other = items[at]
            if (
                abs(other.bottom - line.bottom) > near
                and abs(other.left - line.left) <= near
                and abs(other.right - reach) <= near
                and _same_size(line, other)
            ):
                return True
            at += step
    return False


def _next_to(items: list[TextLine], index: int) -> Iterator[TextLine]:
    """The lines just above and below ``items[index]``, as close as lines of
    one paragraph are (``items`` is sorted top to bottom)."""
    line = items[index]
    near = _LINE_MARGIN * line.height
    half = 0.5 * line.height
    for at in range(index + 1, len(items)):
        other = items[at]
        if line.bottom - other.top > near:
            break
        if other.bottom < line.bottom - half:
            yield other
    for at in range(index - 1, -1, -1):
        other = items[at]
        if other.bottom - line.top > near:
            break
        if other.bottom > line.bottom + half:
            yield other


def _same_size(line: TextLine, other: TextLine) -> bool:
    return abs(line.height - other.height) <= _SIZE_TOLERANCE * max(line.height, other.height)


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
    # Each line's spans are worked out once, as a tuple that sorts and bands
    # by C-level item lookups, not once per level and direction by a lambda.
    spans = [(-line.top, -line.bottom, line.left, line.right, index) for index, line in enumerate(lines)]
    return [lines[span[4]] for span in _xy_cut(spans, depth)]


# A line as ``_xy_cut`` sees it: its span across the page (-top, -bottom),
# so that rows sort top first, its span down it (left, right), and its index.
_Spans = tuple[float, float, float, float, int]
_ROW = itemgetter(0, 1)
_COLUMN = itemgetter(2, 3)
_TOP_TO_BOTTOM = itemgetter(0, 2)  # _top_to_bottom


def _xy_cut(lines: list[_Spans], depth: int) -> list[_Spans]:
    if len(lines) < 2 or depth > _MAX_DEPTH:
        return sorted(lines, key=_TOP_TO_BOTTOM)
    rows, widest_row = _bands(lines, 0)
    columns, widest_column = _bands(lines, 2)
    if widest_row <= 0 and widest_column <= 0:
        return sorted(lines, key=_TOP_TO_BOTTOM)
    if widest_column * _COLUMN_BIAS > widest_row and not _title_over_columns(rows, widest_row, widest_column):
        bands, widest = columns, widest_column
    else:
        bands, widest = rows, widest_row
    parts: list[list[_Spans]] = []
    for gap, members in bands:
        if parts and gap < _CUT_RATIO * widest:
            parts[-1].extend(members)
        else:
            parts.append(members)
    ordered: list[_Spans] = []
    for part in parts:
        # A single line is its own order: no call needed.
        ordered.extend(part if len(part) < 2 else _xy_cut(part, depth + 1))
    return ordered


def _title_over_columns(rows: list[tuple[float, list[_Spans]]], widest_row: float, widest_column: float) -> bool:
    """Whether the column gap, narrower than the row gap, is only the side of
    a short title: once the rows are cut apart, a gutter far wider than it
    shows below the title.

    A centred title over two ragged columns may leave a thin empty band down
    the whole page, between column 1's longest line and the title's left
    end; cut there, the title would be read after column 1."""
    if widest_row < widest_column:
        return False  # the column gap is the wider: it won outright, not by _COLUMN_BIAS
    for gap, members in rows:
        if gap >= _CUT_RATIO * widest_row and len(members) > 1:
            _, gutter = _bands(members, 2)
            if gutter > _TITLE_GUTTER * widest_column:
                return True
    return False


def _bands(lines: list[_Spans], low: int) -> tuple[list[tuple[float, list[_Spans]]], float]:
    """Lines whose spans overlap, banded; each band with the gap before it;
    and the widest of those gaps (0 with one band). The span is the items
    ``low`` and ``low + 1``: rows at 0, columns at 2."""
    high = low + 1
    bands: list[tuple[float, list[_Spans]]] = []
    members: list[_Spans] = []
    reach = 0.0
    widest: float | None = None
    for line in sorted(lines, key=_COLUMN if low else _ROW):
        start, end = line[low], line[high]
        if bands and start <= reach:
            members.append(line)
            # Both maxima are kept as the builtin max() would keep them (the
            # first value unless a later one is greater, so a NaN from a
            # broken file is treated alike), without a call per line.
            if end > reach:
                reach = end
        else:
            members = [line]
            if bands:
                gap = start - reach
                if widest is None or gap > widest:
                    widest = gap
                bands.append((gap, members))
            else:
                bands.append((0.0, members))
            reach = end
    return bands, 0.0 if widest is None else widest


def _top_to_bottom(line: TextLine) -> tuple[float, float]:
    return (-line.top, line.left)


def group_lines(
    lines: list[TextLine], spacing: Spacing | None = None, rows: Rows | None = None, rules: Rules | None = None
) -> list[list[TextLine]]:
    """A line joins a box when it is the box's last line's neighbour by
    pdfminer's rule (LTTextLineHorizontal.find_neighbors): close below, the
    same height, aligned left, right or centre.

    Mostly the box is the latest one. In a table row read across, though, a
    cell's wrapped second line comes after the one-line cells beside its
    first; a line alone on its baseline may continue one of the last few
    boxes. A line with others beside it is a new row and may not, or a
    table's columns would read as paragraphs.

    Where both lines have others beside them on their baselines (``rows``:
    table cells, values after a tab stop), the upper one must be wrapped, the
    lower one's first word not fitting at its end: one-line values stacked in
    a column ("Entrance: Back" over "Location: Office 2.14") are rows of their
    own, not a paragraph; so is a piece whose left neighbour on its baseline
    is a label starting a box of its own (a form's next "Desk:").

    A rule drawn between two lines (``rules``: a table's border, a
    separator) parts them, whatever else says they go on.

    ``spacing`` is the page's (``line_spacing``)."""
    spacing = spacing or Spacing()
    rows = rows or Rows()
    rules = rules or Rules()
    boxes: list[list[TextLine]] = []
    starts: set[int] = set()  # the lines that start a box
    for index, line in enumerate(lines):
        alone = not any(
            same_baseline(line, lines[other]) for other in (index - 1, index + 1) if 0 <= other < len(lines)
        )
        for box in boxes[: -_LOOKBACK - 1 if alone else -2 : -1]:
            above = box[-1]
            if (
                _continues(above, line, spacing)
                and not rules.part(above, line)
                and not _size_break(above, line, spacing)
            ):
                if id(line) in rows.ids and id(above) in rows.ids and _new_row(rows, starts, above, line):
                    boxes.append([line])
                    starts.add(id(line))
                else:
                    box.append(line)
                break
        else:
            boxes.append([line])
            starts.add(id(line))
    return boxes


def _size_break(above: TextLine, line: TextLine, spacing: Spacing) -> bool:
    """Whether ``line`` starts a paragraph of another size under a line that
    ends its own: a heading over its text. Word's Heading 2 (13 pt over 11 pt
    body text) has no space after it, and LibreOffice's Heading 2 less than
    half its height, so pdfminer's rule, which takes heights within half a
    line for the same, would join "When to call back" and "Office hours are
    nine to five" into a false phrase. A wrapped line goes on whatever the
    sizes: a paragraph's line may end on a larger mark."""
    return (
        abs(above.height - line.height) > _SIZE_STEP * max(above.height, line.height)
        and _finite(above)
        and _finite(line)
        and not spacing.wrapped(above, line)
    )


def _new_row(rows: Rows, starts: set[int], above: TextLine, line: TextLine) -> bool:
    """Whether ``line``, below the row piece ``above``, starts a row of its
    own: the piece left of it is a label that starts a box (a form's next
    "Desk:"), or ``above`` is not carried on (``Rows.joined``). Only a label:
    beside a column of prose, a paragraph starting in the column to the left
    says nothing of this one."""
    left = rows.left_of.get(id(line))
    label = left is not None and id(left) in starts and left.text.rstrip().endswith(":")
    return label or not rows.joined(above, line)


def same_baseline(line: TextLine, other: TextLine) -> bool:
    return abs(line.bottom - other.bottom) <= 0.25 * max(line.height, other.height)


def _continues(above: TextLine, line: TextLine, spacing: Spacing) -> bool:
    """Whether ``line`` may be the next line of the box ``above`` ends, by
    pdfminer's neighbour rule (close below, the same height, aligned left,
    right or centre), or as the next line of a note or item under its
    marker, or of a paragraph under its indented first line.

    A line below with a marker of its own starts the next item or note,
    however it lines up: the items of a list set without space between them
    start where each other's text does. Any marker in prose ("(1)" at a
    line's start) parts the box there too; no phrase runs on into a marker.
    A plain number ("12 people", "1.5 days", "1 Park Row") reads as well in
    prose or an address as in a list: it goes on where the line, from the
    number on, lines up with ``above`` (``_from_marker``); a hanging indent
    sets an item's number out left of the text above it."""
    near = _LINE_MARGIN * above.height
    if not (
        line.top <= above.top
        and above.bottom - line.top <= spacing.allows(above, line) * above.height
        and abs(above.height - line.height) <= near
    ):
        return False
    skip = 0 if same_baseline(above, line) else marker_length(line.text)
    if skip:
        if not _PLAIN_NUMBER.match(line.text):
            return False
        line = _from_marker(line, skip)
    return (
        abs(line.left - above.left) <= near
        or abs(line.right - above.right) <= near
        or abs(line.left + line.right - above.left - above.right) / 2 <= near
        or (not skip and _under_marker(above, line, spacing.furthest))
        or _under_first_line(above, line, spacing.furthest)
    )


def _from_marker(line: TextLine, skip: int) -> TextLine:
    """``line`` with its box starting at the marker of ``skip`` characters that it leaves out."""
    return TextLine(line.text, _marker_start(line, skip), line.bottom, line.right, line.top)


def _marker_start(line: TextLine, skip: int) -> float:
    """About where the marker of ``skip`` characters that ``line``'s box
    leaves out starts: that many of its characters left of the box."""
    per_character = (line.right - line.left) / max(len(line.text) - skip, 1)
    return line.left - skip * per_character


def _piece_start(line: TextLine) -> float:
    """Where a piece of a line starts: at its marker, if it starts with one
    (the engines start its box past it). A field's run drawn apart, "Page"
    then "2 of 3", is a piece of one line, 0.5 em from the "2"."""
    skip = marker_length(line.text)
    return _marker_start(line, skip) if skip else line.left


def _under_marker(above: TextLine, line: TextLine, furthest: dict[int, float]) -> bool:
    """Whether ``line`` starts under the marker of ``above``: a note or item
    set without a hanging indent ("* Overtime rates differ..." over "office
    is paid..."), whose box starts where its text does, after the marker.
    ``above`` must be wrapped (``_wraps_into``): a numbered heading ("2.3 Call
    back") is short, and the paragraph under it starts left of its text too."""
    if not marker_length(above.text):
        return False
    return 0 < above.left - line.left <= _MARKER_GAP * above.height and _wraps_into(above, line, furthest)


def _under_first_line(above: TextLine, line: TextLine, furthest: dict[int, float]) -> bool:
    """Whether ``above`` is a paragraph's indented first line and ``line``, at
    the margin, its second: Word's first-line indent (1.27 cm, 3 to 4 ems of
    body text) cuts the first line's left edge from the rest, and a short
    last line its right edge too. ``above`` must be wrapped (``_wraps_into``),
    leave its sentence open and be of ``line``'s size: a heading, a one-line
    paragraph or a centred title above a paragraph at the margin is not.
    The other way round, a line indented under one at the margin, is a new
    paragraph's first line, and this says nothing of it. Nor is an item (a
    bullet, a number) a first line: it wraps under its own text or marker
    (``_under_marker``), and the line at the margin below a one-line item of a
    list set without space ("\u2022 ...call them back" over "Office: Leeds")
    starts what follows the list."""
    indent = above.left - line.left
    return (
        not marker_length(above.text)
        and _LINE_MARGIN * above.height < indent <= _FIRST_LINE_INDENT * above.height
        and abs(above.height - line.height) <= _SIZE_STEP * max(above.height, line.height)
        and not ENDS_CLOSED.search(above.text)
        and _wraps_into(above, line, furthest)
    )
