"""Letter-spaced runs closed up from measured gaps (pdf_spacing), on made-up lines.

A line is given as its words, as an engine spaces them, and the gap in points
after each; the font is 12 pt, so a plain word space is about 3 pt.
"""

from __future__ import annotations

from collections.abc import Callable

from wordaudit.extract.pdf_spacing import close_up, may_be_spaced

SIZE = 12.0


def line(*pieces: str | float | None) -> tuple[str, Callable[[int, int], float | None]]:
    """``line("B", 2.4, "A", ...)``: the text with one space between the
    pieces, and a gap function that gives each space its width."""
    words = [piece for piece in pieces[::2] if isinstance(piece, str)]
    widths = list(pieces[1::2])
    text = " ".join(words)
    starts = [index for index, char in enumerate(text) if char == " "]
    by_start = dict(zip(starts, widths, strict=True))
    return text, lambda start, end: by_start[start]


def tracked(word: str, tracking: float) -> list[str | float]:
    """The letters of ``word`` with ``tracking`` after all but the last."""
    pieces: list[str | float] = []
    for letter in word[:-1]:
        pieces += [letter, tracking]
    return [*pieces, word[-1]]


def closed(*pieces: str | float | None) -> str:
    return close_up(*line(*pieces), SIZE)


def test_a_tracked_heading_is_closed_up_word_by_word() -> None:
    # 0.2 em of tracking; between words the tracking and a word space more.
    assert closed(*tracked("BACK", 2.4), 7.8, *tracked("OFFICE", 2.4), 7.8, *tracked("TEAM", 2.4)) == (
        "BACK OFFICE TEAM"
    )


def test_a_kerned_pair_inside_a_tracked_word_is_closed_up_too() -> None:
    # "T e" set 1.2 pt closer than the tracking, as fonts kern the pair.
    team = ["T", 1.2, "e", 2.4, "a", 2.4, "m"]
    assert closed(*tracked("Back", 2.4), 7.8, *tracked("Office", 2.4), 7.8, *team) == "Back Office Team"


def test_plain_words_beside_a_tracked_phrase_keep_their_spaces() -> None:
    # "the" and "with" in plain type: a 3 pt space, narrower than the 4 pt tracking.
    pieces = ["the", 3.0, *tracked("back", 4.0), 8.0, *tracked("office", 4.0), 3.0, "with"]
    assert closed(*pieces) == "the back office with"


def test_a_glyph_group_the_engine_left_whole_joins_its_letters() -> None:
    # PDFium gives "o ffi c e" and "t e am." where the tracking is slight.
    pieces = [*tracked("back", 1.8), 6.0, "o", 1.8, "ffi", 1.8, "c", 1.8, "e", 6.0, "t", 1.8, "e", 1.8, "am."]
    assert closed(*pieces) == "back office team."


def test_one_letter_words_in_plain_type_keep_their_spaces() -> None:
    # Every gap a word space: no tracking to close up.
    assert closed("Grades", 3.0, "A", 3.0, "B", 3.0, "C", 3.0, "D", 3.0, "apply.") == "Grades A B C D apply."


def test_tight_tracking_on_one_word_alone_is_closed_up() -> None:
    # All gaps alike, but narrower than any word space: letters of one word.
    assert closed(*tracked("OFFICE", 1.0)) == "OFFICE"


def test_wide_tracking_on_one_word_alone_is_left_as_it_is() -> None:
    # Gaps alike and as wide as word spaces: one-letter words, for all the text says.
    assert closed(*tracked("OFFICE", 3.0)) == "O F F I C E"


def test_digits_and_signs_are_no_run() -> None:
    assert not may_be_spaced("At least 5 - 7 years")
    assert closed("•", 9.0, "5", 3.0, "-", 3.0, "7", 3.0, "years") == "• 5 - 7 years"


def test_an_unmeasured_gap_stays_a_space() -> None:
    assert closed("B", 1.0, "A", None, "C", 1.0, "K", 1.0, "S") == "BA CKS"
