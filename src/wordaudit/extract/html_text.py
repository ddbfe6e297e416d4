"""The prose of a raw HTML block in markdown: the text a reader sees on the page.

GitHub and documentation sites render ``<p align="center">``, ``<details>`` /
``<summary>``, ``<div class="note">`` and the like, so their text is as much
read as any paragraph. Tags, attributes and comments are not text; nor is what
is inside code, scripts and styles. Block-level tags part blocks, as a
paragraph break does, so no phrase is matched across them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence

from wordaudit.model import Block, BlockKind, Segment

# Tags whose content a reader does not see as prose.
NOT_PROSE_TAGS = frozenset(
    {"script", "style", "code", "pre", "kbd", "samp", "var", "textarea", "template", "svg", "math", "head"}
)
_BLOCK_KINDS: dict[str, BlockKind] = {
    **{f"h{level}": "heading" for level in range(1, 7)},
    "td": "cell",
    "th": "cell",
    "li": "list-item",
    "dt": "list-item",
    "dd": "list-item",
}
# Tags that end one block of prose and start the next.
_BREAKS = frozenset(
    {
        *_BLOCK_KINDS,
        *NOT_PROSE_TAGS,
        "p", "div", "br", "hr", "tr", "table", "thead", "tbody", "tfoot", "caption", "ul", "ol", "dl",
        "summary", "details", "blockquote", "section", "article", "aside", "header", "footer", "nav",
        "main", "figure", "figcaption", "center", "address", "body", "html", "img",
    }
)  # fmt: skip


# One token of HTML source; what lies between tokens is text. Every part that
# scans stops at the next "<", so a tag that never closes costs the distance to
# the next one, and the whole block is read in linear time (Python's
# HTMLParser took 4 s for a megabyte of "<" or "&").
_TOKEN = re.compile(
    r"""
    <!--.*?(?:-->|\Z)
    | <!\[CDATA\[.*?(?:\]\]>|\Z)
    | <[!?][^<>]*>?
    | <(/?)([A-Za-z][A-Za-z0-9:-]*)(?:"[^"<]*"|'[^'<]*'|[^'"<>])*>
    | &(?:\#[0-9]{1,8}|\#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});?
    """,
    re.DOTALL | re.VERBOSE,
)


_SHOWN_ATTRIBUTE = re.compile(
    r"""\s(?P<name>alt|title)\s*=\s*(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<bare>[^\s"'>]+))""", re.IGNORECASE
)


_IMAGE_TAG = re.compile(r"<img[\s/>]", re.IGNORECASE)


def shown_attributes(tag: str) -> Iterator[tuple[str, str, int]]:
    """What a reader sees of an opening tag's attributes: an image's alt text
    (read out in its place) and any element's title (shown when the pointer
    rests on it). Each as its name, its value as written and where that
    starts in ``tag``."""
    image = _IMAGE_TAG.match(tag) is not None
    for found in _SHOWN_ATTRIBUTE.finditer(tag):
        name = found.group("name").lower()
        if name == "title" or image:
            value = next(group for group in ("double", "single", "bare") if found.group(group) is not None)
            yield name, found.group(value), found.start(value)


def html_prose(content: str, origins: Sequence[tuple[int, int]]) -> list[Block]:
    """Blocks of the text in ``content``, an HTML block's source; ``origins[i]``
    is the file's 1-based (line, column) where line ``i`` of ``content`` starts."""
    reader = _Reader(content, origins)
    at = 0
    for token in _TOKEN.finditer(content):
        if token.start() > at:
            reader.text(at, content[at : token.start()])
        at = token.end()
        written = token.group(0)
        if written[0] == "&":
            shown = html.unescape(written)
            reader.text(token.start(), shown if shown != written else written)
        elif token.group(2) is not None:
            name = token.group(2).lower()
            reader.tag(name, closing=bool(token.group(1)), empty=written.endswith("/>"))
            if not token.group(1):
                reader.attributes(token.start(), written)
    if at < len(content):
        reader.text(at, content[at:])
    reader.flush()
    return reader.blocks


class _Reader:
    def __init__(self, content: str, origins: Sequence[tuple[int, int]]) -> None:
        self.content = content
        self.origins = origins
        self.blocks: list[Block] = []
        # Titles met in the block being read: they follow it, in the order read.
        self.titles: list[Block] = []
        self.pieces: list[str] = []
        self.segments: list[Segment] = []
        self.size = 0
        self.kind: BlockKind = "paragraph"
        self.hidden = 0
        # Where the last text was placed: its offset, line index and line start,
        # so that each piece is placed by looking only at the source since.
        self._offset = self._line = self._line_start = 0

    def attributes(self, offset: int, tag: str) -> None:
        """The alt text and title of the tag at ``offset``. An image parts
        blocks, so its alt text is read in its place, as markdown's ``![alt]``
        is; a title is a block of its own, and the text around its tag reads on."""
        if self.hidden:
            return
        for name, value, start in shown_attributes(tag):
            if name == "alt":
                self.text(offset + start, html.unescape(value))
                self.flush()
                continue
            around = self.pieces, self.segments, self.size
            self.pieces, self.segments, self.size = [], [], 0
            self.text(offset + start, html.unescape(value))
            title = self._take("title")
            self.pieces, self.segments, self.size = around
            if title is not None:
                self.titles.append(title)

    def tag(self, name: str, *, closing: bool, empty: bool) -> None:
        if name in _BREAKS:
            self.flush()
            self.kind = "paragraph" if closing or empty else _BLOCK_KINDS.get(name, "paragraph")
        if name in NOT_PROSE_TAGS and not empty:
            if closing:
                self.hidden = max(self.hidden - 1, 0)
            else:
                self.hidden += 1

    def text(self, offset: int, piece: str) -> None:
        """Text that starts at ``offset`` in the block's source (as written there, or
        the one character a reference stands for)."""
        if self.hidden:
            return
        self._line += self.content.count("\n", self._offset, offset)
        newline = self.content.rfind("\n", self._offset, offset)
        if newline >= 0:
            self._line_start = newline + 1
        self._offset = offset
        line_index, column = self._line, offset - self._line_start
        for number, line_piece in enumerate(piece.split("\n")):
            if number:
                if self.segments:
                    self._add("\n", None)
                line_index, column = line_index + 1, 0
            if line_piece:
                self._add(line_piece, (line_index, column))

    def _add(self, piece: str, where: tuple[int, int] | None) -> None:
        if where is not None:
            line, column = self.origins[min(where[0], len(self.origins) - 1)]
            self.segments.append(Segment(start=self.size, line=line, column=column + where[1]))
        self.pieces.append(piece)
        self.size += len(piece)

    def flush(self) -> None:
        block = self._take(self.kind)
        if block is not None:
            self.blocks.append(block)
        self.blocks.extend(self.titles)
        self.titles = []

    def _take(self, kind: BlockKind) -> Block | None:
        """The text read since the last block, as a block; the reader starts afresh."""
        text = "".join(self.pieces)
        block = Block(kind=kind, text=text, segments=tuple(self.segments)) if text.strip() and self.segments else None
        self.pieces, self.segments, self.size = [], [], 0
        return block
