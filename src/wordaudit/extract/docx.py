"""Word documents (.docx, .docm, .dotx) → one block per paragraph, as a reader sees them.

A block is one paragraph of one story; runs are joined first, so "**Back**-office"
split over runs, bookmarks, proofing marks and field boundaries reads "Back-office".
Deleted and moved-away text, field instructions and hidden runs are not text; the
results of fields, inserted text, hyperlinks and content controls are. ``w:tab``
reads "\\t", ``w:br``/``w:cr`` "\\n", a soft hyphen U+00AD and a non-breaking hyphen "-".

Reading order, which ``line`` numbers 1, 2, 3... over the whole document, counting
every paragraph, empty ones included:

1. the body: paragraphs, headings, list items and table cells as they follow each
   other, a nested table inside its cell: "paragraph 12", "heading 'Duties'",
   "table 2, row 3, cell 1", "table 2, row 3, cell 1 > table 1, row 1, cell 2";
2. headers and footers, section by section, each part once, named after the section
   that defines it (a header linked to the previous section is that section's part):
   "header (section 1)", "first-page header (section 2)", "even-page footer (section 1)".
   A first-page or even-page variant that Word does not display (no "different first
   page" / "different odd and even pages" where it applies) is skipped;
3. footnotes, then endnotes, numbered by the order of their references in the body
   ("footnote 2"); notes nothing refers to are not shown by Word and are skipped;
4. text boxes, in the order their anchors are met ("text box 1");
5. comments, in the order Word stores them ("comment 3"). They come last so that
   turning them off renumbers nothing else.

``column`` is the 1-based character offset inside the paragraph; a new segment starts
after every line break (same line, column running on).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from wordaudit.errors import CorruptDocx, ResourceLimitExceeded
from wordaudit.extract import ExtractOptions
from wordaudit.model import Block, BlockKind, Segment

if TYPE_CHECKING:
    from docx.opc.part import Part
    from docx.package import Package
    from lxml.etree import _Element as Element

FORMAT = "docx"
TEXT_BASED = False

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_STRICT_W = "{http://purl.oclc.org/ooxml/wordprocessingml/main}"

W_P, W_TBL, W_TR, W_TC = _W + "p", _W + "tbl", _W + "tr", _W + "tc"
W_R, W_T, W_PPR, W_RPR = _W + "r", _W + "t", _W + "pPr", _W + "rPr"
W_VAL, W_ID, W_TYPE = _W + "val", _W + "id", _W + "type"
W_TXBX = _W + "txbxContent"
MC_ALT, MC_CHOICE, MC_FALLBACK = _MC + "AlternateContent", _MC + "Choice", _MC + "Fallback"

# Elements inside a run that stand for one character.
_CHARS = {
    _W + "tab": "\t",
    _W + "ptab": "\t",
    _W + "br": "\n",
    _W + "cr": "\n",
    _W + "softHyphen": "\u00ad",
    _W + "noBreakHyphen": "-",
}
# Inside a paragraph: never text, or not text a reader sees (deleted, moved away,
# field codes, properties, a content control's settings).
_NOT_TEXT = frozenset(
    _W + name
    for name in (
        "pPr", "rPr", "del", "moveFrom", "delText", "instrText", "delInstrText",
        "fldChar", "sdtPr", "sdtEndPr", "sym", "fldData",
    )
)  # fmt: skip
# Between paragraphs: containers whose paragraphs belong to the story around them.
_BLOCK_WRAPPERS = frozenset(
    _W + name for name in ("sdt", "sdtContent", "customXml", "ins", "moveTo", "smartTag")
)
_OFF = frozenset({"0", "false", "off"})
_NOTE_SKIP_TYPES = frozenset({"separator", "continuationSeparator", "continuationNotice"})
_HEADING_NAME = re.compile(r"(heading [1-9]|title)", re.IGNORECASE)

Cells = tuple[tuple[int, int, int], ...]
Labeler = Callable[["Element", str, Cells, int], tuple[BlockKind, str]]


def extract_file(path: Path, options: ExtractOptions) -> Iterator[Block]:
    # Imported here: python-docx and lxml cost ~0.1 s and only Word files need them.
    from wordaudit.extract import ooxml

    package = ooxml.open_package(path, options.max_unpacked_bytes)
    try:
        yield from _Reader(package, options).blocks()
    except RecursionError:
        raise ResourceLimitExceeded("document is nested too deeply to read") from None
    except (LookupError, ValueError) as exc:
        raise CorruptDocx(f"unexpected document structure ({type(exc).__name__})") from None


@dataclass
class _Anchors:
    """Stories met while reading a paragraph, read later in their own turn."""

    textboxes: deque[Element] = field(default_factory=deque)
    footnotes: list[tuple[str, bool]] = field(default_factory=list)
    endnotes: list[tuple[str, bool]] = field(default_factory=list)


class _Reader:
    def __init__(self, package: Package, options: ExtractOptions) -> None:
        from wordaudit.extract import ooxml

        self._ooxml = ooxml
        self._main = ooxml.main_part(package)
        self._options = options
        self._anchors = _Anchors()
        self._line = 0
        self._textbox_count = 0

    def blocks(self) -> Iterator[Block]:
        body = self._body()
        styles = _Styles(self._xml(self._ooxml.RT_STYLES))
        yield from self._story(body, _body_labeler(styles))
        yield from self._headers_footers(body)
        yield from self._notes(self._ooxml.RT_FOOTNOTES, "footnote", self._anchors.footnotes)
        yield from self._notes(self._ooxml.RT_ENDNOTES, "endnote", self._anchors.endnotes)
        yield from self._textboxes()
        if self._options.docx_comments:
            yield from self._comments()
            yield from self._textboxes()

    def _body(self) -> Element:
        root = self._ooxml.root_of(self._main)
        if root.tag == _STRICT_W + "document":
            raise CorruptDocx("Strict Open XML document: not supported, save as a standard .docx")
        body = root.find(_W + "body") if root.tag == _W + "document" else None
        if body is None:
            raise CorruptDocx("not a Word document: the main part has no document body")
        return body

    def _xml(self, reltype: str) -> Element | None:
        part = self._ooxml.related(self._main, reltype)
        return None if part is None else self._ooxml.root_of(part)

    def _story(self, container: Element, labeler: Labeler) -> Iterator[Block]:
        for paragraph, cells in _paragraphs(container):
            self._line += 1
            text = _paragraph_text(paragraph, self._anchors)
            if text.strip():
                kind, where = labeler(paragraph, text, cells, self._line)
                yield _block(kind, text, self._line, where)

    def _headers_footers(self, body: Element) -> Iterator[Block]:
        settings = self._xml(self._ooxml.RT_SETTINGS)
        even_odd = settings is not None and _flag(settings.find(_W + "evenAndOddHeaders"))
        for (section, kind, variant), part in _shown_headers(body, self._main, even_odd):
            prefix = {"first": "first-page ", "even": "even-page "}.get(variant, "")
            label = f"{prefix}{kind} (section {section})"
            root = self._ooxml.root_of(part)
            yield from self._story(root, _fixed("header" if kind == "header" else "footer", label))

    def _notes(
        self, reltype: str, kind: BlockKind, refs: list[tuple[str, bool]]
    ) -> Iterator[Block]:
        root = self._xml(reltype) if refs else None
        if root is None:
            return
        notes = {
            note.get(W_ID): note
            for note in root.iterchildren(_W + kind)
            if note.get(W_TYPE) not in _NOTE_SKIP_TYPES
        }
        number = 0
        seen: set[str] = set()
        for note_id, custom_mark in refs:
            note = notes.get(note_id)
            if note is None or note_id in seen:
                continue
            seen.add(note_id)
            # A note with its own mark ("*") takes no number in Word's sequence.
            number += 0 if custom_mark else 1
            label = f"{kind} with a custom mark" if custom_mark else f"{kind} {number}"
            yield from self._story(note, _fixed(kind, label))

    def _textboxes(self) -> Iterator[Block]:
        # A text box may hold another one; it joins the queue while this runs.
        while self._anchors.textboxes:
            box = self._anchors.textboxes.popleft()
            self._textbox_count += 1
            yield from self._story(box, _fixed("textbox", f"text box {self._textbox_count}"))

    def _comments(self) -> Iterator[Block]:
        root = self._xml(self._ooxml.RT_COMMENTS)
        if root is None:
            return
        for number, comment in enumerate(root.iterchildren(_W + "comment"), 1):
            yield from self._story(comment, _fixed("comment", f"comment {number}"))


def _block(kind: BlockKind, text: str, line: int, where: str) -> Block:
    segments = [Segment(0, line, 1, where=where)]
    segments.extend(
        Segment(i + 1, line, i + 2, where=where) for i, char in enumerate(text[:-1]) if char == "\n"
    )
    return Block(kind, text, tuple(segments))


# ---------------------------------------------------------------- paragraphs in order


def _paragraphs(container: Element, cells: Cells = ()) -> Iterator[tuple[Element, Cells]]:
    """Every paragraph of a story in reading order, with the table cells around it."""
    table_number = 0
    for item in _block_items(container):
        if item.tag == W_P:
            yield item, cells
            continue
        table_number += 1
        for row_number, row in enumerate(_children(item, W_TR), 1):
            for cell_number, cell in enumerate(_children(row, W_TC), 1):
                here = (*cells, (table_number, row_number, cell_number))
                yield from _paragraphs(cell, here)


def _block_items(container: Element) -> Iterator[Element]:
    """Paragraphs and tables, looking through content controls and the like."""
    for child in container.iterchildren():
        tag = child.tag
        if tag in (W_P, W_TBL):
            yield child
        elif tag in _BLOCK_WRAPPERS:
            yield from _block_items(child)
        elif tag == MC_ALT:
            branch = _chosen(child)
            if branch is not None:
                yield from _block_items(branch)


def _children(parent: Element, tag: str) -> Iterator[Element]:
    """Rows of a table or cells of a row, also when a content control wraps them."""
    for child in parent.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _children(child, tag)


def _chosen(alternate: Element) -> Element | None:
    """One branch of mc:AlternateContent: the first Choice, else the Fallback.
    Both usually carry the same text box, so reading both would double it."""
    choice = alternate.find(MC_CHOICE)
    return choice if choice is not None else alternate.find(MC_FALLBACK)


# ---------------------------------------------------------------- text of a paragraph


def _paragraph_text(paragraph: Element, anchors: _Anchors) -> str:
    out: list[str] = []
    _inline(paragraph, out, anchors)
    return "".join(out)


def _inline(element: Element, out: list[str], anchors: _Anchors) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if not isinstance(tag, str):  # comments and processing instructions
            continue
        if tag == W_T:
            out.append(child.text or "")
        elif tag in _CHARS:
            out.append(_CHARS[tag])
        elif tag in _NOT_TEXT:
            continue
        elif tag == W_R:
            if not _hidden(child):
                _inline(child, out, anchors)
        elif tag == MC_ALT:
            branch = _chosen(child)
            if branch is not None:
                _inline(branch, out, anchors)
        elif tag == W_TXBX:
            anchors.textboxes.append(child)
        elif tag == _W + "footnoteReference":
            anchors.footnotes.append(_note_ref(child))
        elif tag == _W + "endnoteReference":
            anchors.endnotes.append(_note_ref(child))
        else:
            # Hyperlinks, insertions, moved-to text, simple fields (their result
            # runs; the instruction is an attribute), content controls, smart
            # tags, drawings on the way to a text box.
            _inline(child, out, anchors)


def _hidden(run: Element) -> bool:
    """Directly formatted hidden text (``w:vanish``): Word neither shows nor prints it."""
    props = run.find(W_RPR)
    return props is not None and _flag(props.find(_W + "vanish"))


def _note_ref(reference: Element) -> tuple[str, bool]:
    return reference.get(W_ID, ""), _flag(reference, _W + "customMarkFollows")


def _flag(element: Element | None, attribute: str = W_VAL) -> bool:
    """An OOXML on/off property: present and not switched off."""
    if element is None:
        return False
    value = element.get(attribute)
    if attribute != W_VAL and value is None:
        return False
    return value is None or value.lower() not in _OFF


# ---------------------------------------------------------------- kinds and locations


def _body_labeler(styles: _Styles) -> Labeler:
    def label(paragraph: Element, text: str, cells: Cells, line: int) -> tuple[BlockKind, str]:
        if cells:
            return "cell", _cells_label(cells)
        heading, listed = styles.of(paragraph)
        if heading:
            return "heading", f"heading '{_short(text)}'"
        return ("list-item" if listed else "paragraph"), f"paragraph {line}"

    return label


def _fixed(kind: BlockKind, where: str) -> Labeler:
    def label(paragraph: Element, text: str, cells: Cells, line: int) -> tuple[BlockKind, str]:
        return kind, f"{where}, {_cells_label(cells)}" if cells else where

    return label


def _cells_label(cells: Cells) -> str:
    return " > ".join(f"table {t}, row {r}, cell {c}" for t, r, c in cells)


def _short(text: str, limit: int = 40) -> str:
    flat = " ".join(text.replace("\u00ad", "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    numbered: bool | None


class _Styles:
    """Just enough of styles.xml to tell headings and list items from paragraphs."""

    def __init__(self, root: Element | None) -> None:
        self._styles: dict[str, _Style] = {}
        self._default: str | None = None
        self._cache: dict[str | None, tuple[bool, bool]] = {}
        for style in root.iterchildren(_W + "style") if root is not None else ():
            if style.get(W_TYPE) != "paragraph":
                continue
            style_id = style.get(_W + "styleId", "")
            props = style.find(W_PPR)
            self._styles[style_id] = _Style(
                name=_val(style.find(_W + "name")) or "",
                based_on=_val(style.find(_W + "basedOn")),
                outline=_outline(props),
                numbered=_numbered(props),
            )
            if _flag(style, _W + "default"):
                self._default = style_id

    def of(self, paragraph: Element) -> tuple[bool, bool]:
        """(is a heading, is a list item) for a paragraph."""
        props = paragraph.find(W_PPR)
        style_id = _val(props.find(_W + "pStyle")) if props is not None else None
        heading, listed = self._resolve(style_id or self._default)
        outline, numbered = _outline(props), _numbered(props)
        if outline is not None:
            heading = outline < 9
        return heading, listed if numbered is None else numbered

    def _resolve(self, style_id: str | None) -> tuple[bool, bool]:
        if style_id not in self._cache:
            self._cache[style_id] = self._walk(style_id)
        return self._cache[style_id]

    def _walk(self, style_id: str | None) -> tuple[bool, bool]:
        heading: bool | None = None
        listed: bool | None = None
        seen: set[str] = set()
        while style_id is not None and style_id not in seen and style_id in self._styles:
            seen.add(style_id)  # basedOn may loop in a damaged file
            style = self._styles[style_id]
            if heading is None and _HEADING_NAME.fullmatch(style.name):
                heading = True
            if heading is None and style.outline is not None:
                heading = style.outline < 9
            if listed is None:
                listed = style.numbered
            style_id = style.based_on
        return bool(heading), bool(listed)


def _val(element: Element | None) -> str | None:
    return None if element is None else element.get(W_VAL)


def _outline(props: Element | None) -> int | None:
    value = _val(props.find(_W + "outlineLvl")) if props is not None else None
    return int(value) if value is not None and value.isdigit() else None


def _numbered(props: Element | None) -> bool | None:
    """None when the paragraph properties say nothing about numbering."""
    numbering = props.find(_W + "numPr") if props is not None else None
    if numbering is None:
        return None
    return _val(numbering.find(_W + "numId")) not in (None, "0")


# ---------------------------------------------------------------- headers and footers

_KIND_ORDER = {"header": 0, "footer": 1}
_VARIANT_ORDER = {"default": 0, "first": 1, "even": 2}


def _shown_headers(
    body: Element, main: Part, even_odd: bool
) -> Iterable[tuple[tuple[int, str, str], Part]]:
    """Each header/footer part Word displays, once, keyed by where it is defined.

    A section without a reference of some variant inherits the previous section's
    (Word's "link to previous"), so a part is displayed if any section whose
    effective part it is displays that variant.
    """
    from wordaudit.extract import ooxml

    effective: dict[tuple[str, str], Part] = {}
    defined: dict[Part, tuple[int, str, str]] = {}
    shown: set[Part] = set()
    for number, section in enumerate(_sections(body), 1):
        for ref in section.iterchildren(_W + "headerReference", _W + "footerReference"):
            kind = "header" if ref.tag == _W + "headerReference" else "footer"
            variant = ref.get(W_TYPE, "default")
            part = ooxml.related_by_id(main, ref.get(_R_ID, ""))
            if part is None or variant not in _VARIANT_ORDER:
                continue
            effective[kind, variant] = part
            defined.setdefault(part, (number, kind, variant))
        first_page = _flag(section.find(_W + "titlePg"))
        shown.update(
            part
            for (_, variant), part in effective.items()
            if _displayed(variant, first_page, even_odd)
        )
    places = [(defined[part], part) for part in shown]
    places.sort(key=lambda item: (item[0][0], _KIND_ORDER[item[0][1]], _VARIANT_ORDER[item[0][2]]))
    return places


def _displayed(variant: str, first_page: bool, even_odd: bool) -> bool:
    if variant == "first":
        return first_page
    if variant == "even":
        return even_odd
    return True


def _sections(body: Element) -> Iterator[Element]:
    """Section properties in document order: each section break, then the body's last.
    (A w:sectPr inside w:sectPrChange is an old, tracked version: not a section.)"""
    for section in body.iter(_W + "sectPr"):
        parent = section.getparent()
        if parent is not None and (parent.tag == _W + "body" or parent.tag == W_PPR):
            yield section
