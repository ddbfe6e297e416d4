"""Text a Word document keeps beside its stories: the alternative text of its
images, the ScreenTips of its hyperlinks and the title in its properties.

All are prose the organisation publishes. Alt text is what a screen reader
says in place of a picture (an org chart "Our back office team"); a ScreenTip
shows when the pointer rests on a link ("Contact our back office team"); the
title shows in file listings, in search results and as the title of a PDF saved
from the document. A markdown image's alt text, a link's title and a front
matter's title are read too, and so is a PDF's title (``pdf_title``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from wordaudit.extract import ooxml

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

    from wordaudit.extract.opc import Package, Part

WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
# Word writes the first; LibreOffice the second, which Word also reads.
_RT_CORE = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
    "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties",
)
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_W_TOOLTIP = ooxml.W + "tooltip"
# A link on a picture (Insert > Link with the picture selected), on its wp:docPr.
_A_HLINK_CLICK = "{http://schemas.openxmlformats.org/drawingml/2006/main}hlinkClick"

# One argument of a field instruction: a quoted string, in which a backslash
# escapes the next character and which a damaged file may leave open to the end;
# or a bare word, which a quote also ends (\o"tip" is \o, then "tip").
_FIELD_ARGUMENT = re.compile(r'"((?:[^"\\]|\\.)*\\?)(?:"|\Z)|([^\s"]+)', re.DOTALL)
_ESCAPED = re.compile(r'\\(["\\])')


def alt_texts(doc_pr: Element) -> list[str]:
    """An image's alternative text: its title, then its description (Word's Alt
    Text pane writes the description; older versions had both)."""
    return [text for text in (doc_pr.get("title"), doc_pr.get("descr")) if text and text.strip()]


def screentip(hyperlink: Element) -> str | None:
    """A ``w:hyperlink``'s ScreenTip (Insert > Link > ScreenTip), when it says anything."""
    return _said(hyperlink.get(_W_TOOLTIP))


def picture_screentip(doc_pr: Element) -> str | None:
    """The ScreenTip of a link on a picture, when it says anything: the
    ``tooltip`` of the ``a:hlinkClick`` on its ``wp:docPr`` (Word writes the
    same link on the picture's ``pic:cNvPr`` too; that copy is not read twice)."""
    link = doc_pr.find(_A_HLINK_CLICK)
    return None if link is None else _said(link.get("tooltip"))


def field_screentip(instruction: str) -> str | None:
    """The ScreenTip of a HYPERLINK field, its ``\\o`` switch, when it says anything:
    ``HYPERLINK "https://example.com/" \\o "Contact our back office"``. In quotes
    ``\\"`` is a quote and ``\\\\`` a backslash, as Word writes them; any other
    backslash stays, as typed."""
    arguments = _field_arguments(instruction)
    name = next(arguments, None)
    if name is None or name[1] or name[0].upper() != "HYPERLINK":
        return None
    for text, quoted in arguments:
        if not quoted and text.lower() == "\\o":
            value, value_quoted = next(arguments, ("", False))
            # Another switch where the text should be ("\\o \\t") is no ScreenTip.
            return _said(value) if value_quoted or not value.startswith("\\") else None
    return None


def _field_arguments(instruction: str) -> Iterator[tuple[str, bool]]:
    """The arguments of a field instruction in order, each with whether it was quoted."""
    for found in _FIELD_ARGUMENT.finditer(instruction):
        bare = found[2]
        yield (bare, False) if bare is not None else (_ESCAPED.sub(r"\1", found[1]), True)


def _said(text: str | None) -> str | None:
    return text if text and text.strip() else None


def document_title(package: Package) -> tuple[Element, Part] | None:
    """The ``dc:title`` element of the document's core properties, and their
    part, when the title says anything."""
    part = ooxml.related(package, _RT_CORE)
    if part is None:
        return None
    title = next(ooxml.root_of(part).iterchildren(_DC_TITLE), None)
    return (title, part) if title is not None and title.text and title.text.strip() else None
