"""A hyphen at a PDF line end is read both ways: as a word broken there
("non-cus-" / "tomer-facing") and as a compound broken at its own hyphen
("back-" / "end staff", "behind-the-" / "scenes"). PDF text gives no way to
tell them apart, and only the second reading finds the compounds."""

from __future__ import annotations

import pytest

from wordaudit.api import build_auditor
from wordaudit.model import Block, Segment
from wordaudit.view import has_line_end_hyphen, make_view

SHY = "\u00ad"
MATCHER = build_auditor().matcher


def block(text: str) -> Block:
    """A block with a segment per line, as the PDF reader makes them."""
    segments, start = [], 0
    for number, line in enumerate(text.split("\n"), start=1):
        segments.append(Segment(start, number, 1, page=1))
        start += len(line) + 1
    return Block("paragraph", text, tuple(segments))


def found(text: str) -> list[tuple[str, str, int, int]]:
    b = block(text)
    return [(m.rule.id, b.text[m.start : m.end], m.start, m.end) for m in MATCHER.find_in_block(b)]


def test_the_second_view_keeps_the_hyphen_and_maps_back_to_the_block() -> None:
    text = f"our back{SHY} \nend staff and non-cus{SHY}\ntomer-facing roles"
    view = make_view(text, keep_line_end_hyphens=True)
    assert view.text == "our back-end staff and non-cus-tomer-facing roles"
    hyphen = view.text.index("-end")
    assert text[view.to_block(hyphen)] == SHY
    assert text[view.to_block(hyphen + 1) :].startswith("end staff")
    assert text[view.to_block(view.text.index("tomer")) :].startswith("tomer")
    assert make_view(text).text == "our backend staff and non-customer-facing roles"


def test_only_a_soft_hyphen_at_a_line_end_is_kept() -> None:
    # Inside a line a soft hyphen is an optional break a reader never sees.
    assert not has_line_end_hyphen(f"back{SHY}end staff")
    assert make_view(f"back{SHY}end staff", keep_line_end_hyphens=True).text == "backend staff"
    assert has_line_end_hyphen(f"back{SHY}\t\nend")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"Our back{SHY}\nend staff are here.", [("back-end-staff", f"back{SHY}\nend", 4, 13)]),
        (f"Thank every\nbehind-the{SHY}\nscenes team.", [("behind-the-scenes", f"behind-the{SHY}\nscenes", 12, 30)]),
        (f"the back{SHY}\nline employees", [("back-line", f"back{SHY}\nline", 4, 14)]),
        # Found by the first reading: reported once, not once per reading.
        (f"our back{SHY}\noffice team", [("back-office", f"back{SHY}\noffice", 4, 16)]),
        (f"non-cus{SHY}\ntomer-facing roles", [("non-customer-facing", f"non-cus{SHY}\ntomer-facing", 0, 21)]),
        # Traps stay traps in either reading.
        (f"the back{SHY}\nend API", []),
        (f"our front{SHY}\noffice", []),
    ],
)
def test_compounds_broken_at_their_hyphen_are_found_once(text: str, expected: list[tuple[str, str, int, int]]) -> None:
    assert found(text) == expected


def test_findings_of_both_readings_come_in_block_order() -> None:
    text = f"Our back{SHY}\nend staff work with the back office team."
    assert [rule for rule, *_ in found(text)] == ["back-end-staff", "back-office"]
