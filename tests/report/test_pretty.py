"""The pretty report: plain text joined by hand wherever rich would print no colour."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wordaudit.model import FileResult, Finding, ScanResult, Severity
from wordaudit.report import RenderOptions
from wordaudit.report.pretty import Line, _clean, _coloured, _plain, render

# Text as files and rule packs may hold it: tabs, the control characters rich
# drops, line breaks, wide and combining characters, rich markup look-alikes.
awkward_text = st.lists(
    st.one_of(
        st.sampled_from(
            ["\t", "\r", "\n", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "[bold]", ":smile:", "界", "e\u0301"]
        ),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    max_size=20,
).map("".join)
styles = st.sampled_from(["", "bold", "dim", "bold reverse", "green bold", "magenta"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.tuples(awkward_text, styles), max_size=6), max_size=6))
def test_plain_text_is_what_rich_prints_without_colour(lines: list[Line]) -> None:
    cleaned = [_clean(line) for line in lines]
    assert _plain(cleaned) == _coloured(cleaned, color=False)


def test_tabs_are_expanded_across_spans_and_control_characters_dropped() -> None:
    assert _clean([("ab", "bold"), ("\tc\r", ""), ("\n\td", "")]) == [
        ("ab", "bold"),
        ("      c", ""),
        ("\n        d", ""),
    ]


def finding(context: str, match: str) -> Finding:
    return Finding(
        path="policy.md",
        rule="back-office",
        severity=Severity.WARNING,
        message="Every role serves the customer or someone who does.",
        match=match,
        suggestions=("operations", "service operations"),
        line=3,
        column=5,
        end_line=3,
        end_column=5 + len(match),
        page=None,
        location="line 3",
        context=context,
    )


def test_colour_marks_the_phrase_and_plain_text_has_no_escape_codes() -> None:
    found = (finding("A\tback office team", "back office"),)
    result = ScanResult((FileResult("policy.md", "markdown", found),), (), ())
    plain = render(result, RenderOptions(color=False, width=80))
    coloured = render(result, RenderOptions(color=True, width=80))
    assert "\x1b" not in plain
    assert plain.splitlines()[:4] == [
        "policy.md",
        "  policy.md:3:5  warning  back-office",
        "    A   back office team",
        "    Every role serves the customer or someone who does.",
    ]
    assert "\x1b[1;7mback office\x1b[0m" in coloured
    assert _strip_ansi(coloured) == plain


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_the_summary_groups_thousands() -> None:
    clean = tuple(FileResult(f"doc{n}.md", "markdown") for n in range(2033))
    found = (finding("A back office team", "back office"),) * 1200
    result = ScanResult((*clean, FileResult("big.md", "markdown", found, suppressed=1500)), (), ())
    summary = render(result, RenderOptions(color=False, width=200)).splitlines()[-1]
    assert summary == (
        "Scanned 2,034 files: 1,200 findings (0 errors, 1,200 warnings, 0 info) in 1 file; 1,500 suppressed."
    )
