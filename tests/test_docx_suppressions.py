"""Suppression comments in Word: a comment reading "wordaudit: ignore RULE" suppresses
that rule's findings in the text it is anchored on (tests/fixtures/docx/suppressed.docx,
made by LibreOffice from src/suppressed.fodt; see the fixtures' README)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from wordaudit.extract import ExtractOptions
from wordaudit.extract import docx as word

FIXTURE = Path(__file__).parent / "fixtures" / "docx" / "suppressed.docx"

Found = tuple[str, str, str, int, int]  # rule, match, location, line, column

# Paragraph by paragraph: 1 "Back Office" under "ignore back-office"; 2 "the back office"
# under "ignore back-line" (the wrong rule); 3 all of it under "ignore"; 4 no comment;
# 5 a point comment "ignore back-office, back-line"; 6 "Back Office Pro" under "ignore
# back-office", a second "back office" after the range; 7 an ordinary comment (comment 6).
EVERY_FINDING: list[Found] = [
    ("back-office", "Back Office", "paragraph 1", 1, 5),
    ("back-office", "back office", "paragraph 2", 2, 9),
    ("back-line", "back line", "paragraph 3", 3, 39),
    ("back-office", "back-office", "paragraph 4", 4, 10),
    ("back-office", "back office", "paragraph 5", 5, 5),
    ("back-line", "back line", "paragraph 5", 5, 25),
    ("back-office", "Back Office", "paragraph 6", 6, 1),
    ("back-office", "back office", "paragraph 6", 6, 43),
    ("back-office", "back office", "comment 6", 8, 17),
]
REMAINING: list[Found] = [
    ("back-office", "back office", "paragraph 2", 2, 9),
    ("back-office", "back-office", "paragraph 4", 4, 10),
    ("back-office", "back office", "paragraph 6", 6, 43),
    ("back-office", "back office", "comment 6", 8, 17),
]


def scan(path: Path, *options: str, cwd: Path | None = None) -> tuple[dict[str, Any], str]:
    """The JSON report and the standard error of ``wordaudit scan PATH``, run as CI would."""
    done = subprocess.run(
        [sys.executable, "-m", "wordaudit", "scan", str(path), "-f", "json", "--no-cache", *options],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )
    assert done.returncode == 1, done.stderr[-2000:]  # findings remain in every variant
    assert "Traceback" not in done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report, done.stderr


def found(report: dict[str, Any]) -> list[Found]:
    return [(f["rule"], f["match"], f["location"], f["line"], f["column"]) for f in report["findings"]]


def edited(target: Path, member: str, edit: Callable[[str], str]) -> Path:
    """A copy of the fixture with one XML part edited."""
    with zipfile.ZipFile(FIXTURE) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == member:
                data = edit(data.decode("utf-8")).encode("utf-8")
            new.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return target


@pytest.mark.parametrize(
    ("member", "snippet"),
    [
        ("word/comments.xml", "<w:t>wordaudit: ignore back-office</w:t>"),
        ("word/comments.xml", "<w:t>wordaudit: ignore back-office, back-line</w:t>"),
        ("word/comments.xml", "<w:t>wordaudit: ignore</w:t>"),
        ("word/document.xml", '<w:commentRangeStart w:id="0"/><w:r><w:rPr></w:rPr><w:t>Back Office</w:t>'),
        # The point comment: a reference, no range.
        ("word/document.xml", '<w:commentReference w:id="3"/>'),
    ],
)
def test_fixture_holds_its_case(member: str, snippet: str) -> None:
    assert snippet in xml(member)


def xml(member: str) -> str:
    with zipfile.ZipFile(FIXTURE) as archive:
        return archive.read(member).decode("utf-8")


def test_the_point_comment_has_no_range() -> None:
    assert 'w:commentRangeStart w:id="3"' not in xml("word/document.xml")


def test_comments_suppress_what_they_are_anchored_on() -> None:
    report, stderr = scan(FIXTURE)
    assert found(report) == REMAINING
    assert report["summary"]["suppressed"] == len(EVERY_FINDING) - len(REMAINING)
    assert stderr == ""


def test_suppression_comments_are_not_prose() -> None:
    report, _ = scan(FIXTURE, "--no-inline-suppressions")
    # Their text names rules ("back-office") and would match; an ordinary comment still does.
    assert [f for f in report["findings"] if "wordaudit" in f["context"]] == []
    assert [f["location"] for f in report["findings"] if f["location"].startswith("comment")] == ["comment 6"]


def test_no_inline_suppressions_shows_every_finding() -> None:
    report, _ = scan(FIXTURE, "--no-inline-suppressions")
    assert found(report) == EVERY_FINDING
    assert report["summary"]["suppressed"] == 0


def test_a_comment_naming_the_wrong_rule_is_reported_unused() -> None:
    report, _ = scan(FIXTURE, "--report-unused-suppressions")
    unused = [f for f in report["findings"] if f["rule"] == "unused-suppression"]
    assert [(f["severity"], f["location"], f["line"], f["column"], f["end_column"]) for f in unused] == [
        ("info", "paragraph 2", 2, 5, 20)  # its anchor, "the back office"
    ]
    assert unused[0]["match"] == "wordaudit-ignore-range back-line"
    assert [f for f in found(report) if f[0] != "unused-suppression"] == REMAINING


def test_turning_comments_off_keeps_suppression_comments(tmp_path: Path) -> None:
    (tmp_path / "wordaudit.toml").write_text("docx-comments = false\n", encoding="utf-8")
    report, _ = scan(FIXTURE, cwd=tmp_path)
    assert found(report) == [f for f in REMAINING if f[2] != "comment 6"]
    assert report["summary"]["suppressed"] == 5


def test_an_unknown_rule_warns_as_in_markdown(tmp_path: Path) -> None:
    # As Word types it: a capital first letter (AutoCorrect), a full stop out of habit.
    def misspell(xml: str) -> str:
        return xml.replace("wordaudit: ignore back-line", "Wordaudit: ignore back-ofice.")

    edited(tmp_path / "typo.docx", "word/comments.xml", misspell)
    report, stderr = scan(Path("typo.docx"), cwd=tmp_path)
    warning = "typo.docx: paragraph 2: wordaudit-ignore-range names unknown rule 'back-ofice'"
    assert report["warnings"] == [warning]
    assert stderr == f"wordaudit: warning: {warning}\n"
    assert found(report) == REMAINING


def test_range_marks_between_paragraphs_bind_to_their_neighbours(tmp_path: Path) -> None:
    """The schema lets a range start or end between paragraphs (LibreOffice never writes
    that; other tools may): a start binds to the next paragraph, an end to the one before."""

    def move_marks(xml: str) -> str:
        start, end = '<w:commentRangeStart w:id="2"/>', '<w:commentRangeEnd w:id="2"/>'
        xml = xml.replace(start, "").replace(end, "")
        paragraphs = xml.split("<w:p>")  # [before the body's first paragraph, paragraph 1, ...]
        paragraphs[2] += start  # after paragraph 2's end, before paragraph 3 ("wordaudit: ignore")
        paragraphs[4] = paragraphs[4].replace("</w:p>", "</w:p>" + end, 1)  # after paragraph 4
        moved = "<w:p>".join(paragraphs)
        assert f"</w:p>{start}<w:p>" in moved
        assert f"</w:p>{end}<w:p>" in moved
        return moved

    moved = edited(tmp_path / "moved.docx", "word/document.xml", move_marks)
    report, _ = scan(moved)
    assert found(report) == [f for f in REMAINING if f[2] != "paragraph 4"]


def test_directive_blocks_carry_the_range() -> None:
    """The encoding ``wordaudit.suppress`` reads: the block starts where the range starts,
    and ``position(len(text))`` is just past its end; a point comment covers its paragraph."""
    blocks = list(word.extract_file(FIXTURE, ExtractOptions()))
    directives = [
        (b.text, b.position(0).line, b.position(0).column, b.position(len(b.text)).column, b.position(0).where)
        for b in blocks
        if b.kind == "directive"
    ]
    assert directives == [
        ("wordaudit-ignore-range back-office", 1, 5, 16, "paragraph 1"),
        ("wordaudit-ignore-range back-line", 2, 5, 20, "paragraph 2"),
        ("wordaudit-ignore-range", 3, 1, 56, "paragraph 3"),
        ("wordaudit-ignore-range back-office, back-line", 5, 1, 57, "paragraph 5"),
        ("wordaudit-ignore-range back-office", 6, 1, 16, "paragraph 6"),
    ]
    assert [b.text for b in blocks if b.kind == "comment"] == ["Never call them back office staff."]
