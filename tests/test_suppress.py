"""Inline suppressions in markdown and text."""

from __future__ import annotations

import pytest

from wordaudit.api import Auditor, audit_text, build_auditor
from wordaudit.model import Block, Segment


def _rules_lines(text: str, fmt: str, auditor: Auditor) -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in audit_text(text, format=fmt, auditor=auditor)]


def test_region_for_one_rule(auditor: Auditor) -> None:
    text = (
        "back office 1\n\n<!-- wordaudit-disable back-office -->\n\nback office 5 and back line staff\n\n"
        "<!-- wordaudit-enable back-office -->\n\nback office 9\n"
    )
    assert _rules_lines(text, "markdown", auditor) == [("back-office", 1), ("back-line", 5), ("back-office", 9)]


def test_region_without_rule_means_all_and_overlaps(auditor: Auditor) -> None:
    text = (
        "<!-- wordaudit-disable -->\n\nback office 3, back line staff\n\n"
        "<!-- wordaudit-enable back-line -->\n\nback office 7, back line staff\n\n<!-- wordaudit-enable -->\n\n"
        "back office 11\n"
    )
    assert _rules_lines(text, "markdown", auditor) == [("back-line", 7), ("back-office", 11)]


def test_next_line(auditor: Auditor) -> None:
    text = "<!-- wordaudit-disable-next-line back-office -->\nThe back office, and back line staff.\nback office\n"
    assert _rules_lines(text, "markdown", auditor) == [("back-line", 2), ("back-office", 3)]


def test_trailing_marker_in_text(auditor: Auditor) -> None:
    text = "The back office team. wordaudit: ignore[back-office]\nThe back office. wordaudit: ignore\nback office\n"
    assert _rules_lines(text, "text", auditor) == [("back-office", 3)]


def test_a_marker_on_a_line_of_its_own_covers_the_next_line(auditor: Auditor) -> None:
    # On its own line a marker could cover nothing; it covers what follows, as
    # alex's ignore comments do. In an HTML comment the rules may be listed as
    # in a Word comment, without brackets.
    text = (
        "<!-- wordaudit: ignore back-line -->\nThe back line staff and the back office.\n\n"
        "wordaudit: ignore[back-office]\nThe back office.\nThe back office.\n\n"
        "The back line staff. <!-- wordaudit: ignore back-office -->\n"
    )
    assert _rules_lines(text, "markdown", auditor) == [("back-office", 2), ("back-office", 6), ("back-line", 8)]


def test_a_marker_shown_as_code_in_markdown_is_an_example_not_an_instruction(auditor: Auditor) -> None:
    # A README that documents the marker shows it in code; only the last line's marker is one.
    text = (
        "Example:\n\n    wordaudit: ignore\nOur back office team handles refunds.\n\n"
        "The back office team. See `wordaudit: ignore`\n\n"
        "```\nwordaudit: ignore\n```\nThe back office team.\n\n"
        "Use ``a `wordaudit: ignore` b`` for the back office.\n\n"
        "The back office. `code` wordaudit: ignore\n"
    )
    assert _rules_lines(text, "markdown", auditor) == [
        ("back-office", 4),
        ("back-office", 6),
        ("back-office", 11),
        ("back-office", 13),
    ]


def test_a_marker_before_text_on_its_line_covers_that_line(auditor: Auditor) -> None:
    text = "wordaudit: ignore[back-office] The back office team.\nThe back office.\n"
    assert _rules_lines(text, "text", auditor) == [("back-office", 2)]


def test_a_marker_alone_in_text_covers_the_next_line_only(auditor: Auditor) -> None:
    text = "wordaudit: ignore\nThe back office and back line staff.\nThe back office.\n"
    assert _rules_lines(text, "text", auditor) == [("back-office", 3)]


def test_unknown_rule_warns_and_unused_is_reported() -> None:
    from wordaudit.api import _findings  # the stage as the scan runs it
    from wordaudit.extract.markdown import extract_text

    reporting = build_auditor(report_unused_suppressions=True)
    text = "<!-- wordaudit-disable-next-line back-ofice -->\nfine text\n"
    findings, suppressed, notes = _findings(extract_text(text, reporting.options), "a.md", reporting)
    assert notes == ("a.md: line 1: wordaudit-disable-next-line names unknown rule 'back-ofice'",)
    assert [(f.rule, f.severity.value, f.line) for f in findings] == [("unused-suppression", "info", 1)]
    assert suppressed == 0


@pytest.mark.parametrize(
    ("directive", "hint"),
    [
        ("wordaudit-disable-line", "; did you mean wordaudit-disable-next-line?"),
        ("wordaudit-ignoreline back-office", "; did you mean wordaudit-ignore-line?"),
        ("wordaudit-disables", "; did you mean wordaudit-disable?"),
        ("wordaudit-frobnicate", ""),
    ],
)
def test_misspelt_directive_is_named_and_suppresses_nothing(directive: str, hint: str) -> None:
    from wordaudit.api import _findings
    from wordaudit.extract.markdown import extract_text

    auditor = build_auditor()
    text = f"<!-- {directive} -->\nThe back office team.\n\nMore back office.\n"
    findings, suppressed, notes = _findings(extract_text(text, auditor.options), "a.md", auditor)
    assert notes == (f"a.md: line 1: unknown directive '{directive}'{hint}",)
    assert [(f.rule, f.line) for f in findings] == [("back-office", 2), ("back-office", 4)]
    assert suppressed == 0


def test_switch_off_inline_suppressions() -> None:
    auditor = build_auditor(inline_suppressions=False)
    text = "<!-- wordaudit-disable -->\nback office\n"
    assert _rules_lines(text, "markdown", auditor) == [("back-office", 2)]


def _paragraph(text: str, line: int) -> Block:
    return Block("paragraph", text, (Segment(0, line, 1),))


def _range_findings(directive: Block) -> tuple[list[tuple[str, int]], int]:
    """(rule, line) of what remains of three paragraphs, each with "back office" at
    column 5 (line 1) or 9 (lines 2 and 3), beside ``directive``; and how many were suppressed."""
    from wordaudit.api import _findings

    reporting = build_auditor(report_unused_suppressions=True)
    blocks = [
        _paragraph("The back office team.", 1),
        _paragraph("Ask the back office.", 2),
        _paragraph("Ask the back office.", 3),
        directive,
    ]
    findings, suppressed, _ = _findings(blocks, "a.docx", reporting)
    return [(f.rule, f.line) for f in findings], suppressed


RANGE = "wordaudit-ignore-range back-office"


def test_an_ignore_range_block_may_carry_further_ranges_past_its_text() -> None:
    end = len(RANGE)
    segments = (
        Segment(0, 1, 1),  # the range itself: "The", before line 1's finding
        Segment(end, 1, 4),
        Segment(end + 1, 3, 1),  # a further range: the whole of line 3
        Segment(end + 2, 3, 21),
    )
    # Used by its further range alone: not reported as unused.
    assert _range_findings(Block("directive", RANGE, segments)) == ([("back-office", 1), ("back-office", 2)], 1)

    two_more = (*segments, Segment(end + 3, 2, 9), Segment(end + 4, 2, 20))  # and "back office" on line 2
    assert _range_findings(Block("directive", RANGE, two_more)) == ([("back-office", 1)], 2)

    # Suppressing nothing in any range: reported once, where its own range is.
    nowhere = (Segment(0, 1, 1), Segment(end, 1, 4), Segment(end + 1, 2, 1), Segment(end + 2, 2, 4))
    remaining, suppressed = _range_findings(Block("directive", RANGE, nowhere))
    assert remaining == [("unused-suppression", 1), ("back-office", 1), ("back-office", 2), ("back-office", 3)]
    assert suppressed == 0


def test_only_segments_past_a_directive_s_text_are_further_ranges(auditor: Auditor) -> None:
    from wordaudit.extract.markdown import extract_text
    from wordaudit.suppress import Suppressions

    suppressions = Suppressions(auditor.rules)
    # As an extractor maps a directive read over several lines: a segment per line, all within its text.
    lines = "wordaudit-ignore-range\nback-office\n"
    suppressions.add_directive(Block("directive", lines, (Segment(0, 1, 1), Segment(23, 2, 1), Segment(35, 3, 1))))
    # A markdown comment over two lines.
    markdown = "<!-- wordaudit-ignore-range\n     back-office -->\nThe back office team.\n"
    suppressions.add_directive(next(b for b in extract_text(markdown, auditor.options) if b.kind == "directive"))
    # A Word comment's: its own range, then a pair of segments per further range.
    end = len(RANGE)
    word = (Segment(0, 4, 5), Segment(end, 4, 9), Segment(end + 1, 7, 1), Segment(end + 2, 7, 30))
    suppressions.add_directive(Block("directive", RANGE, word))
    assert [(d.line, d.column, d.end, d.more) for d in suppressions.directives] == [
        (1, 1, (3, 1), ()),
        (1, 1, (1, 1 + len("wordaudit-ignore-range\n     back-office")), ()),
        (4, 5, (4, 9), (((7, 1), (7, 30)),)),
    ]


def test_further_ranges_belong_to_ignore_range_only() -> None:
    # A disable-next-line block is placed by its first segment; past its text there is nothing to read.
    text = "wordaudit-disable-next-line back-office"
    segments = (Segment(0, 1, 1), Segment(len(text) + 1, 3, 1), Segment(len(text) + 2, 3, 21))
    remaining, _ = _range_findings(Block("directive", text, segments))
    assert remaining == [("back-office", 1), ("back-office", 3)]


def test_a_markdown_directive_over_several_lines_covers_only_itself(auditor: Auditor) -> None:
    text = "<!-- wordaudit-ignore-range\n     back-office -->\nThe back office team.\n\nMore back office.\n"
    assert _rules_lines(text, "markdown", auditor) == [("back-office", 3), ("back-office", 5)]


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_a_marker_is_no_prose_though_its_rule_ids_hold_phrases(fmt: str, auditor: Auditor) -> None:
    # "back-office" names the rule, and is the rule's phrase too: the marker's
    # own line must not be a finding, whatever the punctuation around the ids.
    text = (
        "wordaudit: ignore[back-line,back-office]\nThe back office.\n\n"
        "wordaudit: ignore[non-customer-facing]\nOur non-customer-facing staff.\n\n"
        "The back office. wordaudit: ignore[back-office]\n\nThe back office stays.\n"
    )
    assert _rules_lines(text, fmt, auditor) == [("back-office", 9)]
