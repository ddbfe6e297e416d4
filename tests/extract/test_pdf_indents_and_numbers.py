"""Paragraphs whose lines do not start level: a first line indented as Word's
"first line" indent sets it, and list and note numbers set a tab apart from
their text with a hanging indent ("(a)", "(iv)", "1.1", "2.3.1", "1.1.", a bare
"1", a footnote's number). Each wrapped paragraph or item is one block, so a
phrase over its line end is found; a new paragraph or item is still a block of
its own. The fixtures are tests/fixtures/pdf/first-line-indent.pdf and
list-numbers.pdf (see its README.md), laid out by LibreOffice; every fixture
test runs on each engine installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import locate
from wordaudit.extract import ExtractOptions, pdf
from wordaudit.extract.pdf_layout import Spacing, TextLine, group_lines, layout_page, marker_length, right_edges
from wordaudit.model import Block

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pdf"
SIZE = 11.0


def read(name: str, engine: str) -> list[Block]:
    return list(pdf.extract_file(FIXTURES / name, ExtractOptions(pdf_engine=engine)))


def starts(blocks: list[Block]) -> list[tuple[str, int]]:
    """Each block's first line and the page line it starts on."""
    return [(block.text.split("\n", 1)[0], block.segments[0].line) for block in blocks]


# --- first-line indent ------------------------------------------------------


def test_an_indented_first_line_runs_on_into_the_next(engine: str) -> None:
    blocks = read("first-line-indent.pdf", engine)
    assert locate(blocks, "back\noffice team, which settles") == (1, 4, 56)
    # Justified: the short last line's right edge is not the first line's either.
    assert locate(blocks, "back\noffice team within a day.") == (1, 10, 54)
    assert locate(blocks, "non-customer\xad\nfacing") == (1, 12, 46)


def test_an_indented_first_line_still_starts_a_paragraph(engine: str) -> None:
    # No space between the paragraphs: the indent alone tells where one starts,
    # under a line at the margin ("Call us back") or a short last line left
    # without its full stop ("...call us back").
    assert starts(read("first-line-indent.pdf", engine)) == [
        ("Call us back", 1),
        ("Office hours are nine to five, Monday to Friday, and the desk", 2),
        ("Every payment run is checked against the ledger by our back", 4),
        ("If a payment or a remittance advice is missing, write to the", 6),
        ("Office staff park behind the building, in the spaces marked", 8),
        ("Each supplier invoice is matched to its order by our back", 10),
        ("Until last year the payments team was called non-customer\xad", 12),
    ]


def lines(*rows: tuple[str, float, float, float]) -> list[TextLine]:
    """11 pt lines (text, left, right, baseline), 12.7 pt apart as LibreOffice sets them."""
    return [TextLine(text, left, base - 0.2 * SIZE, right, base + 0.8 * SIZE) for text, left, right, base in rows]


def boxes(page: list[TextLine]) -> list[list[str]]:
    return [[line.text for line in box] for box in group_lines(page, Spacing(furthest=right_edges(page)))]


def test_a_full_width_line_over_an_indented_one_is_not_carried_on_by_the_indent() -> None:
    # The other way round: an indent under a full line at the margin is a new
    # paragraph's first line, whatever the paragraph above left open.
    page = lines(
        ("the payments desk will call you back", 57, 340, 500),
        ("Office hours are nine to five, Monday to", 93, 355, 487.3),
        ("Friday.", 57, 90, 474.6),
    )
    assert boxes(page) == [
        ["the payments desk will call you back"],
        ["Office hours are nine to five, Monday to", "Friday."],
    ]


@pytest.mark.parametrize(
    ("first", "why"),
    [
        (("Our back", 93, 135, 500), "short: the next word would have fitted"),
        (("Every payment run is checked by our back.", 93, 360, 500), "its sentence is closed"),
    ],
)
def test_an_indented_line_that_does_not_run_on_is_a_paragraph_of_its_own(
    first: tuple[str, float, float, float], why: str
) -> None:
    page = lines(first, ("Office team members park behind the building.", 57, 280, 487.3))
    page += lines(("A line at the margin gives the column its right edge.", 57, 362, 474.6))
    assert len(boxes(page)[0]) == 1, why


def test_a_larger_indented_line_is_no_first_line() -> None:
    # A heading a size up, indented as a centred title is: not the paragraph's first line.
    heading = TextLine("Questions about the back", 93, 497.4, 360, 510.4)
    page = [heading, *lines(("office hours, and other matters, go to the desk.", 57, 300, 487.3))]
    page += lines(("A line at the margin gives the column its right edge.", 57, 362, 474.6))
    assert boxes(page)[0] == ["Questions about the back"]


# --- list and note numbers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("(a) Work", 4),
        ("(iv) Work", 5),
        ("1.1 Work", 4),
        ("2.3.1 Work", 6),
        ("1.1. Work", 5),
        ("1 Work", 2),
        # A number wider than its tab stop: no space before the item's capital.
        ("viii.Work", 5),
        ("(viii)Work", 6),
    ],
)
def test_list_and_note_numbers_are_markers(text: str, length: int) -> None:
    assert marker_length(text) == length


@pytest.mark.parametrize("text", ["2024 budget", "U.S. Army", "e.g. this", "A.Smith", "viii.work", "1,000 staff"])
def test_numbers_and_abbreviations_in_text_are_not_markers(text: str) -> None:
    assert marker_length(text) == 0


# The items' and the note's first lines, as the source words them.
ITEM = "Work every day alongside the payments team and the whole of the finance directorate as our back"
WIDER_ITEM = ITEM.replace("the finance", "the wider finance")
NOTE = (
    "Until last year the payments team and the whole of the wider finance directorate were known together as our back"
)
ITEM_STARTS = [
    ("Duties of the payments clerk:", 1),
    *(
        (f"{number} {ITEM}", line)
        for number, line in [("(a)", 2), ("(iv)", 4), ("1.1", 6), ("2.3.1", 8), ("1.1.", 10), ("1", 12)]
    ),
    ("2.3 When to call us back", 14),
    ("Office hours are nine to five, Monday to Friday.", 15),
    *(
        (f"{number}. {role}", line)
        for number, role, line in [
            ("i", "Ledger clerk", 17),
            ("ii", "Mail room assistant", 18),
            ("iii", "Payroll officer", 19),
            ("iv", "Records keeper", 20),
            ("v", "Billing analyst", 21),
            ("vi", "Claims handler", 22),
            ("vii", "Data steward", 23),
        ]
    ),
    (f"viii.{WIDER_ITEM}", 24),
    ("The payments team1 works in Leeds.", 26),
    (f"1 {NOTE}", 27),
]


def test_each_numbered_item_is_one_block(engine: str) -> None:
    # The items are set with no space between them: each starts where the
    # one before it has its text, and is still an item of its own.
    blocks = read("list-numbers.pdf", engine)
    assert starts(blocks) == ITEM_STARTS
    # A numbered heading over its text in one size does not run on into it.
    assert not any("call us back\nOffice" in block.text for block in blocks)


@pytest.mark.parametrize(
    ("line", "column"), [(2, 96), (4, 97), (6, 96), (8, 98), (10, 97), (12, 94), (24, 103), (27, 111)]
)
def test_a_phrase_over_a_numbered_items_line_end_is_found(engine: str, line: int, column: int) -> None:
    blocks = read("list-numbers.pdf", engine)
    (block,) = [block for block in blocks if block.segments[0].line == line]
    offset = block.text.index("back\noffice")
    position = block.position(offset)
    assert (position.page, position.line, position.column) == (1, line, column)


def test_items_of_a_tight_list_are_blocks_of_their_own() -> None:
    # Each item's box starts at its text, level with the item above it.
    page = lines(
        ("• Call us back", 75, 140, 500),
        ("• Office hours are nine to five.", 75, 230, 487.3),
        ("• Work with our back", 75, 360, 474.6),
        ("office team.", 75, 130, 461.9),
    )
    assert boxes(page) == [
        ["• Call us back"],
        ["• Office hours are nine to five."],
        ["• Work with our back", "office team."],
    ]


def test_a_one_line_item_does_not_run_on_into_the_line_at_the_margin_below_the_list() -> None:
    # A job description's key facts under a list set without space (LibreOffice,
    # spacing 0): the last item reaches almost as far as the longest, and no line
    # on the page is full width, yet "Office:" starts what follows the list.
    # As LibreOffice 7.4 sets Word's default bullets (the tester's jdF.fodt).
    page = lines(
        ("\u2022 Check each claim against the policy before it is paid", 108.1, 360.5, 500),
        ("\u2022 Answer calls from customers and call them back", 108.1, 343.4, 487.3),
        ("Office: Leeds, two days a week at home", 72.1, 266.9, 474.6),
        ("Salary: 28,000 a year", 72.1, 176.7, 461.9),
    )
    assert boxes(page)[1] == ["\u2022 Answer calls from customers and call them back"]


def test_a_line_starting_with_a_number_goes_on_in_its_paragraph() -> None:
    # "12" at a line's start in prose or an address starts level with the text
    # above it, where a hanging indent sets an item's number out to the left.
    page = lines(
        ("The payments team has grown to", 57, 200, 500),
        ("12 people in our back", 57 + 14.4, 170, 487.3),
        ("office team.", 57, 110, 474.6),
    )
    page += lines(("A line at the margin gives the column its right edge.", 57, 175, 461.9))
    assert boxes(page)[0][:3] == ["The payments team has grown to", "12 people in our back", "office team."]


def test_a_field_run_starting_with_a_number_is_a_piece_of_its_line() -> None:
    # "Page" and "2 of 3" drawn apart (a field), 0.5 em from the "2": the
    # engines start the second piece's box past its "2 ".
    small = 7.0
    page = [
        TextLine("Page ", 279.9, 35.5, 296.2, 35.5 + small),
        TextLine("2 of 3", 304.0, 35.5, 315.7, 35.5 + small),
    ]
    assert [[line.text for line in box] for box in layout_page(page)] == [["Page 2 of 3"]]
