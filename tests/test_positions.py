"""Properties: every finding's position points back at its match in the source, and the
spelling variants of a phrase are found alike."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wordaudit.api import Auditor, audit_text, build_auditor
from wordaudit.finding import readable

AUDITOR: Auditor = build_auditor()
WORDS = [
    "Our",
    "team",
    "the",
    "back",
    "office",
    "Office",
    "line",
    "staff",
    "non",
    "customer",
    "facing",
    "and",
    "roles",
    "back office",
    "Back-Office",
    "back\noffice",
    "back-\noffice",
    "non-customer facing",
    "back line",
    "BACKOFFICE",
]
JOINS = [" ", "-", "\n", "-\n", "  ", " **", "** ", ", ", ". "]


@st.composite
def documents(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=25))
    joins = draw(st.lists(st.sampled_from(JOINS), min_size=len(words), max_size=len(words)))
    lead = draw(st.sampled_from(["", "  ", "# ", "- ", "> "]))
    return lead + "".join(w + j for w, j in zip(words, joins, strict=True))


def _source_span(text: str, line: int, column: int, end_line: int, end_column: int) -> str:
    lines = text.split("\n")
    if line == end_line:
        return lines[line - 1][column - 1 : end_column - 1]
    middle = lines[line : end_line - 1]
    return "\n".join([lines[line - 1][column - 1 :], *middle, lines[end_line - 1][: end_column - 1]])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.sampled_from(["markdown", "text"]))
def test_each_finding_points_back_at_its_match(text: str, fmt: str) -> None:
    for finding in audit_text(text, format=fmt, auditor=AUDITOR):
        span = _source_span(text, finding.line, finding.column, finding.end_line, finding.end_column)
        # Markup inside a match ("**back**-office") is in the source but not in the match.
        assert readable(span.replace("*", "")) == finding.match.replace("*", "")


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["back office", "non customer facing", "non revenue producing"]),
    st.lists(st.sampled_from([" ", "-", "", "\n", "-\n"]), min_size=2, max_size=2),
    st.sampled_from([str.lower, str.upper, str.title, str.capitalize]),
)
def test_case_hyphen_space_and_line_break_variants_match_alike(phrase: str, joins: list[str], case: object) -> None:
    words = phrase.split()
    spelled = words[0] + "".join(j + w for j, w in zip(joins, words[1:], strict=False))
    spelled = case(spelled)  # type: ignore[operator]
    findings = audit_text(f"We thank the {spelled} teams.", format="text", auditor=AUDITOR)
    assert len(findings) == 1
    assert findings[0].rule in ("back-office", "non-customer-facing", "non-revenue-producing")


def test_markdown_findings_come_in_line_and_column_order(auditor: Auditor) -> None:
    # A link's title is read after its paragraph's text, and an image's alt
    # text after the link before it; the report still reads top to bottom.
    text = (
        '[click](https://example.com "Our back office team") and the back office.\n'
        "[the link](https://example.com/back-office)\n"
        '![back office alt](img.png "The back-office title") back office\n'
    )
    places = [(f.line, f.column) for f in audit_text(text, format="markdown", auditor=auditor)]
    assert places == sorted(places)
    assert places == [(1, 34), (1, 61), (3, 3), (3, 33), (3, 53)]
