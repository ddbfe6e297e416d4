"""Front matter: the metadata a static site generator reads before the markdown.

YAML between lines of dashes (Jekyll, MkDocs, Hugo; mdit-py-plugins finds it)
and TOML between ``+++`` lines (Hugo; ``toml_front_matter`` finds it). A value
is prose (``title: Back Office Lead``, ``title = "Back Office Lead"``): a site
shows it as a title, a description, a tag. Keys, comments and TOML table
headers are not, and neither is a value that is not a string (a number, a date,
``true``).

Each block maps back to the value's characters in the file, so that ``fix``
rewrites inside the value and nowhere else.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from wordaudit.model import Block, Segment
from wordaudit.record import record

if TYPE_CHECKING:
    from markdown_it.rules_block import StateBlock

# How the front matter token's markup tells the two languages apart.
TOML_MARKUP = "+++"

# ---------------------------------------------------------------- YAML

# A line of YAML: its indent and a sequence item's dash, a key (not prose; plain
# or quoted) and the value after it.
_YAML_LINE = re.compile(
    r"^(?P<lead>\s*(?:-\s+)?)"
    r"""(?:(?P<key>'[^']*'|"(?:[^"\\]|\\.)*"|[^\s:#'"][^:]*?)\s*:(?:\s+|$))?"""
    r"(?P<value>.*?)\s*$"
)
# A block scalar's header: "|" or ">", a chomping mark and an indent, perhaps a comment.
_BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*(?:\s+#.*)?")
# Where a comment starts in a plain value: a "#" after white space.
_PLAIN_COMMENT = re.compile(r"\s+#")


@record
class _Piece:
    """A value's text on one line, and where it starts there (0-based)."""

    index: int
    column: int
    text: str


@record
class _Entry:
    """A line's value and the indent a line must pass to continue it: the
    key's column, or a sequence item's dash's."""

    index: int
    column: int
    value: str
    indent: int


def yaml_blocks(lines: Sequence[str], first: int, last: int) -> Iterator[Block]:
    """Values of YAML front matter on ``lines[first:last]``, a value over
    several lines one block (a folded ``>`` or literal ``|`` scalar, a plain
    or quoted one that wraps), so that a phrase broken over two lines is found."""
    end = min(last, len(lines))
    index = first
    while index < end:
        entry = _yaml_entry(lines[index], index)
        index += 1
        if entry is None:
            continue
        if _BLOCK_SCALAR.fullmatch(entry.value):
            paragraphs, index = _block_scalar(lines, index, end, entry.indent)
        elif entry.value[0] in "'\"":
            paragraphs, index = _quoted(lines, index, end, entry)
        else:
            paragraphs, index = _plain(lines, index, end, entry)
        for pieces in paragraphs:
            if any(piece.text.strip() for piece in pieces):
                yield _yaml_block(pieces)


def _yaml_entry(line: str, index: int) -> _Entry | None:
    """The value a line starts, or None: a comment, a complex key ("? key"), no value."""
    stripped = line.lstrip()
    if not stripped or stripped.startswith(("#", "? ")) or stripped == "?":
        return None
    found = _YAML_LINE.match(line)
    if found is None or not found.group("value"):
        return None
    indent = found.start("key") if found.group("key") is not None else len(line) - len(stripped)
    return _Entry(index, found.start("value"), found.group("value"), indent)


def _block_scalar(lines: Sequence[str], index: int, end: int, indent: int) -> tuple[list[list[_Piece]], int]:
    """The lines of a block scalar after its header: blank, or indented past
    ``indent``; a paragraph each between blank lines."""
    paragraphs: list[list[_Piece]] = [[]]
    while index < end and (not lines[index].strip() or _indent(lines[index]) > indent):
        line = lines[index]
        if line.strip():
            paragraphs[-1].append(_Piece(index, _indent(line), line.strip()))
        elif paragraphs[-1]:
            paragraphs.append([])
        index += 1
    return paragraphs, index


def _plain(lines: Sequence[str], index: int, end: int, entry: _Entry) -> tuple[list[list[_Piece]], int]:
    """A plain value and the lines that continue it: indented past its key,
    up to a blank line, a comment or a line that is itself a key."""
    text, complete = _cut_comment(entry.value)
    pieces = [_Piece(entry.index, entry.column, text)]
    flow = entry.value[0] in "[{"  # a flow collection is read on its line only, as before
    while not complete and not flow and index < end and _continues(lines[index], entry.indent):
        text, complete = _cut_comment(lines[index].strip())
        pieces.append(_Piece(index, _indent(lines[index]), text))
        index += 1
    return [pieces], index


def _continues(line: str, indent: int) -> bool:
    """Whether ``line`` goes on with a plain value whose key stands at ``indent``."""
    stripped = line.strip()
    if not stripped or stripped.startswith("#") or _indent(line) <= indent:
        return False
    found = _YAML_LINE.match(line)
    return found is None or found.group("key") is None


def _cut_comment(value: str) -> tuple[str, bool]:
    """A plain value without its comment, and whether a comment ended it."""
    found = _PLAIN_COMMENT.search(value)
    return (value, False) if found is None else (value[: found.start()], True)


def _quoted(lines: Sequence[str], index: int, end: int, entry: _Entry) -> tuple[list[list[_Piece]], int]:
    """A quoted value's text without its quotes, over as many lines as it
    takes to close; escapes are left as written."""
    quote = entry.value[0]
    closing = _closing_quote(entry.value, 1, quote)
    if closing >= 0:
        return [[_Piece(entry.index, entry.column + 1, entry.value[1:closing])]], index
    pieces = [_Piece(entry.index, entry.column + 1, entry.value[1:])]
    while index < end:
        line = lines[index]
        closing = _closing_quote(line, _indent(line), quote)
        text = line[_indent(line) : closing if closing >= 0 else len(line)].rstrip()
        pieces.append(_Piece(index, _indent(line), text))
        index += 1
        if closing >= 0:
            break
    return [pieces], index


def _closing_quote(text: str, start: int, quote: str) -> int:
    """Where the quoted value closes in ``text`` from ``start``, or -1: a
    ``"`` not escaped by a backslash, a ``'`` not doubled."""
    at = start
    while at < len(text):
        if quote == '"' and text[at] == "\\":
            at += 2
            continue
        if text[at] == quote:
            if quote == "'" and text.startswith("''", at):
                at += 2
                continue
            return at
        at += 1
    return -1


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _yaml_block(pieces: Sequence[_Piece]) -> Block:
    """One value's lines, joined by line breaks, a segment each."""
    segments = []
    start = 0
    for piece in pieces:
        segments.append(Segment(start, piece.index + 1, piece.column + 1))
        start += len(piece.text) + 1
    return Block(kind="front-matter", text="\n".join(piece.text for piece in pieces), segments=tuple(segments))


# ---------------------------------------------------------------- TOML


def toml_front_matter(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A markdown-it block rule: TOML front matter, a first line ``+++`` to
    the next line ``+++``, as Hugo reads it. Never closed, or not TOML (Hugo
    refuses it), it is markdown: "+++" may be a writer's own separator."""
    if start_line != 0 or not _is_toml_fence(state, 0):
        return False
    closing = next((line for line in range(1, end_line) if _is_toml_fence(state, line)), None)
    if closing is None:
        return False
    content = state.src[state.bMarks[1] : state.eMarks[closing - 1]] if closing > 1 else ""
    if not _is_toml(content):
        return False
    if silent:
        return True
    token = state.push("front_matter", "", 0)
    token.hidden = True
    token.block = True
    token.markup = TOML_MARKUP
    token.content = content
    token.map = [0, closing + 1]
    state.line = closing + 1
    return True


def _is_toml(content: str) -> bool:
    import tomllib

    try:
        tomllib.loads(content)
    except tomllib.TOMLDecodeError:
        return False
    return True


def _is_toml_fence(state: StateBlock, line: int) -> bool:
    return state.src[state.bMarks[line] : state.eMarks[line]].rstrip(" \t") == TOML_MARKUP


# A TOML escape in a basic string, and what it stands for.
_TOML_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\", "e": "\x1b"}
_TOML_UNICODE = re.compile(r"u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})")
# A backslash at a line's end in a multi-line basic string: it, the line
# break and the white space after it are left out of the value.
_LINE_END_BACKSLASH = re.compile(r"\\[ \t]*\n[ \t\n]*")
_STRING_OPENERS = ('"""', "'''", '"', "'")


def toml_blocks(lines: Sequence[str], first: int, last: int) -> Iterator[Block]:
    """The string values of TOML front matter on ``lines[first:last]``: in a
    key's value, an array or an inline table's value. A string before ``=`` is
    a quoted key, one after ``#`` a comment."""
    source = "\n".join(lines[first:last])
    scanner = _TomlScanner(source, first)
    yield from scanner.values()


class _TomlScanner:
    """Reads TOML just enough to tell keys from values: whether a string
    stands before or after its ``=``, in arrays and inline tables too."""

    def __init__(self, source: str, first_line: int) -> None:
        self.source = source
        self.first_line = first_line
        self.line_starts = [0] + [found.end() for found in re.finditer("\n", source)]

    def values(self) -> Iterator[Block]:
        source = self.source
        in_value = False
        # The arrays ("[") and inline tables ("{") the scan is inside.
        nesting: list[str] = []
        at = 0
        while at < len(source):
            char = source[at]
            opener = next((o for o in _STRING_OPENERS if source.startswith(o, at)), None)
            if opener is not None:
                text, offsets, at = self._string(at, opener)
                if in_value and text.strip():
                    yield self._block(text, offsets)
                continue
            if char == "#":  # a comment, to the line's end
                end = source.find("\n", at)
                at = len(source) if end < 0 else end
                continue
            if char == "=" and not in_value:
                in_value = True
            elif char in "[{" and in_value:
                nesting.append(char)
                in_value = char == "["  # an inline table starts with a key
            elif char in "]}" and nesting:
                nesting.pop()
                in_value = True
            elif (char == "," and nesting[-1:] == ["{"]) or (char == "\n" and not nesting):
                in_value = False  # a key comes next: in an inline table, on the next line
            at += 1

    def _string(self, at: int, opener: str) -> tuple[str, list[int], int]:
        """The string that ``opener`` opens at ``at``: its value, the offset
        in the source of each character of it, and where the scan goes on."""
        start = at + len(opener)
        multi_line = len(opener) == 3
        if multi_line and self.source.startswith("\n", start):
            start += 1  # a line break right after the opening quotes is not in the value
        end = self.source.find(opener, start) if opener[0] == "'" else _basic_end(self.source, start, opener)
        if not multi_line:
            line_end = self.source.find("\n", start)
            if line_end >= 0 and (end < 0 or end > line_end):
                end = line_end  # never closed on its line: invalid, read to the line's end
        if end < 0:
            end = len(self.source)
        if multi_line:
            end += _quotes_before_closing(self.source, end, opener[0])
        close = min(end + len(opener), len(self.source))
        if opener[0] == "'":
            return self.source[start:end], list(range(start, end)), close
        text, offsets = _unescaped(self.source, start, end)
        return text, offsets, close

    def _block(self, text: str, offsets: Sequence[int]) -> Block:
        """A block of ``text``, a new segment wherever its characters do not
        follow one another in the source (an escape) and after each line break."""
        segments: list[Segment] = []
        for index, offset in enumerate(offsets):
            if index == 0 or offset != offsets[index - 1] + 1 or text[index - 1] == "\n":
                line_index = bisect.bisect_right(self.line_starts, offset) - 1
                column = offset - self.line_starts[line_index] + 1
                segments.append(Segment(index, self.first_line + line_index + 1, column))
        return Block(kind="front-matter", text=text, segments=tuple(segments))


def _quotes_before_closing(source: str, end: int, quote: str) -> int:
    """How many quotes of a run at ``end`` are in a multi-line string's value:
    up to two before its closing three (four quotes at the end of a string
    that ends with a quote)."""
    run = end
    while run < len(source) and source[run] == quote:
        run += 1
    return min(max(run - end - 3, 0), 2)


def _basic_end(source: str, start: int, opener: str) -> int:
    """Where the basic string from ``start`` on closes: the first ``opener``
    not escaped by a backslash, or -1."""
    at = start
    while at < len(source):
        if source[at] == "\\":
            at += 2
        elif source.startswith(opener, at):
            return at
        else:
            at += 1
    return -1


def _unescaped(source: str, start: int, end: int) -> tuple[str, list[int]]:
    """A basic string's value from ``source[start:end]``, escapes decoded,
    and the offset in the source each of its characters comes from (an
    escape's from its backslash)."""
    chars: list[str] = []
    offsets: list[int] = []
    at = start
    while at < end:
        if source[at] != "\\":
            chars.append(source[at])
            offsets.append(at)
            at += 1
            continue
        folded = _LINE_END_BACKSLASH.match(source, at, end)
        if folded is not None:
            at = folded.end()
            continue
        escape = source[at + 1 : at + 2]
        code_point = _code_point(source, at + 1, end)
        if escape in _TOML_ESCAPES:
            chars.append(_TOML_ESCAPES[escape])
            width = 2
        elif code_point is not None:
            chars.append(chr(code_point[0]))
            width = 1 + code_point[1]
        else:  # not an escape TOML knows: kept as written
            chars.append("\\")
            width = 1
        offsets.append(at)
        at += width
    return "".join(chars), offsets


def _code_point(source: str, at: int, end: int) -> tuple[int, int] | None:
    """The Unicode scalar value a ``uXXXX``/``UXXXXXXXX`` escape at ``at``
    names, and how many characters it takes; None if it names none."""
    found = _TOML_UNICODE.match(source, at, end)
    if found is None:
        return None
    value = int(found.group(1) or found.group(2), 16)
    if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        return None
    return value, len(found.group())
