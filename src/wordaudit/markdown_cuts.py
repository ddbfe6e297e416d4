"""Where a large markdown file can be cut into parts that parse as the whole does.

A part must start where markdown-it, parsing the whole file, starts a new
top-level block of its own: after a blank line, at a line that begins with a
letter in the first column (a paragraph, a heading written under a line of "=",
a table). A blank line ends every block and every container (a list item, a
quote) before such a line, except the blocks that run on over blank lines to an
end mark of their own: fenced code and HTML blocks of types 1-5 (``<!--``,
``<pre>``, ``<script>``, ``<style>``, ``<textarea>``, ``<?``, ``<!X``,
``<![CDATA[``), and the front matter. The scan below follows those through the
file, a line-start match at a time, and keeps no cut inside one.

It follows containers only as far as it must. Where it could read a fence or
an HTML block apart from markdown-it, it has a doubt:
- a fence or HTML block opened with an indent of 1-3 spaces while a list item
  or a quote may be open may sit in that item, which a less indented line ends,
  fence and all; such a line before its end mark is a doubt;
- a line that begins with a tag may open an HTML block that runs to the next
  blank line, or be a paragraph line; a line inside it that could open a fence
  or an HTML block of types 1-5 is a doubt.
A fence opened deeper (4 spaces or more) is in a container or is indented
code; either way a line in the first column ends it, and every cut is at one.
After a doubt, markdown-it parses the stretch from the last line the scan was
sure of, and the scan goes on from a top-level paragraph past the doubt
(``_Scan.resync``); with none, it stops cutting.

The reference definitions (``[label]: /address "title"``) a part's links may
use are found on the way, in the first column after a blank line or a heading
line, so that each part is given the file's definitions.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from markdown_it.rules_block.html_block import HTML_SEQUENCES

from wordaudit.record import record

if TYPE_CHECKING:
    from markdown_it.token import Token

# Reads of this size, cut back to their last line end: bounded memory.
_READ = 8 << 20
_LONGEST_LINE = 64 << 20
# After a doubt markdown-it reads on this far past it, then twice as far, up to the last.
_RESYNC_FIRST = 64 << 10
_RESYNC_LAST = 8 << 20
# How far back from a stretch's end a last match is looked for first.
_LAST_MATCH_WINDOW = 4 << 10
_SURE_TYPES = frozenset({"paragraph_open", "heading_open"})
# A definition's lines are kept up to the next blank line, or this many.
_DEFINITION_LINES = 64

_OPENER = re.compile(rb"^( {0,3})(?:(`{3,}|~{3,})([^\n]*)|<)", re.MULTILINE)
_BLANK_BEFORE_LETTER = re.compile(rb"^[ \t]*\r?\n(?=[A-Za-z])", re.MULTILINE)
# A blank line, its line end included (an empty match at a piece's end would
# take the piece's end for a blank line).
_BLANK_LINE = re.compile(rb"^[ \t]*\r?\n", re.MULTILINE)
_LONE_CR = re.compile(rb"\r(?!\n)")
# A blank line before a line in the first column that starts no list item or
# quote: every list item and quote is closed there.
_ALL_CLOSED = re.compile(rb"^[ \t]*\r?\n(?=[^ \t\r\n\-+*>0-9])", re.MULTILINE)
_CONTAINER_LINE = re.compile(rb"^ {0,3}(?:>|(?:[-+*]|[0-9]{1,9}[.)])(?:[ \t]|\r?$))", re.MULTILINE)
# What could open a fence or an HTML block of types 1-5: inside a block that
# may be HTML or a paragraph (``_HtmlUntilBlank``), such a line stops the cuts.
_RISKY = re.compile(rb"^ {0,3}(?:`{3,}|~{3,}|<[!?A-Za-z])", re.MULTILINE)
# markdown-it's HTML block types 1-5 (markdown_it.rules_block.html_block): how
# each starts (its own patterns, on the decoded line: "<pre" followed by any
# Unicode space opens one), and what ends it, anywhere in a line from the
# opening line on (ASCII, so as bytes).
_HTML_ENDS: tuple[tuple[re.Pattern[str], re.Pattern[bytes]], ...] = tuple(
    (begins, re.compile(ends.pattern.encode("ascii").replace(b"(?a:", b"(?:"), ends.flags & re.IGNORECASE))
    for begins, ends, _ in HTML_SEQUENCES[:5]
)
_TAG_START = re.compile(rb"</?[A-Za-z]")
# markdown-it's own tests for HTML blocks of type 6 (a block-level tag: it may
# interrupt a paragraph) and 7 (any tag alone on its line: it may not).
_BLOCK_TAG = HTML_SEQUENCES[5][0]
_LONE_TAG = HTML_SEQUENCES[6][0]
# A line that opens or closes TOML front matter.
_TOML_FENCE = re.compile(rb"^\+\+\+[ \t]*\r?$", re.MULTILINE)
_TAG_LINE = re.compile(rb"^ {0,3}</?[A-Za-z]", re.MULTILINE)
# In the first column only: an indented one may sit in a block of a list item
# that this scan does not follow (its fence, say).
_DEFINITION = re.compile(rb"^\[(?!\^)[^\]\n]*\]:", re.MULTILINE)
_HEADING_LINE = re.compile(rb" {0,3}#{1,6}(?:[ \t]|\r?$)")


@record
class Definition:
    """A reference definition's lines, and the byte offset of the first."""

    offset: int
    source: bytes


@record
class MarkdownCuts:
    """Byte offsets 0 < c1 < ... < size (each cut at a line start), and the file's definitions."""

    cuts: tuple[int, ...]
    definitions: tuple[Definition, ...]


class _State:
    """Where the scan is: at the top level, or inside a block that runs to an end mark."""


class _Top(_State):
    pass


class _Fence(_State):
    def __init__(self, marker: bytes, shallower: re.Pattern[bytes] | None) -> None:
        self.closer = re.compile(rb"^ {0,3}" + re.escape(marker[:1]) + rb"{%d,}[ \t]*\r?$" % len(marker), re.MULTILINE)
        self.shallower = shallower


class _HtmlToEnd(_State):
    def __init__(self, end: re.Pattern[bytes], shallower: re.Pattern[bytes] | None) -> None:
        self.end = end
        self.shallower = shallower


class _HtmlUntilBlank(_State):
    def __init__(self, certain: bool, shallower: re.Pattern[bytes] | None) -> None:
        # Whether markdown-it surely reads an HTML block here (a block tag, or a
        # tag alone after a blank line) rather than perhaps a paragraph line.
        self.certain = certain
        self.shallower = shallower


def _shallower_than(indent: int) -> re.Pattern[bytes]:
    """A line that is not blank and starts less indented than ``indent`` spaces
    (a tab counts as less): in a list item, it may end the item."""
    return _SHALLOWER[indent]


_SHALLOWER = {indent: re.compile(rb"^ {0,%d}[^ \r\n]" % (indent - 1), re.MULTILINE) for indent in (1, 2, 3)}


class _Doubt(Exception):
    """The scan can no longer be sure it reads the blocks as markdown-it does."""


def markdown_cuts(path: Path, size: int, part_bytes: int, codec: str = "utf-8") -> MarkdownCuts:
    """Cuts about ``part_bytes`` apart (a part is longer where no safe cut
    comes sooner). Where the scan has doubts, markdown-it parses the stretch
    from the last sure block start on, and the scan goes on from a top-level
    paragraph it finds past the doubt (``_Scan.resync``). Without one the scan
    stops: the cuts found before stand and the rest of the file is the last
    part, unless the rest holds a line that may define a reference, which a
    part before might need."""
    scan = _Scan(size, part_bytes, codec)
    with path.open("rb") as handle:
        position = 0
        while True:
            handle.seek(position)
            try:
                for base, data in _whole_lines(handle, position):
                    scan.base = base
                    scan.feed(base, data)
                break
            except _Doubt:
                resumed = scan.resync(handle)
                if resumed is None:
                    handle.seek(scan.base)
                    if any(_DEFINITION.search(rest) for _, rest in _whole_lines(handle, scan.base, check=False)):
                        return MarkdownCuts((0, size), ())
                    break
                position = resumed
    definitions = sorted(scan.definitions, key=lambda definition: definition.offset)
    return MarkdownCuts((0, *scan.cuts, size), tuple(definitions))


def _whole_lines(handle: BinaryIO, base: int, *, check: bool = True) -> Iterator[tuple[int, bytes]]:
    """The file's bytes from ``base`` on, in pieces that end at a line end (the last may not)."""
    carry = b""
    while True:
        block = handle.read(_READ)
        if not block:
            if carry:
                yield base, carry
            return
        data = carry + block
        end = data.rfind(b"\n") + 1
        if end == 0:
            if len(data) > _LONGEST_LINE:
                if not check:
                    return
                raise _Doubt  # not a document of lines: it is read whole, if at all
            carry = data
            continue
        yield base, data[:end]
        base += end
        carry = data[end:]


class _Scan:
    def __init__(self, size: int, part_bytes: int, codec: str) -> None:
        self.size = size
        self.codec = codec
        self.part_bytes = part_bytes
        self.target = part_bytes
        # No cut is looked for past this: the last part would be too small.
        self.last_target = size - part_bytes // 2
        self.cuts: list[int] = []
        self.definitions: list[Definition] = []
        self.state: _State = _Top()
        self.started = False
        # The last line of the piece before: whether it was blank or a heading
        # (a definition may start on the next line).
        self.after_break = True
        self.in_container = False
        # The offset of the piece being read, and of the last line where the
        # scan saw a top-level block start (where markdown-it may parse from).
        self.base = 0
        self.at = 0
        self.last_sure = 0
        # Until the front matter has been passed: no stretch is parsed from the
        # start, where a stretch short of its end would not read it as such.
        self.in_front_matter = False

    def feed(self, base: int, data: bytes) -> None:
        self.at = base
        if b"\r" in data and _LONE_CR.search(data):
            raise _Doubt  # a line end markdown-it counts and this scan does not
        position = 0
        if not self.started:
            self.started = True
            position = self._front_matter(data)
        while position < len(data):
            self.at = base + position  # a doubt arises at or after this
            state = self.state
            if isinstance(state, _Top):
                position = self._top(base, data, position)
            elif isinstance(state, _Fence):
                position = self._to_closer(data, position, state.closer, state.shallower)
            elif isinstance(state, _HtmlToEnd):
                position = self._to_closer(data, position, state.end, state.shallower)
            elif isinstance(state, _HtmlUntilBlank):
                position = self._to_blank(data, position, state)
        self.after_break = _breaks_before(data, len(data))

    def resync(self, handle: BinaryIO) -> int | None:
        """After a doubt: where the scan can go on, sure of the state, or None.

        markdown-it parses the file's blocks from the last line the scan was
        sure starts a top-level block (``last_sure``), as the whole file's
        parse reads them from there. Its first top-level paragraph or heading
        after a blank line, past the doubt, that ends before the stretch read
        does, starts a block in the whole file's parse too, with every list
        and quote closed. The reference definitions before it in the stretch
        are taken from that parse."""
        from wordaudit.extract.markdown import _parser

        start = self.last_sure
        if self.in_front_matter:
            return None  # a stretch that does not reach its end would parse it as markdown
        reach = _RESYNC_FIRST
        while True:
            handle.seek(start)
            data = handle.read(max(self.at - start, 0) + reach)
            at_end = start + len(data) >= self.size
            if not at_end:
                data = data[: data.rfind(b"\n") + 1]
            if b"\r" in data and _LONE_CR.search(data):
                return None
            raw_lines = data.split(b"\n")
            offsets = [0, *itertools.accumulate(len(line) + 1 for line in raw_lines)]
            text = data.decode(self.codec, errors="replace").replace("\r\n", "\n")
            env: dict[str, Any] = {}
            tokens: list[Token] = []
            try:
                _parser().block.parse(text, _parser(), env, tokens)
            except Exception:  # markdown-it's own failure: the worker reading the file will report it
                return None
            doubt_line = bisect.bisect_right(offsets, self.at - start) - 1
            resume = _sure_start(tokens, raw_lines, doubt_line, None if at_end else len(raw_lines) - 1)
            if resume is not None:
                break
            if at_end or reach >= _RESYNC_LAST:
                return None
            reach *= 2
        self.definitions = [d for d in self.definitions if d.offset < start]
        for reference in env.get("references", {}).values():
            first, end = reference["map"]
            if first < resume:
                self.definitions.append(Definition(start + offsets[first], data[offsets[first] : offsets[end]]))
        resumed = start + offsets[resume]
        self.state = _Top()
        self.in_container = False
        self.after_break = True
        self.last_sure = resumed
        return resumed

    def _front_matter(self, data: bytes) -> int:
        """Past the front matter, as the parser reads it: YAML as mdit-py-plugins
        does, a first line of three dashes or more, to a line of as many dashes
        or of "..."; TOML a line "+++" to the next (``front_matter.toml_front_matter``)."""
        if _TOML_FENCE.match(data):
            closing = _TOML_FENCE
        else:
            opening = re.match(rb"-{3,}", data)
            if opening is None:
                return 0
            closing = re.compile(rb"^(?:\.\.\.| {0,3}-{%d,})[ \t]*\r?$" % len(opening.group()), re.MULTILINE)
        first_end = _line_end(data, 0)
        end = closing.search(data, first_end)
        self.in_front_matter = True
        if end is None:
            raise _Doubt  # front matter never closed is markdown; closed further on, it is not
        if _RISKY.search(data, first_end, end.start()) or _TAG_LINE.search(data, first_end, end.start()):
            raise _Doubt  # a line that would open a block, were this not front matter
        self.in_front_matter = False
        return _line_end(data, end.start())

    def _top(self, base: int, data: bytes, position: int) -> int:
        opener = _OPENER.search(data, position)
        safe_end = opener.start() if opener else len(data)
        self._track_containers(data, position, safe_end)
        sure = _last_match(_BLANK_BEFORE_LETTER, data, position, safe_end)
        if sure is not None:
            self.last_sure = base + sure.end()
        self._cuts_in(base, data, position, safe_end)
        self._definitions_in(base, data, position, safe_end)
        if opener is None:
            return len(data)
        line_end = _line_end(data, opener.start())
        self.state = _opened(data, opener.start(), line_end, self.in_container, self.codec) or self.state
        return line_end

    def _to_closer(
        self, data: bytes, position: int, closer: re.Pattern[bytes], shallower: re.Pattern[bytes] | None
    ) -> int:
        found = closer.search(data, position)
        end = len(data) if found is None else _line_end(data, found.start())
        # Opened with an indent in what may be a list item: a line less indented
        # may end the item, and the block with it, where this scan reads on.
        if shallower is not None and shallower.search(data, position, end):
            raise _Doubt
        if found is not None:
            self.state = _Top()
        return end

    def _to_blank(self, data: bytes, position: int, state: _HtmlUntilBlank) -> int:
        blank = _BLANK_LINE.search(data, position)
        end = len(data) if blank is None else blank.start()
        # Where markdown-it may read these lines as markdown: all of them when
        # it may be reading a paragraph; from the first line less indented than
        # the tag on, when the block may sit in a list item, which that line ends.
        markdown_from = position if not state.certain else None
        if state.shallower is not None and markdown_from is None:
            shallower = state.shallower.search(data, position, end)
            markdown_from = shallower.start() if shallower else None
        if markdown_from is not None:
            self._track_containers(data, markdown_from, end)
            for risky in _RISKY.finditer(data, markdown_from, end):
                # Read as markdown, this line would open a block that blank
                # lines do not end: a fence, or an HTML block left open.
                line_end = _line_end(data, risky.start())
                if isinstance(
                    _opened(data, risky.start(), line_end, self.in_container, self.codec), _Fence | _HtmlToEnd
                ):
                    raise _Doubt
        if blank is not None:
            self.state = _Top()
        return end

    def _track_containers(self, data: bytes, start: int, end: int) -> None:
        """Whether a list item or a quote may be open at ``end``: a line that
        could open one stands since the last line that surely closed them all
        (a line in the first column after a blank line that opens neither)."""
        closed = _last_match(_ALL_CLOSED, data, start, end)
        if closed is not None:
            self.in_container = False
            start = closed.end()
        if not self.in_container:
            self.in_container = _CONTAINER_LINE.search(data, start, end) is not None

    def _cuts_in(self, base: int, data: bytes, start: int, end: int) -> None:
        while base + end > self.target and self.target < self.last_target:
            found = _BLANK_BEFORE_LETTER.search(data, max(start, self.target - base), end)
            if found is None:
                return  # the next safe stretch may hold one
            cut = base + found.end()
            if cut >= self.size - self.part_bytes // 2:
                self.target = self.last_target  # too little would be left for a part of its own
                return
            self.cuts.append(cut)
            self.target = cut + self.part_bytes

    def _definitions_in(self, base: int, data: bytes, start: int, end: int) -> None:
        if data.find(b"]:", start, end) < 0:
            return
        for found in _DEFINITION.finditer(data, start, end):
            at = found.start()
            if not (_breaks_before(data, at) if at else self.after_break):
                continue
            last = at
            for _ in range(_DEFINITION_LINES):
                line_end = _line_end(data, last)
                if line_end >= len(data) or _BLANK_LINE.match(data, line_end):
                    last = line_end
                    break
                last = line_end
            self.definitions.append(Definition(base + at, data[at:last]))


def _sure_start(tokens: list[Token], lines: list[bytes], after: int, before: int | None) -> int | None:
    """The first line past ``after`` where a top-level paragraph or heading
    starts after a blank line and ends before line ``before``."""
    for token in tokens:
        where = token.map
        if token.level or token.nesting != 1 or where is None or token.type not in _SURE_TYPES:
            continue
        first, end = where
        if first > after and first > 0 and not lines[first - 1].strip() and (before is None or end < before):
            return first
    return None


def _opened(data: bytes, start: int, end: int, in_container: bool, codec: str) -> _State | None:
    """What the line from ``start`` to ``end`` opens, if it opens a block
    that does not end with it: a fence, or an HTML block. ``in_container``:
    a list item or a quote may be open. ``codec``: the file's."""
    opener = _OPENER.match(data, start, end)
    if opener is None:
        return None
    indent = len(opener.group(1))
    shallower = _shallower_than(indent) if indent and in_container else None
    marker = opener.group(2)
    if marker is not None:
        if marker.startswith(b"`") and b"`" in opener.group(3):
            return None  # not a fence: a code span in a paragraph line
        return _Fence(marker, shallower)
    line = data[opener.end() - 1 : end]
    if not _TAG_START.match(line) and not line.startswith((b"<!", b"<?")):
        return None  # a paragraph's line
    text = line.decode(codec, errors="replace").rstrip("\r\n")
    for begins, ends in _HTML_ENDS:
        if begins.search(text):
            return None if ends.search(line) else _HtmlToEnd(ends, shallower)
    if _BLOCK_TAG.search(text):
        return _HtmlUntilBlank(True, shallower)
    if _LONE_TAG.search(text):
        after_blank = start > 0 and _BLANK_LINE.match(data, data.rfind(b"\n", 0, start - 1) + 1) is not None
        return _HtmlUntilBlank(after_blank, shallower)
    return None  # a paragraph's line


def _last_match(pattern: re.Pattern[bytes], data: bytes, start: int, end: int) -> re.Match[bytes] | None:
    """The last match of ``pattern`` in ``data[start:end]``, looked for in ever
    longer stretches back from the end (most are found near it)."""
    window = _LAST_MATCH_WINDOW
    while True:
        low = max(start, end - window)
        last = None
        for last in pattern.finditer(data, low, end):  # noqa: B007 - the last one counts
            pass
        if last is not None or low == start:
            return last
        window *= 16


def _line_end(data: bytes, position: int) -> int:
    end = data.find(b"\n", position)
    return len(data) if end < 0 else end + 1


def _breaks_before(data: bytes, at: int) -> bool:
    """Whether the line before ``at`` (a line start) is blank or a heading, or there is none."""
    if at == 0:
        return True
    previous = data.rfind(b"\n", 0, at - 1) + 1
    line = data[previous : at - 1]
    return not line.strip() or bool(_HEADING_LINE.match(line))
