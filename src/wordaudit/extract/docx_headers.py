"""Which header and footer parts Word displays, for the Word extractor (``docx.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from wordaudit.extract import ooxml
from wordaudit.extract.ooxml import R_ID, W_PPR, W_TYPE, W

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

    from wordaudit.extract.opc import Part

HeaderPlace = tuple[int, str, str]  # (section number, "header"/"footer", variant)
_KIND_ORDER = {"header": 0, "footer": 1}
_VARIANT_ORDER = {"default": 0, "first": 1, "even": 2}


def shown_headers(body: Element, main: Part, even_odd: bool) -> list[tuple[HeaderPlace, Part]]:
    """Each header/footer part Word displays, once, with the first place Word
    displays it, in section order.

    A section without a reference of some variant inherits the previous section's
    (Word's "link to previous"), so a part is displayed if any section whose
    effective part it is displays that variant: the default always, the first-page
    one with "different first page" (``w:titlePg``), the even-page one with
    "different odd and even pages" (``w:evenAndOddHeaders`` in the settings).
    A first-page header defined in a section without "different first page" is
    first displayed by a later section that links to it and has it: that later
    section is where a reader finds it.
    """
    effective: dict[tuple[str, str], Part] = {}
    first_shown: dict[Part, HeaderPlace] = {}
    for number, section in enumerate(_sections(body), 1):
        for ref in section.iterchildren(W + "headerReference", W + "footerReference"):
            kind = "header" if ref.tag == W + "headerReference" else "footer"
            variant = ref.get(W_TYPE, "default")
            part = ooxml.related_by_id(main, ref.get(R_ID, ""))
            if part is None or variant not in _VARIANT_ORDER:
                continue
            effective[kind, variant] = part
        first_page = ooxml.switched_on(section.find(W + "titlePg"))
        for (kind, variant), part in effective.items():
            if _displayed(variant, first_page, even_odd):
                first_shown.setdefault(part, (number, kind, variant))
    places = list(first_shown.items())
    places.sort(key=lambda item: (item[1][0], _KIND_ORDER[item[1][1]], _VARIANT_ORDER[item[1][2]]))
    return [(place, part) for part, place in places]


def _displayed(variant: str, first_page: bool, even_odd: bool) -> bool:
    if variant == "first":
        return first_page
    if variant == "even":
        return even_odd
    return True


def _sections(body: Element) -> Iterator[Element]:
    """Section properties in document order: each section break, then the body's last.
    (A w:sectPr inside w:sectPrChange is an old, tracked version: not a section.)"""
    for section in body.iter(W + "sectPr"):
        parent = section.getparent()
        if parent is not None and parent.tag in (W + "body", W_PPR):
            yield section
