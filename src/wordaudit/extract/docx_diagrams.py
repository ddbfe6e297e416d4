"""SmartArt in Word documents: the text of each box (org charts, process diagrams).

A SmartArt graphic sits in a run as ``w:drawing`` → ``a:graphicData`` holding a
``dgm:relIds``, whose ``r:dm`` names the diagram's data part
(``word/diagrams/dataN.xml``). That part holds the model: a ``dgm:pt`` per box,
with the box's text in ``dgm:t`` as DrawingML paragraphs (``a:p`` / ``a:r`` /
``a:t``). Word also caches a drawing of the boxes (``drawingN.xml``); the model
is read, not the cache, so that each box is read once.

Points of other types (the document, connectors, presentation shapes) hold no
text a reader sees.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
DGM = "{http://schemas.openxmlformats.org/drawingml/2006/diagram}"
DGM_RELIDS = DGM + "relIds"
R_DM = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}dm"

# A box of the diagram: a plain node (no type) or an assistant.
_BOX_TYPES = frozenset({None, "node", "asst"})
_A_P, _A_R, _A_FLD, _A_T, _A_BR = A + "p", A + "r", A + "fld", A + "t", A + "br"


def box_paragraphs(data_model: Element) -> Iterator[tuple[Element, list[tuple[str, Element]]]]:
    """Each paragraph of each box, in the model's order, as (``a:p``, its pieces of
    text with the element each was read from)."""
    points = data_model.find(DGM + "ptLst")
    if points is None:
        return
    for point in points.iterchildren(DGM + "pt"):
        if point.get("type") not in _BOX_TYPES:
            continue
        text = point.find(DGM + "t")
        if text is None:
            continue
        for paragraph in text.iterchildren(_A_P):
            yield paragraph, paragraph_pieces(paragraph)


def paragraph_pieces(paragraph: Element) -> list[tuple[str, Element]]:
    """A DrawingML paragraph's text (a SmartArt box's, a chart title's) as pieces,
    each with the element it was read from; a line break is "\\n"."""
    pieces: list[tuple[str, Element]] = []
    for child in paragraph.iterchildren(_A_R, _A_FLD, _A_BR):
        if child.tag == _A_BR:
            pieces.append(("\n", child))
            continue
        shown = child.find(_A_T)
        if shown is not None and shown.text:
            pieces.append((shown.text, shown))
    return pieces
