"""Which boxes pdf_flow joins across page and column breaks, on boxes laid out by hand.

The PDFs made by LibreOffice (page-break.pdf, column-break.pdf) are in test_pdf.py;
here each rule is taken alone: furniture, the text test, the column geometry.
"""

from __future__ import annotations

import pytest

from wordaudit.extract.pdf_flow import Box, paragraphs
from wordaudit.extract.pdf_layout import TextLine

LINE = 14.0  # the height of a line, and the step from one line to the next


def box(page: int, *texts: str, left: float = 72.0, top: float = 770.0, first: int = 1) -> Box:
    """A box of ``texts``, one line each, the first line's top at ``top``."""
    lines = tuple(
        TextLine(text, left, top - (i + 1) * LINE, left + 6.0 * len(text), top - i * LINE)
        for i, text in enumerate(texts)
    )
    return Box(page, tuple(texts), lines, tuple(range(first, first + len(texts))))


def header(page: int) -> Box:
    return box(page, "Acme Careers: job description", top=800.0, first=1)


def footer(page: int, text: str | None = None) -> Box:
    return box(page, text or f"Page {page} of 3", top=60.0, first=30)


def joined(pages: list[list[Box]]) -> list[list[str]]:
    """The first line of each box, grouped as ``paragraphs`` groups them."""
    return [[b.texts[0] for b in group] for group in paragraphs(pages)]


def test_a_paragraph_runs_on_past_the_header_and_footer_of_its_pages() -> None:
    pages = [
        [header(1), box(1, "Our team supports the", "whole back", first=2), footer(1)],
        [header(2), box(2, "office staff every day.", first=2), box(2, "More text.", top=700.0, first=3), footer(2)],
        [header(3), box(3, "The end.", first=2), footer(3)],
    ]
    assert joined(pages) == [
        ["Acme Careers: job description"],
        ["Our team supports the", "office staff every day."],
        ["Page 1 of 3"],
        ["Acme Careers: job description"],
        ["More text."],
        ["Page 2 of 3"],
        ["Acme Careers: job description"],
        ["The end."],
        ["Page 3 of 3"],
    ]


def test_a_paragraph_runs_over_a_whole_page_into_the_next() -> None:
    pages = [
        [header(1), box(1, "It starts on page one and", first=2), footer(1)],
        [header(2), box(2, "fills all of page two and", first=2), footer(2)],
        [header(3), box(3, "ends on page three.", first=2), footer(3)],
    ]
    groups = joined(pages)
    assert ["It starts on page one and", "fills all of page two and", "ends on page three."] in groups
    assert len(groups) == 7  # three headers, three footers, one paragraph
    assert groups[0] == ["Acme Careers: job description"]


def test_text_without_paragraph_breaks_is_joined_eight_pages_at_most() -> None:
    pages = [[box(page, f"part {chr(96 + page)} runs on and")] for page in range(1, 21)]
    assert [len(group) for group in joined(pages)] == [8, 8, 4]


def test_a_word_broken_by_a_hyphen_runs_on_even_before_a_capital() -> None:
    pages = [[box(1, "the back-")], [box(2, "Office team")]]
    assert joined(pages) == [["the back-", "Office team"]]


def test_a_finished_sentence_or_a_capital_ends_the_paragraph() -> None:
    for end, start in [
        ("we came back.", "office hours"),
        ('she said "come back."', "office hours"),
        ("Questions? Call back", "Office hours are nine to five."),
        ("a list ends:", "office supplies"),
        ("the back", "• office supplies"),
        ("the back", "2 offices"),
    ]:
        assert joined([[box(1, end)], [box(2, start)]]) == [[end], [start]], (end, start)


def test_a_wrapped_line_runs_on_before_a_capital_on_the_next_page() -> None:
    # Six points a character: "Office " (42 points) would not have fitted
    # after "the Back", 36 points short of the line above it.
    first = ("The coordinator keeps supplier lists", "and so she reports to the Back")
    assert joined([[box(1, *first)], [box(2, "Office Manager, who signs.")]]) == [
        [first[0], "Office Manager, who signs."]
    ]


def test_a_wrapped_line_ending_on_a_word_that_can_end_a_sentence_does_not_run_on_before_a_capital() -> None:
    # A contact line left without its full stop: "back" can end a sentence,
    # and "Office" starts the next paragraph.
    first = ("For questions on pay, ring HR", "on 0113 496 0000 and we will call you back")
    assert joined([[box(1, *first)], [box(2, "Office hours are nine to five.")]]) == [
        [first[0]],
        ["Office hours are nine to five."],
    ]


@pytest.mark.parametrize(
    "end",
    [
        "clear understanding of HR laws in countries where",  # a word that cannot end a sentence
        "and the needs and experiences of our IT leaders,",  # a comma leaves it open
        "and so she answers to the people of the",
    ],
)
def test_a_wrapped_line_left_open_runs_on_before_a_capital(end: str) -> None:
    first = ("The coordinator keeps supplier lists", end)
    assert joined([[box(1, *first)], [box(2, "GitLab is active.")]]) == [[first[0], "GitLab is active."]]


def test_a_capital_after_a_line_that_was_not_wrapped_starts_a_paragraph() -> None:
    lists = "The coordinator keeps supplier lists"
    for first, start, left in [
        ((lists, "and reports to the Back"), "Office Manager", 72.0),  # room for "Office" was left
        ((lists, "and so she reports to the Back."), "Office Manager", 72.0),  # a finished sentence
        ((lists, "and so she reports to the Back"), "Office Manager", 100.0),  # not level with it
        (("and so she reports to the Back",), "Office Manager", 72.0),  # one line: no width to go by
        ((lists, "and so she reports to the Back"), "2 offices", 72.0),
    ]:
        pages = [[box(1, *first)], [box(2, start, left=left)]]
        assert joined(pages) == [[first[0]], [start]], (first, start)


def test_page_numbers_in_their_usual_forms_are_furniture() -> None:
    for number in ["7", "- 7 -", "Page 7", "page 7 of 9", "7 / 9", "[7]", "ii", "- iv -", "Page xii"]:
        pages = [[box(1, "the back"), footer(1, number)], [box(2, "office team")]]
        assert joined(pages) == [["the back", "office team"], [number]], number


def test_a_header_repeated_with_other_digits_is_furniture() -> None:
    pages = [
        [box(1, "Policy 2024-01, revision 3", top=800.0), box(1, "the back", first=2)],
        [box(2, "Policy 2024-02, revision 4", top=800.0), box(2, "office team", first=2)],
    ]
    assert ["the back", "office team"] in joined(pages)


def test_a_first_line_that_no_other_page_repeats_is_body_text() -> None:
    # "Notes for reviewers" could be a header, but no neighbouring page has it:
    # the paragraph before the break does not run on into it, nor past it.
    pages = [
        [box(1, "the back")],
        [box(2, "Notes for reviewers", top=800.0), box(2, "office team", first=2)],
    ]
    assert joined(pages) == [["the back"], ["Notes for reviewers"], ["office team"]]


def after_page_1(*page_2: tuple[str, float]) -> list[list[str]]:
    """``joined`` of a page 1 ending "It supports the back" (its text from 770
    down) and a page 2 of one-line boxes, each given with its top."""
    page_1 = [box(1, "Acme is hiring.", top=770.0), box(1, "It supports the back", top=750.0, first=2)]
    return joined([page_1, [box(2, text, top=top, first=n) for n, (text, top) in enumerate(page_2, 1)]])


def test_a_header_in_the_margin_that_page_1_leaves_empty_is_passed_over() -> None:
    # Word's "different first page": page 2's header has no copy on page 1 but
    # lies above all of page 1's text, set apart from the body below it.
    groups = after_page_1(("Acme Careers", 810.0), ("office team.", 770.0), ("More text.", 750.0))
    assert ["It supports the back", "office team."] in groups
    assert ["Acme Careers"] in groups


def test_a_first_line_level_with_the_page_before_is_body_text_whatever_follows() -> None:
    # Set apart from a heading below it, but where page 1's text starts too:
    # the paragraph's second half, not a header.
    groups = after_page_1(("office team.", 770.0), ("Duties", 700.0), ("More text.", 680.0))
    assert ["It supports the back", "office team."] in groups


def test_a_first_box_in_the_margin_that_carries_the_paragraph_on_is_its_second_half() -> None:
    # Page 1 starts low (letterhead paper), page 2 at the top: the second
    # half lies above all of page 1's text, set apart from a heading below it,
    # as a header would; its lower-case start says what it is.
    pages = [
        [box(1, "Acme is hiring.", top=700.0), box(1, "It supports the back", top=680.0, first=2)],
        [
            box(2, "office team.", top=770.0),
            box(2, "Office and hours", top=720.0, first=2),
            box(2, "More text.", top=700.0, first=3),
        ],
    ]
    groups = joined(pages)
    assert ["It supports the back", "office team."] in groups
    assert ["Office and hours"] in groups


def test_a_last_paragraph_set_apart_below_a_short_pages_text_is_no_footer() -> None:
    pages = [
        [
            box(1, "Acme is hiring.", top=770.0),
            box(1, "More text.", top=750.0, first=2),
            box(1, "It supports the back", top=700.0, first=3),
        ],
        [box(2, "office team.", top=770.0), box(2, "The end.", top=750.0, first=2)],
    ]
    assert ["It supports the back", "office team."] in joined(pages)


def note(page: int, text: str, top: float) -> Box:
    """A footnote: a line set in 10 pt under the 14 pt of ``box``."""
    return Box(page, (text,), (TextLine(text, 72.0, top - 10.0, 72.0 + 5.0 * len(text), top),), (20,))


def test_small_print_runs_on_past_the_next_pages_running_header() -> None:
    running = "Acme Careers: pay policy"
    pages = [
        [box(1, running, top=800.0), box(1, "Acme is hiring.", top=770.0), note(1, "* Terms apply to the back", 120.0)],
        [box(2, running, top=800.0), note(2, "office team.", 770.0), box(2, "More text.", top=750.0, first=3)],
    ]
    assert ["* Terms apply to the back", "office team."] in joined(pages)


def test_a_footer_of_three_lines_repeated_on_each_page_is_passed_over() -> None:
    def address(page: int) -> Box:
        return box(page, "Acme Ltd, 1 Park Row, Leeds", "Company no. 01234567", f"Page {page} of 2", top=80.0, first=30)

    pages = [
        [box(1, "It supports our back", top=770.0), address(1)],
        [box(2, "office team.", top=770.0), address(2)],
    ]
    assert ["It supports our back", "office team."] in joined(pages)


def test_footnotes_at_the_foot_of_a_page_are_passed_over() -> None:
    pages = [
        [
            box(1, "Acme is hiring.", top=770.0),
            box(1, "It supports the back", top=750.0, first=2),
            note(1, "1 The site opens in May.", 120.0),
            note(1, "and moves in June.", 110.0),
            footer(1),
        ],
        [box(2, "office team.", top=770.0), box(2, "More text.", top=750.0, first=2)],
    ]
    groups = joined(pages)
    assert ["It supports the back", "office team."] in groups
    assert groups.index(["1 The site opens in May."]) > groups.index(["It supports the back", "office team."])


def test_small_print_running_on_at_the_head_of_the_next_page_is_no_footnote() -> None:
    # A footnote cut by a page break goes on at the foot of the next page;
    # small print that goes on at its head is the page's last paragraph.
    pages = [
        [box(1, "Acme is hiring.", top=770.0), note(1, "* Terms apply to the back", 120.0)],
        [note(2, "office team.", 770.0), box(2, "More text.", top=750.0, first=2)],
    ]
    assert ["* Terms apply to the back", "office team."] in joined(pages)


def test_a_footnote_before_body_text_at_the_head_of_the_next_page_is_passed_over() -> None:
    pages = [
        [
            box(1, "It supports the back", top=770.0),
            note(1, "1 The site opens in", 120.0),
        ],
        [box(2, "office team.", top=770.0), note(2, "may and moves in June.", 120.0)],
    ]
    groups = joined(pages)
    assert ["It supports the back", "office team."] in groups
    assert ["1 The site opens in"] in groups


def test_small_print_without_a_note_mark_runs_on_in_its_size() -> None:
    pages = [
        [box(1, "Acme is hiring.", top=770.0), note(1, "Terms apply to the back", 120.0)],
        [note(2, "office team.", 770.0), box(2, "More text.", top=750.0, first=2)],
    ]
    assert ["Terms apply to the back", "office team."] in joined(pages)


def test_small_print_at_the_foot_of_one_page_only_is_a_footer() -> None:
    # Word's "different first page": the company's registration at the foot
    # of page 1 alone, set smaller than the body text.
    pages = [
        [box(1, "Acme is hiring a payments clerk.", top=770.0), box(1, "It supports the back", top=700.0)],
        [box(2, "office team.", top=770.0), box(2, "More text.", top=740.0, first=2)],
    ]
    pages[0].append(note(1, "Acme Ltd, registered in England no. 0123", 60.0))
    groups = joined(pages)
    assert ["It supports the back", "office team."] in groups
    assert ["Acme Ltd, registered in England no. 0123"] in groups


def test_small_print_at_the_head_of_one_page_only_is_a_header() -> None:
    pages = [
        [box(1, "Acme is hiring.", top=770.0), box(1, "It supports the back", top=700.0)],
        [
            note(2, "Job description (continued)", 812.0),
            box(2, "office team.", top=770.0),
            box(2, "More text.", top=740.0, first=2),
        ],
    ]
    groups = joined(pages)
    assert ["It supports the back", "office team."] in groups
    assert ["Job description (continued)"] in groups


def test_small_print_at_the_head_of_a_page_that_carries_a_paragraph_on_is_body_text() -> None:
    pages = [
        [box(1, "Acme is hiring.", top=770.0), note(1, "Terms apply to the back", 120.0)],
        [note(2, "office team, as agreed.", 800.0), box(2, "More text.", top=770.0, first=2)],
    ]
    assert ["Terms apply to the back", "office team, as agreed."] in joined(pages)


def test_a_letterhead_of_several_lines_at_the_top_of_every_page_is_passed_over() -> None:
    # The page's first box, repeated: a header in the body's size (company,
    # address, regulator), however many lines up to six.
    top = ("Northwind Mutual plc", "40 Quayside, Leeds", "Authorised by the FCA", "Job description")
    pages = [
        [box(1, *top, top=800.0), box(1, "the back", top=700.0, first=5)],
        [box(2, *top, top=800.0), box(2, "office team", top=700.0, first=5)],
    ]
    assert ["the back", "office team"] in joined(pages)


def test_a_long_box_repeated_at_the_top_of_pages_is_not_passed_over() -> None:
    # Seven lines repeated on every page are body text that happens to repeat,
    # so the paragraph before them does not run on past them.
    top = ("Role", "Team", "Grade", "Site", "Hours", "Pay", "Notes")
    pages = [
        [box(1, *top, top=800.0), box(1, "the back", top=600.0, first=8)],
        [box(2, *top, top=800.0), box(2, "office team", top=600.0, first=8)],
    ]
    assert ["the back", "office team"] not in joined(pages)


COLUMN_2 = 320.0


def test_a_paragraph_runs_on_into_the_next_column() -> None:
    page = [
        box(1, "Team notes", top=800.0),
        box(1, "Our ledger team checks", "every invoice.", top=770.0, first=2),
        box(1, "This spring we will", "coach our back", top=700.0, first=4),
        box(1, "line employees on the", "new screens.", left=COLUMN_2, top=770.0, first=6),
    ]
    assert joined([page]) == [
        ["Team notes"],
        ["Our ledger team checks"],
        ["This spring we will", "line employees on the"],
    ]


def test_a_tables_last_label_does_not_run_on_into_the_next_column() -> None:
    # "People" lies low in its column, and the rest of the row above it,
    # cut by a page break, heads the next column; but "Two direct reports."
    # starts level with it: a row's cells, not a paragraph's halves.
    page = [
        box(1, "People", top=300.0),
        box(1, "office team, which pays", "suppliers.", left=COLUMN_2, top=770.0, first=2),
        box(1, "Two direct reports.", left=COLUMN_2, top=300.0, first=10),
    ]
    assert joined([page]) == [["People"], ["office team, which pays"], ["Two direct reports."]]


def test_the_rest_of_a_table_row_cut_by_a_page_break_is_found_above_the_next_rows_label() -> None:
    pages = [
        [box(1, "Duties", top=300.0), box(1, "Staff plan the week", "with the back", left=COLUMN_2, top=300.0)],
        [
            box(2, "People", top=600.0),
            box(2, "office team.", left=COLUMN_2, top=770.0, first=2),
            box(2, "Two direct reports.", left=COLUMN_2, top=600.0, first=10),
        ],
    ]
    assert ["Staff plan the week", "office team."] in joined(pages)


def test_the_cell_a_page_break_cuts_runs_on_though_a_cell_to_its_right_is_read_last() -> None:
    # A row of three cells at the foot of page 1, read cell by cell: the middle
    # one is cut, and its rest heads its column on page 2.
    column_3 = 470.0
    pages = [
        [
            box(1, "Service", top=300.0),
            box(1, "We welcome every", "call from our back", left=COLUMN_2, top=300.0, first=2),
            box(1, "Monthly review", left=column_3, top=300.0, first=10),
        ],
        [box(2, "office team, daily.", left=COLUMN_2, top=770.0), box(2, "Close.", top=700.0, first=2)],
    ]
    groups = joined(pages)
    assert ["We welcome every", "office team, daily."] in groups
    assert ["Monthly review"] in groups


def test_where_a_table_goes_on_a_cut_cell_runs_on_only_in_its_own_column() -> None:
    # The header row "Task" | "How" is repeated on page 2; "office post" is
    # the next row's label, in another column than "them back".
    pages = [
        [
            box(1, "Task", top=400.0),
            box(1, "How", left=COLUMN_2, top=400.0, first=2),
            box(1, "refunds", top=380.0, first=3),
            box(1, "check, then call", "them back", left=COLUMN_2, top=380.0, first=4),
        ],
        [
            box(2, "Task", top=770.0),
            box(2, "How", left=COLUMN_2, top=770.0, first=2),
            box(2, "office post", top=750.0, first=3),
            box(2, "sorted by ten", left=COLUMN_2, top=750.0, first=4),
        ],
    ]
    assert ["check, then call", "office post"] not in joined(pages)


def test_cells_of_one_table_row_are_never_joined() -> None:
    # The second cell starts level with the first, not above it.
    page = [
        box(1, "Please call", "us right", "back", top=300.0),
        box(1, "office staff by noon", left=COLUMN_2, top=300.0, first=4),
    ]
    assert joined([page]) == [["Please call"], ["office staff by noon"]]


def test_a_box_higher_up_in_the_same_column_is_no_column_break() -> None:
    page = [
        box(1, "This spring we will", "coach our back", top=400.0),
        box(1, "line employees on the", left=80.0, top=770.0, first=3),
    ]
    assert joined([page]) == [["This spring we will"], ["line employees on the"]]


def test_a_box_with_text_below_it_in_its_column_does_not_end_the_column() -> None:
    # Reading order may put a box from higher up the right after it (a float,
    # a side note), but the column goes on below: not a column break.
    page = [
        box(1, "This spring we will", "coach our back", top=700.0),
        box(1, "line employees on the", left=COLUMN_2, top=770.0, first=3),
        box(1, "More of column one.", top=600.0, first=4),
    ]
    assert ["This spring we will", "line employees on the"] not in joined([page])


def test_a_hostile_staircase_of_boxes_is_compared_a_bounded_number_of_times() -> None:
    # Each box starts above and right of the one before: every pair passes the
    # quick test, so only the first few get the full one, and all come out.
    page = [box(1, f"word{i} back", left=10.0 * i * LINE, top=100.0 + 2 * LINE * i) for i in range(3000)]
    groups = joined([page])
    assert sum(len(group) for group in groups) == 3000


def test_every_box_comes_out_once_in_the_order_of_its_first_line() -> None:
    pages = [
        [header(1), box(1, "a", first=2), box(1, "the back", top=600.0, first=3), footer(1)],
        [header(2), box(2, "office team", first=2), footer(2)],
        [header(3), box(3, "Nothing runs on.", first=2), footer(3)],
    ]
    groups = list(paragraphs(pages))
    boxes = [b for group in groups for b in group]
    assert sorted(map(id, boxes)) == sorted(id(b) for page in pages for b in page)
    firsts = [(group[0].page, group[0].numbers[0]) for group in groups]
    assert firsts == sorted(firsts)
