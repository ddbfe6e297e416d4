"""Inline suppressions in markdown and text."""

from __future__ import annotations

import pytest

from wordaudit.api import Auditor, audit_text, build_auditor


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
