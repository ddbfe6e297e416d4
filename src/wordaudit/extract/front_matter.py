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

if TYPE_CHECKING:
    from markdown_it.rules_block import StateBlock

# How the front matter token's markup tells the two languages apart.
TOML_MARKUP = "+++"

_FRONT_MATTER_LINE = re.compile(r"^(?P<lead>\s*(?:-\s+)?)(?:(?P<key>[^\s:#'\"][^:]*?):(?:\s+|$))?(?P<value>.*?)\s*$")


def yaml_blocks(lines: Sequence[str], first: int, last: int) -> Iterator[Block]:
    """Values of YAML front matter on ``lines[first:last]``."""
    for index in range(first, min(last, len(lines))):
        found = _FRONT_MATTER_LINE.match(lines[index])
        if found is None or lines[index].lstrip().startswith("#"):
            continue
        value = found.group("value")
        start = found.start("value")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value, start = value[1:-1], start + 1
        if value.strip() and value not in ("|", ">", "|-", ">-"):
            yield Block(kind="front-matter", text=value, segments=(Segment(0, index + 1, start + 1),))


# ---------------------------------------------------------------- TOML


def toml_front_matter(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A markdown-it block rule: TOML front matter, a first line ``+++`` to
    the next line ``+++``, as Hugo reads it. Never closed, it is markdown."""
    if start_line != 0 or not _is_toml_fence(state, 0):
        return False
    closing = next((line for line in range(1, end_line) if _is_toml_fence(state, line)), None)
    if closing is None:
        return False
    if silent:
        return True
    token = state.push("front_matter", "", 0)
    token.hidden = True
    token.block = True
    token.markup = TOML_MARKUP
    token.content = state.src[state.bMarks[1] : state.eMarks[closing - 1]] if closing > 1 else ""
    token.map = [0, closing + 1]
    state.line = closing + 1
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
