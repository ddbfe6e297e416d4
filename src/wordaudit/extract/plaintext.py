"""Plain text: one block per paragraph (lines up to a blank line)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from wordaudit.extract import ExtractOptions
from wordaudit.model import Block, Segment

FORMAT = "text"
TEXT_BASED = True

_LINE_MARKER = re.compile(r"wordaudit:\s*ignore(?:\[([^\]\n]*)\])?")


def extract_text(text: str, options: ExtractOptions) -> Iterator[Block]:
    del options  # plain text has no switches
    yield from line_markers(text)
    lines: list[str] = []
    first_line = 1
    line_number = 0
    position = 0
    size = len(text)
    # Walk with str.find rather than splitlines(): a 50 MB file must not become
    # a list of a million strings before the first paragraph is matched.
    while position <= size:
        newline = text.find("\n", position)
        end = size if newline < 0 else newline
        line = text[position:end]
        line_number += 1
        if line.strip():
            if not lines:
                first_line = line_number
            lines.append(line)
        elif lines:
            yield paragraph(lines, first_line)
            lines = []
        if newline < 0:
            break
        position = newline + 1
    if lines:
        yield paragraph(lines, first_line)


def paragraph(lines: list[str], first_line: int) -> Block:
    segments = []
    offset = 0
    for number, line in enumerate(lines):
        segments.append(Segment(start=offset, line=first_line + number, column=1))
        offset += len(line) + 1
    return Block(kind="paragraph", text="\n".join(lines), segments=tuple(segments))


def line_markers(text: str) -> Iterator[Block]:
    """Trailing ``wordaudit: ignore[RULE]`` markers, as directive blocks."""
    if "wordaudit" not in text:
        return
    for found in _LINE_MARKER.finditer(text):
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        rules = found.group(1) or ""
        yield Block(
            kind="directive", text=f"wordaudit-ignore-line {rules}".strip(), segments=(Segment(0, line, column),)
        )
