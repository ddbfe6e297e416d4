"""Apply edits to Word documents (.docx, .docm, .dotx) as tracked changes.

Each edit becomes a deletion of the matched characters (``w:del``: their runs,
``w:t`` turned into ``w:delText``, each keeping its own formatting) followed by
an insertion of the new wording (``w:ins``: one run formatted like the run the
match started in), by the author "wordaudit", so that Word and LibreOffice list
every change for a person to accept or reject. With ``track_changes=False`` the
new wording simply takes the place of the old.

A finding is mapped back through the extractor's own walk
(``wordaudit.extract.docx.paragraphs``): ``line`` numbers a paragraph in reading
order, ``column`` is an offset into its text, and every character there knows
the element it was read from. An edit is made only when the paragraph is still
at the finding's location, its characters still read as the match, and they are
plain text in runs side by side; a field, a note reference, another tracked
change or the edge of a hyperlink inside the phrase leaves it for a person, as
does a field's result that Word computes (a DOCPROPERTY, a MERGEFIELD: updating
fields would bring the old wording back; a HYPERLINK's text is the link's own), and
so does any finding in a comment, and any in text beside the stories (alt text,
a link's ScreenTip, the document's title), which no tracked change can hold.

A text box is written twice, a DrawingML box (``mc:Choice``, what Word and
LibreOffice read) and its VML copy (``mc:Fallback``, for readers that know only
VML; Word writes it again from the box when it saves). The copy gets the same
change when it reads as the box does, so that every reader shows the same
wording and a person accepting or rejecting the change in Word, which rewrites
the copy, leaves no stale one behind; a copy that already read otherwise is
left as it was.

Only the XML parts that changed are written again; every other member of the
package keeps its content, name, date and compression method.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from copy import deepcopy
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from wordaudit.errors import CorruptDocx
from wordaudit.extract import ExtractOptions, ooxml, opc
from wordaudit.extract import docx as word
from wordaudit.extract.ooxml import W
from wordaudit.finding import readable
from wordaudit.fix.model import Applied, Edit, Unfixed
from wordaudit.fix.text import with_article
from wordaudit.model import Finding
from wordaudit.record import record

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

    from wordaudit.extract.opc import Package

FORMATS = ("docx",)
AUTHOR = "wordaudit"

W_R, W_T, W_RPR, W_ID = word.W_R, word.W_T, word.W_RPR, word.W_ID
W_DEL_TEXT = W + "delText"
W_RUBY = W + "ruby"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# What a deleted run may hold: text and the characters the extractor reads.
# Anything else (a field character, a note reference, a drawing) is left alone.
_DELETABLE = frozenset({W_T, *word.CHARS, W + "lastRenderedPageBreak"})
# Marks between runs that carry no text; they stay outside a deletion, so that
# accepting it cannot take a bookmark or a comment's anchor with it.
_MARKS = frozenset(
    W + name
    for name in (
        "bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
        "permStart", "permEnd", "proofErr",
    )
)  # fmt: skip
# Where runs may sit for a w:ins or w:del to be put beside them.
_RUN_CONTAINERS = frozenset(
    W + name for name in ("p", "hyperlink", "fldSimple", "sdt", "sdtContent", "smartTag", "customXml", "dir", "bdo")
)
_PENDING = frozenset({W + "ins", W + "moveTo"})
# Characters XML 1.0 cannot hold, which a typed replacement might.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Where the wording of a computed field's result is changed instead, for the common ones.
_FIELD_SOURCES = {
    "DOCPROPERTY": " from the document's properties (File > Info > Properties)",
    "MERGEFIELD": " from the mail merge's data source",
    "DOCVARIABLE": " from a document variable",
    "REF": " from the bookmarked text",
    "TOC": " from the headings",
    "FORMDROPDOWN": " from the entry chosen in its list (the form field's options)",
}
_CROSSES = "crosses the edge of a hyperlink, field or content control"
_HOLDS = "holds a field, note reference, object or tracked change"
_PENDING_CHANGE = "is in a tracked change nobody has accepted or rejected yet"


def apply(path: Path, edits: Sequence[Edit], *, track_changes: bool = True) -> Applied:
    """The document with ``edits`` made, as tracked changes unless ``track_changes`` is False."""
    options = ExtractOptions(docx_comments=True)  # comments come last: they renumber nothing
    package = ooxml.open_package(path, options.max_unpacked_bytes)
    paragraphs = list(word.paragraphs(package, options))
    before = _as_text(paragraphs, [])
    changes, unfixed = _plan(paragraphs, edits, package)
    if not changes:
        return Applied(None, (), tuple(unfixed), before, before)
    rewriter = _Rewriter(_next_id(paragraphs), len(changes), track_changes)
    done: list[_Change] = []
    # Right to left: a split keeps the left part in the original elements,
    # so the pieces of the changes still to come stay valid.
    for number, change in reversed(list(enumerate(changes))):
        problem = rewriter.rewrite(change, number)
        if problem is None:
            done.append(change)
        else:
            unfixed.append(Unfixed(change.edit.finding, _where(change.edit.finding, problem)))
    done.reverse()
    unfixed.sort(key=lambda u: (u.finding.line, u.finding.column))
    if not done:
        return Applied(None, (), tuple(unfixed), before, before)
    data = _rezip(path, _serialized(change.paragraph for change in done))
    return Applied(data, tuple(c.edit for c in done), tuple(unfixed), before, _as_text(paragraphs, done))


# ---------------------------------------------------------------- from findings to spans


@record
class _Change:
    edit: Edit
    paragraph: word.Paragraph
    start: int  # offsets into paragraph.text
    end: int
    replacement: str
    # With "a" turned into "an" before the match, the edit starts at the
    # article: how much of the replacement is the article and the space after
    # it, written in the article's formatting, the rest in the match's.
    article: int = 0
    match_start: int = 0
    # The paragraph's twin in the VML copy of its text box, changed alike.
    copy: word.Paragraph | None = None


def _plan(
    paragraphs: Sequence[word.Paragraph], edits: Sequence[Edit], package: Package
) -> tuple[list[_Change], list[Unfixed]]:
    changes: list[_Change] = []
    unfixed: list[Unfixed] = []
    for edit in sorted(edits, key=lambda e: (e.finding.line, e.finding.column)):
        found = _locate(paragraphs, edit.finding)
        if isinstance(found, str):
            unfixed.append(Unfixed(edit.finding, found))
            continue
        paragraph, start, end = found
        previous = changes[-1] if changes and changes[-1].paragraph is paragraph else None
        earlier = [(previous.start, previous.end, previous.replacement)] if previous else []
        if previous and start < previous.end:
            unfixed.append(Unfixed(edit.finding, "overlaps another edit"))
            continue
        if _NOT_XML.search(edit.replacement):
            unfixed.append(Unfixed(edit.finding, f'"{edit.replacement}" holds characters a Word document cannot'))
            continue
        replacement = edit.replacement
        article = 0
        if edit.fit_article:
            line_start = paragraph.text.rfind("\n", 0, start) + 1
            match_start = start
            start, replacement = with_article(paragraph.text, line_start, start, replacement, earlier)
            article = len(replacement) - len(edit.replacement)
        # Word keeps a text box twice, its DrawingML and a VML copy for older readers; it
        # reads the first and writes the copy again on saving. Both get the change, so
        # that any reader shows the new wording and a person accepts or rejects it in both.
        copy = word.vml_copy(paragraph, package) if paragraph.kind == "textbox" else None
        changes.append(_Change(edit, paragraph, start, end, replacement, article, match_start, copy))
    return changes, unfixed


def _locate(paragraphs: Sequence[word.Paragraph], finding: Finding) -> tuple[word.Paragraph, int, int] | str:
    """The finding's paragraph and characters, or why they cannot be trusted."""
    if not 1 <= finding.line <= len(paragraphs) or finding.end_line != finding.line:
        return f"position {finding.line}:{finding.column} is not in the document"
    paragraph = paragraphs[finding.line - 1]
    start, end = finding.column - 1, finding.end_column - 1
    if not 0 <= start < end <= len(paragraph.text):
        return f"position {finding.line}:{finding.column} is not in the document"
    if paragraph.where != finding.location:
        return f"paragraph {finding.line} is {paragraph.where}, not {finding.location}; scan the document again"
    if paragraph.kind == "comment":
        # A comment often quotes the wording it is about, and LibreOffice cannot
        # show a tracked change inside one (it flattens the comment and loses its
        # author and range): its author rewords it.
        return _where(finding, "is in a comment, left to its author")
    if paragraph.kind == "diagram":
        # DrawingML text has no tracked changes; a box is reworded in Word's SmartArt pane.
        return _where(finding, "is in a SmartArt graphic")
    if paragraph.kind == "chart":
        # DrawingML text, and labels taken from the chart's worksheet are redrawn from there.
        return _where(finding, "is in a chart (edit it on the chart, or its data with Chart Design > Edit Data)")
    if paragraph.kind == "wordart":
        # An attribute of the VML shape, not text with tracked changes.
        if paragraph.where.startswith("watermark"):
            return _where(finding, "is the watermark (Design > Watermark > Custom Watermark)")
        return _where(finding, "is WordArt (edit its text in Word)")
    if paragraph.kind == "alt-text":
        # An attribute of the picture, not text with tracked changes: Word's Alt Text pane.
        return _where(finding, "is an image's alt text")
    if paragraph.kind == "title":
        # An attribute of the link, or its field's code: no tracked change can hold it.
        return _where(finding, "is a link's ScreenTip (Edit Hyperlink > ScreenTip)")
    if paragraph.kind == "front-matter":
        return _where(finding, "is the document's title (File > Info > Properties)")
    if not _reads_as(paragraph.text[start:end], finding.match):
        return _where(finding, f'does not read "{finding.match}"')
    field = _computed_field(paragraph, start, end)
    if field is not None:
        # Word writes a computed result again whenever fields are updated: a change
        # made there is undone, so the wording is changed where the field takes it from.
        named = f"a {field} field" if field else "a field"
        computed = f"which Word computes{_FIELD_SOURCES.get(field, '')}"
        return _where(finding, f"is the result of {named}, {computed}; updating fields brings it back")
    return paragraph, start, end


def _computed_field(paragraph: word.Paragraph, start: int, end: int) -> str | None:
    """The kind of a field whose computed result holds any of ``text[start:end]``, or None."""
    offset = 0
    for piece in paragraph.pieces:
        after = offset + len(piece.text)
        if piece.field is not None and offset < end and start < after:
            return piece.field
        offset = after
    return None


def _reads_as(text: str, match: str) -> bool:
    """Whether ``text`` shows as ``match`` the way findings show it. A soft hyphen
    shows as "-" between the phrase's words and as nothing inside one; the phrase
    is not in the finding, but its words are the match's."""
    phrase = match.lower().replace("-", " ")
    return match in (readable(text), readable(text, phrase))


def _where(finding: Finding, problem: str) -> str:
    return f'"{finding.match}" at {finding.line}:{finding.column} {problem}; edit it by hand'


# ---------------------------------------------------------------- rewriting the XML


class _Rewriter:
    """Turns spans of text into whole runs, then marks or replaces them.

    Every w:id it writes is new, above all the ids the document's parts hold:
    change number n gets the pair ``first_id + 2n`` (deletion) and the next
    (insertion), so ids follow reading order; ids other copies need come after."""

    def __init__(self, first_id: int, changes: int, track_changes: bool) -> None:
        self._first_id = first_id
        self._more_ids = itertools.count(first_id + 2 * changes)
        self._track = track_changes
        self._date = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def rewrite(self, change: _Change, number: int) -> str | None:
        """Make change ``number``, in its paragraph and the paragraph's copy if it has
        one; or leave the document as it is and say why not."""
        places = [change.paragraph] if change.copy is None else [change.copy, change.paragraph]
        spans = [_ends(paragraph, change.start, change.end) for paragraph in places]
        for paragraph, (first, _, last, _) in zip(places, spans, strict=True):
            problem = _problem(paragraph.element, first, last)
            if problem is not None:
                return problem
        for paragraph, span in zip(places, spans, strict=True):
            if paragraph is change.paragraph:
                first_id = self._first_id + 2 * number
            else:  # a pair of ids after those of the changes
                first_id = next(self._more_ids)
                next(self._more_ids)
            self._rewrite(paragraph, span, change, first_id)
        return None

    def _rewrite(
        self, paragraph: word.Paragraph, span: tuple[Element, int, Element, int], change: _Change, first_id: int
    ) -> None:
        first, head, last, keep = span
        # The run the match itself starts in: its new wording is formatted as
        # it was ("a **back office**" becomes "an **operations**"), the article as the article.
        like = _parent(_ends(paragraph, change.match_start, change.match_start + 1)[0]) if change.article else None
        first_run, last_run = self._isolate(first, head, last, keep)
        runs = list(_siblings(first_run, last_run))
        if self._track:
            self._mark(runs, first_run, change, like, first_id)
        else:
            _replace(runs, change, like)

    def _isolate(self, first: Element, head: int, last: Element, keep: int) -> tuple[Element, Element]:
        """Split w:t text and runs so the span is exactly whole runs: ``head``
        characters of ``first`` stay before it, ``keep`` of ``last`` are in it."""
        if head:
            rest = _split_text(first, head)
            if last is first:
                last, keep = rest, keep - head
            first = rest
        if last.tag == W_T and keep < len(last.text or ""):
            _split_text(last, keep)
        first_run = self._split_run_before(first)
        self._split_run_after(last)
        return first_run, _parent(last)

    def _split_run_before(self, node: Element) -> Element:
        """The run holding ``node``, cut so that ``node`` is its first content."""
        run = _parent(node)
        if all(sibling.tag == W_RPR for sibling in node.itersiblings(preceding=True)):
            return run
        moved = self._new_run_after(run)
        moved.extend([node, *node.itersiblings()])
        return moved

    def _split_run_after(self, node: Element) -> None:
        following = list(node.itersiblings())
        if following:
            self._new_run_after(_parent(node)).extend(following)

    def _new_run_after(self, run: Element) -> Element:
        new = etree.Element(W_R)
        for name, value in run.items():  # revision-session ids (w:rsidR...) stay alike
            new.set(name, value)
        run.addnext(new)
        props = run.find(W_RPR)
        if props is not None:
            new.append(self._renumbered(deepcopy(props)))
        return new

    def _renumbered(self, element: Element) -> Element:
        # A copied formatting change (w:rPrChange) needs an id of its own.
        for node in element.iter():
            if node.get(W_ID) is not None:
                node.set(W_ID, str(next(self._more_ids)))
        return element

    def _mark(
        self, runs: list[Element], first_run: Element, change: _Change, like: Element | None, first_id: int
    ) -> None:
        deletion = self._revision("del", first_id)
        first_run.addprevious(deletion)
        for element in runs:
            if element.tag == W_R:
                deletion.append(element)
                for text in element.iterchildren(W_T):
                    text.tag = W_DEL_TEXT
            else:
                deletion.addprevious(element)
        if change.replacement:
            insertion = self._revision("ins", first_id + 1)
            for text, formatted in _worded(change, first_run, like):
                insertion.append(_run_like(formatted, text))
            deletion.addnext(insertion)

    def _revision(self, kind: str, number: int) -> Element:
        return etree.Element(W + kind, {W_ID: str(number), W + "author": AUTHOR, W + "date": self._date})


def _ends(paragraph: word.Paragraph, start: int, end: int) -> tuple[Element, int, Element, int]:
    """The elements holding the first and the last character of ``text[start:end]``,
    how many of the first one's characters come before ``start``, and how many of
    the last one's are in the span."""
    offset = 0
    first: tuple[Element, int] | None = None
    for piece in paragraph.pieces:
        after = offset + len(piece.text)
        if first is None and start < after:
            first = piece.node, start - offset
        if first is not None and end <= after:
            return first[0], first[1], piece.node, end - offset
        offset = after
    raise ValueError(f"{start}:{end} is not in paragraph {paragraph.line}")  # _locate checked it is


def _problem(paragraph: Element, first: Element, last: Element) -> str | None:
    """Why the characters from ``first`` to ``last`` cannot be rewritten, or None."""
    run, last_run = first.getparent(), last.getparent()
    if run is None or last_run is None or run.tag != W_R or last_run.tag != W_R:
        return "is not plain text in a run"
    if any(ancestor.tag == W_RUBY for end in (run, last_run) for ancestor in _ancestors(end, paragraph)):
        # A ruby's base text and its guide are reworded together, in Word's Phonetic Guide dialog.
        return "is under a phonetic guide (ruby)"
    if run.getparent() is not last_run.getparent():
        return _CROSSES
    for ancestor in _ancestors(run, paragraph):
        if ancestor.tag in _PENDING:
            return _PENDING_CHANGE
        if ancestor.tag not in _RUN_CONTAINERS:
            return "is inside an element the fixer does not edit"
    for element in _siblings(run, last_run):
        if element.tag in _MARKS:
            continue
        if element.tag != W_R or any(child.tag not in _DELETABLE for child in _content(element, first, last)):
            return _HOLDS
    return None


def _ancestors(run: Element, paragraph: Element) -> Iterator[Element]:
    for ancestor in run.iterancestors():
        yield ancestor
        if ancestor is paragraph:
            return


def _siblings(first: Element, last: Element) -> Iterator[Element]:
    """``first``, ``last`` and everything between them."""
    yield first
    if first is last:
        return
    for sibling in first.itersiblings():
        yield sibling
        if sibling is last:
            return


def _content(run: Element, first: Element, last: Element) -> list[Element]:
    """What of ``run`` is in the span from ``first`` to ``last``."""
    children = [child for child in run if child.tag != W_RPR]
    low = children.index(first) if first.getparent() is run else 0
    high = children.index(last) + 1 if last.getparent() is run else len(children)
    return children[low:high]


def _split_text(node: Element, at: int) -> Element:
    """Cut a w:t after ``at`` characters; the new w:t after it holds the rest."""
    text = node.text or ""
    rest = etree.Element(W_T)
    node.addnext(rest)
    _set_text(node, text[:at])
    _set_text(rest, text[at:])
    return rest


def _set_text(node: Element, text: str) -> None:
    node.text = text
    # Without it, Word drops the spaces at either end ("the" + " team" → "theteam").
    if text != text.strip():
        node.set(XML_SPACE, "preserve")
    elif node.get(XML_SPACE) is not None:
        del node.attrib[XML_SPACE]


def _run_like(like: Element, text: str) -> Element:
    """A run of ``text``, formatted like the run ``like``."""
    run = etree.Element(W_R)
    props = like.find(W_RPR)
    if props is not None:
        copied = deepcopy(props)
        for change in copied.findall(W + "rPrChange"):  # new text has no formatting history
            copied.remove(change)
        run.append(copied)
    _set_text(etree.SubElement(run, W_T), text)
    return run


def _worded(change: _Change, first_run: Element, like: Element | None) -> list[tuple[str, Element]]:
    """The new wording in pieces, each with the run whose formatting it takes:
    all of it the first run's, or the article the first run's and the rest the
    match's when they differ."""
    if like is None or _formatting(like) == _formatting(first_run):
        return [(change.replacement, first_run)]
    return [(change.replacement[: change.article], first_run), (change.replacement[change.article :], like)]


def _formatting(run: Element) -> bytes:
    props = run.find(W_RPR)
    return b"" if props is None else etree.tostring(props)


def _replace(runs: list[Element], change: _Change, like: Element | None) -> None:
    """Without tracking: the wording in the first run, the other runs gone."""
    texts = [element for element in runs if element.tag == W_R]
    for run in texts[1:]:
        _parent(run).remove(run)
    first = texts[0]
    if not change.replacement:
        _parent(first).remove(first)
        return
    (text, _), *rest = _worded(change, first, like)
    for child in [child for child in first if child.tag != W_RPR]:
        first.remove(child)
    _set_text(etree.SubElement(first, W_T), text)
    for more, formatted in reversed(rest):
        first.addnext(_run_like(formatted, more))


def _parent(element: Element) -> Element:
    parent = element.getparent()
    if parent is None:
        raise ValueError(f"{element.tag} has no parent")  # never: runs and text sit in paragraphs
    return parent


def _next_id(paragraphs: Iterable[word.Paragraph]) -> int:
    """One more than the highest w:id of any part read (bookmarks, notes, comments,
    changes): Word expects the ids of annotations to be unique in the document."""
    roots = {paragraph.element.getroottree().getroot(): None for paragraph in paragraphs}
    ids = (element.get(W_ID) or "" for root in roots for element in root.iter())
    return max((int(value) for value in ids if value.lstrip("-").isdecimal()), default=0) + 1


# ---------------------------------------------------------------- writing the package


def _serialized(paragraphs: Iterable[word.Paragraph]) -> dict[str, bytes]:
    """The zip member name and new XML of each part these paragraphs are in."""
    parts: dict[str, bytes] = {}
    for paragraph in paragraphs:
        name = str(paragraph.part.partname.membername)
        if name not in parts:
            # As Word and python-docx write a part: UTF-8, declared standalone.
            tree = paragraph.element.getroottree()
            parts[name] = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
    return parts


def _rezip(path: Path, replaced: dict[str, bytes]) -> bytes:
    """The package again, member by member in the same order, ``replaced`` ones new."""
    out = io.BytesIO()
    # Read from memory, as the reader reads (opc.read_member): a falsified size costs nothing.
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as old, zipfile.ZipFile(out, "w") as new:
        missing = replaced.keys() - set(old.namelist())
        if missing:  # python-docx named a part otherwise than the zip does: never claim a fix not written
            raise CorruptDocx(f"cannot write {sorted(missing)[0]} back: the package names it otherwise")
        for info in old.infolist():
            data = replaced.get(info.filename)
            new.writestr(_entry(info), opc.read_member(old, info) if data is None else data)
    return out.getvalue()


def _entry(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    # A fresh entry rather than the old one: its extra fields and flags
    # describe the old archive's layout (data descriptors, zip64).
    entry = zipfile.ZipInfo(info.filename, info.date_time)
    entry.compress_type = info.compress_type
    entry.create_system = info.create_system
    entry.external_attr = info.external_attr
    entry.comment = info.comment
    return entry


# ---------------------------------------------------------------- the document as text, for --diff


def _as_text(paragraphs: Sequence[word.Paragraph], done: Sequence[_Change]) -> str:
    """One line per paragraph, so a diff's line numbers are the findings' lines."""
    by_paragraph: dict[int, list[_Change]] = {}
    for change in done:
        by_paragraph.setdefault(change.paragraph.line, []).append(change)
    lines = []
    for paragraph in paragraphs:
        text = paragraph.text
        for change in reversed(by_paragraph.get(paragraph.line, [])):
            text = text[: change.start] + change.replacement + text[change.end :]
        lines.append(text.replace("\n", " ") + "\n")
    return "".join(lines)
