"""The tokenizer wordaudit builds for ``spacy.blank("en")`` gives the tokens
that spaCy's documented way of adding a prefix, a suffix and an infix gives
(setting ``prefix_search``, ``suffix_search`` and ``infix_finditer`` on
``spacy.blank("en")``), which wordaudit used before it built them in at
construction, for speed."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest

from wordaudit.api import audit_text, build_auditor
from wordaudit.match import _GLUED_PUNCTUATION, _NOTE_AFTER_WORD, _NOTE_BEFORE_WORD, _load_language

ROOT = Path(__file__).resolve().parent.parent
_AUDITOR = build_auditor()
AWKWARD = [
    "back-\noffice",
    "back- office and -office and back -office",
    "(back-office) [non-customer-facing] 'back-of-house'",
    "x--y -- — – ‐ ‑ -",
    "don't can't back office's U.S.-based e.g. 3-4 pm",
    "non‑customer‑facing, back\u00adoffice, back\u00a0office",
    "https://example.com/back-office mail.me@back-office.example",
    "-" * 12 + "back" + "-" * 12 + "office" + "-",
    "back office2 team, office\u00b9 staff, 1Back office, producing[3] label, covid19 B2B 2nd abc1234",
    "office;and office!And file(s) O'Brien R&D back.office office\"and office\u201dand C++ x;1 (back office)and",
    'said,"back said.\u201cBack said,(back office);and e.g."x U.S.-based a.b.c',
]


@functools.cache
def _reference() -> Any:
    import spacy
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    nlp = spacy.blank("en")
    defaults: Any = nlp.Defaults
    tokenizer: Any = nlp.tokenizer
    tokenizer.suffix_search = compile_suffix_regex([*defaults.suffixes, "-", _NOTE_AFTER_WORD]).search
    tokenizer.prefix_search = compile_prefix_regex([*defaults.prefixes, "-", _NOTE_BEFORE_WORD]).search
    tokenizer.infix_finditer = compile_infix_regex([*defaults.infixes, _GLUED_PUNCTUATION]).finditer
    return nlp


def _texts() -> list[str]:
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "rules").glob("*.yml"))]
    return AWKWARD + [path.read_text(encoding="utf-8") for path in files]


@pytest.mark.parametrize("text", _texts(), ids=lambda text: text[:30])
def test_tokens_match_the_documented_construction(text: str) -> None:
    ours = _load_language(None)
    reference = _reference()
    assert [(t.idx, t.text) for t in ours.make_doc(text)] == [(t.idx, t.text) for t in reference.make_doc(text)]


def test_hyphens_are_tokens_of_their_own() -> None:
    tokens = [t.text for t in _load_language(None).make_doc("back-\noffice -office")]
    assert tokens == ["back", "-", "\n", "office", "-", "office"]


def test_note_numbers_glued_to_words_are_tokens_of_their_own() -> None:
    # A PDF's text layer glues a raised footnote mark to the word before it, and
    # a note's number to its first word; a number inside a word stays in it.
    text = "back office2 team, office\u00b9 staff, 1Back office, producing[3] label, abc1234"
    tokens = [t.text for t in _load_language(None).make_doc(text)]
    assert tokens == [
        "back", "office", "2", "team", ",", "office", "\u00b9", "staff", ",", "1", "Back", "office", ",",
        "producing", "[3", "]", "label", ",", "abc1234",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "the back office;and more",
        "the back office!And more",
        "the back office?and more",
        "the back office(and more)",
        "(back office)and more",
        "the back office|finance desk",
        'the "back office"and more',
        "the \u201cback office\u201dand more",
        "the back office&and more",
        "we value more\u2018back office\u2019 work",
        "we value more*back office* work",
        "we value more\u201cback office\u201d work",
        # Two marks, or a full stop, comma or colon and a quote or bracket.
        'He said,"back office staff are key"',
        "He said.\u201cBack office staff are key\u201d",
        "He said,(back office staff) are key",
        'He said:"back office',
        "the back office);and more",
        'the back office".And more',
    ],
)
def test_a_phrase_with_punctuation_glued_after_it_is_found(text: str) -> None:
    # A space gone missing after a mark (a typo, or a PDF's text layer).
    assert [f.match.lower() for f in audit_text(text, format="text", auditor=_AUDITOR)] == ["back office"]


@pytest.mark.parametrize(
    "text",
    [
        "back;office",
        "back(office)",
        "back|office",
        "back&office",
        "back*office",
        "back\u2018office",
        "see backoffice.example.com",
        "O'Brien's back\u2019office",
        'back,"office',
        "back.\u201cOffice",
        "back;(office",
    ],
)
def test_glued_punctuation_between_the_words_is_no_phrase(text: str) -> None:
    assert audit_text(text, format="text", auditor=_AUDITOR) == []
