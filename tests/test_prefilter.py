"""The prefilter is complete: findings with and without it are identical."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wordaudit.api import Auditor, _findings, build_auditor
from wordaudit.extract import ExtractOptions
from wordaudit.extract.markdown import extract_text as markdown_blocks
from wordaudit.extract.plaintext import extract_text as text_blocks
from wordaudit.match import RuleMatcher
from wordaudit.prefilter import TextScreen
from wordaudit.record import replace

FAST = build_auditor()
_WITHOUT = RuleMatcher(FAST.rules, use_prefilter=False)
SLOW = Auditor(
    FAST.rules,
    FAST.rulesets,
    _WITHOUT,
    replace(FAST.options, text_screen=TextScreen(_WITHOUT.prefilter_if_used)),
    FAST.inline_suppressions,
)
WORDS = [
    "back",
    "office",
    "offices",
    "Back",
    "OFFICE",
    "line",
    "non",
    "customer",
    "facing",
    "revenue",
    "producing",
    "end",
    "staff",
    "team",
    "employees",
    "behind",
    "the",
    "scenes",
    "transaction",
    "processor",
    "recruiters",
    "food",
    "service",
    "clerk",
    "a",
    "of",
    "defence",
    "API",
    "backoffice",
    "front",
    "our",
    "roles",
    "people",
    # Words holding an anchor that is not a phrase's start, and markup between words.
    "feedback",
    "nonprofit",
    "staffing",
    "transactions",
    "back-end",
    "<b>",
    "[link](https://example.com/back)",
    "&amp;",
]
JOINERS = [" ", "-", "\n", "-\n", " \n", ". ", ", ", "**", "`", "  ", "\u00ad", "\u2011", "\t", "\n\n", " | "]
JOINERS += ["\u2013", " \u2013 "]  # an en dash for a hyphen, and a spaced one that parts words
JOINERS += ["\u00ad\n"]  # a PDF's line-end hyphen, read both ways (word break, compound)
JOINERS += ["2 ", "\u00b9 ", "[3] ", " 1"]  # note marks glued to the word before or after


@st.composite
def documents(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30))
    joins = draw(st.lists(st.sampled_from(JOINERS), min_size=len(words), max_size=len(words)))
    return "".join(w + j for w, j in zip(words, joins, strict=True))


def _run(auditor: Auditor, text: str, fmt: str) -> list[tuple[str, int, int, str]]:
    reader = markdown_blocks if fmt == "markdown" else text_blocks
    if not auditor.matcher.raw_may_match(text):
        return []
    # The options carry the matcher's text screen: without the prefilter, none.
    findings = _findings(reader(text, auditor.options), "x", auditor)[0]
    return [(f.rule, f.line, f.column, f.match) for f in findings]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.sampled_from(["markdown", "text"]))
def test_prefilter_never_changes_findings(text: str, fmt: str) -> None:
    assert _run(FAST, text, fmt) == _run(SLOW, text, fmt)


def test_a_soft_hyphen_between_words_is_a_joiner_to_both() -> None:
    # The matcher reads "back\u00adline" without the soft hyphen and takes it
    # for the joiner an open compound needs; found by the property test.
    for text in ["back\u00adline staff ", "the back\u00adline.", "back\u00adline sta\u00adff", "back of\u00adfice"]:
        for fmt in ("markdown", "text"):
            found = _run(SLOW, text, fmt)
            assert found
            assert _run(FAST, text, fmt) == found


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.sampled_from(["", "\u200b", "\u0130", "\u00a0"]))
def test_a_block_screened_out_holds_no_match(text: str, odd: str) -> None:
    # A worker hands back or matches only the blocks that need spaCy; one it
    # screens out must hold nothing the matcher would find without a prefilter.
    for block in text_blocks(text.replace(" ", f" {odd}", 1), ExtractOptions()):
        if not FAST.matcher.needs_pipeline(block):
            assert SLOW.matcher.find_in_block(block) == []


def test_the_block_screen_passes_what_the_views_join() -> None:
    blocks = list(text_blocks("Our ba\u00ad\u200bck office.\n\nThe back\u2011office team.\n", ExtractOptions()))
    assert all(FAST.matcher.needs_pipeline(block) for block in blocks)
    assert all(SLOW.matcher.find_in_block(block) for block in blocks)
    clean = next(iter(text_blocks("Every role serves the customer.\n", ExtractOptions())))
    assert not FAST.matcher.needs_pipeline(clean)
