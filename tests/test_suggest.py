from __future__ import annotations

import pytest

from wordaudit.api import Auditor, audit_text
from wordaudit.suggest import fit_case


@pytest.mark.parametrize(
    ("suggestion", "source", "expected"),
    [
        ("operations", "back office", "operations"),
        ("operations", "Back office", "Operations"),
        ("operations", "Back Office", "Operations"),
        ("customer-impacting", "Back-Office", "Customer-Impacting"),
        ("customer-impacting", "BACK-OFFICE", "CUSTOMER-IMPACTING"),
        ("service operations", "Back Offices", "Service Operations"),
    ],
)
def test_case_follows_the_source(suggestion: str, source: str, expected: str) -> None:
    assert fit_case(suggestion, source) == expected


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Our back-office team grew.", "operations"),
        ("She joined the back office last year.", "operations team"),
        ("The Back Offices close at five.", "Operations Teams"),
        ("The back office staff.", "operations"),
        ("Back-Office Team", "Operations"),
        ("BACK-OFFICE STAFF", "OPERATIONS"),
        ("We hired two staff recruiters.", "talent scouts"),
        ("Transaction Processor", "Service Specialist"),
        ("Back Office Policy", "Operations"),
        ("Read the Back Office Excellence Awards rules.", "Operations"),
        ("All back office policies apply.", "operations"),
        ("The back office handbook is online.", "operations"),
        ("Ask the Back Office. Then wait.", "Operations Team"),
        ("Ask the Back Office Then", "Operations Team"),
        ("Work in the back office today.", "operations team"),
        ("The back office reports to finance.", "operations team"),
        ("Back office FAQ", "Operations"),
        ("Ops covers the \u201cback office\u201d processes.", "operations"),
        ('The "back office" team.', "operations"),
        ('Ask the "back office".', "operations team"),
        ("Our back office SLA is two days.", "operations"),
        ("BACK OFFICE FAQ", "OPERATIONS"),
    ],
)
def test_first_suggestion_fits_the_sentence(text: str, first: str, auditor: Auditor) -> None:
    [finding] = audit_text(text, format="text", auditor=auditor)
    assert finding.suggestions[0] == first


def test_modifier_form_before_a_noun_and_noun_form_elsewhere(auditor: Auditor) -> None:
    [modifier] = audit_text("Back-office roles pay well.", auditor=auditor)
    [noun] = audit_text("Roles in the back office pay well.", auditor=auditor)
    assert "customer-impacting" in [s.lower() for s in modifier.suggestions]
    assert "customer operations" in noun.suggestions
