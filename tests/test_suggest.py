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
        # A head that is as often a verb is the verb before its object.
        ("The back office processes every claim.", "operations team"),
        ("The back office costs two million a year.", "operations team"),
        ("The back office partners with sales.", "operations team"),
        # "that" after a head starts a clause; "teams" is a head (../shared/bench's zuora page).
        ("It serves the back-office teams that support those processes.", "operations"),
        ("Back office processes that fail are retried.", "Operations"),
        ("The back office team handles claims.", "operations"),
        ("All back office processes are slow.", "operations"),
        ("The back lines support the branches.", "customer-impacting teams"),
        # Heads before words that can follow a verb: no verb agrees with the phrase.
        ("We are hiring back-office staff with five years of experience.", "operations"),
        ("Back office staff across the region meet.", "Operations"),
        ("Back-office support with payroll is included.", "Operations"),
        ("Our back office staff each take a turn.", "operations"),
        ("Our back-office team all agree.", "operations"),
        ("The back office support desk opens at nine.", "operations"),
        # A plural's possessive is the noun.
        ("The back offices' budgets grew.", "operations teams"),
        ("The back offices\u2019 budgets grew.", "operations teams"),
        ("The 'back offices' budgets grew.", "operations"),
        # A capitalised word after a Title Case phrase that starts no name.
        ("Inside the Back Office Today", "Operations Team"),
        ("Why the Back Office Matters", "Operations Team"),
        ("Contact the Back Office Monday to Friday.", "Operations Team"),
        # The first words of a longer compound.
        ("A back-office-only role.", "operations"),
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


@pytest.mark.parametrize(
    "text", ["A lean back-office operation.", "Our back-office ops grew.", "Back-office operations."]
)
def test_no_suggestion_doubles_operations(text: str, auditor: Auditor) -> None:
    [finding] = audit_text(text, auditor=auditor)
    assert finding.suggestions
    assert not any(s.lower().split()[-1] in {"operations", "operation", "ops"} for s in finding.suggestions)
