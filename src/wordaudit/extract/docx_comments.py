"""Suppression comments in Word: HR marks an intended use in Word itself.

A comment whose first line reads ``wordaudit: ignore back-office`` (several rules:
``wordaudit: ignore back-office, back-line``; none: every rule) suppresses those
rules' findings in the text it is anchored on. Such a comment is an instruction, not
prose: it is never scanned, whatever ``docx-comments`` says, and the lines after the
first (a reason, say) belong to it. "Wordaudit" matches too: Word capitalises the first
letter of a comment as it is typed.

The anchor is the range from the comment's ``w:commentRangeStart`` to its
``w:commentRangeEnd`` (same ``w:id``), placed as findings are: ``line`` the paragraph
number in reading order, ``column`` the offset in the paragraph + 1. A comment without
a range, or with an empty one, covers the paragraph holding its ``w:commentReference``.
A range mark between paragraphs (the schema allows one there) binds to its neighbour: a
start to the beginning of the paragraph after it, an end to the end of the one before.

An image's alt text, a link's ScreenTip and a chart's or a SmartArt graphic's text are
read as paragraphs of their own after every story (``wordaudit.extract.docx``), yet HR
comments on the picture, the link's text or the graphic. So each such paragraph hangs on
where what it describes stands in its story paragraph, ``column`` the offset there + 1:

- a picture or a graphic is a point, where its ``wp:docPr``, ``c:chart`` or
  ``dgm:relIds`` stands. A comment whose extent holds that point, both ends included,
  covers the whole paragraph hung on it too: a comment on a picture alone has an empty
  range and so covers the paragraph holding its reference, in which a picture at the
  very end stands at the paragraph's length + 1;
- a link is the range of its text (a field's result), first character to last. A
  comment whose extent holds any of those characters covers the link's ScreenTip: one
  on the last word of the link's text does, one ending just before the link or starting
  just after it does not. A link with no text is a point where it stands.

Where comments are anchored is known only once every story has been read, so each
becomes one ``wordaudit-ignore-range RULES`` directive block after the last paragraph;
``wordaudit.suppress`` describes how the block encodes the range. A comment covering
hung paragraphs is still one block, so that it counts as used when any of its ranges
suppresses something: each paragraph is a further range, a pair of segments past the
block's text, the k-th (k = 1, 2...) at ``len(text) + 2k - 1`` (line L, column 1) and
``len(text) + 2k`` (line L, column length + 1).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from wordaudit.extract.ooxml import W
from wordaudit.model import Block, Segment
from wordaudit.record import record

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

    from wordaudit.extract.docx import Paragraph

_IGNORE = re.compile(r"\s*wordaudit:\s*ignore(?![\w-])(.*)", re.IGNORECASE)
_START, _END, _REFERENCE = W + "commentRangeStart", W + "commentRangeEnd", W + "commentReference"
_W_P, _W_ID = W + "p", W + "id"
_MARKS = frozenset((_START, _END, _REFERENCE))


def ignored_rules(text: str) -> str | None:
    """The rules a suppression comment names ("" for every rule); None for any other comment."""
    found = _IGNORE.fullmatch(text.partition("\n")[0])
    # A full stop typed out of habit is not part of a rule id.
    return None if found is None else found.group(1).strip(" \t.").lower()


@record
class _Mark:
    line: int
    column: int
    length: int  # of the paragraph the mark is in
    where: str


@record(frozen=False)
class _Anchor:
    rules: str
    start: _Mark | None = None
    end: _Mark | None = None
    reference: _Mark | None = None

    def extent(self) -> tuple[_Mark, tuple[int, int]] | None:
        """Where the covered text starts, and the (line, column) just past its end."""
        start, end = self.start, self.end
        if start is not None and end is not None and (start.line, start.column) < (end.line, end.column):
            return start, (end.line, end.column)
        # No range, an empty one, or one whose other end is in text that is not read.
        mark = self.reference or start or end
        if mark is None:
            return None
        return _Mark(mark.line, 1, mark.length, mark.where), (mark.line, mark.length + 1)


Place = tuple[int, int]  # (line, column), ordered as the document reads


@record
class _Hung:
    """A paragraph read beside the stories (alt text, a ScreenTip) and where what it
    describes stands in a story: from ``start`` to just before ``end``, the same
    place for a point (a picture)."""

    start: Place
    end: Place
    line: int
    length: int
    where: str

    def overlaps(self, start: Place, end: Place) -> bool:
        """Whether a comment from ``start`` to just before ``end`` covers this paragraph."""
        if self.start == self.end:
            # A picture (or a link with no text) has no character a range could hold,
            # so a range touching it counts.
            return start <= self.start <= end
        # A link's text: the comment must hold one of its characters, or a comment on
        # the words just before or after the link would cover its ScreenTip.
        return start < self.end and self.start < end


class Anchors:
    """The suppression comments of a document, and where each is anchored, learnt
    paragraph by paragraph as the reader walks the stories."""

    def __init__(self, comments: Iterable[tuple[str, str]] = ()) -> None:
        """``comments``: (``w:id``, text) of every comment, in Word's order."""
        self._anchors: dict[str, _Anchor] = {}
        for comment_id, text in comments:
            rules = ignored_rules(text)
            if rules is not None:
                self._anchors.setdefault(comment_id, _Anchor(rules))
        # Where each image (``wp:docPr``) or link with a ScreenTip stands; lxml hands
        # back the same element object while the reader still holds it.
        self._places: dict[Element, tuple[Place, Place]] = {}
        self._hung: list[_Hung] = []

    def __bool__(self) -> bool:
        return bool(self._anchors)

    def __contains__(self, comment_id: object) -> bool:
        return comment_id in self._anchors

    def see(
        self,
        paragraph: Paragraph,
        described: Sequence[Element] = (),
        spans: Sequence[tuple[Element, int, int]] = (),
    ) -> None:
        """Place the comment marks in ``paragraph``, and the elements in it that
        paragraphs read later describe: ``described`` stand at a point (its images'
        ``wp:docPr``, its graphics), ``spans`` over text, from a start offset to an
        end offset in the paragraph's text (its links)."""
        element = paragraph.element
        marks = [m for m in element.iter(_START, _END, _REFERENCE) if m.get(_W_ID) in self._anchors]
        if marks or described:
            for node, offset in _offsets(paragraph, [*marks, *described]):
                if node.tag in _MARKS:
                    self._place(node, paragraph, offset)
                else:
                    point = (paragraph.line, offset + 1)
                    self._places[node] = (point, point)
        for node, start, end in spans:
            self._places[node] = ((paragraph.line, start + 1), (paragraph.line, end + 1))
        for sibling in _beside(element, preceding=True):
            if sibling.tag == _START:
                self._place(sibling, paragraph, 0)
        for sibling in _beside(element, preceding=False):
            if sibling.tag == _END:
                self._place(sibling, paragraph, len(paragraph.text))

    def _place(self, mark: Element, paragraph: Paragraph, offset: int) -> None:
        anchor = self._anchors.get(mark.get(_W_ID, ""))
        if anchor is None:
            return
        found = _Mark(paragraph.line, offset + 1, len(paragraph.text), paragraph.where)
        # The first of each kind counts: a damaged file may repeat an id.
        if mark.tag == _START:
            anchor.start = anchor.start or found
        elif mark.tag == _END:
            anchor.end = anchor.end or found
        else:
            anchor.reference = anchor.reference or found

    def hang(self, element: Element, paragraph: Paragraph) -> None:
        """``paragraph``, read beside the stories, describes ``element``: a suppression
        comment on the element covers it. An element never placed (the document's
        title) hangs nothing."""
        place = self._places.get(element)
        if place is not None:
            self._hung.append(_Hung(*place, paragraph.line, len(paragraph.text), paragraph.where))

    def directives(self) -> Iterator[Block]:
        for anchor in self._anchors.values():
            extent = anchor.extent()
            if extent is None:  # anchored in nothing the reader reads
                continue
            start, end = extent
            text = f"wordaudit-ignore-range {anchor.rules}".rstrip()
            segments = [
                Segment(0, start.line, start.column, where=start.where),
                Segment(len(text), *end, where=start.where),
            ]
            for k, hung in enumerate(self._covered((start.line, start.column), end), 1):
                segments.append(Segment(len(text) + 2 * k - 1, hung.line, 1, where=hung.where))
                segments.append(Segment(len(text) + 2 * k, hung.line, hung.length + 1, where=hung.where))
            yield Block("directive", text, tuple(segments))

    def _covered(self, start: Place, end: Place) -> Iterator[_Hung]:
        """The paragraphs hung on what the range from ``start`` to just before ``end`` covers."""
        return (hung for hung in self._hung if hung.overlaps(start, end))


def _offsets(paragraph: Paragraph, nodes: list[Element]) -> Iterator[tuple[Element, int]]:
    """Each of ``nodes`` (marks, images, graphics) the paragraph itself holds, with its offset
    in the paragraph's text. One in a text box inside the paragraph is left to the text
    box's own paragraph."""
    element = paragraph.element
    wanted = {n for n in nodes if next(n.iterancestors(_W_P), None) is element}
    lengths = {piece.node: len(piece.text) for piece in paragraph.pieces}
    offset = 0
    for node in element.iter():
        if node in wanted:
            yield node, offset
        else:
            offset += lengths.get(node, 0)


def _beside(paragraph: Element, *, preceding: bool) -> Iterator[Element]:
    """The range marks between a paragraph and the content next to it."""
    for sibling in paragraph.itersiblings(preceding=preceding):
        tag = sibling.tag
        if not isinstance(tag, str):  # an XML comment
            continue
        if not (tag.startswith(W) and (tag.endswith(("Start", "End")) or tag == W + "proofErr")):
            return
        yield sibling
