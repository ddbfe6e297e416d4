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

Where comments are anchored is known only once every story has been read, so each
becomes one ``wordaudit-ignore-range RULES`` directive block after the last paragraph;
``wordaudit.suppress`` describes how the block encodes the range.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wordaudit.extract.ooxml import W
from wordaudit.model import Block, Segment

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

    from wordaudit.extract.docx import Paragraph

_IGNORE = re.compile(r"\s*wordaudit:\s*ignore(?![\w-])(.*)", re.IGNORECASE)
_START, _END, _REFERENCE = W + "commentRangeStart", W + "commentRangeEnd", W + "commentReference"
_W_P, _W_ID = W + "p", W + "id"


def ignored_rules(text: str) -> str | None:
    """The rules a suppression comment names ("" for every rule); None for any other comment."""
    found = _IGNORE.fullmatch(text.partition("\n")[0])
    # A full stop typed out of habit is not part of a rule id.
    return None if found is None else found.group(1).strip(" \t.").lower()


@dataclass(frozen=True, slots=True)
class _Mark:
    line: int
    column: int
    length: int  # of the paragraph the mark is in
    where: str


@dataclass(slots=True)
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

    def __bool__(self) -> bool:
        return bool(self._anchors)

    def __contains__(self, comment_id: object) -> bool:
        return comment_id in self._anchors

    def see(self, paragraph: Paragraph) -> None:
        element = paragraph.element
        marks = [m for m in element.iter(_START, _END, _REFERENCE) if m.get(_W_ID) in self._anchors]
        if marks:
            for mark, offset in _offsets(paragraph, marks):
                self._place(mark, paragraph, offset)
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

    def directives(self) -> Iterator[Block]:
        for anchor in self._anchors.values():
            extent = anchor.extent()
            if extent is None:  # anchored in nothing the reader reads
                continue
            start, (end_line, end_column) = extent
            text = f"wordaudit-ignore-range {anchor.rules}".rstrip()
            segments = (
                Segment(0, start.line, start.column, where=start.where),
                Segment(len(text), end_line, end_column, where=start.where),
            )
            yield Block("directive", text, segments)


def _offsets(paragraph: Paragraph, marks: list[Element]) -> Iterator[tuple[Element, int]]:
    """Each mark the paragraph itself holds, with its offset in the paragraph's text.
    A mark in a text box inside the paragraph is left to the text box's own paragraph."""
    element = paragraph.element
    wanted = {m for m in marks if next(m.iterancestors(_W_P), None) is element}
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
