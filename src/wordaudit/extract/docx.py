"""Word documents (.docx, .docm, .dotx) → one block per paragraph, as a reader sees them.

A block is one paragraph of one story; runs are joined first, so "**Back**-office"
split over runs, bookmarks, proofing marks and field boundaries reads "Back-office".
Deleted and moved-away text, field instructions, hidden runs (``w:vanish`` directly,
by style or by the document defaults) and phonetic guides (ruby) are not text; the
results of fields, inserted text, hyperlinks and content controls are. A field's
code or result may run over paragraphs (a mail merge's IF holding a paragraph
break, a table of contents): it stays open into the paragraphs after its own when
it ends there, and is forgotten at its paragraph's end when it never does. ``w:tab``
reads "\\t", ``w:br``/``w:cr`` "\\n", a soft hyphen U+00AD and a non-breaking
hyphen "-". Of ``mc:AlternateContent`` the branch for what this reader
understands is read (a text box's DrawingML, not its VML copy; an emoji's character,
not Word 2016's ``w16se:symEx``).

Some paragraphs Word shows as the start of the next one: a drop cap (a framed
paragraph holding the first letter), a paragraph whose mark is deleted under tracked
changes, a run-in heading ending in a style separator. Their text starts the next
paragraph's block, no space between, each keeping its own line and columns.

Reading order, which ``line`` numbers 1, 2, 3... over the whole document, counting
every paragraph, empty ones included:

1. the body: paragraphs, headings, list items and table cells as they follow each
   other, a nested table inside its cell: "paragraph 12", "heading 'Duties'",
   "table 2, row 3, cell 1", "table 2, row 3, cell 1 > table 1, row 1, cell 2";
2. headers and footers, section by section, each part once, named after the first
   section that shows it (a header linked to the previous section is that section's part):
   "header, section 1", "first-page header, section 2", "even-page footer, section 1".
   A first-page or even-page variant that Word does not display (no "different first
   page" / "different odd and even pages" where it applies) is skipped;
3. footnotes, then endnotes, numbered by the order of their references in the body
   ("footnote 2"); notes nothing refers to are not shown by Word and are skipped;
4. text boxes, in the order their anchors are met, each named with the place of the
   paragraph that anchors it ("text box 1, anchored in header, section 1"), since a
   box drawn on the page is found again by what it stands beside;
5. SmartArt graphics (org charts) and charts, likewise: each paragraph of each box
   of the diagram's data model ("SmartArt 1, anchored in paragraph 4";
   ``docx_diagrams``), each title and label a chart shows, the chart named as Word's Selection
   Pane names it ("Chart 3, category 2, anchored in paragraph 7"; ``docx_charts``), then
   the text of each VML WordArt (``v:textpath``): a text watermark, which Word draws so
   in a header ("watermark, anchored in header, section 1"), or legacy WordArt, kept in
   documents converted from .doc, named by its order ("WordArt 1, anchored in paragraph 2");
6. the alt text of images, their title then their description, each named as Word's
   Selection Pane names the picture ("alt text of Picture 3, anchored in paragraph 2"),
   then the ScreenTip of a link on the picture, if it has one (Insert > Link on a
   selected picture: DrawingML's ``a:hlinkClick``), "ScreenTip of the link on Picture 3,
   anchored in paragraph 2";
7. the ScreenTips of hyperlinks (Insert > Link > ScreenTip), in the order their links
   are met, each named by its link's text, cut to 40 characters at a word's end, and
   the place of its link ('ScreenTip of the link "Our services" in table 1, row 2,
   cell 2'; a link with no text, "ScreenTip of the link in paragraph 4"; a later link
   that reads the same in the same place, 'ScreenTip of the second link "Our services"
   in paragraph 4'): a
   ``w:hyperlink``'s ``w:tooltip``, or the ``\\o "..."`` switch of a HYPERLINK field,
   simple (``w:fldSimple``) or complex (its ``w:instrText`` pieces joined first;
   ``docx_described``; its text is the field's result), its columns counting what Word
   shows (no escaping backslash). The link's text stays in its paragraph;
8. the document's title in its properties ("document properties: title";
   ``docx_described``);
9. comments, in the order Word stores them ("comment 3"). They come last so that
   turning them off renumbers nothing else. A suppression comment ("wordaudit: ignore
   RULE") is an instruction, not prose: never read as a story, it becomes a directive
   block after the last paragraph (``wordaudit.extract.docx_comments``). One on a
   picture, a chart, a SmartArt graphic or any part of a link's text covers that
   picture's alt text, the chart's or the graphic's text, or that link's ScreenTip
   too, though they are read apart.

``column`` is the 1-based character offset inside the paragraph; a new segment starts
after every line break (same line, column running on). In a table every paragraph is
a "cell" block, whatever its style.

``paragraphs()`` is that walk, paragraph by paragraph, with the element each character
was read from; the Word fixer (``wordaudit.fix.docx``) maps findings back to the XML
through it, so the two can never disagree about what "line 12, column 5" is.

Not read: equations (OMML); the chart types of Office 2016 (``cx:`` charts: waterfall,
treemap, sunburst...); DrawingML text outside a text box, a SmartArt graphic or a chart
(today's WordArt is a text box, and read); imported chunks (``w:altChunk``); a
template's glossary (building blocks).
"""

from __future__ import annotations

import zipfile
import zlib
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from wordaudit.errors import CorruptDocx, ResourceLimitExceeded
from wordaudit.extract import (
    ExtractOptions,
    docx_charts,
    docx_comments,
    docx_described,
    docx_diagrams,
    docx_fields,
    ooxml,
)
from wordaudit.extract.docx_diagrams import DGM_RELIDS, R_DM
from wordaudit.extract.docx_headers import shown_headers
from wordaudit.extract.markup_compat import chosen_branch
from wordaudit.extract.ooxml import MC, STRICT_W, W_TYPE, W
from wordaudit.model import Block, BlockKind, Segment
from wordaudit.record import field, record

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

    from wordaudit.extract.opc import Package, Part

FORMAT = "docx"
TEXT_BASED = False

W_P, W_TBL, W_TR, W_TC = W + "p", W + "tbl", W + "tr", W + "tc"
W_R, W_T, W_RPR, W_ID = W + "r", W + "t", W + "rPr", W + "id"
W_TXBX = W + "txbxContent"
W_SYM, W_FLDCHAR, W_INSTR_TEXT = W + "sym", W + "fldChar", W + "instrText"
W_HYPERLINK, W_FLDSIMPLE, W_INSTR = W + "hyperlink", W + "fldSimple", W + "instr"
W_PPR, W_FRAMEPR, W_SPEC_VANISH, W_VANISH = W + "pPr", W + "framePr", W + "specVanish", W + "vanish"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_WP_INLINE, _WP_ANCHOR = _WP + "inline", _WP + "anchor"
MC_ALT = MC + "AlternateContent"
# Legacy WordArt: a VML shape whose text is the ``string`` of its ``v:textpath``.
V_TEXTPATH = "{urn:schemas-microsoft-com:vml}textpath"
# The id Word gives the shape of a text watermark ("PowerPlusWaterMarkObject357831064").
_WATERMARK_ID = "PowerPlusWaterMarkObject"

# Elements inside a run that stand for one character.
CHARS = {
    W + "tab": "\t",
    W + "ptab": "\t",
    W + "br": "\n",
    W + "cr": "\n",
    W + "softHyphen": "\u00ad",
    W + "noBreakHyphen": "-",
}
# Inside a paragraph: never text, or not text a reader sees (deleted, moved away,
# deleted field codes, properties, a content control's settings). A field's code
# (w:instrText) is no text either, but a HYPERLINK's may hold a ScreenTip.
_NOT_TEXT = frozenset(
    W + name
    for name in (
        "pPr", "rPr", "del", "moveFrom", "delText", "delInstrText",
        "sdtPr", "sdtEndPr", "fldData",
        # A phonetic guide (ruby) is small print above its base text, not part of the sentence.
        "rubyPr", "rt",
    )
)  # fmt: skip
# A paragraph mark tracked as deleted or moved away: once the change is accepted,
# the paragraph and the next are one.
_GONE_MARK = (W + "del", W + "moveFrom")
_DROP_CAPS = frozenset({"drop", "margin"})
# Between paragraphs: containers whose paragraphs belong to the story around them.
_BLOCK_WRAPPERS = frozenset(W + name for name in ("sdt", "sdtContent", "customXml", "ins", "moveTo", "smartTag"))
_NOTE_SKIP_TYPES = frozenset({"separator", "continuationSeparator", "continuationNotice"})

Cells = tuple[tuple[int, int, int], ...]
Hidden = Callable[["Element"], bool]
Labeler = Callable[["Element", str, Cells, int], tuple[BlockKind, str]]


def extract_file(path: Path, options: ExtractOptions) -> Iterator[Block]:
    package = ooxml.open_package(path, options.max_unpacked_bytes)
    reader = _Reader(package, options)
    running_on: list[Paragraph] = []
    for paragraph in _guarded(reader.paragraphs()):
        if paragraph.runs_on:
            running_on.append(paragraph)
            continue
        if not running_on:
            if paragraph.text.strip():
                yield _block(paragraph.kind, paragraph.text, ((0, paragraph),))
            continue
        parts = [*running_on, paragraph]
        running_on = []
        text = "".join(part.text for part in parts)
        if text.strip():
            yield _block(paragraph.kind, text, _offsets(parts))
    yield from reader.ignores.directives()


class Piece(NamedTuple):
    """Characters of a paragraph and the element they were read from: a ``w:t``
    (its text) or an element that reads as one character (``w:tab``, ``w:br``...).
    A tuple, not a record: there is one per run, and tuples are made fastest.
    ``field``: the kind of the outermost field whose result this is, when Word
    computes that result ("DOCPROPERTY"; ``docx_fields``), so that the fixer
    leaves it alone; None for text a person typed."""

    text: str
    node: Element
    field: str | None = None


@record
class Paragraph:
    """One ``w:p`` in reading order: ``line`` is its number, ``text`` its pieces joined,
    ``kind`` and ``where`` what a finding in it reports, ``part`` the package part
    (document, header, notes...) that holds it. ``runs_on``: Word shows no end after
    it (a drop cap, a mark deleted under tracked changes, a style separator), so its
    text starts the next paragraph's block, each keeping its own line."""

    line: int
    element: Element
    part: Part
    text: str
    pieces: tuple[Piece, ...]
    kind: BlockKind
    where: str
    runs_on: bool = False


def paragraphs(package: Package, options: ExtractOptions) -> Iterator[Paragraph]:
    """Every paragraph of every story the extractor reads, empty ones included."""
    return _guarded(_Reader(package, options).paragraphs())


def vml_copy(paragraph: Paragraph, package: Package) -> Paragraph | None:
    """The same paragraph in the copy Word keeps of a text box for readers that do
    not know DrawingML (``mc:AlternateContent``: the box in ``mc:Choice`` is read,
    its VML twin is in ``mc:Fallback``), read as the walk reads it; None when the
    paragraph is in no such box, or when its copy reads otherwise (then it was
    stale before anyone fixed anything, and it is not the twin to edit)."""
    box = next(paragraph.element.iterancestors(W_TXBX), None)
    choice = None if box is None else next(box.iterancestors(MC + "Choice"), None)
    alternate = None if choice is None else choice.getparent()
    fallback = None if alternate is None else alternate.find(MC + "Fallback")
    if box is None or choice is None or fallback is None:
        return None
    # Word writes the boxes (a group holds several) and their paragraphs in the same order in both.
    boxes, copies = list(choice.iter(W_TXBX)), list(fallback.iter(W_TXBX))
    if len(boxes) != len(copies):
        return None
    ours = [element for element, _, _ in _paragraphs(box)]
    theirs = [element for element, _, _ in _paragraphs(copies[boxes.index(box)])]
    if len(ours) != len(theirs):
        return None
    twin = theirs[ours.index(paragraph.element)]
    styles = ooxml.Styles(_related_root(package, ooxml.RT_STYLES))
    hidden = partial(styles.hidden, twin) if styles.may_hide else _hidden
    pieces: list[Piece] = []
    _inline(twin, paragraph.part, pieces, _Anchors(), hidden, _Fields())
    text = "".join(piece.text for piece in pieces)
    if text != paragraph.text:
        return None
    return Paragraph(paragraph.line, twin, paragraph.part, text, tuple(pieces), paragraph.kind, paragraph.where)


def _related_root(package: Package, reltype: str) -> Element | None:
    part = ooxml.related(ooxml.main_part(package), reltype)
    return None if part is None else ooxml.root_of(part)


def _guarded(walk: Iterator[Paragraph]) -> Iterator[Paragraph]:
    try:
        yield from walk
    except RecursionError:
        raise ResourceLimitExceeded("document is nested too deeply to read") from None
    except (LookupError, ValueError) as exc:
        raise CorruptDocx(f"unexpected document structure ({type(exc).__name__})") from None
    except (zipfile.BadZipFile, zlib.error, EOFError):
        # Parts are read lazily, so a damaged member may only show itself here.
        raise CorruptDocx("zip archive is damaged (a compressed part cannot be read)") from None


class _Draft(NamedTuple):
    """A paragraph read but not yet labelled: its label may depend on the paragraphs
    it runs on into. ``boxes``, ``graphics``, ``images`` and ``wordart`` are the ranges
    of anchors it added, ``links`` the links with a ScreenTip. A tuple, as ``Piece``:
    there is one per paragraph."""

    line: int
    element: Element
    text: str
    pieces: tuple[Piece, ...]
    runs_on: bool
    boxes: range
    graphics: range
    images: range
    links: range
    wordart: range


@record(frozen=False)
class _TextBox:
    """A text box met in a paragraph: it belongs to that paragraph's part (a
    header's, the body's), and is named after the paragraph's place."""

    content: Element
    part: Part
    anchor: str = ""


@record(frozen=False)
class _Graphic:
    """A SmartArt graphic or a chart met in a paragraph: its part (a diagram's
    data, a chart's) is related to that paragraph's part by ``rel_id``;
    ``element`` is its ``dgm:relIds`` or ``c:chart``, where it stands."""

    rel_id: str
    part: Part
    chart: bool
    element: Element
    name: str | None = None  # as Word's Selection Pane names it ("Chart 3")
    anchor: str = ""


@record(frozen=False)
class _Image:
    """An image met in a paragraph (its ``wp:docPr``, which holds its alt text)."""

    doc_pr: Element
    part: Part
    anchor: str = ""


@record(frozen=False)
class _WordArt:
    """VML WordArt met in a paragraph (a text watermark, or legacy WordArt): its
    ``v:textpath``, whose ``string`` Word draws."""

    textpath: Element
    part: Part
    anchor: str = ""


@record(frozen=False)
class _Link:
    """A hyperlink with a ScreenTip met in a paragraph: ``element`` is its
    ``w:hyperlink``, its ``w:fldSimple``, or the first ``w:instrText`` of its field.
    Its text is the paragraph's pieces from ``first`` to just before ``past`` (None
    while the link is open); once the paragraph is read, ``text`` is that text and
    ``span`` its start and end offsets in the paragraph's text."""

    element: Element
    part: Part
    screentip: str
    first: int
    past: int | None = None
    text: str = ""
    span: tuple[int, int] = (0, 0)
    anchor: str = ""


@record(frozen=False)
class _Anchors:
    """Stories met while reading a paragraph, read later in their own turn."""

    textboxes: deque[_TextBox] = field(default_factory=deque)
    graphics: list[_Graphic] = field(default_factory=list)
    images: list[_Image] = field(default_factory=list)
    links: list[_Link] = field(default_factory=list)
    wordart: list[_WordArt] = field(default_factory=list)
    footnotes: list[tuple[str, bool]] = field(default_factory=list)
    endnotes: list[tuple[str, bool]] = field(default_factory=list)


class _Reader:
    def __init__(self, package: Package, options: ExtractOptions) -> None:
        self._package = package
        self._main = ooxml.main_part(package)
        self._options = options
        self._anchors = _Anchors()
        self._line = 0
        self._textbox_count = 0
        self._diagram_count = 0
        self._chart_count = 0
        self._wordart_count = 0
        self._graphics_read: set[Part] = set()
        self._styles = ooxml.Styles(None)
        self.ignores = docx_comments.Anchors()

    def paragraphs(self) -> Iterator[Paragraph]:
        body = self._body()
        self._styles = styles = ooxml.Styles(self._xml(ooxml.RT_STYLES))
        comments = self._comments_part()
        yield from self._story(body, self._main, _body_labeler(styles))
        yield from self._headers_footers(body)
        yield from self._notes(ooxml.RT_FOOTNOTES, "footnote", self._anchors.footnotes)
        yield from self._notes(ooxml.RT_ENDNOTES, "endnote", self._anchors.endnotes)
        yield from self._textboxes()
        yield from self._graphics()
        yield from self._wordart()
        yield from self._images()
        yield from self._screentips()
        yield from self._title()
        if self._options.docx_comments and comments is not None:
            yield from self._comments(*comments)
            yield from self._textboxes()
            yield from self._graphics()
            yield from self._images()
            yield from self._screentips()

    def _body(self) -> Element:
        root = ooxml.root_of(self._main)
        if root.tag == STRICT_W + "document":
            raise CorruptDocx("Strict Open XML document: not supported, save as a standard .docx")
        body = root.find(W + "body") if root.tag == W + "document" else None
        if body is None:
            raise CorruptDocx("not a Word document: the main part has no document body")
        return body

    def _xml(self, reltype: str) -> Element | None:
        part = ooxml.related(self._main, reltype)
        return None if part is None else ooxml.root_of(part)

    def _story(self, container: Element, part: Part, labeler: Labeler) -> Iterator[Paragraph]:
        """The paragraphs of a story; those Word shows as one are labelled together."""
        shown_as_one: list[_Draft] = []
        their_cells: Cells = ()
        fields = _Fields()
        for paragraph, cells, follows in _paragraphs(container):
            if shown_as_one and not follows:  # a table or a cell's end ends a paragraph whatever its mark says
                yield from self._labelled(shown_as_one, part, their_cells, labeler)
                shown_as_one = []
            if not follows:  # a field runs on only into the paragraphs right after its own
                fields = _Fields()
            shown_as_one.append(self._read(paragraph, part, fields))
            their_cells = cells
            if not shown_as_one[-1].runs_on:
                yield from self._labelled(shown_as_one, part, cells, labeler)
                shown_as_one = []
        if shown_as_one:  # the story ends: so does its last paragraph
            yield from self._labelled(shown_as_one, part, their_cells, labeler)

    def _read(self, paragraph: Element, part: Part, fields: _Fields) -> _Draft:
        """``paragraph``'s text, ``fields`` the fields still open from the paragraph
        before it (Word lets a field's code or result run over paragraphs)."""
        self._line += 1
        pieces: list[Piece] = []
        hidden = partial(self._styles.hidden, paragraph) if self._styles.may_hide else _hidden
        boxes_before = len(self._anchors.textboxes)
        graphics_before = len(self._anchors.graphics)
        images_before = len(self._anchors.images)
        links_before = len(self._anchors.links)
        wordart_before = len(self._anchors.wordart)
        _inline(paragraph, part, pieces, self._anchors, hidden, fields)
        fields.carry_over(paragraph)
        text = "".join(piece.text for piece in pieces)
        if len(self._anchors.links) > links_before:
            _place_links(self._anchors.links[links_before:], pieces, text)
        return _Draft(
            self._line,
            paragraph,
            text,
            tuple(pieces),
            _runs_on(paragraph),
            range(boxes_before, len(self._anchors.textboxes)),
            range(graphics_before, len(self._anchors.graphics)),
            range(images_before, len(self._anchors.images)),
            range(links_before, len(self._anchors.links)),
            range(wordart_before, len(self._anchors.wordart)),
        )

    def _labelled(self, drafts: list[_Draft], part: Part, cells: Cells, labeler: Labeler) -> Iterator[Paragraph]:
        """Paragraphs Word shows as one, labelled by their text together: a heading
        if any of them with text is one (a run-in heading ends in a style separator),
        else as the last, whose mark ends them all; each keeps its own line."""
        if len(drafts) == 1:  # nearly always: no need to label twice
            (draft,) = drafts
            yield self._found(draft, part, labeler(draft.element, draft.text, cells, draft.line), runs_on=False)
            return
        text = "".join(draft.text for draft in drafts)
        labels = [labeler(draft.element, text, cells, draft.line) for draft in drafts]
        with_text = (label for label, draft in zip(labels, drafts, strict=True) if draft.text.strip())
        heading = next((label for label in with_text if label[0] == "heading"), None)
        for number, (draft, label) in enumerate(zip(drafts, labels, strict=True), 1):
            shared = heading or (labels[-1][0], label[1])
            yield self._found(draft, part, shared, runs_on=number < len(drafts))

    def _found(self, draft: _Draft, part: Part, label: tuple[BlockKind, str], *, runs_on: bool) -> Paragraph:
        kind, where = label
        # A box in a box is named after the outer box alone, not its whole chain.
        anchor = where.split(", anchored in ", 1)[0]
        for index in draft.boxes:
            self._anchors.textboxes[index].anchor = anchor
        for index in draft.graphics:
            self._anchors.graphics[index].anchor = anchor
        for index in draft.images:
            self._anchors.images[index].anchor = anchor
        for index in draft.links:
            self._anchors.links[index].anchor = anchor
        for index in draft.wordart:
            self._anchors.wordart[index].anchor = anchor
        found = Paragraph(draft.line, draft.element, part, draft.text, draft.pieces, kind, where, runs_on)
        if self.ignores:
            # Its graphics' text, its images' alt text and its links' ScreenTips are
            # read later: a comment covers them by where they stand.
            graphics = [self._anchors.graphics[index].element for index in draft.graphics]
            images = [self._anchors.images[index].doc_pr for index in draft.images]
            images += [self._anchors.wordart[index].textpath for index in draft.wordart]
            links = [self._anchors.links[index] for index in draft.links]
            self.ignores.see(found, [*graphics, *images], [(link.element, *link.span) for link in links])
        return found

    def _headers_footers(self, body: Element) -> Iterator[Paragraph]:
        settings = self._xml(ooxml.RT_SETTINGS)
        even_odd = settings is not None and ooxml.switched_on(settings.find(W + "evenAndOddHeaders"))
        for (section, kind, variant), part in shown_headers(body, self._main, even_odd):
            prefix = {"first": "first-page ", "even": "even-page "}.get(variant, "")
            label = f"{prefix}{kind}, section {section}"
            root = ooxml.root_of(part)
            yield from self._story(root, part, _fixed("header" if kind == "header" else "footer", label))

    def _notes(self, reltype: str, kind: BlockKind, refs: list[tuple[str, bool]]) -> Iterator[Paragraph]:
        part = ooxml.related(self._main, reltype) if refs else None
        if part is None:
            return
        root = ooxml.root_of(part)
        notes = {
            note.get(W_ID): note for note in root.iterchildren(W + kind) if note.get(W_TYPE) not in _NOTE_SKIP_TYPES
        }
        number = 0
        seen: set[str] = set()
        for note_id, custom_mark in refs:
            if note_id in seen:
                continue
            seen.add(note_id)
            # A note with its own mark ("*") takes no number in Word's sequence.
            number += 0 if custom_mark else 1
            note = notes.get(note_id)
            if note is None:
                continue
            label = f"{kind} with a custom mark" if custom_mark else f"{kind} {number}"
            yield from self._story(note, part, _fixed(kind, label))

    def _textboxes(self) -> Iterator[Paragraph]:
        # A text box may hold another one; it joins the queue while this runs.
        while self._anchors.textboxes:
            box = self._anchors.textboxes.popleft()
            self._textbox_count += 1
            label = f"text box {self._textbox_count}, anchored in {box.anchor}"
            yield from self._story(box.content, box.part, _fixed("textbox", label))

    def _graphics(self) -> Iterator[Paragraph]:
        """The text of each SmartArt graphic (a paragraph of a box at a time) and
        of each chart (a title or a label at a time). DrawingML text has no
        tracked changes, so the fixer leaves these alone."""
        graphics, self._anchors.graphics = self._anchors.graphics, []
        for graphic in graphics:
            data = ooxml.related_by_id(graphic.part, graphic.rel_id)
            # A part drawn twice is read once: a document cannot multiply its text.
            if data is None or data in self._graphics_read:
                continue
            self._graphics_read.add(data)
            if graphic.chart:
                self._chart_count += 1
                name = graphic.name or f"chart {self._chart_count}"
                root = ooxml.root_of(data)
                shown = docx_charts.chart_texts(root)
                shapes = root.find(docx_charts.C + "userShapes")
                drawing = ooxml.related_by_id(data, shapes.get(docx_charts.R_ID, "")) if shapes is not None else None
                drawn = docx_charts.drawing_texts(ooxml.root_of(drawing)) if drawing is not None else iter(())
                for what, element, pieces in (*shown, *drawn):
                    where = f"{name}, {what}, anchored in {graphic.anchor}"
                    yield self._hung(graphic.element, self._standalone(element, data, pieces, "chart", where))
            else:
                self._diagram_count += 1
                where = f"SmartArt {self._diagram_count}, anchored in {graphic.anchor}"
                for element, pieces in docx_diagrams.box_paragraphs(ooxml.root_of(data)):
                    yield self._hung(graphic.element, self._standalone(element, data, pieces, "diagram", where))

    def _wordart(self) -> Iterator[Paragraph]:
        """The text of each VML WordArt: a text watermark (Design > Watermark,
        which Word still draws in VML, in a header), named "watermark"; other
        legacy WordArt (as Word 2003 made it, kept in converted documents)
        named by its order, as VML shapes have no name in Word's Selection
        Pane. An attribute, not text with tracked changes: the fixer leaves it
        alone."""
        shapes, self._anchors.wordart = self._anchors.wordart, []
        for shape in shapes:
            text = shape.textpath.get("string") or ""
            if not text.strip():  # the shape type's own textpath, or an empty shape
                continue
            holder = shape.textpath.getparent()
            if holder is not None and holder.get("id", "").startswith(_WATERMARK_ID):
                where = f"watermark, anchored in {shape.anchor}"
            else:
                self._wordart_count += 1
                where = f"WordArt {self._wordart_count}, anchored in {shape.anchor}"
            yield self._described(shape.textpath, shape.part, text, "wordart", where)

    def _hung(self, element: Element, paragraph: Paragraph) -> Paragraph:
        """``paragraph``, read beside the stories, describes ``element``: a
        suppression comment on the element covers it too."""
        if self.ignores:
            self.ignores.hang(element, paragraph)
        return paragraph

    def _standalone(
        self, element: Element, part: Part, pieces: list[tuple[str, Element]], kind: BlockKind, where: str
    ) -> Paragraph:
        """A paragraph of text outside the document's stories, numbered next."""
        self._line += 1
        text = "".join(text for text, _ in pieces)
        found = Paragraph(self._line, element, part, text, tuple(Piece(*p) for p in pieces), kind, where)
        if self.ignores:
            self.ignores.see(found)
        return found

    def _images(self) -> Iterator[Paragraph]:
        """The alt text of each image, a paragraph for its title and one for its
        description. Not a story of the document: the fixer leaves it alone."""
        images, self._anchors.images = self._anchors.images, []
        for image in images:
            # Named as Word's Selection Pane names it ("Picture 3").
            name = image.doc_pr.get("name") or "an image"
            where = f"alt text of {name}, anchored in {image.anchor}"
            for text in docx_described.alt_texts(image.doc_pr):
                yield self._described(image.doc_pr, image.part, text, "alt-text", where)
            screentip = docx_described.picture_screentip(image.doc_pr)
            if screentip is not None:
                where = f"ScreenTip of the link on {name}, anchored in {image.anchor}"
                yield self._described(image.doc_pr, image.part, screentip, "title", where)

    def _screentips(self) -> Iterator[Paragraph]:
        """The ScreenTip of each hyperlink that has one, named after the place of
        its link. An attribute or a field's code, not text with tracked changes:
        the fixer leaves it alone."""
        links, self._anchors.links = self._anchors.links, []
        met: Counter[tuple[str, str]] = Counter()
        for link in links:
            # Two links in one paragraph are told apart by what they read; a link on
            # nothing but a picture has no text to name it by. Links that read the
            # same are told apart by their order, the first keeping the plain name,
            # so that adding a link further on does not move the ones before it.
            shown = _short(link.text, whole_words=True)
            met[shown, link.anchor] += 1
            named = f' "{shown}"' if shown else ""
            where = f"ScreenTip of the {_ordinal(met[shown, link.anchor])}link{named} in {link.anchor}"
            yield self._described(link.element, link.part, link.screentip, "title", where)

    def _title(self) -> Iterator[Paragraph]:
        found = docx_described.document_title(self._package)
        if found is not None:
            title, part = found
            yield self._described(title, part, title.text or "", "front-matter", "document properties: title")

    def _described(self, element: Element, part: Part, text: str, kind: BlockKind, where: str) -> Paragraph:
        return self._hung(element, self._standalone(element, part, [(text, element)], kind, where))

    def _comments_part(self) -> tuple[list[Element], Part] | None:
        """The comments, with the suppression comments among them picked out before any
        story is walked, so that their anchors are noticed on the way; and picked out even
        when comments are not read, since those are instructions, not prose."""
        part = ooxml.related(self._main, ooxml.RT_COMMENTS)
        if part is None:
            return None
        comments = list(ooxml.root_of(part).iterchildren(W + "comment"))
        self.ignores = docx_comments.Anchors((c.get(W_ID, ""), _plain_text(c, part)) for c in comments)
        return comments, part

    def _comments(self, comments: list[Element], part: Part) -> Iterator[Paragraph]:
        for number, comment in enumerate(comments, 1):
            if comment.get(W_ID, "") not in self.ignores:  # a suppression comment is no prose to audit
                yield from self._story(comment, part, _fixed("comment", f"comment {number}"))


def _plain_text(story: Element, part: Part) -> str:
    """A story's text, its paragraphs joined by "\\n", without reading it as one:
    no line is numbered and nothing it anchors (a text box) is kept."""
    lines = []
    for paragraph, _, _ in _paragraphs(story):
        pieces: list[Piece] = []
        _inline(paragraph, part, pieces, _Anchors(), _hidden, _Fields())
        lines.append("".join(piece.text for piece in pieces))
    return "\n".join(lines)


def _block(kind: BlockKind, text: str, parts: Iterable[tuple[int, Paragraph]]) -> Block:
    """The block of ``text``, made of paragraphs Word shows as one (most often just
    one), each starting at its offset. Every part's characters keep the line and
    column of their own paragraph, as the fixer and suppression comments count them;
    a new segment starts at every part and after every line break."""
    segments: list[Segment] = []
    for offset, part in parts:
        start = 0
        while start < len(part.text):  # an empty part has no character to place
            segments.append(Segment(offset + start, part.line, start + 1, where=part.where))
            start = part.text.find("\n", start) + 1 or len(part.text)
    return Block(kind, text, tuple(segments))


def _offsets(parts: list[Paragraph]) -> Iterator[tuple[int, Paragraph]]:
    offset = 0
    for part in parts:
        yield offset, part
        offset += len(part.text)


def _place_links(links: list[_Link], pieces: list[Piece], text: str) -> None:
    """Give each link of a paragraph just read its text and that text's offsets in
    ``text``, the paragraph's; a link still open at its end ends with it."""
    bounds = [0, *accumulate(len(piece.text) for piece in pieces)]
    for link in links:
        start = bounds[link.first]
        end = bounds[len(pieces) if link.past is None else link.past]
        link.text, link.span = text[start:end], (start, end)


# ---------------------------------------------------------------- paragraphs in order


def _paragraphs(container: Element, cells: Cells = ()) -> Iterator[tuple[Element, Cells, bool]]:
    """Every paragraph of a story in reading order, with the table cells around it
    and whether it follows the paragraph before it directly (no table, no new cell)."""
    table_number = 0
    follows = False
    for item in _block_items(container):
        if item.tag == W_P:
            yield item, cells, follows
            follows = True
            continue
        table_number += 1
        follows = False
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
            branch = chosen_branch(child)
            if branch is not None:
                yield from _block_items(branch)


def _children(parent: Element, tag: str) -> Iterator[Element]:
    """Rows of a table or cells of a row, also when a content control wraps them."""
    for child in parent.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _children(child, tag)


# ---------------------------------------------------------------- text of a paragraph


class _Fields(list[bool]):
    """The complex fields open in a paragraph, innermost last, True while in a
    field's code: a field nested in another's code (IF { MERGEFIELD } ...) shows
    its result there as w:t, which is part of the instruction, not of the text a
    reader sees. ``codes`` holds, in step, the ``w:instrText`` of each field read
    so far, which Word splits over runs as it likes. A list itself, so that the
    test made for every piece of text, ``True in fields``, costs no more."""

    __slots__ = ("begins", "closing", "codes", "kinds", "links")

    def __init__(self) -> None:
        super().__init__()
        self.codes: list[list[Element]] = []
        # In step too: the link a HYPERLINK field with a ScreenTip makes, once its code is read.
        self.links: list[_Link | None] = []
        # In step too: each field's kind ("MERGEFIELD"), once its code is read.
        self.kinds: list[str] = []
        # In step too: the w:fldChar that began each field (a form field's data is there).
        self.begins: list[Element | None] = []
        # Whether the fields open now are known to end in a later paragraph.
        self.closing = False

    def open(self, kind: str = "", *, in_code: bool = True, begin: Element | None = None) -> None:
        self.append(in_code)
        self.codes.append([])
        self.links.append(None)
        self.kinds.append(kind)
        self.begins.append(begin)

    def close(self) -> tuple[bool, list[Element], _Link | None]:
        """The innermost field gone: whether it was still in its code, its code and its link."""
        self.kinds.pop()
        self.begins.pop()
        closed = self.pop(), self.codes.pop(), self.links.pop()
        if not self:
            self.closing = False
        return closed

    def computed(self) -> str | None:
        """The kind of the outermost open field whose result Word computes, or None."""
        return next((kind for kind in self.kinds if docx_fields.is_computed(kind)), None)

    def carry_over(self, paragraph: Element) -> None:
        """At ``paragraph``'s end: keep the fields still open for the next paragraph
        when they end later (``docx_fields.closes_later``, asked once while they are
        open: a table of contents' entries are many paragraphs), else forget them.
        A link still open ends with its paragraph, where it was placed."""
        if not self:
            return
        if not self.closing:
            self.closing = docx_fields.closes_later(paragraph, len(self))
        if not self.closing:
            self.clear()
            self.codes.clear()
            self.kinds.clear()
            self.links.clear()
            self.begins.clear()
        self.links[:] = [None] * len(self.links)


def _inline(element: Element, part: Part, out: list[Piece], anchors: _Anchors, hidden: Hidden, fields: _Fields) -> None:
    """The text of a paragraph as pieces; hyperlinks with a ScreenTip and the
    stories a paragraph anchors are noted in ``anchors``."""
    for child in element.iterchildren():
        tag = child.tag
        if not isinstance(tag, str):  # comments and processing instructions
            continue
        if tag == W_T:
            if child.text and not (fields and True in fields):
                out.append(Piece(child.text, child, fields.computed() if fields else None))
        elif tag in CHARS:
            if not (fields and True in fields):
                out.append(Piece(CHARS[tag], child, fields.computed() if fields else None))
        elif tag in _NOT_TEXT:
            continue
        elif tag == W_INSTR_TEXT:
            if fields and fields[-1]:
                fields.codes[-1].append(child)
        elif tag == W_FLDCHAR:
            _follow_field(child, part, anchors, fields, out)
        elif tag == W_SYM:
            if not (fields and True in fields):
                out.append(Piece(_symbol(child), child, fields.computed() if fields else None))
        elif tag == W_R:
            if not hidden(child):
                _inline(child, part, out, anchors, hidden, fields)
        elif tag == MC_ALT:
            branch = chosen_branch(child)
            if branch is not None:
                _inline(branch, part, out, anchors, hidden, fields)
        elif tag == W_TXBX:
            anchors.textboxes.append(_TextBox(child, part))
        elif tag == DGM_RELIDS:
            anchors.graphics.append(_Graphic(child.get(R_DM, ""), part, chart=False, element=child))
        elif tag == docx_charts.C_CHART:
            anchors.graphics.append(
                _Graphic(child.get(docx_charts.R_ID, ""), part, chart=True, element=child, name=_frame_name(child))
            )
        elif tag == docx_described.WP_DOCPR:
            anchors.images.append(_Image(child, part))
        elif tag == V_TEXTPATH:
            anchors.wordart.append(_WordArt(child, part))
        elif tag == W + "footnoteReference":
            anchors.footnotes.append(_note_ref(child))
        elif tag == W + "endnoteReference":
            anchors.endnotes.append(_note_ref(child))
        elif tag in (W_HYPERLINK, W_FLDSIMPLE):
            # In a field's code a link is never shown.
            link = None if fields and True in fields else _note_link(child, part, anchors, len(out))
            if tag == W_FLDSIMPLE:
                # Its result is read as a complex field's is: the text of a field Word computes.
                fields.open(docx_fields.field_kind(child.get(W_INSTR, "")), in_code=False)
                _inline(child, part, out, anchors, hidden, fields)
                fields.close()
            else:
                _inline(child, part, out, anchors, hidden, fields)
            if link is not None:
                link.past = len(out)
        else:
            # Insertions, moved-to text, content controls, smart tags, drawings
            # on the way to a text box.
            _inline(child, part, out, anchors, hidden, fields)


def _frame_name(graphic: Element) -> str | None:
    """The name of the drawing holding ``graphic`` (its ``wp:docPr``), as Word's Selection Pane shows it."""
    for frame in graphic.iterancestors(_WP_INLINE, _WP_ANCHOR):
        doc_pr = frame.find(docx_described.WP_DOCPR)
        return doc_pr.get("name") if doc_pr is not None else None
    return None


def _note_link(link: Element, part: Part, anchors: _Anchors, first: int) -> _Link | None:
    """Note a ``w:hyperlink`` or a simple field (``w:fldSimple``) that has a ScreenTip,
    its text starting at piece ``first``."""
    if link.tag == W_HYPERLINK:
        screentip = docx_described.screentip(link)
    else:
        screentip = docx_described.field_screentip(link.get(W_INSTR, ""))
    if screentip is None:
        return None
    anchors.links.append(_Link(link, part, screentip, first))
    return anchors.links[-1]


def _note_field_link(code: list[Element], part: Part, anchors: _Anchors, first: int) -> _Link | None:
    """Note a complex field whose code, its ``w:instrText`` pieces joined, is a HYPERLINK
    with a ScreenTip, its text (the field's result) starting at piece ``first``."""
    if not code:
        return None
    screentip = docx_described.field_screentip("".join(piece.text or "" for piece in code))
    if screentip is None:
        return None
    anchors.links.append(_Link(code[0], part, screentip, first))
    return anchors.links[-1]


def _follow_field(char: Element, part: Part, anchors: _Anchors, fields: _Fields, out: list[Piece]) -> None:
    """Open, turn to its result, or close a field at ``char``, the pieces read so
    far being ``out``. Where a field's code ends (its result starts, or it ends
    with none), a HYPERLINK's ScreenTip is noted and a drop-down form field's
    choice read, unless the field is itself in another's code; a link's text
    runs to the field's end."""
    at = len(out)
    kind = char.get(W + "fldCharType")
    if kind == "begin":
        fields.open(begin=char)
    elif kind == "separate" and fields:
        in_code, fields[-1] = fields[-1], False
        code, fields.codes[-1] = fields.codes[-1], []
        if in_code:
            fields.kinds[-1] = docx_fields.field_kind("".join(piece.text or "" for piece in code))
        if in_code and True not in fields:
            fields.links[-1] = _note_field_link(code, part, anchors, at)
            _drop_down_choice(fields.begins[-1], fields.kinds[-1], out)
    elif kind == "end" and fields:
        begin = fields.begins[-1]
        in_code, code, link = fields.close()
        if in_code and True not in fields:
            link = _note_field_link(code, part, anchors, at)
            field_kind = docx_fields.field_kind("".join(piece.text or "" for piece in code))
            _drop_down_choice(begin, field_kind, out)
        if link is not None:
            link.past = at


def _drop_down_choice(begin: Element | None, kind: str, out: list[Piece]) -> None:
    """A legacy drop-down form field (FORMDROPDOWN) shows its chosen entry, which
    is kept only in the field's data (``w:ffData/w:ddList``), never as result
    text: it is read where the field stands, as Word's computed text."""
    if kind != "FORMDROPDOWN" or begin is None:
        return
    choice = docx_fields.drop_down_choice(begin)
    if choice is not None:
        out.append(Piece(choice.get(W + "val", ""), choice, kind))


def _symbol(sym: Element) -> str:
    """The character a ``w:sym`` shows. It is read, never dropped, so that the
    words either side of an icon stay apart ("Back", an arrow, "office" is not
    "Backoffice"). Symbol fonts' codes (F000-F0FF) are private-use characters:
    no letter, as the icon is none."""
    try:
        code = int(sym.get(W + "char", ""), 16)
    except ValueError:
        code = 0
    if code < 0x20 or 0xD800 <= code < 0xE000 or code >= 0xFFFE:
        return "\ufffc"  # no character a report could print: an object stands here
    return chr(code)


def _hidden(run: Element) -> bool:
    """Directly formatted hidden text (``w:vanish``): Word neither
    shows nor prints it. Enough for a comment's first line and for a document whose
    styles hide nothing; others use ``Styles.hidden``."""
    return bool(ooxml.hiding(ooxml.child(run, W_RPR)))


def _runs_on(paragraph: Element) -> bool:
    """Whether Word shows no end after this paragraph, so that its text starts the
    next one: a drop cap (its own framed paragraph holding the first letter), a mark
    deleted or moved away under tracked changes, a style separator (a mark with
    ``w:specVanish``, which Word never shows), or a mark formatted as hidden text,
    which Word does not show unless asked to."""
    props = ooxml.child(paragraph, W_PPR)
    if props is None:
        return False
    frame = ooxml.child(props, W_FRAMEPR)
    if frame is not None and frame.get(W + "dropCap") in _DROP_CAPS:
        return True
    mark = ooxml.child(props, W_RPR)
    return mark is not None and (
        next(mark.iterchildren(*_GONE_MARK), None) is not None
        or ooxml.switched_on(ooxml.child(mark, W_SPEC_VANISH))
        or ooxml.switched_on(ooxml.child(mark, W_VANISH))
    )


def _note_ref(reference: Element) -> tuple[str, bool]:
    return reference.get(W_ID, ""), ooxml.attribute_on(reference, W + "customMarkFollows")


# ---------------------------------------------------------------- kinds and locations


def _body_labeler(styles: ooxml.Styles) -> Labeler:
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
    levels = [f"table {t}, row {r}, cell {c}" for t, r, c in cells]
    if len(levels) > 4:  # a place nobody can read is no help: outermost, …, innermost two
        levels = [levels[0], "…", *levels[-2:]]
    return " > ".join(levels)


_ORDINALS = ("", "", "second ", "third ", "fourth ", "fifth ", "sixth ", "seventh ", "eighth ", "ninth ", "tenth ")


def _ordinal(number: int) -> str:
    """How the ``number``th of several alike is named before the noun: nothing for the first."""
    if number < len(_ORDINALS):
        return _ORDINALS[number]
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix} "


def _short(text: str, limit: int = 40, *, whole_words: bool = False) -> str:
    flat = " ".join(text.replace("\u00ad", "").split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if whole_words and flat[limit - 1] != " " and " " in cut[limit // 2 :]:
        # A link is recognised by the words it reads; a word cut short reads as a typo.
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"
