"""Word fields, for the Word extractor (``docx.py``) and fixer: whose result Word
computes.

A field is a code (``w:instrText``, or a simple field's ``w:instr``) and a result,
the text Word last showed for it. Most results are computed: Word writes them
again from the code whenever fields are updated (F9, printing, a mail merge,
opening a document set to update them), so a change made to one is undone.
"""

from __future__ import annotations

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
