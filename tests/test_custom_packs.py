"""An organisation's own rule pack: every documented feature finds what it
says, in a file of its own (so the prefilter, not only the matcher, must let
it through), and a bad pack is refused when it loads.

Each case here was missed, or accepted and then failed, before the fix that
came with it (an adversarial round, 2026-12-07)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wordaudit.api import audit_paths
from wordaudit.config import Config
from wordaudit.errors import RuleFileError
from wordaudit.rules import load_pack

HEAD = "- id: {id}\n  severity: warning\n  message: '\"{{match}}\"'\n  why: Because.\n"


def _scan(tmp_path: Path, pack: str, text: str, name: str = "doc.md") -> list[tuple[str, int, int]]:
    """The findings of a file holding ``text``, with the shipped rules and ``pack``."""
    (tmp_path / "house.yml").write_text(pack, encoding="utf-8")
    (tmp_path / name).write_text(text, encoding="utf-8")
    config = Config(rules=(tmp_path / "house.yml",))
    result = audit_paths([tmp_path / name], config)
    assert all(f.error is None for f in result.files), result.files
    return [(f.match, f.line, f.column) for f in result.findings]


def test_a_one_word_phrase_without_closed_compounds_matches(tmp_path: Path) -> None:
    pack = HEAD.format(id="minion") + "  phrases: [minion]\n  closed_compounds: false\n"
    assert _scan(tmp_path, pack, "Every minion and the Minions.\n") == [("minion", 1, 7), ("Minions", 1, 22)]


def test_context_entries_of_several_words_and_with_hyphens_are_compared_word_by_word(tmp_path: Path) -> None:
    pack = HEAD.format(id="back-room") + (
        "  phrases: [back room]\n  context:\n    - preceded_by: [work in]\n"
        "    - followed_by: [customer-facing, of the main building]\n"
    )
    text = (
        "We work in\nback room daily.\n\nThe back room customer facing desk.\n\n"
        "The back room of the main building.\n\nThe back room of the building.\n"
    )
    assert _scan(tmp_path, pack, text) == [("back room", 2, 1), ("back room", 4, 5), ("back room", 6, 5)]


def test_a_plural_before_a_context_word_passes_the_prefilter(tmp_path: Path) -> None:
    pack = HEAD.format(id="satellite") + "  phrases: [satellite office]\n  context:\n    - followed_by: [abroad]\n"
    assert _scan(tmp_path, pack, "Our satellite offices abroad close.\n") == [("satellite offices", 1, 5)]


def test_a_norm_is_no_literal_for_the_prefilter(tmp_path: Path) -> None:
    # "n't" has the norm "not": the text holds no "not" for the prefilter to find.
    pack = HEAD.format(id="dont-care") + '  patterns:\n    - [{NORM: "not"}, {LOWER: care}]\n'
    assert _scan(tmp_path, pack, "We don't care.\n") == [("n't care", 1, 6)]


def test_phrases_in_any_script(tmp_path: Path) -> None:
    pack = HEAD.format(id="buero") + "  phrases: [Büro, arrière-boutique]\n"
    text = "Das Büro und die BÜROS. Une arrière boutique et les arrière-boutiques.\n"
    assert _scan(tmp_path, pack, text) == [
        ("Büro", 1, 5),
        ("BÜROS", 1, 18),
        ("arrière boutique", 1, 29),
        ("arrière-boutiques", 1, 53),
    ]


def test_yaml_merge_keys_work_as_in_any_yaml(tmp_path: Path) -> None:
    pack = (
        "lists:\n  unused: [x]\nrules:\n  - &base\n    id: ivory\n    severity: info\n    message: x\n"
        "    why: w\n    phrases: [ivory tower]\n  - <<: *base\n    id: glass\n    phrases: [glass ceiling]\n"
    )
    assert _scan(tmp_path, pack, "An ivory tower over a glass ceiling.\n") == [
        ("ivory tower", 1, 4),
        ("glass ceiling", 1, 23),
    ]


@pytest.mark.parametrize("pattern", ["[{FOO: ivory}]", "[{LOWER: ivory}, {LOWER: tower, OP: '%'}]"])
def test_a_bad_token_pattern_is_refused_when_the_pack_loads(tmp_path: Path, pattern: str) -> None:
    path = tmp_path / "house.yml"
    path.write_text(HEAD.format(id="ivory") + f"  patterns:\n    - {pattern}\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_pack(path)
    assert str(caught.value).startswith(f"{path}:1: rule 'ivory': bad token pattern 1: ")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("name", ["notes.md", "notes.txt"])
def test_a_footnote_mark_glued_to_the_phrase_hides_nothing(tmp_path: Path, name: str) -> None:
    text = "Our back office[^1] team. See the back office.[^2] And the back office^3 too.\n"
    found = _scan(tmp_path, HEAD.format(id="unused") + "  phrases: [unused phrase]\n", text, name)
    assert found == [("back office", 1, 5), ("back office", 1, 35), ("back office", 1, 60)]


def test_a_long_link_before_the_determiner_of_a_context_passes_the_prefilter(tmp_path: Path) -> None:
    link = "https://intranet.example.com/" + "section/" * 10 + "index.html"
    text = f"Reports go to [the]({link}) back line today.\n"
    found = _scan(tmp_path, HEAD.format(id="unused") + "  phrases: [unused phrase]\n", text)
    assert [(match, line) for match, line, _ in found] == [("back line", 1)]


def test_a_pack_with_a_bad_token_pattern_is_refused_again_from_the_memo(tmp_path: Path) -> None:
    from wordaudit.pack_memo import PackMemo

    path = tmp_path / "house.yml"
    path.write_text(HEAD.format(id="ivory") + "  patterns:\n    - [{FOO: ivory}]\n", encoding="utf-8")
    memo = PackMemo(tmp_path / "memo", "stamp")
    for _ in range(2):
        with pytest.raises(RuleFileError, match="bad token pattern"):
            load_pack(path, memo)
