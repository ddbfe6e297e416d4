"""The PDF extractor on PDFs written by LibreOffice, qpdf and Ghostscript.

The fixtures and their sources are in tests/fixtures/pdf (see its README.md);
every test runs on each engine installed, so both are held to the same text,
line numbers and errors.
"""

from __future__ import annotations

import errno
import re
import struct
import zlib
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import HAVE_PDFIUM, locate, pdf_file
from wordaudit.errors import (
    ConfigError,
    CorruptPdf,
    EncryptedPdf,
    ExtractError,
    NotAPdf,
    NoTextLayer,
    ResourceLimitExceeded,
    UnreadableFile,
)
from wordaudit.extract import ExtractOptions, file_extractor, pdf
from wordaudit.extract.pdf_comments import Comment
from wordaudit.extract.pdf_layout import TextLine
from wordaudit.model import Block
from wordaudit.page_screen import PageScreen

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pdf"
SHY = "\u00ad"


def read(name: str, engine: str) -> list[Block]:
    return list(pdf.extract_file(FIXTURES / name, ExtractOptions(pdf_engine=engine)))


def texts(blocks: list[Block]) -> list[str]:
    return [block.text for block in blocks]


def assert_one_line_error(error: ExtractError) -> None:
    message = str(error)
    assert message
    assert "\n" not in message
    assert len(message) < 200
    assert str(FIXTURES.parent) not in message
    assert "Traceback" not in message


# --- interface ---------------------------------------------------------------


def test_registered_for_pdf_files() -> None:
    module = file_extractor("pdf")
    assert module.FORMAT == "pdf"
    assert module.TEXT_BASED is False


def test_every_block_is_a_paragraph_on_a_page(engine: str) -> None:
    for block in read("multipage.pdf", engine):
        assert block.kind == "paragraph"
        assert all(segment.page in (1, 2, 3) for segment in block.segments)
        assert block.position(0).location.startswith(f"page {block.segments[0].page}, line ")


# --- hyphenated line breaks --------------------------------------------------


def test_hyphenated_breaks_become_soft_hyphens(engine: str) -> None:
    assert texts(read("hyphenation.pdf", engine)) == [
        f"Our back{SHY}\noffice team\nprocesses\nevery order.",
        f"Roles: non-cus{SHY}\ntomer-facing\nstaff are valued.",
        f"Apply as Back Of{SHY}\nfice Administrator\ntoday.",
        f"Our front{SHY}\noffice desk\nis open.",
        f"and the back{SHY}\nend API is\nfine.",
        # Not word breaks: a hyphen between digits, a dash after a space.
        "Pages 10-12\nstay as\nwritten.",
        "Items one -\ntwo stay.",
        f"Our back{SHY}\nend staff are\nhere.",
        f"Thank every\nbehind-the{SHY}\nscenes team.",
    ]


@pytest.mark.parametrize(
    ("phrase", "where"),
    [
        (f"back{SHY}\noffice", (1, 1, 5)),  # "Our back-" / "office team"
        ("office team", (1, 2, 1)),
        (f"non-cus{SHY}\ntomer-facing", (1, 5, 8)),  # "Roles: non-cus-" / "tomer-facing"
        (f"Back Of{SHY}\nfice Administrator", (1, 8, 10)),
        ("written.", (1, 19, 1)),
        ("two stay.", (1, 21, 1)),
    ],
)
def test_a_phrase_broken_over_lines_points_at_its_first_line(
    engine: str, phrase: str, where: tuple[int, int, int]
) -> None:
    assert locate(read("hyphenation.pdf", engine), phrase) == where


def test_soft_hyphen_keeps_offsets_on_both_lines(engine: str) -> None:
    block = read("hyphenation.pdf", engine)[0]
    start = block.text.index("back")
    end = block.text.index("office") + len("office")
    first, last = block.position(start), block.position(end - 1)
    assert (first.line, first.column) == (1, 5)
    assert (last.line, last.column) == (2, 6)


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["back-", "office"], [f"back{SHY}", "office"]),
        (["Back-", "Office"], [f"Back{SHY}", "Office"]),
        ([f"cus{SHY}", "tomer"], [f"cus{SHY}", "tomer"]),
        (["10-", "12"], ["10-", "12"]),
        (["one -", "two"], ["one -", "two"]),
        (["back-", "(office)"], ["back-", "(office)"]),
        (["-", "office"], ["-", "office"]),
        (["last line-"], ["last line-"]),
    ],
)
def test_join_hyphenated(lines: list[str], joined: list[str]) -> None:
    assert pdf.join_hyphenated(list(lines)) == joined


# --- ligatures and compatibility characters ----------------------------------


def test_ligatures_and_compatibility_characters_are_normalised(engine: str) -> None:
    assert texts(read("ligatures.pdf", engine)) == [
        # The font's own fi/ffi ligature glyphs: LibreOffice maps them back.
        "L1. The first back office file was filled in efficiently.",
        "L2. The first back office file was filled in efficiently.",
        # U+FB03 in the text layer, U+00A0, U+2010: folded by NFKC and _FOLD.
        "L3. Our back-office team files every order.",
        "L4. Ask the back office desk.",
        "L5. Our back-office staff and back-office roles.",
        "L6. Staff in the back office.",
    ]


def test_ligature_counts_as_its_letters_in_columns(engine: str) -> None:
    # "Sta\ufb00 in the back o\ufb03ce": the ligatures are two and three letters
    # by the time columns are counted.
    assert locate(read("ligatures.pdf", engine), "back office.") == (1, 6, 18)


def test_ligature_glyphs_really_are_in_the_fixture() -> None:
    # Guards the fixture: without U+FB03 in its text layer, the test above
    # would pass without testing anything.
    from pdfminer.high_level import extract_text

    assert "\ufb03" in extract_text(FIXTURES / "ligatures.pdf")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  C1b.   They   asked  \n", "C1b. They asked"),
        ("o\ufb03ce \ufb01les", "office files"),
        ("back\u00a0office", "back office"),
        ("back\u2011office back\u2010office", "back-office back-office"),
        ("back\u200boffice", "backoffice"),
        ("back\u200coffice back\u200doffice back\u2060office", "backoffice backoffice backoffice"),
        (f"cus{SHY}", f"cus{SHY}"),
    ],
)
def test_normalise_line(raw: str, clean: str) -> None:
    assert pdf.normalise_line(raw) == clean


# --- pages, lines and reading order ------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "where"),
    [
        ("Back Office Administrator", (2, 2, 1)),
        ("non-customer-facing roles", (2, 4, 34)),
        ("the back of the office", (2, 5, 17)),
        ("back line employees", (3, 3, 20)),
        ("back-end API", (3, 4, 28)),
        ("Page 2", (2, 6, 1)),
    ],
)
def test_multipage_positions(engine: str, phrase: str, where: tuple[int, int, int]) -> None:
    assert locate(read("multipage.pdf", engine), phrase) == where


def test_running_header_is_line_one_of_every_page(engine: str) -> None:
    headers = [
        (block.position(0).page, block.position(0).line)
        for block in read("multipage.pdf", engine)
        if block.text == "Acme Careers: open positions"
    ]
    assert headers == [(1, 1), (2, 1), (3, 1)]


def test_pages_stream_in_order(engine: str) -> None:
    pages = [block.position(0).page or 0 for block in read("multipage.pdf", engine)]
    assert pages == sorted(pages)
    assert set(pages) == {1, 2, 3}


def test_two_columns_are_read_a_column_at_a_time(engine: str) -> None:
    blocks = read("two-columns.pdf", engine)
    labels = [re.match(r"C\d[a-d]|Team", block.text) for block in blocks]
    assert [label.group() if label else None for label in labels] == [
        "Team",
        "C1a",
        "C1b",
        "C1c",
        "C1d",
        "C2a",
        "C2b",
        "C2c",
        "C2d",
    ]
    # No block mixes the columns.
    for block in blocks:
        assert not ("C1" in block.text and "C2" in block.text)


def test_a_paragraph_runs_on_over_a_page_break(engine: str) -> None:
    # The running header and the "Page 1 of 4" footer lie between the halves.
    blocks = read("page-break.pdf", engine)
    assert locate(blocks, "supports our back\noffice team, which") == (1, 5, 1)
    assert locate(blocks, f"joins the back{SHY}\noffice staff") == (2, 5, 1)


def test_a_page_break_after_a_finished_paragraph_joins_nothing(engine: str) -> None:
    blocks = read("page-break.pdf", engine)
    assert "Questions? Call back" in texts(blocks)
    assert locate(blocks, "Office hours are nine to five.") == (4, 2, 1)


def test_a_wrapped_line_runs_on_over_a_page_break_before_a_capital(engine: str) -> None:
    blocks = read("page-break-capital.pdf", engine)
    assert locate(blocks, "supplier list up to date and reports to the Back\nOffice Manager, who signs") == (1, 5, 1)
    # A short last line without a full stop is a paragraph's end all the same.
    assert "Questions about the role: call back" in texts(blocks)
    assert locate(blocks, "Office hours are nine to five.") == (3, 2, 1)


def test_a_contact_line_without_its_full_stop_does_not_run_on_into_the_next_page(engine: str) -> None:
    blocks = read("page-break-contact.pdf", engine)
    assert texts(blocks)[1].endswith("and we will call you back")
    assert locate(blocks, "Office hours are nine to five") == (2, 1, 1)


def test_small_print_runs_on_over_a_page_break(engine: str) -> None:
    # No hanging indent: the note's second line starts under its "*".
    blocks = read("small-print.pdf", engine)
    assert locate(blocks, "* Overtime rates differ by contract") == (1, 7, 1)
    assert locate(blocks, "contact-centre teams and back\noffice roles on the 2019 contract") == (1, 8, 41)


def test_a_paragraph_runs_on_past_a_footer_of_three_lines(engine: str) -> None:
    blocks = read("footer-three-lines.pdf", engine)
    assert locate(blocks, "supports our back\noffice team, which pays suppliers") == (1, 7, 31)
    assert "Acme Payments Ltd, 1 Park Row, Leeds LS1 5AB" in texts(blocks)[3]


def test_a_paragraph_runs_on_past_a_footer_and_a_header_each_shown_on_one_page_only(engine: str) -> None:
    # Set small, and no copy on another page to know them by.
    blocks = read("first-page-furniture.pdf", engine)
    assert locate(blocks, "reports to the Head of Back\nOffice Services, who signs off") == (1, 7, 18)
    # Passed over, not dropped: both are still read.
    assert "Acme Payments Ltd, registered in England no. 01234567" in texts(blocks)
    assert "Payments clerk: job description (continued)" in texts(blocks)


def test_a_paragraph_runs_on_past_a_footer_in_body_size_on_page_1_only(engine: str) -> None:
    # Not smaller, not repeated: its line is short where the paragraph's is full.
    blocks = read("footer-first-page-body-size.pdf", engine)
    assert locate(blocks, "supports our back\noffice team, which pays") == (1, 7, 31)
    assert "Acme Payments Ltd, 1 Park Row, Leeds\nRegistered in England no. 01234567" in texts(blocks)


def test_a_paragraph_runs_on_past_a_header_of_three_lines_in_small_print(engine: str) -> None:
    blocks = read("header-three-lines.pdf", engine)
    assert locate(blocks, "supports our back\noffice team, which pays") == (1, 10, 31)


def test_a_table_row_cut_by_a_page_break_runs_on_past_the_repeated_header_row(engine: str) -> None:
    # Page 2 reads "Area", "People" (the next row's label), "Responsibilities",
    # then the rest of the cut cell: the header row is passed over, and the
    # cell's rest heads the page, above "People".
    blocks = read("table-row-over-page.pdf", engine)
    assert locate(blocks, "with the back\noffice team hybrid working") == (1, 45, 36)
    assert "People" in texts(blocks)


def test_the_cell_a_page_break_cuts_runs_on_though_the_cell_to_its_right_is_read_last(engine: str) -> None:
    blocks = read("table-three-columns-over-page.pdf", engine)
    flat = [" ".join(block.text.split()) for block in blocks]
    assert any("commitment with the back office team will be" in text for text in flat)
    # The same row with "Urgent: we call back" in its right-hand cell: the
    # middle cell's rest on page 2 is not that cell's.
    flat = [" ".join(block.text.split()) for block in read("table-three-columns-call-back.pdf", engine)]
    assert not any("call back office" in text for text in flat)
    assert "Urgent: we call back" in flat


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("table-left-cell-over-page.pdf", 1),
        ("table-header-under-heading.pdf", 1),
        ("header-three-lines-body-size.pdf", 1),
        ("footer-first-page-centred.pdf", 1),
        ("table-four-columns-call-back.pdf", 0),
    ],
)
def test_word_laid_out_page_breaks_of_a_second_round(engine: str, name: str, found: int) -> None:
    # Documents of a second adversarial round (python-docx, laid out by
    # LibreOffice as Word does): a cut left cell, a header row whose cell
    # shares a box with the heading above on page 1, a letterhead of three
    # lines in the body's size, a centred footer on page 1 only, and a trap
    # whose right-hand cell ends "back".
    flat = [" ".join(block.text.split()) for block in read(name, engine)]
    assert sum(len(re.findall(r"\bback office\b", text, re.IGNORECASE)) for text in flat) == found


def test_letter_spaced_text_is_closed_up_and_plain_one_letter_words_are_not(engine: str) -> None:
    assert texts(read("letter-spacing.pdf", engine)) == [
        "BACK OFFICE ASSISTANT",
        "Reports to the Head of Back Office Services team.",
        "Pay grades A B C D and E apply.",
        "At least 5 - 7 years of experience.",
    ]


def test_a_paragraph_runs_on_past_a_footnote_and_a_header_shown_from_page_2(engine: str) -> None:
    blocks = read("page-break-notes.pdf", engine)
    assert locate(blocks, "supports our back\noffice team, which") == (1, 4, 1)
    # Both are passed over, not dropped: still read, after the paragraph.
    assert texts(blocks)[2:4] == ["1The site opens in May.", "Acme Careers: job description"]


def test_running_headers_and_footers_are_still_read_on_every_page(engine: str) -> None:
    blocks = read("page-break.pdf", engine)
    headers = [block.position(0).page for block in blocks if block.text == "Acme Careers: job description"]
    footers = [block.text for block in blocks if block.text.startswith("Page ")]
    assert headers == [1, 2, 3, 4]
    assert footers == ["Page 1 of 4", "Page 2 of 4", "Page 3 of 4", "Page 4 of 4"]
    # Each block comes out in the place of its first line.
    places = [(block.position(0).page or 0, block.position(0).line) for block in blocks]
    assert places == sorted(places)


def test_a_paragraph_runs_on_into_the_next_column(engine: str) -> None:
    blocks = read("column-break.pdf", engine)
    assert locate(blocks, "coach our back\nline employees on the") == (1, 6, 6)
    assert texts(blocks)[0] == "Team notes"


def test_a_paragraph_at_loose_line_spacing_is_one_block(engine: str) -> None:
    # At 1.5 and double spacing each line lies further below the one before
    # than single-spaced lines do; the paragraph is still one block, even where
    # the next line starts with a capital.
    blocks = read("line-spacing.pdf", engine)
    assert locate(blocks, "year our back\noffice team") == (1, 2, 49)
    assert locate(blocks, "the Back\nOffice Manager") == (2, 2, 52)
    closing = "A second paragraph at the same spacing closes the page."
    assert [block.position(0).page for block in blocks if block.text == closing] == [1, 2]
    assert len([block for block in blocks if block.position(0).page in (1, 2)]) == 4


def test_loose_body_text_is_one_block_beside_single_spaced_table_cells(engine: str) -> None:
    # Page 3: more table-cell lines wrap at single spacing than body lines at
    # 1.5 spacing, but they start at other left edges.
    blocks = [block for block in read("line-spacing.pdf", engine) if block.position(0).page == 3]
    assert locate(blocks, "again, our back\noffice team") == (3, 10, 43)
    assert [block.text.split("\n")[0] for block in blocks] == [
        "Title",
        "Operations coordinator for the",
        "Purpose",
        "Plans the week for the team",
        "Every role at Acme serves a customer or a colleague who does,",
        "A last paragraph at the same spacing closes the page.",
    ]
    assert [block.text.count("\n") + 1 for block in blocks] == [1, 3, 1, 4, 5, 1]


def test_two_line_paragraphs_at_loose_spacing_are_one_block_each(engine: str) -> None:
    # Page 4: at 1.5 spacing no paragraph has three lines, so no run of wrapped
    # lines shows the spacing; the wider gap below each paragraph's last line
    # does. A one-line paragraph that nearly fills its line ("call you back")
    # is not joined to the next one ("Office hours"): the gap below it is wider.
    blocks = [block for block in read("line-spacing.pdf", engine) if block.position(0).page == 4]
    assert locate(blocks, "our back\noffice team") == (4, 3, 56)
    assert [block.text.count("\n") + 1 for block in blocks] == [2, 2, 1, 1, 2]
    assert texts(blocks)[2] == "Questions on pay go to the payroll desk, who call you back"


def test_spaced_one_line_paragraphs_are_not_read_as_loose_lines(engine: str) -> None:
    # Page 5: single spacing with space after each paragraph; the lines nearly
    # fill the width, so each looks wrapped, and the gaps between them recur.
    # Every next line starts with a capital, as the lines of a loose paragraph
    # do not: each stays a paragraph of its own.
    blocks = [block for block in read("line-spacing.pdf", engine) if block.position(0).page == 5]
    assert [block.text.count("\n") + 1 for block in blocks] == [1] * 8
    assert texts(blocks)[:2] == [
        "Questions on pay go to the payroll desk, who call you back",
        "Office hours are nine to five, and the desk shuts at noon",
    ]


def test_a_filled_in_forms_values_are_read_where_they_are_shown(engine: str) -> None:
    # The page's text holds only the labels; the values are the fields'. A
    # one-line field is read in its label's row, a text area as a paragraph
    # below the sentence that introduces it; an empty field adds nothing.
    blocks = read("form-fields.pdf", engine)
    assert texts(blocks) == [
        "Position description",
        "Title: Back Office Clerk",
        "Team: Back line support",
        "The duties of the role, as agreed with the postholder:",
        "Pays suppliers on time and works with the back-office team on every\npayment run.",
        "Every role serves a customer or a colleague who does.",
        "Notes:",
    ]
    assert locate(blocks, "Back Office Clerk") == (1, 2, 8)
    assert locate(blocks, "back-office team") == (1, 5, 43)


def test_a_text_box_added_on_a_page_is_read(engine: str) -> None:
    # pdf.js's test file: Word's page says "FreeText"; the FreeText annotation
    # on it says "FreeText content", in a box two words wide.
    assert texts(read("freetext-pdfjs.pdf", engine)) == ["FreeText", "FreeText\ncontent"]


def test_table_cells_on_one_baseline_are_not_one_line(engine: str) -> None:
    # PDFium gives "Please call back office staff by noon" as one line across
    # the cells, which made a "back office" finding out of two cells.
    blocks = read("table.pdf", engine)
    lines = [line for block in blocks for line in block.text.split("\n")]
    assert "Please call back" in lines
    assert "office staff by noon" in lines
    assert "Call back" in lines
    assert not any("back office" in block.text for block in blocks)


def test_cells_a_word_table_pads_closer_than_an_em_are_read_apart(engine: str) -> None:
    # Word's default cell padding leaves 0.96 em between "payments" and "one
    # other clerk" at 12 pt; read as one line, they took the left cell's
    # lines apart, and "our back" / "office team" was missed.
    blocks = read("table-narrow-gutter.pdf", engine)
    assert "Duties are shared with\none other clerk and\ncover is arranged by\nthe team leader." in texts(blocks)
    assert locate(blocks, "week for the payments\ndesk") == (1, 5, 1)
    assert locate(blocks, "supports our back\noffice team, which") == (1, 7, 5)


def test_cells_of_a_short_row_drawn_as_one_text_object_are_not_one_line(engine: str) -> None:
    # Ghostscript draws "Call back" and "office staff" as one text object, so
    # PDFium's rectangles show no gutter, and the row is too short for its
    # four-em gutter to make it look long: a row of a few words is measured
    # space by space. (A row of more words is measured only when it is much
    # longer than its characters: see pdfium._too_long.)
    blocks = read("table-ghostscript.pdf", engine)
    lines = [line for block in blocks for line in block.text.split("\n")]
    assert "Call back" in lines
    assert "office staff" in lines


@pytest.mark.skipif(not HAVE_PDFIUM, reason="pypdfium2 is not installed")
@pytest.mark.xfail(
    reason="known limitation: PDFium runs a row of seven words drawn as one text object together; "
    "finding its gutter would mean measuring every space of every line (+30 % reading time)",
    strict=True,
)
def test_cells_of_a_longer_row_drawn_as_one_text_object_are_not_one_line() -> None:
    blocks = read("table-ghostscript.pdf", "pdfium")
    lines = [line for block in blocks for line in block.text.split("\n")]
    assert "Please call back" in lines


def test_a_justified_line_stretched_wide_stays_one_line(engine: str) -> None:
    # "line" and "employees" are seven ems apart on a line that long words
    # stretched; the full lines above and below span the gap, so it is
    # spacing, not a gutter.
    blocks = read("table.pdf", engine)
    assert locate(blocks, "back\nline employees") == (1, 8, 26)


def test_a_justified_line_beside_a_second_column_stays_one_line(engine: str) -> None:
    # The right column's lines share the left one's baselines: a row then ends
    # at the right column's edge, and a stretched line of the left column,
    # ending at its own, was taken for cells apart.
    flat = [" ".join(block.text.split()) for block in read("justified-columns.pdf", engine)]
    for phrase in (
        "coordinating back office administration and reconciliation",
        "Internationalisation of back office administration",
        "Characteristically, back-line employees troubleshoot",
        "non-customer-facing administrators accelerates",
    ):
        assert sum(phrase in text for text in flat) == 2, phrase


def test_a_table_cells_wrapped_text_stays_together(engine: str) -> None:
    # The row reads "...our back", "Billing", then the cell's second line: it
    # continues the cell's box, not the one-line cell beside it.
    blocks = read("table.pdf", engine)
    assert locate(blocks, "our back\noffice team") == (1, 4, 32)
    assert "Billing" in texts(blocks)


def test_rows_beside_a_merged_cell_are_numbered_above_the_text_under_the_table(engine: str) -> None:
    # "Operations" is merged over three rows, and the short paragraph under
    # the table ends left of the second column: the page is read a column at
    # a time, "Ask the back office." before the second column. Only the first
    # row has a cell on the left to number it by; the second column's other
    # lines (a wrapped cell's included) are rows between, not after, the
    # lines the first column gave.
    blocks = read("table-merged-cell.pdf", engine)
    assert locate(blocks, "Monday: back office") == (1, 2, 12)
    assert locate(blocks, "Tuesday: the post") == (1, 3, 1)
    assert locate(blocks, "desk") == (1, 5, 1)
    assert locate(blocks, "Wednesday: back\noffice") == (1, 6, 1)
    assert locate(blocks, "Ask the back office.") == (1, 8, 1)


def test_a_value_after_a_tab_stop_is_on_its_labels_line(engine: str) -> None:
    # "Title:" and "Back Office Clerk" are pieces of one row: one line, the
    # value starting a space after the label, as a person counts the page.
    blocks = read("tab-stops.pdf", engine)
    assert locate(blocks, "Back Office Clerk") == (1, 2, 8)
    assert locate(blocks, "Office 2.14, Leeds") == (1, 5, 11)


def test_one_line_values_stacked_beside_their_labels_are_rows_not_a_paragraph(engine: str) -> None:
    # "Entrance:<tab>Back" over "Location:<tab>Office 2.14": the values column
    # is no paragraph; "Back" would have had room for "Office".
    assert "Back" in texts(read("tab-stops.pdf", engine))


def test_two_columns_positions(engine: str) -> None:
    blocks = read("two-columns.pdf", engine)
    assert locate(blocks, "back line\nemployees") == (1, 5, 37)
    assert locate(blocks, f"non-customer{SHY}\nfacing roles") == (1, 14, 33)
    # Column 2 is numbered after all of column 1.
    assert locate(blocks, "C1d.") == (1, 10, 1)
    assert locate(blocks, "C2a.") == (1, 12, 1)


@pytest.mark.parametrize("name", ["rotated.pdf", "rotated-flattened.pdf"])
def test_turned_pages_read_upright(engine: str, name: str) -> None:
    # rotated.pdf turns pages 2 and 3 with /Rotate 90 and 180; the flattened
    # copy draws the text turned instead. Either way the text reads upright.
    blocks = read(name, engine)
    assert [(block.position(0).page, block.position(0).line, block.text) for block in blocks] == [
        (1, 1, "Page one is upright."),
        (2, 1, "Page two is shown turned a quarter."),
        (2, 2, "Apply as Back Office Administrator today."),
        (3, 1, "Page three is shown upside down."),
        (3, 2, "We value our back line employees."),
    ]


@pytest.mark.parametrize(
    ("name", "sentence", "times"),
    [
        ("column-full-two-pages.pdf", "word our back office team", 400),
        ("column-full-furniture.pdf", "word word word our back office team", 80),
    ],
)
def test_a_paragraph_filling_a_column_runs_on_into_the_next(engine: str, name: str, sentence: str, times: int) -> None:
    # Column 1 is one paragraph from the head of the page, so the head of
    # column 2 starts level with it, as the next cell of a table row would;
    # over the page break the paragraph cut is column 2's, not column 1's.
    blocks = read(name, engine)
    body = [block.text for block in blocks if "our back" in block.text]
    assert len(body) == 1
    assert " ".join(body[0].split()) == " ".join([sentence] * times)
    assert [block.text for block in blocks if block.text not in body] == (
        [] if name == "column-full-two-pages.pdf" else ["Staffing handbook", "Page 1"]
    )


def _turned_page(matrix: bytes) -> bytes:
    """A page with /Rotate 180 and two lines whose words change font mid-line
    (a bold "Back"), drawn with the text matrix ``matrix``."""
    pieces = [
        (b"/F1", b"Job title: "),
        (b"/F2", b"Back"),
        (b"/F1", b" Office Clerk"),
    ]
    shown = b"".join(font + b" 12 Tf (" + text + b") Tj " for font, text in pieces)
    content = b"BT " + matrix + b" Tm 14 TL " + shown + b"T* /F1 12 Tf (Our ) Tj /F2 12 Tf (back) Tj "
    content += b"/F1 12 Tf ( office team works here.) Tj ET"
    fonts = b"<< /F1 5 0 R /F2 6 0 R >>"
    return pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Rotate 180 /Resources << /Font "
            + fonts
            + b" >> /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>",
        ]
    )


@pytest.mark.parametrize(
    "matrix",
    [
        pytest.param(b"1 0 0 1 72 700", id="drawn-upright-page-turned-over"),
        pytest.param(b"-1 0 0 -1 540 92", id="drawn-upside-down-turned-back"),
    ],
)
def test_a_page_turned_over_reads_its_lines_in_drawing_order(engine: str, matrix: bytes, tmp_path: Path) -> None:
    # PDFium orders a line's pieces as the page is shown: on a page whose text
    # /Rotate 180 shows upside down, from the right ("Office Clerk Back Job title:").
    path = tmp_path / "turned.pdf"
    path.write_bytes(_turned_page(matrix))
    blocks = list(pdf.extract_file(path, ExtractOptions(pdf_engine=engine)))
    assert [block.text for block in blocks] == ["Job title: Back Office Clerk\nOur back office team works here."]
    assert locate(blocks, "Back Office") == (1, 1, 12)
    assert locate(blocks, "back office") == (1, 2, 5)


def test_page_without_text_yields_nothing_and_keeps_numbering(engine: str) -> None:
    blocks = read("image-page.pdf", engine)
    assert {block.segments[0].page for block in blocks} == {1, 3}
    assert locate(blocks, "back line employees") == (3, 3, 20)


def test_blocks_stream_before_later_pages_are_read(engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    real = pdf.load_engine(engine)
    pulled: list[int] = []

    class Counting:
        def read_pages(
            self,
            path: Path,
            comments: list[Comment] | None = None,
            title: list[str] | None = None,
            screen: PageScreen | None = None,
        ) -> Iterator[list[TextLine]]:
            for number, page in enumerate(real.read_pages(path, comments, title, screen), start=1):
                pulled.append(number)
                yield page

        def library_error(self, exc: Exception) -> ExtractError | None:
            return real.library_error(exc)

    monkeypatch.setattr(pdf, "load_engine", lambda name: Counting())
    blocks = cast(
        Generator[Block, None, None],
        pdf.extract_file(FIXTURES / "multipage.pdf", ExtractOptions(pdf_engine=engine)),
    )
    first = next(blocks)
    assert first.text == "Acme Careers: open positions"
    # One page is read ahead, to tell a running header from a paragraph that
    # runs on over the break; no more, so memory stays one page's worth.
    assert pulled == [1, 2]
    blocks.close()


def test_list_markers_share_a_line_with_their_items(engine: str) -> None:
    # LibreOffice puts a tab after each marker; pdfminer reads "•" and "1." as
    # lines of their own, which would shift every line number below them.
    blocks = read("lists.pdf", engine)
    assert texts(blocks)[:4] == [
        "What the operations team does:",
        "• Coach our back line employees every\nweek.",
        f"• Rewrite the adverts that still say back{SHY}\noffice staff so they say customer{SHY}\nimpacting staff.",
        "• Answer the front office within a day.",
    ]
    assert texts(blocks)[5:] == [
        f"{number}. {role}"
        for number, role in enumerate(
            [
                "Ledger clerk",
                "Mail room assistant",
                "Payroll officer",
                "Records keeper",
                "Billing analyst",
                "Claims handler",
                "Data steward",
                "Facilities planner",
                "Vendor manager",
                "Back Office Administrator",
                "Transaction processor",
            ],
            start=1,
        )
    ]


def test_list_positions(engine: str) -> None:
    blocks = read("lists.pdf", engine)
    assert locate(blocks, "back line employees") == (1, 2, 13)
    assert locate(blocks, f"back{SHY}\noffice staff") == (1, 4, 38)
    assert locate(blocks, "Back Office Administrator") == (1, 18, 5)
    assert locate(blocks, "Transaction processor") == (1, 19, 5)


# --- what cannot be read -----------------------------------------------------


def test_scan_without_text_layer(engine: str) -> None:
    with pytest.raises(NoTextLayer) as caught:
        read("scanned.pdf", engine)
    assert str(caught.value) == "no extractable text: scanned image?"


@pytest.mark.parametrize("name", ["encrypted-empty-password.pdf", "encrypted-rc4-empty-password.pdf"])
def test_encrypted_with_empty_password_opens(engine: str, name: str) -> None:
    assert (
        texts(read(name, engine))
        == texts(read("simple.pdf", engine))
        == [
            "Our back-office team processes every order.",
            "The front office greets visitors.",
        ]
    )


def test_encrypted_with_user_password(engine: str) -> None:
    with pytest.raises(EncryptedPdf) as caught:
        read("encrypted-user-password.pdf", engine)
    assert str(caught.value) == "PDF is encrypted and the empty password does not open it"


@pytest.mark.parametrize(
    ("name", "error", "message"),
    [
        ("text-renamed.pdf", NotAPdf, "not a PDF file (no %PDF header)"),
        ("header-too-late.pdf", NotAPdf, "not a PDF file (no %PDF header)"),
        ("truncated.pdf", CorruptPdf, "PDF is damaged: "),
        ("garbage-after-header.pdf", CorruptPdf, "PDF is damaged: "),
    ],
)
def test_damaged_files(engine: str, name: str, error: type[ExtractError], message: str) -> None:
    with pytest.raises(error) as caught:
        read(name, engine)
    assert str(caught.value).startswith(message)
    assert_one_line_error(caught.value)


def test_junk_before_header_within_1024_bytes_is_read(engine: str) -> None:
    assert texts(read("junk-before-header.pdf", engine))[0].startswith("Our back-office team")


def test_empty_file(engine: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(NotAPdf, match=r"^file is empty$"):
        list(pdf.extract_file(empty, ExtractOptions(pdf_engine=engine)))


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_unreadable_path(engine: str, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "report.pdf"
    if kind == "directory":
        path.mkdir()
    with pytest.raises(UnreadableFile) as caught:
        list(pdf.extract_file(path, ExtractOptions(pdf_engine=engine)))
    assert_one_line_error(caught.value)
    assert str(tmp_path) not in str(caught.value)


class _Failing:
    """An engine whose parser fails on the second page."""

    def __init__(self, failure: BaseException) -> None:
        self.failure = failure

    def read_pages(
        self,
        path: Path,
        comments: list[Comment] | None = None,
        title: list[str] | None = None,
        screen: PageScreen | None = None,
    ) -> Generator[list[TextLine], None, None]:
        yield [TextLine("Our back-office team.", 72, 700, 300, 712)]
        raise self.failure

    def library_error(self, exc: Exception) -> ExtractError | None:
        return None


@pytest.mark.parametrize(
    ("failure", "error", "message"),
    [
        (KeyError("/Root"), CorruptPdf, "PDF is damaged: a required entry is missing"),
        (ValueError("bad"), CorruptPdf, "PDF is damaged: unexpected structure (ValueError)"),
        (TypeError("bad"), CorruptPdf, "PDF is damaged: unexpected structure (TypeError)"),
        (AssertionError(), CorruptPdf, "PDF is damaged: unexpected structure (AssertionError)"),
        (struct.error("unpack"), CorruptPdf, "PDF is damaged: unexpected structure (error)"),
        (zlib.error("bad"), CorruptPdf, "PDF is damaged: a compressed stream cannot be decoded"),
        (RecursionError(), CorruptPdf, "PDF is damaged: objects are nested too deeply"),
        (IndexError(), CorruptPdf, "PDF is damaged: a reference points nowhere"),
        (ZeroDivisionError(), CorruptPdf, "PDF is damaged: a number is out of range"),
        (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "x"), CorruptPdf, "PDF is damaged: text"),
        (OSError(errno.EIO, "Input/output error", "/secret/path.pdf"), UnreadableFile, "cannot"),
        (OSError(errno.EINVAL, "Invalid argument"), CorruptPdf, "PDF is damaged: an offset points outside the file"),
        (MemoryError(), ResourceLimitExceeded, "PDF needs more memory"),
    ],
)
def test_parser_failures_become_extract_errors(
    monkeypatch: pytest.MonkeyPatch,
    failure: BaseException,
    error: type[ExtractError],
    message: str,
) -> None:
    monkeypatch.setattr(pdf, "load_engine", lambda name: _Failing(failure))
    blocks = pdf.extract_file(FIXTURES / "simple.pdf", ExtractOptions())
    with pytest.raises(error) as caught:
        list(blocks)
    assert str(caught.value).startswith(message)
    assert "/secret" not in str(caught.value)
    assert_one_line_error(caught.value)


def test_an_object_offset_before_the_file_start_is_damage_not_an_unreadable_file(tmp_path: Path) -> None:
    # pdfminer seeks to the negative offset and the system answers EINVAL; the
    # file itself reads fine. (PDFium rebuilds the table and reads the page.)
    broken = re.sub(rb"\d{10} 00000 n", b"-000000001 00000 n", (FIXTURES / "simple.pdf").read_bytes())
    path = tmp_path / "negative-offset.pdf"
    path.write_bytes(broken)
    with pytest.raises(CorruptPdf, match=r"^PDF is damaged: an offset points outside the file$"):
        list(pdf.extract_file(path, ExtractOptions(pdf_engine="pdfminer")))


# Bytes from a real PDF, cut or overwritten at random places: whatever the
# damage, the extractor yields blocks or raises an ExtractError, nothing else.
_SIMPLE = (FIXTURES / "simple.pdf").read_bytes()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    cut=st.integers(min_value=0, max_value=len(_SIMPLE)),
    patches=st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(_SIMPLE) - 1), st.binary(max_size=8)),
        max_size=4,
    ),
)
def test_damaged_bytes_raise_only_extract_errors(
    engine: str, tmp_path: Path, cut: int, patches: list[tuple[int, bytes]]
) -> None:
    data = bytearray(_SIMPLE[:cut])
    for offset, chunk in patches:
        data[offset : offset + len(chunk)] = chunk
    path = tmp_path / "damaged.pdf"
    path.write_bytes(bytes(data))
    try:
        for block in pdf.extract_file(path, ExtractOptions(pdf_engine=engine)):
            assert block.segments
    except ExtractError as error:
        assert_one_line_error(error)


# --- engine choice -----------------------------------------------------------


def test_unknown_engine_is_a_configuration_error() -> None:
    with pytest.raises(ConfigError, match="unknown pdf engine 'fast'"):
        pdf.load_engine("fast")


def test_pdfminer_engine_on_request() -> None:
    assert pdf.load_engine("pdfminer").__name__ == "wordaudit.extract.pdf_pdfminer"  # type: ignore[attr-defined]


def test_auto_prefers_pdfium_when_installed() -> None:
    expected = "wordaudit.extract.pdfium" if HAVE_PDFIUM else "wordaudit.extract.pdf_pdfminer"
    assert pdf.load_engine("auto").__name__ == expected  # type: ignore[attr-defined]


def test_without_pdfium(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "_pdfium_engine", lambda: None)
    assert pdf.load_engine("auto").__name__ == "wordaudit.extract.pdf_pdfminer"  # type: ignore[attr-defined]
    with pytest.raises(ConfigError, match="pip install"):
        pdf.load_engine("pdfium")


@pytest.mark.skipif(not HAVE_PDFIUM, reason="pypdfium2 is not installed")
def test_a_space_pdfium_cannot_measure_leaves_the_line_uncut(monkeypatch: pytest.MonkeyPatch) -> None:
    # The gutter check measures spaces inside a line; a box PDFium refuses
    # there must not cost the file, only the cut.
    import pypdfium2.raw as pdfium_c

    real = pdfium_c.FPDFText_GetLooseCharBox

    def no_box_for_spaces(textpage: object, index: int, rect: object) -> int:
        if pdfium_c.FPDFText_GetUnicode(textpage, index) == ord(" "):
            return 0
        return int(real(textpage, index, rect))

    monkeypatch.setattr(pdfium_c, "FPDFText_GetLooseCharBox", no_box_for_spaces)
    blocks = read("table.pdf", "pdfium")
    assert any("Please call back" in block.text for block in blocks)
    assert any("line employees" in block.text for block in blocks)


def test_engines_agree_on_every_fixture() -> None:
    if not HAVE_PDFIUM:
        pytest.skip("pypdfium2 is not installed")
    readable = [
        "hyphenation.pdf",
        "lists.pdf",
        "list-numbers.pdf",
        "first-line-indent.pdf",
        "multipage.pdf",
        "two-columns.pdf",
        "ligatures.pdf",
        "rotated.pdf",
        "rotated-flattened.pdf",
        "image-page.pdf",
        "simple.pdf",
        "table.pdf",
        "table-merged-cell.pdf",
        "page-break.pdf",
        "page-break-capital.pdf",
        "page-break-notes.pdf",
        "tab-stops.pdf",
        "column-break.pdf",
        "line-spacing.pdf",
        "footnotes.pdf",
        "form-fields.pdf",
        "freetext-pdfjs.pdf",
        "title.pdf",
        "title-chromium.pdf",
        "title-file-name.pdf",
    ]
    for name in readable:
        slow = read(name, "pdfminer")
        fast = read(name, "pdfium")
        assert [(b.text, b.segments) for b in slow] == [(b.text, b.segments) for b in fast], name
