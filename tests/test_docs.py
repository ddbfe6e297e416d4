"""Documentation generated from the rules must match them."""

from __future__ import annotations

from pathlib import Path

from wordaudit.report.catalogue import markdown_reference
from wordaudit.rules import load_rules, shipped_pack_paths

ROOT = Path(__file__).resolve().parents[1]


def test_rule_reference_is_up_to_date() -> None:
    rules, _ = load_rules(shipped_pack_paths())
    written = (ROOT / "docs" / "rule-reference.md").read_text(encoding="utf-8")
    assert written == markdown_reference(rules), "run: wordaudit rules --markdown > docs/rule-reference.md"


def test_rule_format_example_loads_and_its_examples_hold(tmp_path: Path) -> None:
    from wordaudit.api import Auditor, audit_text
    from wordaudit.extract import ExtractOptions
    from wordaudit.match import RuleMatcher
    from wordaudit.rules import load_pack

    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "example.yml").write_text(example, encoding="utf-8")
    rules = tuple(load_pack(tmp_path / "example.yml"))
    auditor = Auditor(rules, ("example",), RuleMatcher(rules), ExtractOptions())
    [rule] = rules
    for flagged in rule.examples.flag:
        assert [f.rule for f in audit_text(flagged, auditor=auditor)] == [rule.id]
    for fine in rule.examples.passes:
        assert audit_text(fine, auditor=auditor) == []
    # Context conditions hold for token patterns too: here "our" qualifies the match.
    assert [f.match for f in audit_text("Our Backline team was late.", auditor=auditor)] == ["Backline team"]
    assert audit_text("A backline staff list.", auditor=auditor) == []
