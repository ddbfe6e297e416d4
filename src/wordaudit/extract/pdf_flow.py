"""Paragraphs that a page break or a column break cut in two, put back together.

A PDF has no paragraphs, only boxes of lines, and a paragraph that runs on
over a page break, or from the foot of one column to the head of the next,
comes out as two boxes: "supports our back" ends one page and "office team,
which..." starts the next. Read apart, the phrase across them is never found.

Two boxes are joined only when their text says that the paragraph runs on:
the first ends on a word broken by a hyphen, or it ends without closing
punctuation and the second starts with a lower-case letter. A heading, a
list item or a new sentence starts with a capital or a marker, so "Questions?
Call back" at the foot of a page and "Office hours..." at the head of the next
stay apart. Over a page break, a capital starts a paragraph's next line too
("reports to the Back" / "Office Manager"): there the boxes are also joined
when the first ends without closing punctuation on a wrapped line (the next
page's first word would not have fitted at its end), of two lines at least,
and the next page's text starts level with it, and its last word is
capitalised too or cannot end a sentence ("the"): a contact line left
without its full stop ("...we will call you back") is not carried on into
"Office hours" at the head of the next page. A short last line, such as a
heading's or a list item's, is not wrapped.

Between the two halves of a page break lie the page's furniture: a running
header, a footer, a page number. A box is taken for furniture when it is one
of the first or last few of its page, short (a footer may have up to four
lines: an address, a company number, the page number; either may have two
more in small print), and either is a page number ("7", "Page 7 of 9", "- 7
-", "ii") or is repeated, digits aside, among the first or last few boxes of
the page before or after, or is the first box and lies in the margin that a
neighbouring page leaves empty (a header shown from page 2 on) without the
text saying it carries a paragraph on, or is set smaller than the body text
and further from it than the paragraphs are from each other (a header or
footer on one page only). A footer on one page only in the body's size is
told by the paragraph above it: that one runs on at the head of the next
page, its last line full, the footer's not. A table's header row repeated
at the head of the next page is furniture too (a short box the page before
shows word for word). The
footnotes at a page's foot are furniture too (small print that runs on at
the head of the next page is not a footnote). Furniture is passed over at a
page break, never dropped: it is still read, and still a place a phrase is
found. The paragraph goes on in the page's first body box in reading order,
or in one that starts higher by more than a line: a table is read column by
column, and the rest of a row cut by the break heads its column, above the
label of the next row that is read first. Likewise the paragraph cut is the
page's last body box, or the box at the foot of the page that lines up with
where the next page resumes and runs on into it: a row's right-hand cell is
read after the middle one that the break cut.

A column break is told by where the next box starts: above where the first
one ended and further right, while nothing of the page lies below the first
box's last line in its column; furniture read between the two (a footer, the
footnotes) does not part them. The cells of one table row start level with
each other, so a cell is never joined to the next cell of its row, unless the
first box is a column long (a paragraph filling column 1 from its head starts
level with the head of column 2).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import pairwise

from wordaudit.extract.pdf_layout import ENDS_CLOSED, TextLine, right_edges, wrapped
from wordaudit.record import record

# How many boxes at each end of a page may be a header or a footer.
_EDGE_BOXES = 3
# Furniture is short: a header or footer of more lines is body text that
# happens to repeat (a table's header row, say), and is not passed over.
_FURNITURE_LINES = 2
# A footer may have more: an address, a company number, the page number.
_FOOTER_LINES = 4
# Either may have two more where it is set smaller than the body text: a
# company, its address and the document's title in 9 pt.
_SMALL_PRINT_LINES = 2
# Small print at a page's edge is furniture when it stands this far apart
# from the body, against the gap between its paragraphs: Word may set a
# footer closer than a paragraph's space after.
_SMALL_PRINT_APART = 0.75
_DIGITS = re.compile(r"\d+")
# A page number as a header or footer shows it: "7", "Page 7 of 9", "- 7 -",
# or in roman numerals, as a document's front matter is numbered ("ii").
_PAGE_NUMBER = re.compile(
    r"[\W_]*(?:page\s*)?(?:#|[ivxlc]{1,6})(?:\s*(?:of|/)\s*(?:#|[ivxlc]{1,6}))?[\W_]*", re.IGNORECASE
)
_LINE_END_HYPHENS = ("-", "\u00ad")
# A header or footer lies further from the body than this many times the gap
# between the page's paragraphs.
_MARGIN_GAP = 1.5
# Footnotes are set smaller than body text: 10 pt under 11 pt in Word's styles.
_NOTE_SIZE = 0.93
_NOTE_MARK = re.compile(r"\s*(?:\d{1,3}|[*\u2020\u2021\u00a7\u00b9\u00b2\u00b3\u2074-\u2079])")
# A page has a few columns, so a few breaks: a hostile page of thousands of
# boxes stepping up and to the right must not have each box compared with
# every line of the page.
_COLUMN_CHECKS = 16
# What may end a line whose sentence goes on (_open_before_capital).
_OPEN_PUNCTUATION = frozenset(",-\u2013\u2014&/")
# Words after which a sentence cannot end (_open_before_capital): articles
# and other determiners, prepositions, conjunctions, relative words,
# auxiliary verbs.
_GO_ON_WORDS = frozenset(
    word
    for group in (
        "a an the our your their its my every each some any no both either neither such",
        "about above across after against along among around as at before behind below beneath beside besides"
        " between beyond by despite during except for from in including inside into like near of on onto outside"
        " over per since than through throughout to toward towards under unlike until upon via with within without",
        "and or nor but because although though while whereas if unless whether",
        "who whom whose which where",
        "is are was were be been being am has have had do does did will would shall should can could may might must",
    )
    for word in group.split()
)
# A box of this many lines at least may fill a column (``_whole_column``):
# more than a table row's cell holds.
_COLUMN_LINES = 8
# Lines that start this close (points) are aligned: one column of a table.
_ALIGNED = 2.0
# A paragraph is joined from at most this many pieces: text with no paragraph
# breaks at all (every page one box running on) must still stream, not become
# one block as long as the document.
_MAX_PIECES = 8


@record
class Box:
    """One box of a page as the reader sees it: its lines that count, their
    text as the matcher reads it, and their number on the page."""

    page: int
    texts: tuple[str, ...]
    lines: tuple[TextLine, ...]
    numbers: tuple[int, ...]
    # Where each line starts in its numbered line (1-based): after the text
    # before it on the same row, a table cell's or a tab stop's value. Empty: 1.
    columns: tuple[int, ...] = ()


def paragraphs(pages: Iterable[Sequence[Box]]) -> Iterator[list[Box]]:
    """Every box of every page, in order, in groups: a group is one paragraph,
    mostly one box, two or more where a break cut it. A group comes out in
    the place of its first box."""
    open_group: list[Box] | None = None  # the last paragraph so far: it may run on
    held: list[list[Box]] = []  # what follows it, to come out after it
    for before, current, after in _with_neighbours(_Page.of(boxes) for boxes in pages):
        page = current.boxes
        header_row = _header_row(current, before)
        furniture = _furniture(current, before, after, open_group[-1] if open_group else None, header_row)
        body = [index for index, is_furniture in enumerate(furniture) if not is_furniture]
        groups = _column_groups(page, body)
        first = _highest(groups, page, body) if body else None
        runs_on = open_group is not None and first is not None and len(open_group) < _MAX_PIECES
        if (
            runs_on
            and open_group is not None
            and first is not None
            and before is not None
            and _runs_on_page(open_group[-1], groups[first][0], before)
            and (not header_row or _same_column(open_group[-1], groups[first][0]))
        ):
            open_group.extend(groups.pop(first))
            last_body = _last_body(groups, page, furniture)
            if last_body is None:  # the page was all one paragraph: it may run on again
                held.extend(groups)
                continue
        if open_group is not None:
            yield open_group
            yield from held
        last_body = _last_body(groups, page, furniture)
        if last_body is None:
            open_group, held = None, []
            yield from groups
            continue
        cut = _cut_group(groups, last_body, current, body, after)
        yield from groups[:cut]
        open_group, held = groups[cut], groups[cut + 1 :]
    if open_group is not None:
        yield open_group
        yield from held


@record
class _Page:
    boxes: Sequence[Box]
    # The boxes that may be furniture, by index: the short ones at either end
    # of the page, each with its text folded for comparison.
    edges: dict[int, str]
    # The furthest right edge of the page's lines by left edge, to tell a wrapped line.
    furthest: dict[int, float]
    # The top of the page's highest line and the bottom of its lowest.
    top: float
    bottom: float
    # The font size most of the page's text is set in.
    body_size: float
    # The gap from each box to the next when that one lies below it, else None.
    gaps: tuple[float | None, ...]
    # The text of every short box, as it is: a table's header row, repeated
    # at the head of the next page, is one of them.
    shorts: frozenset[str]

    @classmethod
    def of(cls, boxes: Sequence[Box]) -> _Page:
        count = len(boxes)
        ends = range(count) if count <= 2 * _EDGE_BOXES else [*range(_EDGE_BOXES), *range(count - _EDGE_BOXES, count)]
        # The last boxes, none of them among the first (a page of few boxes).
        foot = {count - 1, *range(max(count - _EDGE_BOXES, _EDGE_BOXES), count)}
        lines = [line for box in boxes for line in box.lines]
        # By characters, not lines: a header's three short lines in 9 pt
        # outnumber the body's two long ones at the head of a last page.
        sizes: Counter[float] = Counter()
        for line in lines:
            sizes[round(line.height, 1)] += len(line.text)
        body_size = sizes.most_common(1)[0][0] if sizes else 0.0

        def short(index: int) -> bool:
            box = boxes[index]
            most = _FOOTER_LINES if index in foot else _FURNITURE_LINES
            # The page's very first or last box may be a letterhead of
            # several lines in the body's size.
            if index in (0, count - 1) or max(line.height for line in box.lines) <= body_size * _NOTE_SIZE:
                most += _SMALL_PRINT_LINES
            return len(box.texts) <= most

        edges = {i: _folded(boxes[i]) for i in ends if short(i)}
        return cls(
            boxes,
            edges,
            right_edges(lines),
            max((line.top for line in lines), default=0.0),
            min((line.bottom for line in lines), default=0.0),
            body_size,
            tuple(gap if (gap := _bottom(box) - _top(below)) > 0 else None for box, below in pairwise(boxes)),
            frozenset(" ".join(box.texts) for box in boxes if len(box.texts) <= _FURNITURE_LINES),
        )


def _usual_gap(page: _Page, neighbours: list[_Page], index: int) -> float:
    """The lower middle gap between boxes on the page and its neighbours, the
    gap below box ``index`` left out: the spacing of their paragraphs."""
    own = (gap for number, gap in enumerate(page.gaps) if number != index)
    gaps = sorted(gap for gap in (*own, *(g for other in neighbours for g in other.gaps)) if gap is not None)
    return gaps[(len(gaps) - 1) // 2] if gaps else 0.0


def _top(box: Box) -> float:
    return max(line.top for line in box.lines)


def _bottom(box: Box) -> float:
    return min(line.bottom for line in box.lines)


def _with_neighbours(pages: Iterable[_Page]) -> Iterator[tuple[_Page | None, _Page, _Page | None]]:
    """Each page with the one before and the one after it (one page read
    ahead). A page without a box is no neighbour: a blank page, or one not
    laid out (``page_screen``), has no header, footer or margin to compare."""
    before: _Page | None = None
    current: _Page | None = None
    for page in pages:
        if current is not None:
            yield _boxed(before), current, _boxed(page)
        before, current = current, page
    if current is not None:
        yield _boxed(before), current, None


def _boxed(page: _Page | None) -> _Page | None:
    return page if page is not None and page.boxes else None


def _furniture(
    page: _Page, before: _Page | None, after: _Page | None, open_end: Box | None, header_row: set[int]
) -> list[bool]:
    """Which of the page's boxes are furniture. ``open_end`` is the last box of
    the paragraph the page before left open, if any: a box taken for a header
    by where it lies alone is its second half instead where the text says so
    (a lower-case start after no closing punctuation, or a hyphen-broken word).
    ``header_row``: the boxes of a table's header row repeated from the page
    before (``_header_row``)."""
    neighbours = [other for other in (before, after) if other is not None]
    repeated = {text for other in neighbours for text in other.edges.values()}
    flags = [False] * len(page.boxes)
    for index, text in page.edges.items():
        flags[index] = text in repeated or _PAGE_NUMBER.fullmatch(text) is not None
    for index in header_row:
        flags[index] = True
    header = _margin_header(page, neighbours, flags)
    if header is not None and not (open_end is not None and _runs_on(open_end, page.boxes[header])):
        flags[header] = True
    for index in _small_print_edges(page, neighbours, flags, open_end, after):
        flags[index] = True
    for index in _notes(page, flags, after):
        flags[index] = True
    return flags


def _small_print_edges(
    page: _Page, neighbours: list[_Page], flags: list[bool], open_end: Box | None, after: _Page | None
) -> list[int]:
    """The short boxes at the head and at the foot of the page, past its other
    furniture, set smaller than its body text and further from it than its
    paragraphs are from each other: a header or footer that the document
    shows on one page only, where no copy on another page tells it (Word's
    "different first page": a company's registration at the foot of the
    first page, "Job description (continued)" at the head of the next).
    Not where the text says that a paragraph runs on into it, or out of it
    at the head of the next page in its size, as small print does."""
    limit = page.body_size * _NOTE_SIZE
    body = [index for index, flag in enumerate(flags) if not flag]

    def small(index: int) -> bool:
        box = page.boxes[index]
        most = _FURNITURE_LINES + _SMALL_PRINT_LINES
        return len(box.texts) <= most and max(line.height for line in box.lines) <= limit

    def apart(upper: int, share: float = 1.0) -> bool:
        gap = page.gaps[upper] if upper + 1 < len(page.boxes) else None
        return gap is not None and gap > share * _usual_gap(page, neighbours, upper)

    found: list[int] = []
    head = 0
    while head < len(body) - 1 and body[head] in page.edges and small(body[head]):
        head += 1
    if (
        head
        and apart(body[head - 1], _SMALL_PRINT_APART)
        and not (open_end is not None and _runs_on(open_end, page.boxes[body[0]]))
    ):
        found.extend(body[:head])
    else:
        head = 0
    foot = len(body)
    while foot - 1 > head and body[foot - 1] in page.edges and small(body[foot - 1]):
        foot -= 1
    if foot == len(body):
        if len(body) - head >= 2 and _footer_at_body_size(page, body[-2], body[-1], after):
            found.append(body[-1])
        return found
    if not apart(body[foot] - 1, _SMALL_PRINT_APART):
        return found
    if after is None or not _small_print_runs_on(page.boxes[body[-1]], page, after, limit):
        found.extend(body[foot:])
    return found


def _footer_at_body_size(page: _Page, above: int, last: int, after: _Page | None) -> bool:
    """Whether ``last``, a short box at the foot of the page set in the body's
    size, is a footer all the same: the paragraph ``above`` it runs on at the
    head of the next page, its last line wrapped there, and ``last``'s line
    is not. ("…supports our back", then "Acme Ltd, registered in England no.
    0123", then "office team" at the head of page 2: both the paragraph and
    the footer end open, but only the paragraph's line is full.) It need not
    stand apart: Word may set a footer closer to the body than its
    paragraphs are to each other."""
    box, paragraph = page.boxes[last], page.boxes[above]
    following = _resume_box(page, after)
    if following is None or last not in page.edges or len(box.texts) > _FURNITURE_LINES:
        return False
    start = following.lines[0]
    # The footer's line against the page's widest: a centred footer has a
    # left edge of its own, and every line is full against itself.
    widest = {round(box.lines[-1].left): max(page.furthest.values(), default=box.lines[-1].right)}
    return (
        _runs_on_page(paragraph, following, page)
        and wrapped(paragraph.lines[-1], start, page.furthest)
        and not wrapped(box.lines[-1], start, widest)
    )


def _margin_header(page: _Page, neighbours: list[_Page], flags: list[bool]) -> int | None:
    """The page's first box that is not yet furniture, if it sits where a
    header does: above all the text of a neighbouring page, in the margin
    that page leaves empty, and set apart from the next box by more than the
    paragraphs are. A header that a document shows from its second page on
    (Word's "different first page") has no copy on a neighbouring page to be
    known by, in a two-page job description. (Where the header pushes the
    page's body down instead, as LibreOffice lays it out, it is not told from
    a first line followed by a heading.)"""
    index = next((i for i, flag in enumerate(flags) if not flag), None)
    # Two boxes at least below it: a page's only paragraph is no header.
    if index is None or index not in page.edges or index + 2 >= len(page.boxes):
        return None
    box = page.boxes[index]
    below = page.gaps[index]
    apart = max(_MARGIN_GAP * _usual_gap(page, neighbours, index), max(line.height for line in box.lines) / 2)
    if below is not None and below > apart and any(_bottom(box) >= other.top for other in neighbours):
        return index
    return None


def _notes(page: _Page, flags: list[bool], after: _Page | None) -> list[int]:
    """The boxes of the page's footnotes: the run of boxes at its foot (past
    its footer) set smaller than the page's body text, one of them starting
    with a note mark. A paragraph that a page break cuts runs on past them.

    A footnote that a page break cuts goes on at the foot of the next page.
    Small print that goes on at the head of the next page, in its size and
    as its text says (``_runs_on``), is the page's last paragraph instead,
    and runs on there ("* Overtime rates... and back" / "office roles...")."""
    found: list[int] = []
    limit = page.body_size * _NOTE_SIZE
    for index in range(len(page.boxes) - 1, -1, -1):
        if flags[index] and not found:
            continue
        box = page.boxes[index]
        if max(line.height for line in box.lines) > limit:
            break
        found.append(index)
    if not any(_NOTE_MARK.match(page.boxes[i].texts[0]) for i in found):
        return []
    if after is not None and _small_print_runs_on(page.boxes[found[0]], page, after, limit):
        return []
    return found


def _small_print_runs_on(last: Box, page: _Page, after: _Page, limit: float) -> bool:
    """Whether the box of ``after`` where a paragraph goes on (``_resume_box``)
    carries on ``last`` (on ``page``), set no larger than ``limit``."""
    following = _resume_box(page, after)
    if following is None:
        return False
    return max(line.height for line in following.lines) <= limit and _runs_on_page(last, following, page)


def _folded(box: Box) -> str:
    return _DIGITS.sub("#", " ".join(box.texts)).casefold()


def _highest(groups: list[list[Box]], page: Sequence[Box], body: list[int]) -> int:
    """The index of the group at the head of the page, where a paragraph cut
    by the page break goes on: the first body group in reading order, unless
    another starts higher by more than a line. A table is read column by
    column, and the rest of a row cut by the break heads its column, above
    the next row's label that is read first ("People" | "office team,
    which…" below a row that ended "…with the back")."""
    first = _group_of(groups, page[body[0]])
    body_boxes = {id(page[index]) for index in body}
    best, best_top = first, _top(groups[first][0])
    step = max(line.height for line in groups[first][0].lines)
    for index, group in enumerate(groups):
        if id(group[0]) in body_boxes and _top(group[0]) > best_top + step:
            best, best_top = index, _top(group[0])
    return best


def _cut_group(groups: list[list[Box]], last: int, page: _Page, body: list[int], after: _Page | None) -> int:
    """The index of the group that the page break may cut: the page's last
    body group, ``last``; or, where the page ends in a table row read cell by
    cell, the cell at the foot of the page that lines up with where the next
    page's text resumes and that runs on into it (a row of three cells cut by
    the break: the middle one's rest heads its column on the next page, while
    the right-hand cell is read last)."""
    resume = _resume_box(page, after)
    if resume is None:
        return last
    start = resume.lines[0].left

    def aligned(group: list[Box]) -> bool:
        return abs(group[-1].lines[-1].left - start) <= _ALIGNED

    if aligned(groups[last]):
        return last
    foot = min(_bottom(page.boxes[index]) for index in body)
    body_boxes = {id(page.boxes[index]) for index in body}
    for index in range(last - 1, -1, -1):
        group = groups[index]
        end = group[-1].lines[-1]
        if (
            id(group[0]) in body_boxes
            and aligned(group)
            and end.bottom <= foot + end.height / 2
            and _runs_on_page(group[-1], resume, page)
        ):
            return index
    return last


def _resume_box(page: _Page, after: _Page | None) -> Box | None:
    """The box of ``after`` where a paragraph cut at the foot of ``page``
    would go on: the highest past a page number, a header that ``page``
    shows too, or a table's header row repeated."""
    if after is None:
        return None
    repeated = set(page.edges.values())
    header_row = _header_row(after, page)
    best: Box | None = None
    for index, box in enumerate(after.boxes):
        folded = after.edges.get(index)
        if folded is not None and (folded in repeated or _PAGE_NUMBER.fullmatch(folded)):
            continue
        if index in header_row:
            continue
        if best is None or _top(box) > _top(best) + max(line.height for line in best.lines):
            best = box
    return best


def _same_column(last: Box, head: Box) -> bool:
    """Whether ``head`` starts in the column of ``last``. Where a table goes on
    at the head of a page (its header row repeated), a cut cell goes on in
    its own column, and a box in another column starts a new row ("them
    back" in one row's last cell, "office post" the next row's label)."""
    return abs(last.lines[-1].left - head.lines[0].left) <= _ALIGNED


def _header_row(page: _Page, before: _Page | None) -> set[int]:
    """The boxes of a table's header row that ``page`` repeats from ``before``
    where the table goes on: short boxes that ``before`` shows word for word,
    with nothing above them but the page's running header, and the short
    boxes level with them (the row is read cell by cell, column by column,
    and a cell's box on the page before may take in a heading above it)."""
    if before is None:
        return set()
    running = set(before.edges.values())

    def furniture(index: int) -> bool:
        folded = page.edges.get(index)
        return folded is not None and (folded in running or _PAGE_NUMBER.fullmatch(folded) is not None)

    def at_head(index: int) -> bool:
        top = _top(page.boxes[index])
        return all(furniture(other) for other, box in enumerate(page.boxes) if _bottom(box) > top)

    candidates = sorted(
        (index for index, box in enumerate(page.boxes) if len(box.texts) <= _FURNITURE_LINES),
        key=lambda index: -_top(page.boxes[index]),
    )
    found: set[int] = set()
    # Highest first: below the first one that is not at the head, none is.
    for index in candidates[:_COLUMN_CHECKS]:
        if " ".join(page.boxes[index].texts) not in before.shorts:
            continue
        if not at_head(index):
            break
        found.add(index)
    if not found:
        return found
    # Level with one of those, the row's other cells; their own text may not
    # be a box of its own on the page before, where a cell's box can take in
    # the line above it (a heading over the table).
    tops = [(_top(page.boxes[index]), page.boxes[index].lines[0].height) for index in found]
    for index, box in enumerate(page.boxes):
        if index in found or len(box.texts) > _FURNITURE_LINES:
            continue
        if any(abs(_top(box) - top) <= 0.25 * height for top, height in tops):
            found.add(index)
    return found


def _group_of(groups: list[list[Box]], box: Box) -> int:
    return next(index for index, group in enumerate(groups) if group[0] is box)


def _last_body(groups: list[list[Box]], page: Sequence[Box], furniture: list[bool]) -> int | None:
    """The index of the page's last group that is not furniture."""
    is_furniture = {id(box) for box, flag in zip(page, furniture, strict=True) if flag}
    for index in range(len(groups) - 1, -1, -1):
        if id(groups[index][0]) not in is_furniture:
            return index
    return None


def _column_groups(page: Sequence[Box], body: list[int]) -> list[list[Box]]:
    """The page's boxes as groups, a box that a column break cut joined to the box before it."""
    groups: list[list[Box]] = []
    body_set = set(body)
    # The group the last body box ends; furniture read between two columns (a
    # footer, footnotes, between the foot of one and the head of the next)
    # does not part them.
    previous: list[Box] | None = None
    checks = _COLUMN_CHECKS
    for index, box in enumerate(page):
        if index in body_set:
            if checks > 0 and previous is not None and _column_break(previous[-1], box):
                checks -= 1
                if _last_in_column(previous[-1], page, body):
                    previous.append(box)
                    continue
            groups.append([box])
            previous = groups[-1]
        else:
            groups.append([box])
    return groups


def _runs_on(first: Box, second: Box) -> bool:
    """Whether the text says that ``second`` carries on the paragraph ``first`` ends."""
    end, start = first.texts[-1], second.texts[0]
    return breaks_word(end, start) or (not ENDS_CLOSED.search(end) and start[:1].islower())


def _runs_on_page(first: Box, second: Box, page: _Page) -> bool:
    """Whether ``second``, at the head of a page, carries on the paragraph
    ``first`` ends at the foot of ``page``."""
    if _runs_on(first, second):
        return True
    end, start = first.lines[-1], second.lines[0]
    level = abs(start.left - end.left) <= max(end.height, start.height) / 2
    return level and _runs_on_before_capital(first, second, page.furthest)


def _runs_on_before_capital(first: Box, second: Box, furthest: dict[int, float]) -> bool:
    """Whether ``second``, starting with a capital, carries on ``first``: its
    last line is wrapped (``furthest``: the page's right edges), of two lines
    at least, and leaves its sentence open."""
    if len(first.lines) < 2 or ENDS_CLOSED.search(first.texts[-1]) or not second.texts[0][:1].isalpha():
        return False
    return _open_before_capital(first.texts[-1]) and wrapped(first.lines[-1], second.lines[0], furthest)


def _open_before_capital(line: str) -> bool:
    """Whether ``line`` may run on to a word with a capital: it ends on
    punctuation that leaves a sentence open (a comma, a dash), on a
    capitalised word ("reports to the Back" / "Office Manager", a title or a
    name running on), or on a word after which a sentence cannot end
    ("countries where" / "GitLab is active"). A lower-case word or a number
    that can end one ("we will call you back" at the foot of a page, "Office hours
    are..." at the head of the next) ends a paragraph left without its full
    stop, as a contact line often is."""
    words = line.split()
    last = words[-1].strip("\"'\u201c\u201d\u2018\u2019()") if words else ""
    if last[-1:] in _OPEN_PUNCTUATION:
        return True
    return last[:1].isupper() or last.casefold() in _GO_ON_WORDS


def breaks_word(line: str, following: str) -> bool:
    """Whether ``line`` ends on a hyphen that breaks a word running on in
    ``following``. A hyphen after a digit or a space ("10-", "one -") is text."""
    return len(line) >= 2 and line.endswith(_LINE_END_HYPHENS) and line[-2].isalpha() and following[:1].isalpha()


def _column_break(first: Box, second: Box) -> bool:
    """Whether ``second`` may carry on ``first`` at the head of the next column.
    Not before a capital, as over a page break: the next column's head is as
    often a table's header cell ("Place") as a sentence running on."""
    if not _runs_on(first, second):
        return False
    end, start = first.lines[-1], second.lines[0]
    height = max(end.height, start.height)
    higher = start.top > first.lines[0].top + height / 2
    if not (start.bottom > end.top and (higher or _whole_column(first, second))):
        return False  # not higher up: the next box of the same column, or a cell level with it
    return start.left - end.left >= 4 * height


def _whole_column(first: Box, second: Box) -> bool:
    """Whether ``first`` is a column long and ``second`` starts level with its
    head: one paragraph filling a column from its head and running on into
    the next. A table's cells start level too, but a row's cell is not that
    long (and a row below it keeps the cell from being the last in its
    column, ``_last_in_column``)."""
    start, head = second.lines[0], first.lines[0]
    level = abs(start.top - head.top) <= max(start.height, head.height) / 2
    return level and len(first.lines) >= _COLUMN_LINES


def _last_in_column(first: Box, page: Sequence[Box], body: list[int]) -> bool:
    """Whether nothing of the page's body lies below ``first``'s last line in
    its column, and ``first`` is no short cell of a table row: no box to its
    right starts level with it. (A table's last label, "People", lies low in
    its column too, and the rest of the row above it, cut by a page break,
    heads the next column: "office team, which…". A paragraph of columns set
    on one baseline grid may start level with another.)"""
    end, start = first.lines[-1], first.lines[0]
    level = 0.25 * start.height
    if len(first.lines) <= _FURNITURE_LINES and any(
        page[index] is not first
        and abs(page[index].lines[0].top - start.top) <= level
        and page[index].lines[0].left > start.right
        for index in body
    ):
        return False
    return not any(
        line.top < end.bottom and line.left < end.right and line.right > end.left
        for index in body
        for line in page[index].lines
    )
