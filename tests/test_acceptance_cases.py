"""The engine issue's acceptance list, each case in a real .md and .txt file, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wordaudit.cli import app

CASES: list[tuple[str, list[str]]] = [
    ("Our back-office team", ["back-office"]),
    ("the Back Offices", ["back-office"]),
    ("BACKOFFICE staff", ["back-office"]),
    ("the back-\noffice staff", ["back-office"]),
    ("back\noffice", ["back-office"]),
    ("back line employees", ["back-line"]),
    ("a back line of defence", []),
    ("non-customer facing roles", ["non-customer-facing"]),
    ("non-revenue-producing departments", ["non-revenue-producing"]),
    ("our back-end staff", ["back-end-staff"]),
    ("the back-end API", []),
    ("staff recruiters", ["role-titles"]),
    ("the back of the office", []),
    ("came back. Office hours", []),
    ("front office", []),
]
MARKDOWN_ONLY: list[tuple[str, list[str]]] = [
    ("See `back_office` here.", []),
    ("Go to https://backoffice.example.com now.", []),
    ("```\nthe back office\n```\n", []),
    ("Text.\n\n    back office in indented code\n", []),
    ("<!-- back office -->\n", []),
    # Text in raw HTML is on the rendered page; tags, attributes and code are not.
    ("<div>back office</div>\n", ["back-office"]),
    ('<p align="center" class="back-office"><code>back office</code></p>\n', []),
    ("Use <kbd>back office</kbd> here.\n", []),
    ("<pre>\nthe back office\n</pre>\n", []),
]


def _scan(tmp_path: Path, name: str, content: str) -> list[str]:
    (tmp_path / name).write_text(content, encoding="utf-8")
    result = CliRunner().invoke(app, ["scan", str(tmp_path / name), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    return [f["rule"] for f in report["findings"]]


@pytest.mark.parametrize(("text", "rules"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_case(tmp_path: Path, text: str, rules: list[str], suffix: str) -> None:
    assert _scan(tmp_path, "doc" + suffix, text + "\n") == rules


@pytest.mark.parametrize(("text", "rules"), MARKDOWN_ONLY, ids=[c[0] for c in MARKDOWN_ONLY])
def test_markdown_code_urls_and_html_markup_are_not_prose(tmp_path: Path, text: str, rules: list[str]) -> None:
    assert _scan(tmp_path, "doc.md", text) == rules


def test_hyphenated_line_break_is_one_finding_on_its_first_line(tmp_path: Path) -> None:
    (tmp_path / "doc.md").write_text("Intro.\n\nWe thank the back-\noffice staff.\n", encoding="utf-8")
    report = json.loads(CliRunner().invoke(app, ["scan", str(tmp_path / "doc.md"), "-f", "json"]).stdout)
    [finding] = report["findings"]
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (3, 14, 4, 7)
    assert finding["match"] == "back-office"
    assert finding["suggestions"][0] == "operations"
