"""Word fields, for the Word extractor (``docx.py``) and fixer: whose result Word
computes, and whether a field open at a paragraph's end closes later.

A field is a code (``w:instrText``, or a simple field's ``w:instr``) and a result,
the text Word last showed for it. Most results are computed: Word writes them
again from the code whenever fields are updated (F9, printing, a mail merge,
opening a document set to update them), so a change made to one is undone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wordaudit.extract.ooxml import W

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

W_FLDCHAR = W + "fldChar"
_FLDCHAR_TYPE = W + "fldCharType"
# Where a field's character does not count: deleted or moved-away text, as the
# extractor reads it, and a text box, a story of its own.
_NOT_IN_STORY = frozenset({W + "del", W + "moveFrom", W + "txbxContent"})

# Fields whose result a person typed and Word keeps when it updates them: a
# HYPERLINK's display text (Insert > Link, "Text to display") is the link's own
# wording; updating the field renews the target, never that text. Every other
# field's result is Word's work: DOCPROPERTY and the user-information fields
# (AUTHOR, USERNAME, TITLE...) copy the document's properties, MERGEFIELD the
# data source's record, DOCVARIABLE and REF a variable or a bookmark, IF and
# QUOTE their code's text, TOC the headings, FILLIN and ASK what was typed at
# its prompt. A field whose kind cannot be told is taken as computed too: an
# edit it would undo is worse than one left for a person.
KEPT_RESULTS = frozenset({"HYPERLINK"})


def field_kind(code: str) -> str:
    """The kind of a field, the first word of its code in capitals ("DOCPROPERTY");
    a formula's "=" is its kind; "" for an empty code."""
    words = code.split(maxsplit=1)
    if not words:
        return ""
    first = words[0].upper()
    return "=" if first.startswith("=") else first


def is_computed(kind: str) -> bool:
    """Whether updating a field of this kind writes its result again."""
    return kind not in KEPT_RESULTS


def closes_later(paragraph: Element, open_fields: int) -> bool:
    """Whether the ``open_fields`` fields still open at the end of ``paragraph``
    all end in the paragraphs after it. Word lets a field run over paragraphs: its
    code (a mail merge's IF whose text holds a paragraph break) or its result (a
    table of contents). A field that never ends is damaged, and is better forgotten
    at its paragraph's end than left to hide, or claim, the rest of the story."""
    depth = open_fields
    for following in paragraph.itersiblings(W + "p"):
        for char in following.iter(W_FLDCHAR):
            if not _in_story(char, following):
                continue
            kind = char.get(_FLDCHAR_TYPE)
            if kind == "begin":
                depth += 1
            elif kind == "end":
                depth -= 1
                if depth == 0:
                    return True
    return False


def _in_story(char: Element, paragraph: Element) -> bool:
    for ancestor in char.iterancestors():
        if ancestor is paragraph:
            return True
        if ancestor.tag in _NOT_IN_STORY:
            return False
    return True


def drop_down_choice(begin: Element) -> Element | None:
    """The ``w:listEntry`` a drop-down form field shows, from the ``w:ffData`` of
    the ``w:fldChar`` that begins it: the one ``w:result`` numbers, else the one
    ``w:default`` numbers, else the first (ECMA-376 17.16.17-17.16.19)."""
    listing = begin.find(f"{W}ffData/{W}ddList")
    if listing is None:
        return None
    entries = listing.findall(W + "listEntry")
    for setting in (W + "result", W + "default"):
        chosen = listing.find(setting)
        if chosen is not None:
            number = chosen.get(W + "val", "")
            if number.isdigit() and int(number) < len(entries):
                return entries[int(number)]
    return entries[0] if entries else None
