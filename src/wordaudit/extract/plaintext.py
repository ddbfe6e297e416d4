"""Plain text: one block per paragraph (lines up to a blank line).

The text may come whole or in pieces (``extract_chunks``, for files too big
to hold): either way paragraphs are built line by line, and a line longer
than ``MAX_BLOCK`` characters (a 500 MB file with no line break) is cut at
white space into blocks of its own, so memory stays bounded.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterable, Iterator
from typing import TYPE_CHECKING

from wordaudit.extract import ExtractOptions
from wordaudit.model import Block, Segment

if TYPE_CHECKING:
    from wordaudit.prefilter import TextScreen

FORMAT = "text"
TEXT_BASED = True
MAX_BLOCK = 1 << 20

_LINE_MARKER = re.compile(r"wordaudit:\s*ignore(?:\[([^\]\n]*)\])?")
# Rule ids after a marker, up to the end of the HTML comment it is in.
_LISTED_IN_COMMENT = re.compile(r"\s+([\w-]+(?:\s*,\s*[\w-]+)*)\s*-->")


def blanked(pattern: re.Pattern[str], text: str) -> str:
    """``text`` with what ``pattern`` matches turned to spaces: not prose, and
    every offset after it (and every segment) stays where it was."""
    return pattern.sub(lambda found: " " * len(found.group()), text)


def blank_markers(text: str) -> str:
    """``text`` with its ``wordaudit: ignore[RULE]`` markers blanked: a marker is
    an instruction, not prose, and the rule ids it names hold the rules' own
    phrases ("ignore[back-office]")."""
    return blanked(_LINE_MARKER, text) if "wordaudit" in text else text


def extract_text(text: str, options: ExtractOptions) -> Iterator[Block]:
    return extract_chunks((text,), options)


def extract_chunks(chunks: Iterable[str], options: ExtractOptions, first_line: int = 1) -> Iterator[Block]:
    """Blocks of text that arrives in pieces; ``first_line`` is the number of
    the first line (a part of a file that is read in parts). With a screen
    (``options.text_screen``), only the paragraphs it points at become blocks:
    the others could give no finding, and their lines are only counted."""
    screen = options.text_screen
    builder = _Paragraphs(first_line)
    carry = ""
    for chunk in chunks:
        data = carry + chunk if carry else chunk
        start = 0
        if screen is not None:
            start = yield from _skim(data, screen, builder)
        while True:
            newline = data.find("\n", start)
            if newline < 0:
                break
            yield from builder.line(data[start:newline], ended=True)
            start = newline + 1
        carry = data[start:]
        while len(carry) > MAX_BLOCK:
            cut = _cut_at_space(carry, MAX_BLOCK, screen)
            yield from builder.line(carry[:cut], ended=False)
            carry = carry[cut:]
    if carry:
        yield from builder.line(carry, ended=True)
    yield from builder.flush()


def _skim(data: str, screen: TextScreen, builder: _Paragraphs) -> Generator[Block, None, int]:
    """The blocks of the paragraphs of ``data``'s whole lines that the screen
    points at, the other lines counted; returns where the lines left to read
    one by one start (those of a paragraph the next piece may carry on)."""
    end = data.rfind("\n") + 1  # past the last whole line
    if not end:
        return 0
    lowered = data.lower()
    if len(lowered) != len(data):  # a letter whose lower case is longer ("\u0130"): every line is read
        return 0
    position = 0
    while position < end:
        if builder.lines:  # a paragraph goes on: read up to its end
            newline = data.find("\n", position)
            yield from builder.line(data[position:newline], ended=True)
            position = newline + 1
            continue
        found = screen.first(lowered, position, end)
        if found < 0:
            # The last paragraph is left to be read line by line: the next
            # piece may carry it on up to a term.
            last = data.rfind("\n", position, end - 1) + 1 or position
            tail = _paragraph_start(data, position, last) if data[last : end - 1].strip() else end
            builder.skip(data.count("\n", position, tail))
            return tail
        # Back to the first line of the paragraph it stands in (the lines
        # before it hold no term, so no marker that would part them).
        begin = _paragraph_start(data, position, data.rfind("\n", position, found) + 1 or position)
        builder.skip(data.count("\n", position, begin))
        position = begin
        while position <= found:
            newline = data.find("\n", position)
            yield from builder.line(data[position:newline], ended=True)
            position = newline + 1
    return end


def _paragraph_start(data: str, floor: int, line: int) -> int:
    """Where the paragraph that the line starting at ``line`` is in starts: the
    first of the lines before it up to a blank one, ``floor`` at the most."""
    begin = line
    while begin > floor:
        previous = data.rfind("\n", floor, begin - 1) + 1 or floor
        if not data[previous : begin - 1].strip():
            break
        begin = previous
    return begin


class _Paragraphs:
    def __init__(self, first_line: int = 1) -> None:
        self.lines: list[tuple[str, int, int]] = []  # text, line, column
        self.line_number = first_line
        self.column = 1

    def line(self, text: str, *, ended: bool) -> Iterator[Block]:
        if "wordaudit" in text:
            yield from _markers(text, self.line_number, self.column)
            text = blank_markers(text)
        if not ended:
            # Part of a giant line: a block of its own.
            yield from self.flush()
            if text.strip():
                yield Block("paragraph", text, (Segment(0, self.line_number, self.column),))
            self.column += len(text)
            return
        if text.strip():
            self.lines.append((text, self.line_number, self.column))
        else:
            yield from self.flush()
        self.line_number += 1
        self.column = 1

    def skip(self, lines: int) -> None:
        """Pass over whole lines that hold no paragraph to read (the first may
        be the rest of a line begun before)."""
        if lines:
            self.line_number += lines
            self.column = 1

    def flush(self) -> Iterator[Block]:
        if not self.lines:
            return
        segments = []
        offset = 0
        for text, line, column in self.lines:
            segments.append(Segment(start=offset, line=line, column=column))
            offset += len(text) + 1
        yield Block(kind="paragraph", text="\n".join(t for t, _, _ in self.lines), segments=tuple(segments))
        self.lines = []


_SENTENCE_END = re.compile(r"[.!?;:,][\"')\]]*\s")


def _cut_at_space(text: str, limit: int, screen: TextScreen | None = None) -> int:
    """Where to cut a giant line: after the last sentence end before ``limit``
    (no phrase crosses one), else at the last white space, moved back before
    a rule's first word (``screen``) that stands just before it: a phrase
    that starts there may go on past the space ("back" / "office")."""
    window = text[limit - limit // 4 : limit]
    ends = [m.end() for m in _SENTENCE_END.finditer(window)]
    if ends:
        return limit - limit // 4 + ends[-1]
    space = max(text.rfind(" ", 0, limit), text.rfind("\t", 0, limit))
    if space <= 0:
        return limit
    cut = space + 1
    if screen is not None:
        reach = max(cut - _PHRASE_REACH, 0)
        lowered = text[reach:cut].lower()
        found = screen.first(lowered, 0, len(lowered)) if len(lowered) == cut - reach else 0
        if found >= 0:
            before = max(text.rfind(" ", 0, reach + found), text.rfind("\t", 0, reach + found))
            cut = before + 1 if before > 0 else cut
    return cut


# Characters a phrase, from its first word on, may run to: the cut of a giant
# line is kept this far from a first word before it.
_PHRASE_REACH = 256


def _markers(line: str, line_number: int, column: int) -> Iterator[Block]:
    for found in _LINE_MARKER.finditer(line):
        text = _marker_directive(found, line[: found.start()], line[found.end() :])
        yield Block(kind="directive", text=text, segments=(Segment(0, line_number, column + found.start()),))


def line_markers(text: str) -> Iterator[Block]:
    """Trailing ``wordaudit: ignore[RULE]`` markers of a whole text, as directive blocks."""
    if "wordaudit" not in text:
        return
    for found in _LINE_MARKER.finditer(text):
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.end())
        after = text[found.end() : len(text) if end < 0 else end]
        yield Block(
            kind="directive",
            text=_marker_directive(found, text[start : found.start()], after),
            segments=(Segment(0, text.count("\n", 0, found.start()) + 1, found.start() - start + 1),),
        )


def _marker_directive(found: re.Match[str], before: str, after: str) -> str:
    """The directive a marker stands for, ``before`` and ``after`` being the rest
    of its line. A marker ends the line it covers; one on a line of its own (in
    an HTML comment or not) covers the next line, as alex's ignore comments
    cover what follows them: it could cover nothing on its own line. In an HTML
    comment, the rules may also be listed as a Word comment lists them
    ("<!-- wordaudit: ignore back-line -->")."""
    rules = found.group(1)
    if rules is None:
        listed = _LISTED_IN_COMMENT.match(after)
        rules, after = (listed.group(1), after[listed.end() :]) if listed else ("", after)
    alone = not before.replace("<!--", "").strip() and not after.replace("-->", "").strip()
    action = "disable-next-line" if alone else "ignore-line"
    return f"wordaudit-{action} {rules}".strip()
