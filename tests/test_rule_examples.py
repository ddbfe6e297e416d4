"""Every example of every shipped rule, in markdown and in plain text, and the pack's hygiene."""

from __future__ import annotations

import itertools

import pytest

from conftest import found
from wordaudit.api import Auditor
from wordaudit.rules import load_rules, shipped_pack_paths
from wordaudit.variants import slot_sequences

RULES, PACKS = load_rules(shipped_pack_paths())
FORMATS = ("markdown", "text")


def _cases(kind: str) -> list[pytest.param]:  # type: ignore[valid-type]
    cases = []
    for rule in RULES:
        examples = rule.examples.flag if kind == "flag" else rule.examples.passes
        for number, (example, fmt) in enumerate(itertools.product(examples, FORMATS)):
            cases.append(pytest.param(rule.id, example, fmt, id=f"{rule.id}/{kind}/{number}"))
    return cases


@pytest.mark.parametrize(("rule_id", "example", "fmt"), _cases("flag"))
def test_flag_example_gives_exactly_one_finding_of_its_rule(
    rule_id: str, example: str, fmt: str, auditor: Auditor
) -> None:
    assert [rule for rule, _ in found(example, fmt, auditor)] == [rule_id]


@pytest.mark.parametrize(("rule_id", "example", "fmt"), _cases("pass"))
def test_pass_example_gives_no_finding(rule_id: str, example: str, fmt: str, auditor: Auditor) -> None:
    assert found(example, fmt, auditor) == []


def test_shipped_pack_is_named_after_its_file() -> None:
    assert PACKS == ("back-office",)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_has_flag_and_pass_examples_and_a_reason(rule) -> None:  # type: ignore[no-untyped-def]
    assert rule.examples.flag, f"{rule.id} has no flag examples"
    assert rule.examples.passes, f"{rule.id} has no pass examples"
    assert rule.why
    assert rule.message
    assert "{match}" in rule.message
    assert rule.suggestions.noun or rule.suggestions.modifier or rule.suggestions.by_phrase


def test_no_phrase_spelling_belongs_to_two_rules() -> None:
    owner: dict[str, str] = {}
    for rule in RULES:
        for phrase in rule.phrases:
            for slots in slot_sequences(phrase):
                for spelling in itertools.product(*[sorted(s) for s in slots]):
                    key = " ".join(spelling)
                    assert owner.setdefault(key, rule.id) == rule.id, f"'{key}' is in {owner[key]} and {rule.id}"


def test_the_domain_minimum_is_shipped() -> None:
    assert {r.id for r in RULES} >= {
        "back-office",
        "back-line",
        "non-customer-facing",
        "non-revenue-producing",
        "back-end-staff",
        "behind-the-scenes",
        "role-titles",
    }
