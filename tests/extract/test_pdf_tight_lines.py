"""Lines set as close as a paragraph's that are no paragraph: a heading set
straight over its text, as Word's built-in headings are (no space after), and
the short labels of a table without borders. No phrase runs from one into the
other. The fixtures are tests/fixtures/pdf/headings-tight.pdf and
table-borderless-key-facts.pdf (see its README.md), python-docx documents laid
out by LibreOffice; every test runs on each engine installed."""

from __future__ import annotations

from pathlib import Path

from wordaudit.extract import ExtractOptions, pdf
from wordaudit.extract.pdf_layout import Spacing, TextLine, group_lines, right_edges

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pdf"

# Each block's text and the page line it starts on.
HEADINGS_TIGHT = [
    ("Payments Clerk", 1),
    ("You will answer suppliers and customers\nwithin a day.", 2),
    ("When customers call back", 4),
    ("Office hours are nine to five, Monday to\nFriday.", 5),
    ("Coming back", 7),
    ("Office visits need an appointment.", 8),
    # Broken by hand (Shift+Enter): one heading, one phrase across its lines.
    ("Senior Back\nOffice Manager", 9),
    ("Every payment run is checked by our back\noffice team before it leaves us.", 11),
    ("Our Back Office Team", 13),
    ("Six people settle every claim.", 14),
]


def test_each_heading_is_a_block_apart_from_its_text(engine: str) -> None:
    blocks = pdf.extract_file(FIXTURES / "headings-tight.pdf", ExtractOptions(pdf_engine=engine))
    assert [(block.text, block.segments[0].line) for block in blocks] == HEADINGS_TIGHT


def _line(text: str, top: float, size: float, right: float = 200.0) -> TextLine:
    return TextLine(text, 40.0, top - size, right, top)


def test_a_wrapped_line_goes_on_into_a_line_of_another_size() -> None:
    # A paragraph's line may end on a larger mark (the larger end gives a
    # line's size): only a line that ends its own paragraph is parted.
    lines = [
        _line("Every payment run is checked by our back", 300.0, 12.0),
        _line("office team, which settles each claim.", 286.0, 11.0, right=190.0),
        _line("A new paragraph in the body size that runs", 272.0, 11.0),
    ]
    spacing = Spacing(furthest=right_edges(lines))
    assert [len(box) for box in group_lines(lines, spacing)] == [3]


def test_a_short_line_over_a_line_of_another_size_ends_its_box() -> None:
    lines = [
        _line("When customers call back", 300.0, 13.0, right=150.0),
        _line("Office hours are nine to five, Monday to", 286.0, 11.0),
    ]
    spacing = Spacing(furthest=right_edges(lines))
    assert [len(box) for box in group_lines(lines, spacing)] == [1, 1]


def test_lines_of_the_same_size_are_not_parted_by_size() -> None:
    lines = [
        _line("Senior Back", 300.0, 13.0, right=100.0),
        _line("Office Manager", 286.0, 13.0, right=120.0),
    ]
    spacing = Spacing(furthest=right_edges(lines))
    assert [len(box) for box in group_lines(lines, spacing)] == [2]


# A job description's key facts in tables without borders, labels on the left.
def test_short_labels_of_a_table_without_borders_are_rows_of_their_own(engine: str) -> None:
    # Measured against "Office hours", the longest label, "Come back" looks
    # wrapped; the cell had room for "Office" before the values' column.
    blocks = pdf.extract_file(FIXTURES / "table-borderless-key-facts.pdf", ExtractOptions(pdf_engine=engine))
    texts = [block.text for block in blocks]
    assert "Come back" in texts
    assert "Office hours" in texts
    # A label that wraps in its narrow cell stays one, its next line's capital notwithstanding.
    assert any("Head of our Back\nOffice Team" in text for text in texts)
