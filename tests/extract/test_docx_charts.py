"""The text a chart in a Word document shows: chart.docx is a chart saved by Word
2007 and relabelled (make_chart.py); the shapes Word writes for other charts are
built here from their XML."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from wordaudit.extract import ExtractOptions, docx
from wordaudit.extract.docx_charts import chart_texts

FIXTURES = Path(__file__).parent.parent / "fixtures" / "docx"
NAMESPACES = (
    'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
)


def shown(chart_xml: str) -> list[tuple[str, str]]:
    root = etree.fromstring(f"<c:chartSpace {NAMESPACES}><c:chart>{chart_xml}</c:chart></c:chartSpace>")
    return [(what, "".join(text for text, _ in pieces)) for what, _, pieces in chart_texts(root)]


def test_a_word_chart_is_read_title_axis_series_and_categories_once() -> None:
    blocks = [b for b in docx.extract_file(FIXTURES / "chart.docx", ExtractOptions()) if b.kind == "chart"]
    assert [(b.text, b.segments[0].where) for b in blocks] == [
        ("Headcount by team", "chart 1, title, anchored in paragraph 4"),
        ("People", "chart 1, axis title, anchored in paragraph 4"),
        ("2025", "chart 1, series 1 name, anchored in paragraph 4"),
        ("Sales", "chart 1, category 1, anchored in paragraph 4"),
        ("Back office", "chart 1, category 2, anchored in paragraph 4"),
        ("Customer service", "chart 1, category 3, anchored in paragraph 4"),
        # The second and third series repeat the categories: not read again.
        ("2026", "chart 1, series 2 name, anchored in paragraph 4"),
        ("Plan", "chart 1, series 3 name, anchored in paragraph 4"),
    ]
    # Numbered after the body's paragraphs, one line each.
    assert [b.segments[0].line for b in blocks] == list(range(5, 13))


def test_literal_names_multi_level_categories_and_typed_data_labels() -> None:
    found = shown(
        "<c:plotArea><c:barChart><c:ser>"
        "<c:tx><c:v>Back-office staff</c:v></c:tx>"
        "<c:cat><c:multiLvlStrRef><c:multiLvlStrCache>"
        "<c:lvl><c:pt idx='0'><c:v>Leeds</c:v></c:pt></c:lvl>"
        "<c:lvl><c:pt idx='0'><c:v>North</c:v></c:pt></c:lvl>"
        "</c:multiLvlStrCache></c:multiLvlStrRef></c:cat>"
        "<c:val><c:numRef><c:numCache><c:pt idx='0'><c:v>14</c:v></c:pt></c:numCache></c:numRef></c:val>"
        "<c:dLbls><c:dLbl><c:idx val='0'/><c:tx><c:rich><a:bodyPr/>"
        "<a:p><a:r><a:t>back </a:t></a:r><a:r><a:t>office</a:t></a:r></a:p>"
        "</c:rich></c:tx></c:dLbl></c:dLbls>"
        "</c:ser></c:barChart></c:plotArea>"
    )
    assert found == [
        ("series 1 name", "Back-office staff"),
        ("category 1", "Leeds"),
        ("category 2", "North"),
        ("series 1 data label", "back office"),  # two runs, one label
    ]


def test_a_title_word_makes_itself_and_numbers_are_not_text() -> None:
    # <c:title/> without c:tx: Word shows the series name, which is read as the name.
    found = shown(
        "<c:title/><c:plotArea><c:pieChart><c:ser>"
        "<c:tx><c:strRef><c:strCache><c:pt idx='0'><c:v>Teams</c:v></c:pt></c:strCache></c:strRef></c:tx>"
        "<c:cat><c:numRef><c:numCache><c:pt idx='0'><c:v>2024</c:v></c:pt></c:numCache></c:numRef></c:cat>"
        "</c:ser></c:pieChart></c:plotArea>"
    )
    assert found == [("series 1 name", "Teams")]
