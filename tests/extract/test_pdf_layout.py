"""Reading order and boxes on made-up pages, where the geometry is exact.

Coordinates are PDF points, y up; a 12 pt line spans one em from its descent.
"""

from __future__ import annotations

import pytest

from wordaudit.extract.pdf import page_boxes
from wordaudit.extract.pdf_layout import (
    TextLine,
    group_lines,
    join_fragments,
    layout_page,
    marker_length,
    reading_order,
    text_quadrant,
    turn,
)

SIZE = 12.0


def line(text: str, left: float, baseline: float, right: float | None = None) -> TextLine:
    width = len(text) * 6.0 if right is None else right - left
    bottom = baseline - 0.2 * SIZE
    return TextLine(text, left, bottom, left + width, bottom + SIZE)


def column(x: float, top: float, *paragraphs: list[str]) -> list[TextLine]:
    """Paragraphs of 14 pt leading, 20 pt apart, their lines 230 pt wide."""
    lines = []
    y = top
    for paragraph in paragraphs:
        for text in paragraph:
            lines.append(line(text, x, y, x + 230))
            y -= 14
        y -= 20
    return lines


def test_two_columns_read_column_by_column_under_a_full_width_title() -> None:
    title = [line("Title across both columns", 60, 800, 540)]
    # Same paragraph shapes in both columns: their 22 pt gaps line up across
    # the page, a little wider than the 20 pt gutter, and must not be taken
    # for a cut through both columns.
    first = column(60, 760, ["1a", "1b"], ["1c", "1d"])
    second = column(310, 760, ["2a", "2b"], ["2c", "2d"])
    mixed = [*second, *first, *title]
    ordered = [item.text for item in reading_order(mixed)]
    assert ordered == ["Title across both columns", "1a", "1b", "1c", "1d", "2a", "2b", "2c", "2d"]


def test_boxes_are_paragraphs() -> None:
    lines = column(60, 760, ["a1", "a2", "a3"], ["b1"])
    assert [[item.text for item in box] for box in group_lines(lines)] == [
        ["a1", "a2", "a3"],
        ["b1"],
    ]


@pytest.mark.parametrize(
    ("second", "joined"),
    [
        (line("next", 60, 786), True),  # 14 pt leading
        (line("next", 60, 770), False),  # a paragraph gap
        (line("next", 200, 786), False),  # aligned neither left, right nor centre
        (TextLine("heading", 60, 777.6, 120, 797.6), False),  # 20 pt: another height
    ],
)
def test_pdfminers_neighbour_rule(second: TextLine, joined: bool) -> None:
    first = line("first", 60, 800)
    assert len(group_lines([first, second])) == (1 if joined else 2)


def test_marker_joins_its_item_and_the_box_starts_at_the_text() -> None:
    bullet = line("•", 74, 800, 78)
    item = line("Coach our back line", 99, 800)
    following = line("employees weekly.", 99, 786)
    boxes = layout_page([following, item, bullet])
    assert [[piece.text for piece in box] for box in boxes] == [["• Coach our back line", "employees weekly."]]
    assert boxes[0][0].left == 99


def test_a_note_without_a_hanging_indent_runs_on_under_its_mark() -> None:
    # "* " then the note's text; its next line starts under the "*", not
    # under the text, and ends short of the first line's right edge.
    mark = line("*", 72, 100, 76)
    first = line("Overtime rates differ by contract: a day in the back", 82, 100, 300)
    second = line("office is paid at a flat rate. Staff in contact teams", 72, 86, 290)
    boxes = layout_page([mark, first, second])
    assert [[piece.text for piece in box] for box in boxes] == [
        [
            "* Overtime rates differ by contract: a day in the back",
            "office is paid at a flat rate. Staff in contact teams",
        ]
    ]


def test_an_outer_item_after_a_nested_one_starts_a_box() -> None:
    # The outer bullet lies left of the nested item's text, where a note's
    # next line would: a line with a marker of its own is the next item.
    nested = [line("◦", 90, 800, 94), line("Find and remove outdated and vulnerable code and", 104, 800, 330)]
    outer = [line("•", 74, 786, 78), line("Communication", 88, 786)]
    boxes = layout_page([*nested, *outer])
    assert [[piece.text for piece in box] for box in boxes] == [
        ["◦ Find and remove outdated and vulnerable code and"],
        ["• Communication"],
    ]


@pytest.mark.parametrize(
    ("left", "right", "text"),
    [
        (line("Billing", 60, 800, 100), line(".", 100.2, 800, 103), "Billing."),
        (line("vs.", 60, 800, 80), line(" Plan", 78, 800, 110), "vs. Plan"),
        (line("managing", 60, 800, 110), line("with", 113, 800, 140), "managing with"),
    ],
)
def test_pieces_of_one_line_are_joined(left: TextLine, right: TextLine, text: str) -> None:
    assert [piece.text for piece in join_fragments([right, left])] == [text]


def test_a_raised_footnote_mark_stays_on_its_line() -> None:
    # On a turned page PDFium gives a superscript its own line: 7 pt, raised.
    text = line("Pay review.", 57, 660, 113)
    mark = TextLine("1", 113, 662, 116, 669)
    assert [piece.text for piece in join_fragments([mark, text])] == ["Pay review.1"]


def test_a_footnotes_number_joins_its_text_across_a_wide_space() -> None:
    number = line("1", 57, 75, 62)
    note = line("These are non-revenue-producing roles today.", 76, 75)
    assert [piece.text for piece in join_fragments([note, number])] == [
        "1 These are non-revenue-producing roles today."
    ]


def test_a_raised_piece_is_not_joined_as_a_mark_when_it_is_as_tall() -> None:
    # A heading half a line above the text beside it is not a footnote mark.
    text = line("Pay review.", 57, 660, 113)
    other = line("Notes", 114, 666, 150)
    assert len(join_fragments([text, other])) == 2


def test_columns_on_one_baseline_stay_apart() -> None:
    end_of_paragraph = line("it.", 60, 700, 75)
    other_column = line("In the second column", 310, 700)
    assert len(join_fragments([end_of_paragraph, other_column])) == 2


def test_a_justified_lines_stretched_words_are_one_line() -> None:
    # A 230 pt paragraph (14 pt leading) whose lines two to four are stretched
    # by long words; pdfminer gives each word of them apart. Each is known by
    # the full line above it, which is itself in pieces until joined.
    paragraph = [
        line("Our departmentalisations back", 60, 800, 290),
        line("line", 60, 786, 80),
        line("employees", 240, 786, 290),
        line("internationalisations", 60, 772, 200),
        line("are", 272, 772, 290),
        line("customer-impacting, as", 60, 758, 235),
        line("is", 280, 758, 290),
        line("everything else.", 60, 744),
    ]
    assert [piece.text for piece in join_fragments(paragraph[::-1])] == [
        "Our departmentalisations back",
        "line employees",
        "internationalisations are",
        "customer-impacting, as is",
        "everything else.",
    ]


@pytest.mark.parametrize(
    "neighbour",
    [
        line("The table lists each team and its opening hours for customers.", 60, 814, 500),
        line("Customer care", 60, 786, 140),
    ],
)
def test_table_cells_stay_apart_beside_a_full_line(neighbour: TextLine) -> None:
    # A paragraph just above a row spans its gutter but does not end where the
    # row does; the next row's cells stop short of the gutter.
    cells = [line("Please call back", 60, 800, 150), line("office staff by noon", 300, 800, 400)]
    assert len(join_fragments([*cells, neighbour])) == 3


def test_a_wrapped_cell_continues_past_the_cell_beside_it() -> None:
    # Read across, a row gives the first cell's first line, the second cell,
    # then the first cell's second line, alone on its baseline. The next row
    # has a line beside it on its baseline, so it starts new boxes.
    lines = [
        line("Answers every call; our back", 60, 800, 250),
        line("Billing", 300, 800, 340),
        line("office team writes.", 60, 786, 170),
        line("Customer care", 60, 772, 140),
        line("nine to five", 300, 772, 360),
    ]
    assert [[item.text for item in box] for box in group_lines(lines)] == [
        ["Answers every call; our back", "office team writes."],
        ["Billing"],
        ["Customer care"],
        ["nine to five"],
    ]


def test_values_stacked_beside_their_labels_join_only_where_they_wrap() -> None:
    # Read a column at a time: the labels, then the values. "Back" leaves room
    # for "Office" at its end, so the next value is a row of its own; a value
    # that wraps in a narrow column ("runs the back" / "office...") carries on.
    labels = [line(text, 60, 800 - 14 * row, 110) for row, text in enumerate(["Entrance:", "Location:", "Team:"])]
    values = [
        line("Back", 160, 800, 185),
        line("Office 2.14", 160, 786, 215),
        line("Sam runs the back", 160, 772, 262),
        line("office team.", 160, 758, 225),
    ]
    boxes = layout_page([*labels, *values])
    assert [[item.text for item in box] for box in boxes if box[0] in values] == [
        ["Back"],
        ["Office 2.14"],
        ["Sam runs the back", "office team."],
    ]


def test_a_cell_wraps_in_a_table_whose_text_starts_level_with_the_body() -> None:
    # Word aligns a table's text with the body text: a cell's wrapped line is
    # measured against its column's cells, not the wider body lines.
    lines = [
        line("Every role serves the customer or a colleague who does so every day.", 60, 830, 480),
        line("Reports to the Back", 60, 800, 170),
        line("Leads the payments", 200, 800, 305),
        line("Office Manager", 60, 786, 140),
        line("team of six", 200, 786, 262),
    ]
    boxes = layout_page(lines)
    assert ["Reports to the Back", "Office Manager"] in [[item.text for item in box] for box in boxes]


FORM = ["Title:", "Grade:", "Site:", "Parking:", "Desk:"]
VALUES = ["Back Office Clerk", "B4", "Leeds", "Staff car park round the back", "Office 2.14, second floor"]


def form_lines() -> list[TextLine]:
    """A form set with a tab stop: labels at 60, values at 160, 14 pt apart."""
    labels = [line(text, 60, 800 - 14 * row) for row, text in enumerate(FORM)]
    values = [line(text, 160, 800 - 14 * row) for row, text in enumerate(VALUES)]
    return [*labels, *values]


def test_a_forms_values_are_rows_even_where_the_widest_looks_wrapped() -> None:
    # "Staff car park round the back" is the widest value, so "Office" would not
    # have fitted after it; but "Desk:" beside the next value starts a row.
    boxes = [[item.text for item in box] for box in layout_page(form_lines())]
    assert ["Staff car park round the back"] in boxes
    assert ["Office 2.14, second floor"] in boxes


def test_a_forms_value_is_numbered_on_its_labels_line_however_many_rows() -> None:
    # Read a column at a time, ten labels come before the first value: further
    # back than the pieces of a table row, but each label is a box of one line.
    labels = [f"Label {row}:" for row in range(10)]
    lines = [line(text, 60, 800 - 14 * row) for row, text in enumerate(labels)]
    lines += [line(f"Value {row}", 160, 800 - 14 * row) for row in range(10)]
    places = {
        text: (number, column)
        for box in page_boxes(1, lines)
        for text, number, column in zip(box.texts, box.numbers, box.columns, strict=True)
    }
    assert places["Value 0"] == (1, len("Label 0:") + 2)
    assert places["Value 9"] == (10, len("Label 9:") + 2)


def test_a_paragraph_starting_in_the_column_to_the_left_does_not_cut_this_ones() -> None:
    # Two ragged prose columns on one set of baselines: column 1's second
    # paragraph starts level with column 2's third line, mid-paragraph.
    left = ["Our team answers all", "calls.", "Mentors help new", "staff settle in."]
    right = ["The assistant keeps meeting", "rooms ready. Our behind-the-", "scenes staff are valued and", "thanked."]
    lines = [line(text, 60, 800 - 14 * row, 60 + 6.0 * len(text)) for row, text in enumerate(left)]
    lines += [line(text, 300, 800 - 14 * row, 300 + 6.0 * len(text)) for row, text in enumerate(right)]
    boxes = [[item.text for item in box] for box in layout_page(lines)]
    assert right in boxes


@pytest.mark.parametrize(
    ("text", "length"),
    [("• Coach", 2), ("10.\tLedger", 4), ("iv) Four", 4), ("a. First", 3), ("– dash", 2)],
)
def test_marker_length(text: str, length: int) -> None:
    assert marker_length(text) == length


@pytest.mark.parametrize("text", ["It is", "Back Office", "10-12 pages", "•"])
def test_not_a_marker(text: str) -> None:
    assert marker_length(text) == 0


@pytest.mark.parametrize("quadrant", [0, 90, 180, 270])
def test_turn_undoes_the_text_direction(quadrant: int) -> None:
    # The baseline direction of text running ``quadrant`` degrees
    # counter-clockwise, as the first row of a glyph matrix.
    a, b = {0: (1, 0), 90: (0, 1), 180: (-1, 0), 270: (0, -1)}[quadrant]
    assert text_quadrant(a, b) == quadrant
    assert turn(a, b, quadrant) == (1, 0)


def test_evenly_spaced_lines_do_not_recurse_per_line() -> None:
    lines = [line(f"line {n}", 60, 10_000 - 14 * n) for n in range(2_000)]
    assert [item.text for item in reading_order(lines[::-1])] == [item.text for item in lines]


# --- loose line spacing -------------------------------------------------------

WIDTH = 300.0  # a paragraph's wrapped lines run this wide


def paragraph(top: float, pitch: float, words: list[str], last: str = "end.") -> list[TextLine]:
    """A paragraph of wrapped lines, each starting with ``words[i]`` and running
    the full width, then a short last line; ``pitch`` from baseline to baseline."""
    texts = [f"{word} {'x' * 44}" for word in words] + [last]
    lines = []
    for index, text in enumerate(texts):
        right = 60 + (WIDTH if index < len(words) else len(text) * 6.0)
        lines.append(line(text, 60, top - index * pitch, right))
    return lines


@pytest.mark.parametrize("pitch", [20.0, 26.0])  # 1.5 and double spacing at 12 pt (gaps 0.67 and 1.17 em)
def test_a_loosely_spaced_paragraph_is_one_box(pitch: float) -> None:
    lines = [line("Short header", 60, 780 + pitch), *paragraph(780, pitch, ["back", "office", "team"])]
    boxes = layout_page(lines)
    assert [[item.text.split()[0] for item in box] for box in boxes] == [
        ["Short"],  # a short line alone does not take the paragraph below it
        ["back", "office", "team", "end."],
    ]


def test_single_spaced_paragraphs_keep_their_breaks_on_a_page_with_loose_gaps() -> None:
    # Paragraphs 20 pt apart under headings: the wrapped lines close below each
    # other say the page is single-spaced, so the 20 pt gaps stay breaks.
    lines = [
        *paragraph(780, 14.0, ["one", "two"]),
        *paragraph(720, 14.0, ["three", "four"]),
        *paragraph(660, 14.0, ["five", "six"]),
    ]
    assert len(layout_page(lines)) == 3


def test_a_page_mixing_single_and_loose_spacing_keeps_each_paragraph_whole() -> None:
    # A single-spaced paragraph (a table cell, as Word's table styles set them,
    # or a header) over double-spaced body text: each is one box.
    lines = [*paragraph(780, 14.0, ["one"]), *paragraph(700, 26.0, ["two", "three", "four"])]
    assert [len(box) for box in layout_page(lines)] == [2, 4]


def test_paragraph_ends_that_look_wrapped_do_not_make_a_single_spaced_page_loose() -> None:
    # Each paragraph's last line runs nearly the full width and the next
    # paragraph starts with a long word, 26 pt lower: three gaps that look like
    # double spacing below wrapped lines (14 pt gaps), against eight wrapped
    # lines with the next line close below them.
    last = "y" * 47
    lines = [
        *paragraph(780, 14.0, ["one", "two"], last=last),
        *paragraph(726, 14.0, ["Responsibilities", "four"], last=last),
        *paragraph(672, 14.0, ["Qualifications", "six"], last=last),
        *paragraph(618, 14.0, ["Requirements", "eight"], last=last),
    ]
    assert [len(box) for box in layout_page(lines)] == [3, 3, 3, 3]


def test_one_line_paragraphs_at_equal_gaps_stay_apart() -> None:
    # No line wraps (each is far shorter than the widest), so nothing says the
    # equal 26 pt gaps are line spacing rather than paragraph breaks.
    texts = ["Job Grade", "The role is a grade 8.", "Responsibilities", "To be defined at time of need."]
    lines = [line(text, 60, 780 - 26 * index) for index, text in enumerate(texts)]
    lines.append(line("A long line of the page that runs far to the right of all the others.", 60, 600))
    assert len(layout_page(lines)) == 5


def test_two_line_paragraphs_at_loose_spacing_are_one_box_each() -> None:
    # 1.5 spacing (20 pt pitch) and 10 pt after each paragraph: no paragraph
    # has three lines, but the wider gap below every last line shows that the
    # 20 pt below the wrapped ones is line spacing.
    lines = [
        *paragraph(780, 20.0, ["one"]),
        *paragraph(730, 20.0, ["two"]),
        *paragraph(680, 20.0, ["three"]),
    ]
    assert [len(box) for box in layout_page(lines)] == [2, 2, 2]


def test_spaced_one_line_paragraphs_filling_the_line_stay_apart() -> None:
    # Single-spaced one-line paragraphs with space after, each running nearly
    # the full width: every gap is the same and every line looks wrapped, but
    # every next line starts with a capital, as loose lines of a paragraph do not.
    texts = [f"{word} {'x' * 44}" for word in ("One", "Two", "Three", "Four", "Five")]
    lines = [line(text, 60, 780 - 20 * index, 60 + WIDTH) for index, text in enumerate(texts)]
    assert [len(box) for box in layout_page(lines)] == [1] * 5
    lowered = [line(text.lower(), 60, 780 - 20 * index, 60 + WIDTH) for index, text in enumerate(texts)]
    assert [len(box) for box in layout_page(lowered)] == [5]
