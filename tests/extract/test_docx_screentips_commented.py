"""Links sharing a paragraph, and suppression comments on part of a link's text.
screentips_commented.docx is made by tests/fixtures/docx/make_word_cases.py from a
document Word saved with comments; its ScreenTips are read after every story (lines 6-11):

- paragraph 1: links "team page" (ScreenTip "Meet our back office team", line 6) and
  "contact form" ("Write to the back office", line 7), no comment;
- paragraph 2: "wordaudit: ignore back-office" on "page" alone, the last word of the link
  "our team page" ("Contact our back office team", line 8): the range starts inside the link;
- paragraph 3: "ignore back-office" on "For anything else, ask ", just before the link
  "the service desk" ("Staffed by the back office", line 9), and another on ", or write
  to us.", just after it: neither covers the ScreenTip, both are unused;
- paragraph 4: "ignore back-office" on "roles", the last word of a HYPERLINK field's
  result "the open roles" (``\\o "Roles in the back office"``, line 10);
- paragraph 5: a simple field's link whose text is longer than a location shows
  ("Answers from the back office", line 11), no comment.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from wordaudit.api import audit_paths_with
from wordaudit.config import Config
from wordaudit.model import ScanResult

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "docx" / "screentips_commented.docx"
COMMENT_START = '<w:commentRangeStart w:id="0"/>'
COMMENT_END = (
    '<w:commentRangeEnd w:id="0"/>'
    '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="0"/></w:r>'
)

Found = tuple[str, str, int, int, str]  # rule, match, line, column, location

EVERY_FINDING: list[Found] = [
    ("back-office", "back office", 6, 10, 'ScreenTip of the link "team page" in paragraph 1'),
    ("back-office", "back office", 7, 14, 'ScreenTip of the link "contact form" in paragraph 1'),
    ("back-office", "back office", 8, 13, 'ScreenTip of the link "our team page" in paragraph 2'),
    ("back-office", "back office", 9, 16, 'ScreenTip of the link "the service desk" in paragraph 3'),
    ("back-office", "back office", 10, 14, 'ScreenTip of the link "the open roles" in paragraph 4'),
    # Cut at a word's end: "the answers to the questions new starters ask most often".
    ("back-office", "back office", 11, 18, 'ScreenTip of the link "the answers to the questions new…" in paragraph 5'),
]
# Paragraph 2's and 4's ScreenTips are covered by comments on the last word of their links.
REMAINING = [finding for finding in EVERY_FINDING if finding[2] not in (8, 10)]


def found(result: ScanResult) -> list[Found]:
    assert [file.error for file in result.files] == [None]
    return [(f.rule, f.match, f.line, f.column, f.location) for f in result.findings if f.rule != "unused-suppression"]


def unused(result: ScanResult) -> list[tuple[int, int, int, int]]:
    return [(f.line, f.column, f.end_line, f.end_column) for f in result.findings if f.rule == "unused-suppression"]


def member(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(part).decode("utf-8")


@pytest.mark.parametrize(
    ("part", "snippet"),
    [
        # A range on part of a link's text starts inside the link, between its runs.
        (
            "word/document.xml",
            '<w:t xml:space="preserve">our team </w:t></w:r><w:commentRangeStart w:id="0"/><w:r><w:rPr>'
            '<w:rStyle w:val="Hyperlink"/></w:rPr><w:t>page</w:t></w:r></w:hyperlink><w:commentRangeEnd w:id="0"/>',
        ),
        ("word/document.xml", 'ask </w:t></w:r><w:commentRangeEnd w:id="1"/>'),
        ("word/document.xml", '</w:hyperlink><w:commentRangeStart w:id="2"/>'),
        ("word/document.xml", '<w:commentRangeStart w:id="3"/><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr>'),
        ("word/document.xml", '\\o "Roles in the back office"'),
        ("word/document.xml", "<w:fldSimple w:instr="),
        ("word/comments.xml", "<w:t>wordaudit: ignore back-office</w:t>"),
        ("docProps/app.xml", "<Application>Microsoft Office Word</Application>"),
    ],
)
def test_fixture_holds_its_case(part: str, snippet: str) -> None:
    assert snippet in member(FIXTURE, part)


def test_links_sharing_a_paragraph_are_named_by_their_text() -> None:
    result = audit_paths_with([FIXTURE], Config(), inline_suppressions=False)
    assert found(result) == EVERY_FINDING
    # The two in paragraph 1 can be told apart.
    assert len({location for _, _, line, _, location in found(result) if line in (6, 7)}) == 2
