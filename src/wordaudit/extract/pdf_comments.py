"""Comments on a PDF: the text of sticky notes and of the notes on marked-up
text (Acrobat's comment list), which a reviewer adds and a reader opens.

They are not on the page, so they come after the page text and the
document's title (``pdf_title``), each a block placed as ``comment 3, page 2``
(lines and columns inside the comment), as Word comments come after the body.
A FreeText box is on the page and is read there (``pdf_fields``); a popup only
shows its parent's note.
"""

from __future__ import annotations

from wordaudit.extract.pdf_fields import MAX_TEXT
from wordaudit.model import Block, Segment
from wordaudit.record import record

# The markup annotations (PDF 32000-1:2008, 12.5.6.2) whose Contents is a
# reviewer's note. Not FreeText (its text is drawn on the page), Popup, Link
# or Widget.
KINDS = frozenset(
    {
        "Text",
        "Highlight",
        "Underline",
        "Squiggly",
        "StrikeOut",
        "Caret",
        "Ink",
        "Line",
        "Square",
        "Circle",
        "Polygon",
        "PolyLine",
        "Stamp",
        "FileAttachment",
        "Sound",
    }
)


@record
class Comment:
    page: int  # 1-based
    text: str
    # Where its icon or marked text starts on the page (PDF units, y up):
    # comments are numbered down each page, as a reader meets them, whatever
    # order the file keeps them in.
    top: float = 0.0
    left: float = 0.0


def in_reading_order(comments: list[Comment]) -> list[Comment]:
    return sorted(comments, key=lambda comment: (comment.page, -comment.top, comment.left))


def comment_block(number: int, comment: Comment) -> Block | None:
    """The comment as a block; None when it holds no text."""
    text = comment.text[:MAX_TEXT].replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return None
    where = f"comment {number}, page {comment.page}"
    segments = []
    start = 0
    for line, piece in enumerate(text.split("\n"), start=1):
        segments.append(Segment(start, line, 1, comment.page, where))
        start += len(piece) + 1
    return Block(kind="comment", text=text, segments=tuple(segments))
