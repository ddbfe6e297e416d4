"""Charts in Word documents: the text a chart shows.

A chart sits in a run as ``w:drawing`` → ``a:graphicData`` holding a ``c:chart``,
whose ``r:id`` names the chart part (``word/charts/chartN.xml``). The chart
keeps what it shows: typed titles and labels as DrawingML paragraphs
(``c:rich`` → ``a:p``), and text taken from its worksheet as the cached values
Word draws (``c:strCache`` → ``c:pt`` → ``c:v``). A headcount chart by
department ("Back office: 14") is a place HR reports name teams.

What is read is what the chart shows:

- the title, typed or taken from a cell; with no text of its own ("auto"), the
  title shows the name of the chart's only series;
- each shown axis's title and display-units label;
- the categories of each group of series, from its first series, where their
  axis shows them (not deleted, tick labels not off) or a pie's legend lists
  them; the outer levels of a multi-level axis as category groups. A scatter chart's x values are
  numbers on its axis, even when the worksheet holds text;
- each series' name where it shows: in the legend (unless its entry is
  deleted; a pie's legend lists categories instead), in the auto title, in a
  data table under the plot, or in data labels that show series names. A
  name over two cells reads as one;
- typed data labels and labels taken from cells (Word 2013's "Value From
  Cells"); a field in a typed label stands for a value and is not text;
- text boxes drawn on the chart (its ``c:userShapes`` drawing, read by the
  caller).

Numbers are not text. The newer chart types of Word 2016 (``cx:``, a
treemap, a waterfall) are not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from wordaudit.extract.docx_diagrams import A, paragraph_pieces

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
C15 = "{http://schemas.microsoft.com/office/drawing/2012/chart}"
CDR = "{http://schemas.openxmlformats.org/drawingml/2006/chartDrawing}"
C_CHART = C + "chart"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

_C_V = C + "v"
_AXES = (C + "catAx", C + "valAx", C + "dateAx", C + "serAx")
_CATEGORY_AXES = (C + "catAx", C + "dateAx")
_SCATTER = (C + "scatterChart", C + "bubbleChart")
# Chart types whose legend lists categories (each slice its own colour), not series.
_PIES = (C + "pieChart", C + "pie3DChart", C + "doughnutChart", C + "ofPieChart")
# Fields in a data label that stand for a value Word fills in ("[CELLRANGE]").
_VALUE_FIELDS = frozenset(
    {"CELLRANGE", "CELLREF", "SERIESNAME", "CATEGORYNAME", "VALUE", "PERCENTAGE", "XVALUE", "YVALUE", "BUBBLESIZE"}
)

Pieces = list[tuple[str, "Element"]]
Shown = tuple[str, "Element", Pieces]


def chart_texts(chart_space: Element) -> Iterator[Shown]:
    """Each piece of text the chart shows, in the order a reader meets it (the
    title, the axes, then each series), as (what it is, the element, its
    pieces of text with the element each was read from)."""
    chart = chart_space.find(C_CHART)
    plot = chart.find(C + "plotArea") if chart is not None else None
    if chart is None or plot is None:
        return
    groups = [group for group in plot.iterchildren() if group.find(C + "ser") is not None]
    series = [one for group in groups for one in group.iterchildren(C + "ser")]
    title = chart.find(C + "title")
    # A title with no text of its own shows the only series' name.
    auto_title = (
        len(series) == 1
        and (title is None or title.find(C + "tx") is None)
        and not _on(chart.find(C + "autoTitleDeleted"))
    )
    yield from _text_of("title", title)
    axes = {_val(axis.find(C + "axId")): axis for axis in plot.iterchildren(*_AXES)}
    for axis in plot.iterchildren(*_AXES):
        if not _on(axis.find(C + "delete")):
            name = _axis_name(axis)
            yield from _text_of(f"{name} title", axis.find(C + "title"))
            units = axis.find(f"{C}dispUnits/{C}dispUnitsLbl")
            yield from _text_of(f"{name} display units label", units)
    legend = chart.find(C + "legend")
    deleted_entries = {
        _val(entry.find(C + "idx")) for entry in (legend if legend is not None else ()) if _on(entry.find(C + "delete"))
    }
    # A data table under the plot lists every series by name and every category.
    data_table = plot.find(C + "dTable") is not None
    categories_read: set[tuple[str, ...]] = set()
    number = 0
    for group in groups:
        shown_axes = [axes.get(_val(axis_id)) for axis_id in group.iterchildren(C + "axId")]
        categories_shown = group.tag not in _SCATTER and (
            data_table
            or any(axis is not None and axis.tag in _CATEGORY_AXES and _labels_shown(axis) for axis in shown_axes)
            or (group.tag in _PIES and legend is not None)
        )
        in_legend = legend is not None and group.tag not in _PIES
        first = True
        for one in group.iterchildren(C + "ser"):
            number += 1
            named = (
                auto_title
                or data_table
                or _shows_series_name(one)
                or (in_legend and str(number - 1) not in deleted_entries)
            )
            if named:
                yield from _text_of("title" if auto_title else f"series {number} name", one.find(C + "tx"))
            if first and categories_shown:
                yield from _categories(one, categories_read)
            first = False
            yield from _data_labels(number, one)


def drawing_texts(user_shapes: Element) -> Iterator[Shown]:
    """The paragraphs of the text boxes drawn on a chart (its ``c:userShapes`` part)."""
    for number, body in enumerate(user_shapes.iter(CDR + "txBody"), 1):
        for paragraph in body.iterchildren(A + "p"):
            yield f"text box {number}", paragraph, paragraph_pieces(paragraph)


_AXIS_NAMES = {"b": "horizontal axis", "l": "vertical axis", "t": "top horizontal axis", "r": "right vertical axis"}


def _axis_name(axis: Element) -> str:
    """The axis as Word's Format pane tells them apart (a secondary axis stands right or at the top)."""
    return _AXIS_NAMES.get(_val(axis.find(C + "axPos")) or "", "axis")


def _labels_shown(axis: Element) -> bool:
    return not _on(axis.find(C + "delete")) and _val(axis.find(C + "tickLblPos")) != "none"


def _shows_series_name(series: Element) -> bool:
    labels = series.find(C + "dLbls")
    return labels is not None and _on(labels.find(C + "showSerName"))


def _categories(series: Element, read: set[tuple[str, ...]]) -> Iterator[Shown]:
    """The category labels of a series (innermost level first), unless an
    earlier group showed the same."""
    axis = series.find(C + "cat")
    if axis is None:
        return
    levels = list(axis.iter(C + "lvl")) or list(axis.iter(C + "strCache", C + "strLit"))
    texts = tuple(point.findtext(_C_V) or "" for level in levels for point in level.iterchildren(C + "pt"))
    if texts in read:
        return
    read.add(texts)
    for depth, level in enumerate(levels):
        what = "category" if depth == 0 else "category group"
        for number, point in enumerate(level.iterchildren(C + "pt"), 1):
            yield f"{what} {number}", point, _value(point)


def _data_labels(number: int, series: Element) -> Iterator[Shown]:
    labels = series.find(C + "dLbls")
    if labels is None:
        return
    for label in labels.iterchildren(C + "dLbl"):
        point = _val(label.find(C + "idx"))
        what = f"series {number} data label" + (f", point {int(point) + 1}" if point and point.isdigit() else "")
        yield from _text_of(what, label)
    if _on(next(labels.iter(C15 + "showDataLabelsRange"), None)):
        cache = next(series.iter(C15 + "dlblRangeCache"), None)
        for point in cache.iterchildren(C + "pt") if cache is not None else ():
            index = point.get("idx", "")
            what = f"series {number} data label" + (f", point {int(index) + 1}" if index.isdigit() else "")
            yield what, point, _value(point)


def _text_of(what: str, holder: Element | None) -> Iterator[Shown]:
    """The text under ``holder``'s ``c:tx`` (or ``holder`` itself when it is a
    ``c:tx``): its rich-text paragraphs, or the text of the cells it is taken
    from, read as one (a name over two cells shows as one)."""
    if holder is None:
        return
    text = holder if holder.tag == C + "tx" else holder.find(C + "tx")
    if text is None:
        return
    rich = text.find(C + "rich")
    if rich is not None:
        # The paragraphs of a title are its lines: one text, as a line break's are.
        lines: Pieces = []
        for paragraph in rich.iterchildren(A + "p"):
            if lines:
                lines.append(("\n", paragraph))
            lines.extend(_rich_pieces(paragraph))
        if lines:
            yield what, rich, lines
        return
    values = [value for value in text.iter(_C_V) if value.text]
    if values:
        pieces: Pieces = []
        for value in values:
            if pieces:
                pieces.append((" ", value))
            pieces.append((value.text or "", value))
        yield what, text, pieces


def _rich_pieces(paragraph: Element) -> Pieces:
    """A typed label's text, its value fields ("[CELLRANGE]") left out."""
    return [
        (text, element)
        for text, element in paragraph_pieces(paragraph)
        if element.getparent() is None or element.getparent().get("type") not in _VALUE_FIELDS
    ]


def _value(point: Element) -> Pieces:
    value = point.find(_C_V)
    return [(value.text, value)] if value is not None and value.text else []


def _val(element: Element | None) -> str | None:
    return None if element is None else element.get("val")


def _on(element: Element | None) -> bool:
    """A CT_Boolean: present means true unless ``val`` says 0 or false."""
    return element is not None and element.get("val", "1") not in ("0", "false")
