"""Horizontal rules drawn on a PDF page (table borders, paragraph borders) part
the lines above and below them; underlines do not.

The fixtures are in tests/fixtures/pdf (see its README.md): Word documents made
with python-docx and laid out by LibreOffice, and a table printed by Chromium.
Every test runs on each engine installed: both must see the same rules.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import HAVE_PDFIUM, locate, pdf_file
from wordaudit.extract import ExtractOptions, pdf
from wordaudit.extract.pdf_layout import Bounds, PageLines, Rules, TextLine, join_fragments, layout_page
from wordaudit.model import Block

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pdf"


# The blocks of table-borders.pdf, with the page line each starts on: every
# cell its own block, "Come back" over "Office hours" in both tables too.
TABLE_BORDERS = [
    ("Rota:", 1),
    ("Monday", 2),
    ("Come back", 3),
    ("Office hours", 4),
    ("Between tables.", 5),
    ("Desk", 2),
    ("Later", 3),
    ("Nine to five", 4),
    ("Area", 6),
    ("Details", 6),
    ("Duties", 7),
    ("Works daily with our back\noffice team on every\npayment run.", 7),
    ("Come back", 10),
    ("Later in the week", 10),
    ("Office hours Nine to five", 11),
    ("End of the rota.", 12),
]


def read(path: Path, engine: str) -> list[Block]:
    return list(pdf.extract_file(path, ExtractOptions(pdf_engine=engine)))


def starts(blocks: list[Block]) -> list[tuple[str, int]]:
    """Each block's text and the page line it starts on."""
    return [(block.text, block.segments[0].line) for block in blocks]


@pytest.mark.parametrize("name", ["table-borders.pdf", "table-borders-turned.pdf"])
def test_cells_stacked_in_a_bordered_column_are_not_one_paragraph(engine: str, name: str) -> None:
    # "Office hours" is barely wider than "Come back": measured against its
    # column, "Come back" looks wrapped. The border between the rows says it
    # is not, and so does the table's bottom border above "Between tables.".
    # Turned a quarter (table-borders-turned.pdf), the borders turn with the text.
    blocks = read(FIXTURES / name, engine)
    assert starts(blocks) == TABLE_BORDERS
    # The cell that wraps inside its borders is one phrase, found once.
    assert locate(blocks, "back\noffice") == (1, 7, 29)


def test_a_table_printed_by_chromium_parts_its_rows_at_their_borders(engine: str) -> None:
    # Chromium draws each side of each cell as a filled rectangle; the pieces
    # of a row's border are one rule. Its table starts level with the body
    # text, its cells' text 4 pt in: the border above a cell starts left of
    # the cell's text and ends past "Rota:", the one below ends past "Office
    # hours Nine to five", and the paragraph under the table runs on past it.
    blocks = read(FIXTURES / "table-borders-chromium.pdf", engine)
    texts = [text for block in blocks for text in block.text.split("\n")]
    assert not any("back\nOffice" in block.text or "back Office" in block.text for block in blocks)
    assert "Between tables." in [block.text for block in blocks]
    assert "Rota:" in [block.text for block in blocks]
    assert texts.count("Office hours Nine to five") == 2
    assert locate(blocks, "back\noffice team on every") == (1, 6, 29)
    assert locate(blocks, "Every payment run is checked by our back\noffice team in Leeds.") == (1, 11, 1)


def test_an_underline_across_a_line_end_is_no_rule(engine: str) -> None:
    # A link underlined over the wrap, an underlined "back" ending its line, and
    # a whole paragraph underlined (each line from its start, the first past its
    # trailing space): the underlines are drawn shapes, none a rule.
    (page,) = pdf.load_engine(engine).read_pages(FIXTURES / "underline-wrap.pdf")
    assert isinstance(page, PageLines)
    assert len(page.drawn) == 5
    blocks = read(FIXTURES / "underline-wrap.pdf", engine)
    assert starts(blocks) == [
        ("Every payment run is checked by our back\noffice team in Leeds.", 1),
        ("Questions on a late payment go to our back\noffice team in Leeds.", 3),
        ("Invoices are matched to orders by our back\noffice team in Leeds.", 5),
    ]


def test_a_paragraph_border_parts_paragraphs_set_without_space(engine: str) -> None:
    # A boxed paragraph (its border 4 pt outside its text) and one with a bottom
    # border only, flush with its text but running on past its short line; the
    # box round a paragraph that wraps does not part its lines.
    blocks = read(FIXTURES / "rule-between-paragraphs.pdf", engine)
    assert starts(blocks) == [
        ("Questions about your pay? Please call back", 1),
        ("Office hours are nine to five, Monday to\nFriday.", 2),
        ("Parking permits: ask reception, or call back", 4),
        ("Office staff park behind the building.", 5),
        ("Parking permits are given out by our back\noffice team at reception.", 6),
        ("Staff park behind the building.", 8),
    ]


@pytest.mark.skipif(not HAVE_PDFIUM, reason="pypdfium2 is not installed")
@pytest.mark.parametrize(
    "name",
    ["table-borders.pdf", "table-borders-turned.pdf", "underline-wrap.pdf", "rule-between-paragraphs.pdf"],
)
def test_engines_see_the_same_rules(name: str) -> None:
    pages = [list(pdf.load_engine(engine).read_pages(FIXTURES / name)) for engine in ("pdfminer", "pdfium")]
    assert all(isinstance(page, PageLines) for found in pages for page in found)
    slow, fast = (placed([bounds for page in found for bounds in cast(PageLines, page).drawn]) for found in pages)
    assert slow == pytest.approx(fast, abs=0.01)
    assert [(b.text, b.segments) for b in read(FIXTURES / name, "pdfminer")] == [
        (b.text, b.segments) for b in read(FIXTURES / name, "pdfium")
    ]


def placed(drawn: list[Bounds]) -> list[float]:
    """The shapes' bounds, sorted, from the lowest left and bottom among them: on a
    turned page the engines' coordinates differ by where they put the origin."""
    left = min(bounds[0] for bounds in drawn)
    bottom = min(bounds[1] for bounds in drawn)
    moved = sorted((x0 - left, y0 - bottom, x1 - left, y1 - bottom) for x0, y0, x1, y1 in drawn)
    return [value for bounds in moved for value in bounds]


def _form_xobject_page() -> bytes:
    """A page of "Come back" over "Office hours", 14 pt apart, and a 0.5 pt rule
    between them drawn two form XObjects deep: the page places form A at (10, 20),
    A's /Matrix moves it 5 further, and A draws form B scaled twice."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    text = b"BT /F1 12 Tf 72 700 Td (Come back) Tj 0 -14 Td (Office hours) Tj ET\nq 1 0 0 1 10 20 cm /A Do Q"
    inner = b"0.25 w 25.5 335.8 m 92.5 335.8 l S"
    outer = b"/B Do"

    def stream(dictionary: bytes, content: bytes) -> bytes:
        return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (dictionary, len(content), content)

    return pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> /XObject << /A 6 0 R >> >> >>",
            stream(b"", text),
            font,
            stream(
                b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Matrix [1 0 0 1 5 5]"
                b" /Resources << /XObject << /B 7 0 R >> >>",
                outer,
            ),
            stream(b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Matrix [2 0 0 2 0 0]", inner),
        ]
    )


def test_a_rule_drawn_inside_form_xobjects_parts_lines(engine: str, tmp_path: Path) -> None:
    path = tmp_path / "form.pdf"
    path.write_bytes(_form_xobject_page())
    (page,) = pdf.load_engine(engine).read_pages(path)
    assert isinstance(page, PageLines)
    # In page space: from x 66 to 200 at y 696.6, reaching a line width (0.5) past each end.
    assert page.drawn == [pytest.approx((65.5, 696.1, 200.5, 697.1), abs=0.01)]
    assert [block.text for block in read(path, engine)] == ["Come back", "Office hours"]


SIZE = 12.0


def text_line(text: str, left: float, baseline: float, right: float) -> TextLine:
    """A 12 pt line as PDFium boxes it: one em from a fifth of an em below its baseline."""
    return TextLine(text, left, baseline - 0.2 * SIZE, right, baseline + 0.8 * SIZE)


UPPER = text_line("Come back", 90.0, 700.0, 140.0)
LOWER = text_line("Office hours", 90.0, 686.0, 152.0)


def rule(left: float, right: float, middle: float, thickness: float = 1.0) -> Bounds:
    return (left, middle - thickness / 2, right, middle + thickness / 2)


@pytest.mark.parametrize(
    ("drawn", "parts"),
    [
        # A cell border, starting left of the text by the cell's padding.
        ([rule(84.0, 300.0, 696.5)], True),
        # The same border drawn a cell at a time: one rule.
        ([rule(84.0, 120.0, 696.5), rule(120.0, 300.0, 696.5)], True),
        # Flush with the text, but running on well past the upper line's end.
        ([rule(90.0, 300.0, 696.5)], True),
        # An underline of the whole upper line and its trailing space.
        ([rule(89.3, 144.0, 698.9)], False),
        # An underline of the upper line's last word.
        ([rule(115.0, 140.0, 698.9)], False),
        # A strikethrough of the upper line.
        ([rule(89.3, 140.7, 703.0)], False),
        # A border that stops short of the lines' text.
        ([rule(84.0, 130.0, 696.5)], False),
        # Too thick for a rule: a shaded bar.
        ([rule(84.0, 300.0, 696.5, thickness=4.0)], False),
        # Below the lower line, or above the upper one.
        ([rule(84.0, 300.0, 682.0)], False),
        ([rule(84.0, 300.0, 711.0)], False),
        # A vertical border, and bounds no drawing has (a broken file).
        ([(300.0, 650.0, 301.0, 720.0)], False),
        ([(math.nan, 696.0, 300.0, 697.0), (84.0, 696.0, math.inf, 697.0)], False),
    ],
)
def test_which_drawn_shapes_part_two_lines(drawn: list[Bounds], parts: bool) -> None:
    assert Rules(drawn).part(UPPER, LOWER) is parts


_COORDINATE = st.one_of(
    st.floats(min_value=0, max_value=800, allow_nan=False),
    st.sampled_from([math.nan, math.inf, -math.inf, 0.0, 84.0, 696.5, 700.0]),
)
_LINE = st.builds(TextLine, st.sampled_from(["Come back", "Office hours", "back", "office"]), *[_COORDINATE] * 4)
_BOUNDS = st.tuples(_COORDINATE, _COORDINATE, _COORDINATE, _COORDINATE)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, max_size=20), st.lists(_BOUNDS, max_size=20))
def test_rules_keep_every_line_whatever_the_coordinates(lines: list[TextLine], drawn: list[Bounds]) -> None:
    # NaN and infinite bounds come from broken files: rules may part lines,
    # but every line still comes out once, and nothing raises.
    boxes = layout_page(lines, Rules(drawn))
    assert sum(len(box) for box in boxes) == len(join_fragments(lines))
