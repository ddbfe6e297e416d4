"""Charts in Word documents: the text a chart shows (its title, axis titles,
series names, category labels and typed data labels).

A chart sits in a run as ``w:drawing`` → ``a:graphicData`` holding a ``c:chart``,
whose ``r:id`` names the chart part (``word/charts/chartN.xml``). The chart
keeps what it shows: titles and typed labels as DrawingML paragraphs
(``c:rich`` → ``a:p``), names and labels taken from its worksheet as the cached
values Word draws (``c:strCache`` → ``c:pt`` → ``c:v``). A headcount chart by
department ("Back office: 14") is a place HR reports name teams.

Numbers (``c:numCache``) are not text; a title Word made itself (a series'
name over a pie chart) is no text of the title's own, and is read as the
series name. The newer chart types of Word 2016 (``cx:``, a treemap, a
waterfall) are not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from wordaudit.extract.docx_diagrams import A, paragraph_pieces

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
C_CHART = C + "chart"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

_AXES = (C + "catAx", C + "valAx", C + "dateAx", C + "serAx")
_C_V = C + "v"

Pieces = list[tuple[str, "Element"]]


def chart_texts(chart_space: Element) -> Iterator[tuple[str, Element, Pieces]]:
    """Each piece of text the chart shows, in the order a reader meets it (the
    title, the axis titles, then each series' name, categories and typed data
    labels), as (what it is, the element, its pieces of text with the element
    each was read from). Categories shared by every series are read once."""
    chart = chart_space.find(C_CHART)
    if chart is None:
        return
    yield from _rich("title", chart.find(C + "title"))
    plot = chart.find(C + "plotArea")
    if plot is None:
        return
    for axis in plot.iterchildren(*_AXES):
        yield from _rich("axis title", axis.find(C + "title"))
    categories_read: set[tuple[str, ...]] = set()
    series_number = 0
    for kind in plot.iterchildren():
        for series in kind.iterchildren(C + "ser"):
            series_number += 1
            name = series.find(C + "tx")
            if name is not None:
                yield from _rich(f"series {series_number} name", name)
                for point in (*_cached(name), *name.iterchildren(_C_V)):
                    yield f"series {series_number} name", point, _value(point)
            yield from _categories(series, categories_read)
            labels = series.find(C + "dLbls")
            if labels is not None:
                for label in labels.iterchildren(C + "dLbl"):
                    yield from _rich(f"series {series_number} data label", label)


def _categories(series: Element, read: set[tuple[str, ...]]) -> Iterator[tuple[str, Element, Pieces]]:
    """The category labels of a series, unless an earlier series had the same."""
    axis = series.find(C + "cat")
    if axis is None:
        axis = series.find(C + "xVal")  # a scatter chart's x values, when they are text
    if axis is None:
        return
    points = list(_cached(axis))
    texts = tuple(point.findtext(_C_V) or "" for point in points)
    if texts in read:
        return
    read.add(texts)
    for number, point in enumerate(points, 1):
        yield f"category {number}", point, _value(point)


def _cached(holder: Element) -> Iterator[Element]:
    """The ``c:pt`` of the text values cached under ``holder`` (a series'
    name, its categories; every level of a multi-level category axis)."""
    for cache in holder.iter(C + "strCache", C + "strLit", C + "lvl"):
        yield from cache.iterchildren(C + "pt")


def _value(point: Element) -> Pieces:
    """The text of a cached point (its ``c:v``), or of a ``c:v`` itself."""
    value = point if point.tag == _C_V else point.find(_C_V)
    return [(value.text, value)] if value is not None and value.text else []


def _rich(what: str, holder: Element | None) -> Iterator[tuple[str, Element, Pieces]]:
    """The paragraphs of the rich text under ``holder``'s ``c:tx``, or under
    ``holder`` itself when it is that ``c:tx``."""
    if holder is None:
        return
    text = holder if holder.tag == C + "tx" else holder.find(C + "tx")
    rich = text.find(C + "rich") if text is not None else None
    if rich is None:
        return
    for paragraph in rich.iterchildren(A + "p"):
        yield what, paragraph, paragraph_pieces(paragraph)
