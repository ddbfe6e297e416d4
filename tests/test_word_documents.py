"""Word documents through the whole command line: exact rule, match and location,
the way HR reads them in the report and finds them again in Word."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import findings_by_file, scan_report

DOCX = Path(__file__).parent / "fixtures" / "docx"

JOB_DESCRIPTION = [
    ("back-office", "Back Office", "heading 'Back Office Administrator'"),
    ("back-office", "back-office", "paragraph 3"),
    ("non-customer-facing", "non-customer-facing", "heading 'Who we hire for non-customer-facing rol…'"),
    ("back-line", "back line", "paragraph 6"),
    ("back-office", "back office", "heading 'Responsibilities of the back office tea…'"),
]
EXPECTED: dict[str, list[tuple[str, str, str]] | str] = {
    "body.docx": JOB_DESCRIPTION,
    "macros.docm": JOB_DESCRIPTION,
    "template.dotx": JOB_DESCRIPTION,
    "runs.docx": [
        ("back-office", "back-office", "paragraph 1"),
        ("back-office", "Back-Office", "paragraph 2"),
        ("back-office", "back office", "paragraph 3"),
        ("back-office", "back office", "paragraph 4"),
        ("back-office", "back-office", "paragraph 5"),
        ("back-office", "back-office", "paragraph 5"),
        ("back-office", "back office", "paragraph 6"),
        ("back-office", "back-office", "paragraph 8"),
    ],
    "tables.docx": [
        ("back-office", "back-office", "table 1, row 2, cell 1"),
        ("back-line", "back line", "table 2, row 1, cell 2 > table 1, row 1, cell 2"),
        ("non-customer-facing", "non-customer-facing", "table 2, row 2, cell 1"),
    ],
    "headers.docx": [
        ("back-office", "Back Office", "header, section 1"),
        ("back-line", "back line", "first-page header, section 1"),
        ("back-office", "back-office", "even-page header, section 1"),
        ("non-customer-facing", "non-customer-facing", "footer, section 1"),
        ("back-office", "back office", "header, section 2"),
        ("back-office", "back office", "even-page header, section 2"),
    ],
    "notes.docx": [
        ("back-office", "Back office", "footnote 1"),
        ("non-customer-facing", "non-customer-facing", "footnote 2"),
        ("back-office", "back-office", "endnote 1"),
    ],
    "textbox.docx": [
        ("back-office", "back-office", "text box 1, anchored in paragraph 1"),
        ("back-office", "Back Office", "text box 2, anchored in paragraph 2"),
    ],
    "tracked.docx": [("back-line", "back line", "paragraph 1")],
    # The boxes of an org chart; the same words in Word's cached drawing are not read twice.
    "smartart.docx": [
        ("back-office", "Back Office", "SmartArt 1, anchored in paragraph 2"),
        ("back-office", "back-office", "SmartArt 1, anchored in paragraph 2"),
    ],
    # A category label of a chart, read once although every series repeats the categories.
    "chart.docx": [("back-office", "Back office", "Chart 1, category 2, anchored in paragraph 4")],
    "comments.docx": [
        ("back-office", "back office", "comment 1"),
        ("non-customer-facing", "non-customer-facing", "comment 2"),
    ],
    "handmade.docx": [
        ("back-line", "back line", "paragraph 4"),
        ("back-office", "Back Office", "paragraph 5"),
        ("back-office", "back office", "paragraph 6"),
        ("back-office", "back-office", "text box 1, anchored in paragraph 1"),
        ("back-office", "Back Office", "text box 2, anchored in paragraph 2"),
    ],
    # Word's emoji: the character from mc:Fallback, not the w16se:symEx Choice.
    "emoji.docx": [("back-office", "back office", "paragraph 1")],
    # The ruby guide over "office" is not read between "back" and "team".
    "ruby.docx": [("back-office", "back office", "paragraph 1")],
    # Hidden by the document default; shown by a paragraph style, a character style, directly.
    "hidden_defaults.docx": [
        ("back-office", "back office", "paragraph 2"),
        ("back-office", "back-office", "paragraph 3"),
        ("back-line", "back line", "paragraph 4"),
    ],
    # A drop cap, a deleted paragraph mark, a style separator: each starts the next paragraph.
    "joins.docx": [
        ("back-office", "Back office", "paragraph 1"),
        ("back-office", "back-office", "paragraph 2"),
        ("back-office", "back office", "paragraph 3"),
        ("back-office", "Back office", "heading 'Back office duties are listed below.'"),
        ("back-office", "back office", "paragraph 7"),
        ("back-office", "back office", "paragraph 8"),
    ],
    "truncated.docx": "zip archive is damaged or incomplete (truncated download?)",
    "no_document_xml.docx": "not a Word document: word/document.xml is missing",
    "not_a_zip.docx": "not a Word document: file is not a zip archive",
    "encrypted.docx": "Word document is password-protected (encrypted)",
    "old_binary.docx": "old binary Word .doc format, not .docx (save it as .docx)",
    "doctype.docx": "refusing word/document.xml: it declares a DOCTYPE (entity attack?)",
    "zip_bomb_declared.docx": "zip bomb: archive would unpack to 3.8 GB (limit 512 MB)",
}


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return scan_report(str(DOCX), expect=(1,))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_and_errors(report: dict[str, Any], name: str) -> None:
    files = {f["path"]: f for f in report["files"]}
    expected = EXPECTED[name]
    if isinstance(expected, str):
        assert files[name]["error"] == expected
        return
    assert files[name]["error"] is None
    assert findings_by_file(report, name) == expected


def test_every_file_is_listed_once_and_failures_are_counted(report: dict[str, Any]) -> None:
    files = report["files"]
    paths = [f["path"] for f in files]
    assert len(paths) == len(set(paths))
    failed = [f for f in files if f["error"]]
    assert report["summary"]["files_failed"] == len(failed)
    assert all("\n" not in f["error"] and len(f["error"]) < 200 for f in failed)


def test_comments_can_be_switched_off(tmp_path: Path) -> None:
    (tmp_path / "wordaudit.toml").write_text("docx-comments = false\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "wordaudit", "scan", str(DOCX / "comments.docx"), "-f", "json", "--no-cache"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert json.loads(done.stdout)["findings"] == []


def test_pretty_report_shows_where_in_word(report: dict[str, Any]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "wordaudit", "scan", str(DOCX / "tables.docx"), "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "tables.docx (table 1, row 2, cell 1)  warning  back-office" in done.stdout
