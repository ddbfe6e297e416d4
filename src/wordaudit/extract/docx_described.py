"""Text a Word document keeps beside its stories: the alternative text of its
images and the title in its properties.

Both are prose the organisation publishes. Alt text is what a screen reader
says in place of a picture (an org chart "Our back office team"); the title
shows in file listings, in search results and as the title of a PDF saved
from the document. A markdown image's alt text and a front matter's title are
read too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wordaudit.extract import ooxml

if TYPE_CHECKING:
    from docx.opc.part import Part
    from docx.package import Package
    from lxml.etree import _Element as Element

WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"


def alt_texts(doc_pr: Element) -> list[str]:
    """An image's alternative text: its title, then its description (Word's Alt
    Text pane writes the description; older versions had both)."""
    return [text for text in (doc_pr.get("title"), doc_pr.get("descr")) if text and text.strip()]


def document_title(package: Package) -> tuple[Element, Part] | None:
    """The ``dc:title`` element of the document's core properties, and their
    part, when the title says anything."""
    part = ooxml.related(package, _RT_CORE)
    if part is None:
        return None
    title = next(ooxml.root_of(part).iterchildren(_DC_TITLE), None)
    return (title, part) if title is not None and title.text and title.text.strip() else None
