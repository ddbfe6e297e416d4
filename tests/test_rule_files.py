"""A malformed rule file is reported as file:line: what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from wordaudit.errors import RuleFileError
from wordaudit.pack_yaml import parse_pack
from wordaudit.rules import load_pack, load_rules, shipped_pack_paths

GOOD = """- id: ivory-tower
  severity: info
  message: '"{match}" is distant.'
  why: Be near.
  phrases: [ivory tower]
"""


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (GOOD.replace("severity: info", "severity: loud"), ":2: rule 'ivory-tower': severity must be"),
        (GOOD.replace("  phrases:", "  phrase:"), ":5: rule 'ivory-tower': unknown key 'phrase'"),
        (GOOD.replace("  why: Be near.\n", ""), ":1: rule 'ivory-tower': missing 'why'"),
        (GOOD.replace("ivory-tower", "Ivory Tower"), ":1: rule 'Ivory Tower': id must be kebab-case"),
        (GOOD.replace("[ivory tower]", "[ivory/tower]"), ":5: rule 'ivory-tower': phrases entry 'ivory/tower'"),
        (GOOD + "  context:\n    - after: [x]\n", ":7: rule 'ivory-tower': unknown context key 'after'"),
        (GOOD + "  context:\n    - followed_by: ['@nope']\n", ":7: rule 'ivory-tower': no list named 'nope'"),
        ("- id: x\n  severity: [\n", ":3: invalid YAML"),
        ("", "the file is empty"),
        (GOOD.replace("  phrases: [ivory tower]\n", ""), ":1: rule 'ivory-tower': needs 'phrases' or 'patterns'"),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "house.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_pack(path)
    assert str(caught.value).startswith(str(path))
    assert expected in str(caught.value)


def test_duplicate_id_across_packs(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.yml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(RuleFileError, match="already defined"):
        load_rules([tmp_path / "a.yml", tmp_path / "b.yml"])


def test_token_patterns_are_used(tmp_path: Path) -> None:
    from wordaudit.api import audit_text, build_auditor
    from wordaudit.config import Config

    path = tmp_path / "p.yml"
    path.write_text(
        "- id: support-functions\n  severity: info\n  message: '\"{match}\"'\n  why: Because.\n"
        "  patterns:\n    - [{LOWER: support}, {LOWER: {IN: [function, functions]}}]\n",
        encoding="utf-8",
    )
    auditor = build_auditor(Config(rules=(path,), select=("support-functions",)))
    assert [f.match for f in audit_text("Our Support Functions team.", auditor=auditor)] == ["Support Functions"]


def _tree(value: object) -> object:
    """A parsed pack with every mapping's line numbers, comparable with ==."""
    if isinstance(value, dict):
        lines = (getattr(value, "line", None), getattr(value, "key_lines", None))
        return (lines, {key: _tree(item) for key, item in value.items()})
    if isinstance(value, list):
        return [_tree(item) for item in value]
    return (type(value).__name__, value)


@pytest.mark.parametrize("pack", shipped_pack_paths(), ids=lambda path: path.name)
def test_the_shipped_packs_parse_the_same_with_libyaml(pack: Path) -> None:
    # libyaml reads the shipped packs for speed; it must read them exactly as
    # PyYAML's loader, which reads every other pack.
    text = pack.read_text(encoding="utf-8")
    assert _tree(parse_pack(text, shipped=True)) == _tree(parse_pack(text))


def test_a_users_pack_is_not_read_by_the_lenient_parser(tmp_path: Path) -> None:
    # libyaml takes this tab; PyYAML, and so wordaudit, reports it.
    pack = tmp_path / "tabbed.yml"
    pack.write_text(GOOD.replace("[ivory tower]", "[\tivory tower]"), encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"tabbed\.yml:5: invalid YAML: found character '\\t'"):
        load_pack(pack)
