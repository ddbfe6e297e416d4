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

import re
import zipfile
from pathlib import Path

import pytest

from conftest import Placed, placed, zip_member
from wordaudit.api import audit_paths, audit_paths_with
from wordaudit.config import Config
from wordaudit.extract import ExtractOptions
from wordaudit.extract import docx as word
from wordaudit.model import ScanResult

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "docx" / "screentips_commented.docx"
COMMENT_START = '<w:commentRangeStart w:id="0"/>'
COMMENT_END = (
    '<w:commentRangeEnd w:id="0"/>'
    '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="0"/></w:r>'
)

EVERY_FINDING: list[Placed] = [
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


def found(result: ScanResult) -> list[Placed]:
    return placed(result, leaving_out="unused-suppression")


def unused(result: ScanResult) -> list[tuple[int, int, int, int]]:
    return [(f.line, f.column, f.end_line, f.end_column) for f in result.findings if f.rule == "unused-suppression"]


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
    assert snippet in zip_member(FIXTURE, part)


def test_links_sharing_a_paragraph_are_named_by_their_text() -> None:
    result = audit_paths_with([FIXTURE], Config(), inline_suppressions=False)
    assert found(result) == EVERY_FINDING
    # The two in paragraph 1 can be told apart.
    assert len({location for _, _, line, _, location in found(result) if line in (6, 7)}) == 2


def test_a_comment_on_the_last_word_of_a_links_text_covers_its_screentip() -> None:
    result = audit_paths_with([FIXTURE], Config(), report_unused_suppressions=True)
    assert found(result) == REMAINING
    assert [file.suppressed for file in result.files] == [2]
    # Paragraph 2's and 4's comments are used; paragraph 3's, on the words either
    # side of its link, cover nothing.
    assert unused(result) == [(3, 1, 3, 24), (3, 40, 3, 57)]


def test_suppression_comments_on_a_links_text_work_when_comments_are_not_read() -> None:
    assert found(audit_paths([FIXTURE], Config(docx_comments=False))) == REMAINING


def test_a_comment_on_part_of_a_link_hangs_its_screentip_on_its_directive() -> None:
    """The encoding ``wordaudit.suppress`` reads: the comment's own range, then a pair of
    segments, (line, 1) and (line, length + 1), for each ScreenTip it covers."""
    blocks = list(word.extract_file(FIXTURE, ExtractOptions()))
    directives = [
        [(segment.line, segment.column) for segment in block.segments] for block in blocks if block.kind == "directive"
    ]
    assert directives == [
        [(2, 26), (2, 30), (8, 1), (8, 29)],  # "page", and the ScreenTip on line 8
        [(3, 1), (3, 24)],  # just before the link
        [(3, 40), (3, 57)],  # just after it
        [(4, 14), (4, 19), (10, 1), (10, 25)],  # "roles", and the field's ScreenTip on line 10
    ]


def _recommented(tmp_path: Path, first: str, last: str) -> Path:
    """The fixture with paragraph 2's comment moved to run from the run reading
    ``first`` to the end of the run reading ``last``."""
    document = zip_member(FIXTURE, "word/document.xml")
    assert document.count(COMMENT_START) == document.count(COMMENT_END) == 1
    document = document.replace(COMMENT_START, "").replace(COMMENT_END, "")
    start = document.index("Questions? Read ")
    paragraph = document[document.rindex("<w:p>", 0, start) : document.index("</w:p>", start)]

    def run(text: str) -> re.Match[str]:
        runs = list(
            re.finditer(rf"<w:r>(?:<w:rPr>(?:(?!</w:r>).)*</w:rPr>)?<w:t[^>]*>{re.escape(text)}</w:t></w:r>", paragraph)
        )
        assert len(runs) == 1, text
        return runs[0]

    begin, end = run(first).start(), run(last).end()
    moved = paragraph[:begin] + COMMENT_START + paragraph[begin:end] + COMMENT_END + paragraph[end:]
    document = document.replace(paragraph, moved)
    path = tmp_path / "moved.docx"
    with zipfile.ZipFile(FIXTURE) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, document.encode("utf-8") if info.filename == "word/document.xml" else old.read(info))
    return path


@pytest.mark.parametrize(
    ("first", "last", "covered"),
    [
        ("page", "page", True),  # the range ends inside the link, before its end
        ("our team ", "our team ", True),  # the first words of the link's text
        ("Questions? Read ", "our team ", True),  # from before the link into it
        ("Questions? Read ", ".", True),  # the whole paragraph
        ("Questions? Read ", "Questions? Read ", False),  # ends just before the link
        (".", ".", False),  # starts just after it
    ],
)
def test_a_comment_covers_a_links_screentip_when_it_holds_any_of_the_links_text(
    tmp_path: Path, first: str, last: str, covered: bool
) -> None:
    result = audit_paths_with([_recommented(tmp_path, first, last)], Config(), report_unused_suppressions=True)
    assert (8 not in [line for _, _, line, _, _ in found(result)]) is covered
    # Nothing else in paragraph 2 is a finding: the comment is used exactly when it covers the ScreenTip.
    assert (2 in [line for line, _, _, _ in unused(result)]) is not covered
