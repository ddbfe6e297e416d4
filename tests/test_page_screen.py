"""The page screen passes over only PDF pages that cannot hold a finding."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wordaudit.api import _findings, build_auditor
from wordaudit.errors import NoTextLayer
from wordaudit.extract import ExtractOptions, pdf
from wordaudit.extract.pdf import join_hyphenated, normalise_line
from wordaudit.extract.pdf_layout import SkippedPage
from wordaudit.match import RuleMatcher
from wordaudit.model import Block, Rule, Segment, Severity
from wordaudit.page_screen import PageEvidence, PageScreen, screened
from wordaudit.record import replace

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
AUDITOR = build_auditor()
SCREEN = PageScreen(AUDITOR.rules)
MATCHER = RuleMatcher(AUDITOR.rules, use_prefilter=False)
needs_pdfium = pytest.mark.skipif(importlib.util.find_spec("pypdfium2") is None, reason="pypdfium2 is not installed")


def may_match(*pages: str, screen: PageScreen = SCREEN) -> bool:
    return screen.may_match([screen.evidence(text) for text in pages])


def rule(*phrases: str, patterns: tuple[tuple[dict[str, object], ...], ...] = ()) -> Rule:
    return Rule("r", Severity.WARNING, "m", "w", phrases=phrases, patterns=patterns)


@pytest.mark.parametrize(
    "text",
    [
        "Our back office team.",
        "OUR BACK-OFFICE TEAM",
        "the backoffices",
        "office hours, then back home",  # the words in any order: the layout may reorder lines
        "We went back.\r\nOffice hours are nine to five.",
        "our back of-\r\nfice team",  # a word broken at a line's end
        "our back of\ufffefice team",  # PDFium's mark for a hyphen it took for a word break
        "fice team\r\nour back of-",  # the same, the lines given bottom first (a turned page)
        "our back of\u00adfice team",
        "our back o\ufb03ce team",  # the "ffi" ligature
        "our back\u200boffice team",  # a zero-width space: the matcher reads the words closed up
        "B A C K  O F F I C E",  # letter-spaced: pdf_spacing closes it up
        "T H E B A C K O F F I C E",
        "Thank our behind-the-scenes staff",
        "non-cus-\r\ntomer-facing roles",
        "Ask wordaudit-disable-next-line about it",  # a suppression comment the report may list
    ],
)
def test_a_page_that_may_hold_a_phrase_is_kept(text: str) -> None:
    assert may_match(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Every role serves the customer or someone who does.",
        "Send us your feedback at the office.",  # "back" inside a word is no word of a phrase
        "Our front office is open all week.",
        "A drawback: the office is far.",
        "Turn the page: the form has a second line.",
    ],
)
def test_a_page_without_a_phrase_s_words_is_passed_over(text: str) -> None:
    assert not may_match(text)


def test_a_phrase_over_a_page_break_keeps_both_pages() -> None:
    assert not may_match("This role supports our back")
    assert not may_match("office team, which pays suppliers.")
    assert may_match("This role supports our back", "office team, which pays suppliers.")
    # A word broken over the break: "customer" is whole on neither page.
    assert may_match("roles once called non-cus-", "tomer-facing now say how")
    assert may_match("tomer-facing now say how", "roles once called non-cus-")
    assert not may_match("roles once called non-cus-", "tomato-facing now")


def _letters(number: int) -> str:
    word = ""
    while True:
        number, digit = divmod(number, 26)
        word += chr(ord("a") + digit)
        if not number:
            return word


def test_a_page_of_countless_broken_words_is_laid_out() -> None:
    # No prose: rather than try every line end against every line start, the page is read.
    text = "\r\n".join(f"q{_letters(n)}-" for n in range(30_000))
    assert may_match(text)
    assert not may_match("\r\n".join(f"q{_letters(n)}-" for n in range(300)))


def test_words_spacy_cuts_from_a_run_of_letters_count_anywhere() -> None:
    screen = PageScreen([rule("not customer facing")])
    # spaCy's English tokenizer reads "cannot" as "can" + "not".
    assert may_match("We cannot customer facing", screen=screen)
    assert not may_match("We cannot", screen=screen)


def test_the_words_of_a_named_model_count_anywhere() -> None:
    # Another pipeline may split words otherwise: no word starts are assumed.
    screen = PageScreen(AUDITOR.rules, english=False)
    assert may_match("Send us your feedback at the office.", screen=screen)


def test_token_patterns_need_their_required_word() -> None:
    screen = PageScreen([rule(patterns=(({"LOWER": "backroom"}, {"LOWER": "crew"}),))])
    assert screen.active
    assert may_match("Our BACKROOM crew", screen=screen)
    assert not may_match("Our front room crew", screen=screen)
    # A pattern that names no word: every page is laid out.
    assert not PageScreen([rule(patterns=(({"IS_ALPHA": True},),))]).active


def test_text_is_told_from_none() -> None:
    assert not SCREEN.evidence("").has_text
    assert not SCREEN.evidence(" \u2022 \r\n - ").has_text
    assert SCREEN.evidence("7").has_text


class _Pages:
    """Page texts handed out one at a time, counting how many were taken."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.taken = 0

    def __iter__(self) -> Iterator[int]:
        for index in range(len(self.texts)):
            self.taken = index + 1
            yield index


def _laid_out(texts: list[str]) -> list[int]:
    pages = _Pages(texts)
    kept = []
    for index, evidence, keep in screened(pages, lambda index: texts[index], SCREEN):
        assert isinstance(evidence, PageEvidence)
        assert pages.taken <= index + 3  # two pages read ahead, no more
        if keep:
            kept.append(index + 1)
    return kept


def test_pages_next_to_a_finding_are_laid_out_too() -> None:
    # They tell the running headers and footers around it (pdf_flow).
    clean = "Every role serves the customer."
    texts = [clean] * 12
    texts[5] = "Our back office team."  # page 6
    assert _laid_out(texts) == [4, 5, 6, 7, 8]
    texts[5] = "supports our back"
    texts[6] = "office team"  # over the break from page 6 to 7
    assert _laid_out(texts) == [5, 6, 7, 8]
    texts = [clean] * 3
    assert _laid_out(texts) == []
    assert _laid_out(["Our back office team."]) == [1]


def _pdf_findings(path: Path, screen: PageScreen | None) -> list[tuple[str, str, int | None, int]]:
    options = ExtractOptions(pdf_engine="pdfium", page_screen=screen)
    auditor = replace(AUDITOR, options=options)
    found = _findings(pdf.extract_file(path, options), str(path), auditor)[0]
    return [(f.rule, f.match, f.page, f.line) for f in found]


@needs_pdfium
def test_pages_far_from_every_phrase_are_not_laid_out() -> None:
    from wordaudit.extract import pdfium

    path = FIXTURES / "page-screen.pdf"
    pages = list(pdfium.read_pages(path, screen=SCREEN))
    skipped = [number for number, page in enumerate(pages, start=1) if isinstance(page, SkippedPage)]
    assert skipped == [1, 2, 3, 4, 5, 10, 11, 16, 26]
    expected = [
        ("back-office", "back office", 7, 5),
        ("non-customer-facing", "non-customer-facing", 13, 5),
        ("back-office", "BACK OFFICE", 19, 2),
        ("behind-the-scenes", "behind-the-scenes", 23, 5),
    ]
    assert _pdf_findings(path, SCREEN) == expected
    assert _pdf_findings(path, None) == expected


@needs_pdfium
@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.pdf")))
def test_the_screen_changes_no_finding_of_a_fixture(name: str) -> None:
    def found(screen: PageScreen | None) -> object:
        try:
            return _pdf_findings(FIXTURES / name, screen)
        except Exception as exc:
            return type(exc).__name__, str(exc)

    assert found(SCREEN) == found(None)


@needs_pdfium
def test_a_pdf_with_text_but_no_phrase_has_a_text_layer() -> None:
    # Every page passed over is still text, not a scan.
    options = ExtractOptions(pdf_engine="pdfium", page_screen=PageScreen([rule("payroll clerk")]))
    blocks = list(pdf.extract_file(FIXTURES / "page-break.pdf", options))
    assert all(block.segments[0].page is None for block in blocks)  # no page laid out: a title at most
    with pytest.raises(NoTextLayer):
        list(pdf.extract_file(FIXTURES / "scanned.pdf", options))


def test_spacys_cuts_inside_a_run_of_letters_are_known() -> None:
    import spacy
    from spacy.symbols import ORTH

    from wordaudit import page_screen

    tokenizer: Any = spacy.blank("en").tokenizer
    cut = set()
    for text, pieces in tokenizer.rules.items():
        at = 0
        for number, piece in enumerate(pieces):
            orth = piece.get("ORTH", piece.get(ORTH))
            if number and text[at - 1 : at].isalpha() and orth[:1].isalpha():
                cut.add(orth.lower())
            at += len(orth)
    assert {word for word in cut if not word.startswith(("n'", "n\u2019"))} <= page_screen._CUT_FROM_LETTERS


# Words of the rules and their neighbours; lines are broken inside some.
WORDS = [
    "back", "office", "offices", "Back", "OFFICE", "line", "non", "customer", "facing", "end",
    "staff", "team", "behind", "the", "scenes", "transaction", "processor", "food", "service",
    "clerk", "revenue", "producing", "feedback", "backoffice", "front", "our", "roles", "nonprofit",
]  # fmt: skip


@st.composite
def paragraphs(draw: st.DrawFn) -> tuple[list[list[str]], list[list[str]]]:
    """A paragraph over one to three pages, as its lines read in order, and
    each page's lines in the order its text layer gives them."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=16))
    lines: list[str] = []
    line: list[str] = []
    for word in words:
        action = draw(st.sampled_from(["space", "space", "space", "newline", "break", "hyphen"]))
        if action == "break" and len(word) > 1:
            cut = draw(st.integers(1, len(word) - 1))
            line.append(word[:cut] + "-")
            lines.append(" ".join(line))
            line = [word[cut:]]
        else:
            line.append(word + ("-" if action == "hyphen" else ""))
            if action == "newline":
                lines.append(" ".join(line))
                line = []
    lines.append(" ".join(line))
    cuts = sorted(draw(st.lists(st.integers(0, len(lines)), max_size=2)))
    pages = [lines[a:b] for a, b in zip([0, *cuts], [*cuts, len(lines)], strict=True)]
    drawn = [draw(st.permutations(page)) for page in pages]
    return pages, drawn


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs())
def test_a_phrase_the_matcher_finds_keeps_its_pages(paragraph: tuple[list[list[str]], list[list[str]]]) -> None:
    pages, drawn = paragraph
    texts = join_hyphenated([normalise_line(line) for page in pages for line in page if line.strip()])
    text = "\n".join(texts)
    block = Block("paragraph", text, (Segment(0, 1, 1),))
    if MATCHER.find_in_block(block):
        assert SCREEN.may_match([SCREEN.evidence("\r\n".join(lines)) for lines in drawn]), (pages, drawn)
