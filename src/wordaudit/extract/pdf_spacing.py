"""Letter-spaced text closed up again, for both PDF engines.

A heading set with wide tracking ("BACK OFFICE ASSISTANT" with letter
spacing, as designed job descriptions and CSS ``letter-spacing`` set them)
has a gap after every letter, and both engines put a space there: "B A C K
O F F I C E" is ten words, and the phrase is never found. The glyphs say
what the text does not: between the letters of a word lies the tracking,
between words the tracking and a word space more.

A run of at least four one-letter words is looked at; its gaps are measured
between the glyphs' boxes. Where some gaps are wider than the usual one by
about a word space, the usual gaps are the tracking between letters and are
closed up, and the others stay spaces (wider: a word space in the tracked
text; narrower: a plain space to a word set without tracking). Where all are
alike, they are letters only if narrower than any word space: "grades A B C
D" in plain type keeps its spaces. Digits and signs alone ("5 - 7 years")
are no run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from statistics import median

# One-glyph words in a row: how many make a run worth measuring, and how
# many of them must be letters.
# A glyph group the engine did not split (a ligature "ffi", a kerned "am")
# may sit among them.
_RUN = re.compile(r"(?<!\S)\S{1,3}(?:\s+\S{1,3}){3,}(?!\S)")
_LETTERS = 4
_WHITESPACE = re.compile(r"\s+")
# A word space is about a quarter of an em (0.22 to 0.33 in common fonts);
# a word gap in letter-spaced text is the tracking and that much more.
_WORD_SPACE = 0.15
_NARROWER_THAN_WORDS = 0.18
# How far (in ems) a gap between letters may differ from the run's usual one:
# glyph boxes are not drawn to the hundredth of a point.
_SAME_GAP = 0.07

# The empty space between the glyphs either side of text[start:end] (a run of
# whitespace), in the units of the font size; None when it cannot be measured.
Gap = Callable[[int, int], float | None]


def may_be_spaced(text: str) -> bool:
    """Whether ``text`` has a run of one-glyph words to measure (cheap: no geometry)."""
    return _RUN.search(text) is not None


def spaced_runs(text: str) -> Iterator[str]:
    """Every stretch of ``text`` that ``close_up`` may close up, whatever the
    glyphs' gaps say (``page_screen`` reads them closed up)."""
    return (run.group() for run in _RUN.finditer(text))


def close_up(text: str, gap: Gap, size: float) -> str:
    """``text`` with the spaces between letter-spaced letters taken out.
    ``size`` is the font size; ``gap(start, end)`` measures the whitespace
    ``text[start:end]``."""
    if size <= 0:
        return text
    removed: list[tuple[int, int]] = []
    for run in _RUN.finditer(text):
        if sum(1 for word in run.group().split() if len(word) == 1 and word.isalpha()) < _LETTERS:
            continue
        spans = [span.span() for span in _WHITESPACE.finditer(text, run.start(), run.end())]
        spans.extend(_edges(text, run.start(), run.end()))
        widths = {span: gap(*span) for span in spans}
        # Between two single glyphs: the tracking, or a word gap in the run.
        between_letters = [span for span in spans if _single(text, span)]
        measured = [width for span in between_letters if (width := widths[span]) is not None]
        if len(measured) < 3:
            continue
        usual = median(measured)
        if max(measured) < usual + _WORD_SPACE * size and usual >= _NARROWER_THAN_WORDS * size:
            continue  # even gaps of a word space: words of one letter
        # Between single glyphs a kerned pair ("T e") lies closer than the
        # tracking; next to a group of glyphs a plain word space may too, to a
        # word set without tracking, so there only the tracking itself counts.
        closer = usual + _WORD_SPACE * size / 2
        same = _SAME_GAP * size
        for span in spans:
            width = widths[span]
            if width is not None and (width < closer if span in between_letters else abs(width - usual) <= same):
                removed.append(span)
    if not removed:
        return text
    pieces = []
    last = 0
    for start, end in sorted(removed):
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _single(text: str, span: tuple[int, int]) -> bool:
    """Whether the whitespace ``span`` lies between two one-glyph words."""
    start, end = span
    before = start == 1 or (start > 1 and text[start - 2].isspace())
    after = end + 1 == len(text) or (end + 1 < len(text) and text[end + 1].isspace())
    return before and after


def _edges(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The whitespace just before and just after text[start:end], between it
    and a neighbouring word (its last letters may be a glyph group the engine
    did not split: "t e am.")."""
    found = []
    before = len(text[:start].rstrip())
    if 0 < before < start:
        found.append((before, start))
    after = len(text) - len(text[end:].lstrip())
    if end < after < len(text):
        found.append((end, after))
    return found
