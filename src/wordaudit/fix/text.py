"""Apply edits to markdown and plain text files.

Findings give 1-based (line, column) positions in the text with line endings
folded to LF; columns are the same in the file, because folding only changes
the terminators. So edits are made on the file's text as decoded, line
endings untouched, and re-encoded with the codec it was read with: the BOM,
each line's own ending (CRLF, CR, LF, even mixed) and every character no
edit covers come back byte for byte.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from pathlib import Path

from wordaudit.errors import UndecodableText
from wordaudit.finding import readable
from wordaudit.fix.model import Applied, Edit, Unfixed, fitted_article
from wordaudit.model import Finding
from wordaudit.textio import decode_with_encoding, read_bytes

FORMATS = ("markdown", "text")

_LINE_BREAK = re.compile(r"\r\n?|\n")  # the breaks textio folds, and "\n"
# An indefinite article ending right before the match, on the same line.
_ARTICLE = re.compile(r"(?<![\w'’-])(an?)([ \t\u00a0]+)$", re.IGNORECASE)
# In markdown and text, the article may stand a line before the match, or
# outside the markup that opens it: "a *back office*", "a <b>back office</b>",
# "a [back office](/ops)". Not a letter of a tag ("<a>", "</a>").
_ARTICLE_BEFORE_MARKUP = re.compile(
    r"(?<![\w'’</-])(an?)((?:[ \t\u00a0]|\r\n|\r|\n|[*_~\[]|<[A-Za-z/][^<>\r\n]*>)+)$", re.IGNORECASE
)


def apply(path: Path, edits: Sequence[Edit], *, track_changes: bool = True) -> Applied:
    # Plain text has no tracked changes: every applier takes the option, this one ignores it.
    data = read_bytes(path)
    decoded = decode_with_encoding(data)
    text = decoded.text
    try:
        round_trip = decoded.bom + text.encode(decoded.encoding)
    except UnicodeError:
        round_trip = b""
    if round_trip != data:
        # A file read with replacement characters (stray bytes in UTF-8) would
        # lose those bytes if written back: leave it to a person.
        raise UndecodableText(
            f"cannot be written back byte for byte: some of its bytes are not {decoded.encoding.upper()}"
        )
    lines = _Lines(text)
    spans: list[tuple[int, int, str]] = []
    done: list[Edit] = []
    unfixed: list[Unfixed] = []
    for edit in sorted(edits, key=lambda e: (e.finding.line, e.finding.column)):
        found = lines.span(edit.finding)
        if isinstance(found, str):
            unfixed.append(Unfixed(edit.finding, found))
            continue
        start, end = found
        if spans and start < spans[-1][1]:
            unfixed.append(Unfixed(edit.finding, "overlaps another edit"))
            continue
        replacement = edit.replacement
        if edit.fit_article:
            reach = lines.line_start(max(lines.line_start(start) - 1, 0))  # the line before the match's, and its own
            start, replacement = with_article(text, reach, start, replacement, spans, article=_ARTICLE_BEFORE_MARKUP)
        try:
            replacement.encode(decoded.encoding)
        except UnicodeEncodeError:
            unfixed.append(Unfixed(edit.finding, f'"{edit.replacement}" cannot be written in {decoded.encoding}'))
            continue
        spans.append((start, end, replacement))
        done.append(edit)
    if not spans:
        folded = _fold(text)
        return Applied(None, (), tuple(unfixed), folded, folded)
    new_text = _splice(text, spans)
    new_data = decoded.bom + new_text.encode(decoded.encoding)
    return Applied(new_data, tuple(done), tuple(unfixed), _fold(text), _fold(new_text))


class _Lines:
    """Where each line of the file's text starts and where its content ends."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        self.ends: list[int] = []
        for found in _LINE_BREAK.finditer(text):
            self.ends.append(found.start())
            self.starts.append(found.end())
        self.ends.append(len(text))

    def line_start(self, offset: int) -> int:
        return self.starts[bisect.bisect_right(self.starts, offset) - 1]

    def offset(self, line: int, column: int) -> int | None:
        if not 1 <= line <= len(self.starts) or column < 1:
            return None
        offset = self.starts[line - 1] + column - 1
        return offset if offset <= self.ends[line - 1] else None

    def span(self, finding: Finding) -> tuple[int, int] | str:
        """The finding's characters as offsets, or why they cannot be trusted."""
        start = self.offset(finding.line, finding.column)
        end = self.offset(finding.end_line, finding.end_column)
        if start is None or end is None or end <= start:
            return f"position {finding.line}:{finding.column} is not in the file"
        # The same reading the finding was reported with: line breaks as a
        # space, a hyphen kept where the break only wrapped the word. Markup
        # inside the match ("**back**-office") or an escape fails here.
        if readable(_fold(self.text[start:end])) != finding.match:
            return f'the text at {finding.line}:{finding.column} does not read "{finding.match}"; edit it by hand'
        return start, end


def with_article(
    text: str,
    line_start: int,
    start: int,
    replacement: str,
    spans: list[tuple[int, int, str]],
    *,
    article: re.Pattern[str] = _ARTICLE,
) -> tuple[int, str]:
    """Extend an edit over "a"/"an" before it when the replacement needs the
    other one; what stands between them (white space, markup) is kept as it is.
    ``article`` finds the article and that gap, ending at ``start``, in the
    text from ``line_start`` on."""
    found = article.search(text, line_start, start)
    if found is None or (spans and found.start() < spans[-1][1]) or not _plain_gap(found.group(2)):
        return start, replacement
    article_text, gap = found.group(1), found.group(2)
    # On the article's own line: a name ("Team A") is not broken over two lines.
    own_line = max(text.rfind("\n", line_start, found.start()), text.rfind("\r", line_start, found.start())) + 1
    before = text[max(own_line, line_start) : found.start()].rstrip()
    if article_text[0].isupper() and before[-1:].isalnum():
        return start, replacement  # "Team A back-office": a name, not an article
    fitted = fitted_article(article_text, replacement)
    if fitted == article_text:
        return start, replacement
    return found.start(), f"{fitted}{gap}{replacement}"


def _plain_gap(gap: str) -> bool:
    """Whether an article and the word after it are apart as words in one
    paragraph: some white space ("a*back*" reads "aback"), one line break at most."""
    return any(char.isspace() for char in gap) and len(_LINE_BREAK.findall(gap)) <= 1


def _splice(text: str, spans: list[tuple[int, int, str]]) -> str:
    pieces: list[str] = []
    last = 0
    for start, end, replacement in spans:
        pieces.append(text[last:start])
        pieces.append(replacement)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _fold(text: str) -> str:
    return _LINE_BREAK.sub("\n", text) if "\r" in text else text
