"""The text a chart in a Word document shows: chart.docx is a chart saved by Word
2007 and relabelled (make_chart.py); the shapes Word writes for other charts are
built here from their XML."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from wordaudit.extract import ExtractOptions, docx
from wordaudit.extract.docx_charts import chart_texts, drawing_texts

FIXTURES = Path(__file__).parent.parent / "fixtures" / "docx"
NAMESPACES = (
    'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:c15="http://schemas.microsoft.com/office/drawing/2012/chart"'
)
CATEGORY_AXIS = "<c:catAx><c:axId val='1'/><c:axPos val='b'/></c:catAx>"


def shown(chart_xml: str) -> list[tuple[str, str]]:
    root = etree.fromstring(f"<c:chartSpace {NAMESPACES}><c:chart>{chart_xml}</c:chart></c:chartSpace>")
    return [(what, "".join(text for text, _ in pieces)) for what, _, pieces in chart_texts(root)]


def test_a_word_chart_is_read_title_axis_series_and_categories_once() -> None:
    blocks = [b for b in docx.extract_file(FIXTURES / "chart.docx", ExtractOptions()) if b.kind == "chart"]
    # Named as Word's Selection Pane names the drawing; the data table under
    # the plot shows every series' name and the categories.
    assert [(b.text, b.segments[0].where) for b in blocks] == [
        ("Headcount by team", "Chart 1, title, anchored in paragraph 4"),
        ("People", "Chart 1, vertical axis title, anchored in paragraph 4"),
        ("2025", "Chart 1, series 1 name, anchored in paragraph 4"),
        ("Sales", "Chart 1, category 1, anchored in paragraph 4"),
        ("Back office", "Chart 1, category 2, anchored in paragraph 4"),
        ("Customer service", "Chart 1, category 3, anchored in paragraph 4"),
        # The second and third series repeat the categories: not read again.
        ("2026", "Chart 1, series 2 name, anchored in paragraph 4"),
        ("Plan", "Chart 1, series 3 name, anchored in paragraph 4"),
    ]
    # Numbered after the body's paragraphs, one line each.
    assert [b.segments[0].line for b in blocks] == list(range(5, 13))


def bar_chart(series: str, *, legend: str = "<c:legend/>", title: str = "", axes: str = CATEGORY_AXIS) -> str:
    return (
        f"{title}<c:plotArea><c:barChart>{series}<c:axId val='1'/><c:axId val='2'/></c:barChart>{axes}"
        f"<c:valAx><c:axId val='2'/><c:axPos val='l'/></c:valAx></c:plotArea>{legend}"
    )


def categories(*names: str) -> str:
    points = "".join(f"<c:pt idx='{i}'><c:v>{name}</c:v></c:pt>" for i, name in enumerate(names))
    return f"<c:cat><c:strRef><c:strCache>{points}</c:strCache></c:strRef></c:cat>"


def name_cells(*names: str) -> str:
    points = "".join(f"<c:pt idx='{i}'><c:v>{name}</c:v></c:pt>" for i, name in enumerate(names))
    return f"<c:tx><c:strRef><c:strCache>{points}</c:strCache></c:strRef></c:tx>"


def rich(*lines: str) -> str:
    paragraphs = "".join(f"<a:p><a:r><a:t>{line}</a:t></a:r></a:p>" for line in lines)
    return f"<c:tx><c:rich><a:bodyPr/>{paragraphs}</c:rich></c:tx>"


def test_a_title_taken_from_a_cell_and_a_name_over_two_cells() -> None:
    found = shown(
        bar_chart(
            f"<c:ser>{name_cells('Back', 'office')}{categories('Sales')}</c:ser><c:ser>{name_cells('Plan')}</c:ser>",
            title=f"<c:title>{name_cells('Back office headcount')}</c:title>",
        )
    )
    assert found == [
        ("title", "Back office headcount"),
        ("series 1 name", "Back office"),  # the legend shows one name
        ("category 1", "Sales"),
        ("series 2 name", "Plan"),
    ]


def test_a_title_of_several_lines_is_one_text() -> None:
    found = shown(
        bar_chart(
            "<c:ser><c:tx><c:v>2025</c:v></c:tx></c:ser>", title=f"<c:title>{rich('Non-customer-', 'facing')}</c:title>"
        )
    )
    assert found[0] == ("title", "Non-customer-\nfacing")


def test_multi_level_categories_and_data_labels_typed_or_from_cells() -> None:
    series = (
        "<c:ser><c:tx><c:v>2025</c:v></c:tx>"
        "<c:dLbls><c:dLbl><c:idx val='1'/><c:tx><c:rich><a:bodyPr/><a:p>"
        "<a:fld id='x' type='CELLRANGE'><a:t>[CELLRANGE]</a:t></a:fld><a:r><a:t> back line staff</a:t></a:r>"
        "</a:p></c:rich></c:tx></c:dLbl>"
        "<c:extLst><c:ext><c15:showDataLabelsRange val='1'/></c:ext></c:extLst></c:dLbls>"
        "<c:cat><c:multiLvlStrRef><c:multiLvlStrCache>"
        "<c:lvl><c:pt idx='0'><c:v>Payroll</c:v></c:pt><c:pt idx='1'><c:v>Claims</c:v></c:pt></c:lvl>"
        "<c:lvl><c:pt idx='0'><c:v>Back office</c:v></c:pt></c:lvl>"
        "</c:multiLvlStrCache></c:multiLvlStrRef></c:cat>"
        "<c:extLst><c:ext><c15:datalabelsRange><c15:dlblRangeCache>"
        "<c:pt idx='0'><c:v>Back-office team</c:v></c:pt></c15:dlblRangeCache></c15:datalabelsRange></c:ext></c:extLst>"
        "</c:ser>"
    )
    assert shown(bar_chart(series)) == [
        ("title", "2025"),  # one series and no title: Word's title is its name
        ("category 1", "Payroll"),
        ("category 2", "Claims"),
        ("category group 1", "Back office"),
        ("series 1 data label, point 2", " back line staff"),  # the field stands for a cell's value
        ("series 1 data label, point 1", "Back-office team"),  # Word 2013's "Value From Cells"
    ]


def test_text_the_chart_does_not_show_is_not_read() -> None:
    two = (
        f"<c:ser><c:tx><c:v>Back office</c:v></c:tx>{categories('Back office')}</c:ser>"
        "<c:ser><c:tx><c:v>2026</c:v></c:tx></c:ser>"
    )
    deleted_axis = "<c:catAx><c:axId val='1'/><c:delete val='1'/><c:axPos val='b'/></c:catAx>"
    no_labels = "<c:catAx><c:axId val='1'/><c:axPos val='b'/><c:tickLblPos val='none'/></c:catAx>"
    deleted_entry = "<c:legend><c:legendEntry><c:idx val='0'/><c:delete val='1'/></c:legendEntry></c:legend>"
    assert shown(bar_chart(two, axes=deleted_axis)) == [("series 1 name", "Back office"), ("series 2 name", "2026")]
    assert shown(bar_chart(two, axes=no_labels, legend="")) == []  # no legend, no category labels
    assert shown(bar_chart(two, legend=deleted_entry)) == [("category 1", "Back office"), ("series 2 name", "2026")]
    scatter = (
        "<c:plotArea><c:scatterChart><c:ser><c:tx><c:v>Hours</c:v></c:tx>"
        "<c:xVal><c:strRef><c:strCache><c:pt idx='0'><c:v>Back office</c:v></c:pt></c:strCache></c:strRef></c:xVal>"
        "</c:ser><c:ser><c:tx><c:v>Days</c:v></c:tx></c:ser>"
        "<c:axId val='1'/><c:axId val='2'/></c:scatterChart></c:plotArea>"
    )
    assert shown(scatter) == []  # text x values show as numbers on the axis; no legend
    pie = (
        "<c:autoTitleDeleted val='1'/><c:plotArea><c:pieChart><c:ser><c:tx><c:v>Back office share</c:v></c:tx>"
        f"{categories('Sales')}</c:ser></c:pieChart></c:plotArea><c:legend/>"
    )
    # A pie's legend lists its categories, not its series; its title Word made is deleted.
    assert shown(pie) == [("category 1", "Sales")]


def test_numbers_are_not_text() -> None:
    found = shown(
        "<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>Teams</a:t></a:r></a:p></c:rich></c:tx></c:title>"
        "<c:plotArea><c:barChart><c:ser><c:tx><c:v>2025</c:v></c:tx>"
        "<c:cat><c:numRef><c:numCache><c:pt idx='0'><c:v>2024</c:v></c:pt></c:numCache></c:numRef></c:cat>"
        "</c:ser><c:axId val='1'/></c:barChart>"
        "<c:catAx><c:axId val='1'/><c:axPos val='b'/></c:catAx></c:plotArea><c:legend/>"
    )
    assert found == [("title", "Teams"), ("series 1 name", "2025")]


def test_a_text_box_drawn_on_a_chart_is_read() -> None:
    drawing = etree.fromstring(
        "<c:userShapes xmlns:c='http://schemas.openxmlformats.org/drawingml/2006/chart'"
        " xmlns:a='http://schemas.openxmlformats.org/drawingml/2006/main'"
        " xmlns:cdr='http://schemas.openxmlformats.org/drawingml/2006/chartDrawing'>"
        "<cdr:relSizeAnchor><cdr:sp><cdr:txBody><a:bodyPr/><a:p><a:r><a:t>Back office moved</a:t></a:r></a:p>"
        "</cdr:txBody></cdr:sp></cdr:relSizeAnchor></c:userShapes>"
    )
    assert [(what, "".join(t for t, _ in pieces)) for what, _, pieces in drawing_texts(drawing)] == [
        ("text box 1", "Back office moved")
    ]
