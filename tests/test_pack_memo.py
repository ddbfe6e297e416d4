"""Rule packs kept as parsed: the same rules, and the same errors, as from YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

from wordaudit import pack_yaml
from wordaudit.errors import RuleFileError
from wordaudit.pack_memo import PackMemo
from wordaudit.rules import load_pack, load_rules, shipped_pack_paths

HOUSE = """lists:
  teams: [team, staff, function]
rules:
  - id: ivory-tower
    severity: info
    summary: Distance from the customer.
    message: '"{match}" is distant.'
    why: Be near.
    phrases: [ivory tower, back room]
    context:
      - followed_by: ['@teams']
    suggestions:
      noun: [customer-facing team]
    examples:
      flag: [The ivory tower team decides.]
      pass: [The ivory tower stands.]
    closed_compounds: false
"""


def _shown(rules: object) -> list[str]:
    # Rules compare by identity; their repr shows every field.
    return [repr(rule) for rule in rules]  # type: ignore[attr-defined]


def _no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the pack was parsed again")

    monkeypatch.setattr(pack_yaml, "read_document", refuse)


def test_a_kept_pack_gives_the_rules_the_yaml_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    house = tmp_path / "house.yml"
    house.write_text(HOUSE, encoding="utf-8")
    packs = [*shipped_pack_paths(), house]
    from_yaml = load_rules(packs)
    memo = PackMemo(tmp_path / "memo", "stamp")
    assert _shown(load_rules(packs, memo)[0]) == _shown(from_yaml[0])
    assert len(list((tmp_path / "memo").glob("*.json"))) == len(packs)
    assert (tmp_path / "memo" / ".gitignore").read_text(encoding="utf-8") == "*\n"
    _no_yaml(monkeypatch)
    from_memo = load_rules(packs, memo)
    assert _shown(from_memo[0]) == _shown(from_yaml[0])
    assert from_memo[1] == from_yaml[1]


def test_an_edited_pack_or_another_stamp_is_parsed_again(tmp_path: Path) -> None:
    house = tmp_path / "house.yml"
    house.write_text(HOUSE, encoding="utf-8")
    memo = PackMemo(tmp_path / "memo", "stamp")
    load_pack(house, memo)
    house.write_text(HOUSE.replace("severity: info", "severity: error"), encoding="utf-8")
    assert load_pack(house, memo)[0].severity.value == "error"
    assert load_pack(house, PackMemo(tmp_path / "memo", "a newer parser"))[0].severity.value == "error"
    assert len(list((tmp_path / "memo").glob("*.json"))) == 3


def test_errors_keep_their_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    house = tmp_path / "house.yml"
    house.write_text(HOUSE.replace("  - followed_by:", "  - after:"), encoding="utf-8")
    memo = PackMemo(tmp_path / "memo", "stamp")
    with pytest.raises(RuleFileError) as parsed:
        load_pack(house, memo)
    assert ":11: rule 'ivory-tower': unknown context key 'after'" in str(parsed.value)
    _no_yaml(monkeypatch)
    with pytest.raises(RuleFileError) as recalled:
        load_pack(house, memo)
    assert str(recalled.value) == str(parsed.value)


def test_invalid_yaml_is_not_kept(tmp_path: Path) -> None:
    house = tmp_path / "house.yml"
    house.write_text("- id: x\n  severity: [\n", encoding="utf-8")
    memo = PackMemo(tmp_path / "memo", "stamp")
    for _ in range(2):
        with pytest.raises(RuleFileError, match=":3: invalid YAML"):
            load_pack(house, memo)
    assert not (tmp_path / "memo").exists()


def test_values_json_would_change_are_not_kept(tmp_path: Path) -> None:
    # A date (and a set) come out of YAML as no JSON value does.
    house = tmp_path / "house.yml"
    house.write_text(HOUSE.replace("Be near.", "2024-01-31"), encoding="utf-8")
    memo = PackMemo(tmp_path / "memo", "stamp")
    with pytest.raises(RuleFileError, match="why"):
        load_pack(house, memo)
    assert list((tmp_path / "memo").glob("*.json")) == []


@pytest.mark.parametrize(
    "damage", ["", "{", "[1, 2]", "null", '{"line": 1}', '{"line": "x", "keys": []}', '{"keys": 5}', "\udcff"]
)
def test_a_damaged_memo_is_passed_over(tmp_path: Path, damage: str) -> None:
    house = tmp_path / "house.yml"
    house.write_text(HOUSE, encoding="utf-8")
    memo = PackMemo(tmp_path / "memo", "stamp")
    expected = _shown(load_pack(house, memo))
    for kept in (tmp_path / "memo").glob("*.json"):
        kept.write_bytes(damage.encode("utf-8", "surrogateescape"))
    assert _shown(load_pack(house, memo)) == expected
    [kept] = (tmp_path / "memo").glob("*.json")
    assert kept.read_bytes() != damage.encode("utf-8", "surrogateescape")  # written anew
