"""The text the matcher reads, and the way back to the block's offsets.

Hyphen look-alikes, odd spaces and zero-width characters are folded to "-" and
" " in place (same length), and a soft hyphen with the white space after it is
dropped, because it marks a word broken at a line end or an optional break that
readers do not see ("cus\\u00ad\\ntomer" reads "customer").
"""

from __future__ import annotations

import bisect
import re

from wordaudit.record import record

_FOLD = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\t": " ",
        # Zero-width characters: a space (U+200B), the (non-)joiners (U+200C,
        # U+200D), the word joiner (U+2060) and U+FEFF (a byte-order mark inside
        # text). Unseen, yet a word holding one is two tokens, or none, to the
        # matcher: "back\u200doffice" would hide. Each reads as a space; the
        # block keeps the character, so a rule that wants its words apart
        # (match.py, _JOINERS) still takes "back\u200dline" for "backline", as
        # it shows.
        "\u200b": " ",
        "\u200c": " ",
        "\u200d": " ",
        "\u2060": " ",
        "\ufeff": " ",
    }
)
_SOFT_BREAK = re.compile(r"\u00ad\s*")
_LINE_END_SOFT_HYPHEN = re.compile(r"\u00ad[ \t]*\n")
# A dash typed or autocorrected where a hyphen was meant ("back–office", an en
# dash): read as a hyphen only between two letters, as a spaced dash ("went
# back – office hours") is punctuation that parts words.
_DASHES = "\u2012\u2013\u2212\ufe63\uff0d"
_DASH_IN_WORD = re.compile(rf"(?<=[^\W\d_])[{_DASHES}](?=[^\W\d_])")


@record
class MatchView:
    text: str
    # Sorted view offsets where a deletion happened, and the number of block
    # characters deleted up to and including each; empty when nothing was.
    _cut_at: tuple[int, ...] = ()
    _cut_total: tuple[int, ...] = ()

    @property
    def cut(self) -> bool:
        """Whether the view dropped anything (soft hyphens) from the block."""
        return bool(self._cut_at)

    def to_block(self, offset: int) -> int:
        index = bisect.bisect_right(self._cut_at, offset) - 1
        return offset + (self._cut_total[index] if index >= 0 else 0)

    def to_block_end(self, offset: int) -> int:
        """Map an exclusive end offset: a deletion right before it stays out."""
        return self.to_block(offset - 1) + 1 if offset > 0 else 0


def make_view(text: str, *, keep_line_end_hyphens: bool = False) -> MatchView:
    """The text the matcher reads. With ``keep_line_end_hyphens``, a soft
    hyphen at a line end reads as a hyphen, the line break dropped: a PDF
    reader cannot tell a word broken at a line end ("cus-" / "tomer") from a
    hyphenated compound broken at its hyphen ("back-" / "end staff",
    "behind-the-" / "scenes"), and the matcher reads the block both ways."""
    folded = text.translate(_FOLD)
    if any(dash in folded for dash in _DASHES):
        folded = _DASH_IN_WORD.sub("-", folded)
    if "\u00ad" not in folded:
        return MatchView(folded)
    pieces: list[str] = []
    cut_at: list[int] = []
    cut_total: list[int] = []
    deleted = 0
    last = 0
    for found in _SOFT_BREAK.finditer(folded):
        pieces.append(folded[last : found.start()])
        kept = 1 if keep_line_end_hyphens and "\n" in found.group() else 0
        if kept:
            pieces.append("-")
        # The view offset right after what is kept, where the deletion happened.
        cut_at.append(found.start() - deleted + kept)
        deleted += found.end() - found.start() - kept
        cut_total.append(deleted)
        last = found.end()
    pieces.append(folded[last:])
    return MatchView("".join(pieces), tuple(cut_at), tuple(cut_total))


def has_line_end_hyphen(text: str) -> bool:
    """Whether ``text`` has a soft hyphen at a line end, which a second view reads as a hyphen."""
    return _LINE_END_SOFT_HYPHEN.search(text) is not None
