"""Suppression comments on pictures and links: an image's alt text and a link's ScreenTip
are read as paragraphs of their own after every story, yet a comment "wordaudit: ignore
RULE" on the picture, or on the link's text, covers them. suppressed_described.docx is
made by tests/fixtures/docx/make_word_cases.py from a document Word saved with comments:

- paragraph 1: "ignore back-office" on a picture alone, at the paragraph's end; its alt
  text (line 9) reads "Our back office team at work";
- paragraph 2: a picture, no comment, alt text "The back office at night" (line 10);
- paragraph 3: "ignore back-office" on a link's text, its ScreenTip "Contact our back
  office team" (line 16);
- paragraph 4: a link with the same ScreenTip, no comment (line 17);
- paragraph 5: "ignore back-line", the wrong rule, on a picture in mid-paragraph, alt
  text "Back office staff at their desks" (line 11);
- paragraph 6: "ignore back-office" on "Our back office team keeps the books." and a
  picture titled "Back office", described "The back office team" (lines 12 and 13);
- paragraph 7: "ignore back-office" on "The back-office team handles refunds." and a
  picture whose alt text is clean (line 14);
- paragraph 8: "ignore back-office" on "Ask the back office"; a picture after the range,
  alt text "The back office desk" (line 15), is not covered.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from conftest import Placed, placed, zip_member
from wordaudit.api import audit_paths, audit_paths_with
from wordaudit.config import Config
from wordaudit.extract import ExtractOptions
from wordaudit.extract import docx as word
from wordaudit.model import ScanResult

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "docx" / "suppressed_described.docx"
COMMENT_REFERENCE = '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="{0}"/></w:r>'

EVERY_FINDING: list[Placed] = [
    ("back-office", "back office", 6, 5, "paragraph 6"),
    ("back-office", "back-office", 7, 5, "paragraph 7"),
    ("back-office", "back office", 8, 9, "paragraph 8"),
    ("back-office", "back office", 9, 5, "alt text of Picture 1, anchored in paragraph 1"),
    ("back-office", "back office", 10, 5, "alt text of Picture 2, anchored in paragraph 2"),
    ("back-office", "Back office", 11, 1, "alt text of Picture 3, anchored in paragraph 5"),
    ("back-office", "Back office", 12, 1, "alt text of Picture 4, anchored in paragraph 6"),
    ("back-office", "back office", 13, 5, "alt text of Picture 4, anchored in paragraph 6"),
    ("back-office", "back office", 15, 5, "alt text of Picture 6, anchored in paragraph 8"),
    ("back-office", "back office", 16, 13, 'ScreenTip of the link "team page" in paragraph 3'),
    ("back-office", "back office", 17, 13, 'ScreenTip of the link "contact form" in paragraph 4'),
]
REMAINING: list[Placed] = [
    ("back-office", "back office", 10, 5, "alt text of Picture 2, anchored in paragraph 2"),  # no comment
    ("back-office", "Back office", 11, 1, "alt text of Picture 3, anchored in paragraph 5"),  # the wrong rule
    ("back-office", "back office", 15, 5, "alt text of Picture 6, anchored in paragraph 8"),  # after the range
    ("back-office", "back office", 17, 13, 'ScreenTip of the link "contact form" in paragraph 4'),  # no comment
]


def found(result: ScanResult) -> list[Placed]:
    return placed(result)


@pytest.mark.parametrize(
    ("part", "snippet"),
    [
        # Word's shape of a comment on a picture alone: the range's marks around the drawing's run.
        ("word/document.xml", '<w:commentRangeStart w:id="0"/><w:r><w:rPr><w:noProof/></w:rPr><w:drawing>'),
        ("word/document.xml", '</w:drawing></w:r><w:commentRangeEnd w:id="0"/>' + COMMENT_REFERENCE.format(0)),
        ("word/document.xml", 'name="Picture 1" descr="Our back office team at work"/>'),
        ("word/document.xml", 'name="Picture 4" descr="The back office team" title="Back office"/>'),
        ("word/document.xml", '<w:commentRangeStart w:id="1"/><w:hyperlink r:id="rId10"'),
        ("word/document.xml", 'w:tooltip="Contact our back office team" w:history="1">'),
        ("word/comments.xml", "<w:t>wordaudit: ignore back-line</w:t>"),
        ("word/_rels/document.xml.rels", 'Target="media/image1.jpeg"'),
        ("docProps/app.xml", "<Application>Microsoft Office Word</Application>"),
    ],
)
def test_fixture_holds_its_case(part: str, snippet: str) -> None:
    assert snippet in zip_member(FIXTURE, part)


def test_every_finding_shows_without_inline_suppressions() -> None:
    result = audit_paths_with([FIXTURE], Config(), inline_suppressions=False)
    assert found(result) == EVERY_FINDING
    assert [file.suppressed for file in result.files] == [0]


def test_a_comment_on_a_picture_or_a_link_covers_its_alt_text_or_screentip() -> None:
    result = audit_paths([FIXTURE])
    assert found(result) == REMAINING
    assert [file.suppressed for file in result.files] == [len(EVERY_FINDING) - len(REMAINING)]
    assert result.warnings == ()


def test_suppression_comments_are_read_when_comments_are_not() -> None:
    result = audit_paths([FIXTURE], Config(docx_comments=False))
    assert found(result) == REMAINING


def test_only_the_comment_naming_the_wrong_rule_is_unused() -> None:
    """Paragraph 1's and 3's comments suppress only in alt text or a ScreenTip, 7's only
    in its text, 6's in both: each is one directive, used when any of its ranges is."""
    result = audit_paths_with([FIXTURE], Config(), report_unused_suppressions=True)
    unused = [f for f in result.findings if f.rule == "unused-suppression"]
    assert [(f.match, f.line, f.column, f.end_line, f.end_column, f.location) for f in unused] == [
        # A comment on a picture alone covers the paragraph holding its reference.
        ("wordaudit-ignore-range back-line", 5, 1, 5, 20, "paragraph 5")
    ]
    assert [f for f in found(result) if f[0] != "unused-suppression"] == REMAINING


def test_each_comment_is_one_directive_its_further_ranges_past_its_text() -> None:
    """The encoding ``wordaudit.suppress`` reads: the comment's own range at 0 and
    ``len(text)``, then a pair of segments per alt text or ScreenTip it covers."""
    blocks = list(word.extract_file(FIXTURE, ExtractOptions()))
    directives = [
        [(segment.start - len(block.text), segment.line, segment.column) for segment in block.segments]
        for block in blocks
        if block.kind == "directive"
    ]
    text = -len("wordaudit-ignore-range back-office")
    assert directives == [
        [(text, 1, 1), (0, 1, 32), (1, 9, 1), (2, 9, 29)],  # the whole of paragraph 1, and line 9
        [(text, 3, 21), (0, 3, 30), (1, 16, 1), (2, 16, 29)],  # "team page", and the ScreenTip on line 16
        [(text + 2, 5, 1), (0, 5, 20), (1, 11, 1), (2, 11, 33)],  # back-line: two characters fewer
        [(text, 6, 1), (0, 6, 39), (1, 12, 1), (2, 12, 12), (3, 13, 1), (4, 13, 21)],
        [(text, 7, 1), (0, 7, 39), (1, 14, 1), (2, 14, 26)],
        [(text, 8, 1), (0, 8, 20)],  # the picture after the range hangs on no comment
    ]


def test_a_picture_inside_the_range_of_a_comment_on_text_is_covered(tmp_path: Path) -> None:
    """Paragraph 8's comment moved to end after the picture: its alt text is covered too."""
    end, reference = '<w:commentRangeEnd w:id="5"/>', COMMENT_REFERENCE.format(5)
    document = zip_member(FIXTURE, "word/document.xml")
    assert document.count(end + reference) == 1
    drawing_end = document.index("</w:drawing></w:r>", document.index('name="Picture 6"')) + len("</w:drawing></w:r>")
    moved = document[:drawing_end] + end + reference + document[drawing_end:]
    moved = moved.replace(end + reference, "", 1)
    path = tmp_path / "moved.docx"
    with zipfile.ZipFile(FIXTURE) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = moved.encode("utf-8") if info.filename == "word/document.xml" else old.read(info)
            new.writestr(info, data)
    assert found(audit_paths([path])) == [f for f in REMAINING if f[2] != 15]
