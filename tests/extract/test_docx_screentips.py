"""Hyperlinks' ScreenTips in Word: read as blocks of their own, placed, left to a person
by the fixer. screentips.docx is made by tests/fixtures/docx/make_word_cases.py from a
document Word saved (LibreOffice 7.4 does not keep a ScreenTip, see its docstring):

- paragraph 1: a link whose ScreenTip (``w:tooltip``) reads "Contact our back office team";
- table 1, row 2, cell 2 (line 5): a link's ScreenTip "Jobs in the back-office team";
- paragraph 6: a HYPERLINK field, its ``\\o "Non-customer-facing roles are listed"`` split
  over three ``w:instrText`` runs, in the middle of the phrase;
- paragraph 7: a simple field (``w:fldSimple``) whose ``\\o`` holds escaped quotes;
- paragraph 8: three links whose ScreenTips say nothing (empty, blank, none);
- paragraph 9: a ScreenTip with traps only; paragraph 10: "back office" in a link's text
  and "back line staff" in its ScreenTip;
- header, section 1, line 12: a link to the top of the document with a ScreenTip.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wordaudit.fix.docx as fixer
from conftest import zip_member
from wordaudit.api import Auditor, audit_paths, audit_paths_with, scan_source
from wordaudit.config import Config
from wordaudit.extract import ExtractOptions, ooxml
from wordaudit.extract import docx as word
from wordaudit.extract.docx_described import field_screentip
from wordaudit.fix.model import plan
from wordaudit.model import Block, ExitCode, Source

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "docx"
SCREENTIPS = FIXTURES / "screentips.docx"
W_TOOLTIP = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tooltip"
LEFT = "is a link's ScreenTip (Edit Hyperlink > ScreenTip); edit it by hand"
Edit = Callable[[str], str]


def read(path: Path) -> list[Block]:
    return list(word.extract_file(path, ExtractOptions()))


def screentips(path: Path) -> list[tuple[str, str, int, str | None]]:
    """(kind, text, line, where) of each ScreenTip block."""
    return [
        (block.kind, block.text, block.segments[0].line, block.segments[0].where)
        for block in read(path)
        if (block.segments[0].where or "").startswith("ScreenTip")
    ]


def unnamed(tips: list[tuple[str, str, int, str | None]]) -> list[tuple[str, str, int]]:
    """ScreenTips without their places, which name their links by what they read."""
    return [(kind, text, line) for kind, text, line, _ in tips]


def paragraphs(path: Path) -> list[word.Paragraph]:
    options = ExtractOptions()
    return list(word.paragraphs(ooxml.open_package(path, options.max_unpacked_bytes), options))


def rezip(source: Path, target: Path, edits: dict[str, Edit]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename in edits:
                data = edits[info.filename](data.decode("utf-8")).encode("utf-8")
            new.writestr(info, data)
    return target


def with_body(tmp_path: Path, body: str, name: str = "variant.docx") -> Path:
    """screentips.docx (Word's namespaces, styles and hyperlink relationships rId10-12)
    with another body."""

    def edit(document: str) -> str:
        start = document.index("<w:body>") + len("<w:body>")
        return document[:start] + body + document[document.rindex("<w:sectPr") :]

    return rezip(SCREENTIPS, tmp_path / name, {"word/document.xml": edit})


def link(tooltip_attribute: str, text: str = "link", target: str = 'r:id="rId10"') -> str:
    return f"<w:p><w:hyperlink {target} {tooltip_attribute}><w:r><w:t>{text}</w:t></w:r></w:hyperlink></w:p>"


def field(*code: str, result: str = "link") -> str:
    """A paragraph holding a complex field, each piece of its code in a run of its own."""
    pieces = "".join(f'<w:r><w:instrText xml:space="preserve">{escape(piece)}</w:instrText></w:r>' for piece in code)
    return (
        f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>{pieces}'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{result}</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def _assert_each_character_maps_back(block: Block, by_line: dict[int, str]) -> None:
    """Every character of the block is the one its (line, column) names in the
    paragraph the fixer and suppression comments count."""
    for index, character in enumerate(block.text):
        position = block.position(index)
        assert by_line[position.line][position.column - 1] == character, (block.text, index, position)


# ------------------------------------------------------------------ the fixture holds its case


@pytest.mark.parametrize(
    ("part", "snippet"),
    [
        ("word/document.xml", 'w:tooltip="Contact our back office team" w:history="1"'),
        ("word/document.xml", '\\o "Non-customer-</w:instrText></w:r><w:r><w:instrText xml:space="preserve">facing'),
        ("word/document.xml", '<w:fldSimple w:instr=" HYPERLINK &quot;https://example.com/faq&quot; \\o &quot;'),
        ("word/document.xml", "\\&quot;back office\\&quot;"),
        ("word/document.xml", 'w:tooltip=""'),
        ("word/header1.xml", 'w:anchor="_top" w:tooltip="Back-office roles are listed first"'),
        ("word/_rels/document.xml.rels", 'Target="https://example.com/guide" TargetMode="External"'),
        ("docProps/app.xml", "<Application>Microsoft Office Word</Application>"),
    ],
)
def test_fixture_holds_its_case(part: str, snippet: str) -> None:
    assert snippet in zip_member(SCREENTIPS, part)


# ------------------------------------------------------------------ blocks, kinds, places


def test_each_screentip_is_a_title_block_named_after_the_place_of_its_link() -> None:
    # After every story (the header is line 12), in the order their links are met;
    # the three that say nothing (paragraph 8) are no blocks.
    assert screentips(SCREENTIPS) == [
        ("title", "Contact our back office team", 13, 'ScreenTip of the link "service guide" in paragraph 1'),
        ("title", "Jobs in the back-office team", 14, 'ScreenTip of the link "open roles" in table 1, row 2, cell 2'),
        # A field's link is named by the field's result, a simple field's too.
        ("title", "Non-customer-facing roles are listed", 15, 'ScreenTip of the link "list" in paragraph 6'),
        ("title", 'Ask the "back office" desk', 16, 'ScreenTip of the link "FAQ" in paragraph 7'),
        ("title", "Front office hours, back end of the week", 17, 'ScreenTip of the link "front desk" in paragraph 9'),
        ("title", "Support for back line staff", 18, 'ScreenTip of the link "back office portal" in paragraph 10'),
        ("title", "Back-office roles are listed first", 19, 'ScreenTip of the link "top" in header, section 1'),
    ]


def test_the_link_text_stays_in_its_paragraph_and_no_number_moves(tmp_path: Path) -> None:
    # The same document with no ScreenTip at all reads the same stories, line for line.
    def without_screentips(xml: str) -> str:
        return re.sub(r' w:tooltip="[^"]*"', "", xml).replace("\\o ", "\\l ")

    edits = {"word/document.xml": without_screentips, "word/header1.xml": without_screentips}
    plain = rezip(SCREENTIPS, tmp_path / "no-screentips.docx", edits)
    stories = [block for block in read(SCREENTIPS) if block.kind != "title"]
    assert read(plain) == stories
    assert [block.text for block in stories][-2:] == ["Visit the back office portal.", "Careers at Example top"]


def test_a_screentip_in_a_headers_table_cell_names_both(tmp_path: Path) -> None:
    # This header has no relationship to a web page: a link to the top of the document.
    jobs = link("w:tooltip=" + quoteattr("Our back office is hiring"), "jobs", target='w:anchor="_top"')
    table = f"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Careers</w:t></w:r></w:p></w:tc><w:tc>{jobs}</w:tc></w:tr></w:tbl>"

    def header(part: str) -> str:
        start = part.index("<w:p>")
        return part[:start] + table + part[part.rindex("</w:hdr>") :]

    path = rezip(SCREENTIPS, tmp_path / "header-cell.docx", {"word/header1.xml": header})
    where = 'ScreenTip of the link "jobs" in header, section 1, table 1, row 1, cell 2'
    assert screentips(path)[-1] == ("title", "Our back office is hiring", 20, where)


def test_links_that_read_alike_in_one_paragraph_are_told_apart_by_their_order(tmp_path: Path) -> None:
    def linked(text: str, tip: str) -> str:
        return f'<w:hyperlink r:id="rId10" w:tooltip="{tip}"><w:r><w:t>{text}</w:t></w:r></w:hyperlink>'

    def words(text: str) -> str:
        return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'

    first = (
        "<w:p>"
        + words("Write to ")
        + linked("our team", "Ask the back office")
        + words(" or call ")
        + linked("our team", "The back office answers calls")
        + words(", read ")
        + linked("the guide", "Back-office guide")
        + words(" or visit ")
        + linked("our team", "Back office hours")
        + "</w:p>"
    )
    second = "<w:p>" + words("Then ") + linked("our team", "Back office desk") + "</w:p>"
    path = with_body(tmp_path, first + second)
    assert [(text, where) for _, text, _, where in screentips(path)] == [
        ("Ask the back office", 'ScreenTip of the link "our team" in paragraph 1'),
        ("The back office answers calls", 'ScreenTip of the second link "our team" in paragraph 1'),
        ("Back-office guide", 'ScreenTip of the link "the guide" in paragraph 1'),
        ("Back office hours", 'ScreenTip of the third link "our team" in paragraph 1'),
        ("Back office desk", 'ScreenTip of the link "our team" in paragraph 2'),
    ]


@pytest.mark.parametrize(
    ("number", "named"),
    [
        (1, ""),
        (2, "second "),
        (10, "tenth "),
        (11, "11th "),
        (12, "12th "),
        (13, "13th "),
        (21, "21st "),
        (22, "22nd "),
        (23, "23rd "),
        (111, "111th "),
    ],
)
def test_ordinals_name_the_later_of_several_alike(number: int, named: str) -> None:
    assert word._ordinal(number) == named


def test_a_screentip_in_a_comment_comes_after_the_comments_and_goes_with_them(tmp_path: Path) -> None:
    def linked(comments: str) -> str:
        good = "<w:t>Good.</w:t></w:r>"
        tip = '<w:hyperlink w:anchor="_top" w:tooltip="Ask the back office">'
        return comments.replace(good, f"{good}{tip}<w:r><w:t> See the guide.</w:t></w:r></w:hyperlink>", 1)

    path = rezip(FIXTURES / "comments.docx", tmp_path / "comment-link.docx", {"word/comments.xml": linked})
    assert screentips(path) == [
        ("title", "Ask the back office", 6, 'ScreenTip of the link "See the guide." in comment 2')
    ]
    assert list(word.extract_file(path, ExtractOptions(docx_comments=False))) == read(path)[:2]


def test_a_target_frame_is_no_screentip(tmp_path: Path) -> None:
    # What LibreOffice 7.4 writes for a ScreenTip it read: Word opens the link in a
    # window of that name and shows no tip.
    assert screentips(with_body(tmp_path, link('w:tgtFrame="Contact our back office team"'))) == []


def test_a_screentip_inside_a_field_code_is_never_shown_so_not_read(tmp_path: Path) -> None:
    # An IF field whose code holds a link: Word shows the IF's result only.
    body = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> IF 1 = 1 </w:instrText></w:r>'
        '<w:hyperlink r:id="rId10" w:tooltip="back office"><w:r><w:t>x</w:t></w:r></w:hyperlink>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Care</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    assert [block.text for block in read(with_body(tmp_path, body))] == ["Care"]


def test_a_field_link_nested_in_another_fields_code_is_not_read(tmp_path: Path) -> None:
    inner = field(' HYPERLINK "https://example.com" \\o "back office" ')
    inner_runs = inner.removeprefix("<w:p>").removesuffix("</w:p>")
    body = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> IF 1 = 1 "</w:instrText></w:r>'
        + inner_runs
        + '<w:r><w:instrText>"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        '<w:r><w:t>Care</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    assert [block.text for block in read(with_body(tmp_path, body))] == ["Care"]


# ------------------------------------------------------------------ columns


def test_every_character_of_a_screentip_maps_back_to_its_own_line_and_column() -> None:
    by_line = {paragraph.line: paragraph.text for paragraph in paragraphs(SCREENTIPS)}
    for block in read(SCREENTIPS):
        _assert_each_character_maps_back(block, by_line)


def test_a_screentips_columns_are_offsets_in_the_attribute_word_stores() -> None:
    for paragraph in paragraphs(SCREENTIPS):
        if paragraph.kind == "title" and paragraph.element.get(W_TOOLTIP) is not None:
            assert paragraph.text == paragraph.element.get(W_TOOLTIP)
            assert [(piece.text, piece.node) for piece in paragraph.pieces] == [(paragraph.text, paragraph.element)]


def test_findings_in_screentips_have_exact_columns(auditor: Auditor) -> None:
    found = scan_source(Source(str(SCREENTIPS), SCREENTIPS.name, "docx"), auditor).findings
    assert [(f.rule, f.match, f.line, f.column, f.end_column, f.location, f.block_kind) for f in found] == [
        ("back-office", "back office", 10, 11, 22, "paragraph 10", "paragraph"),
        ("back-office", "back office", 13, 13, 24, 'ScreenTip of the link "service guide" in paragraph 1', "title"),
        (
            "back-office",
            "back-office",
            14,
            13,
            24,
            'ScreenTip of the link "open roles" in table 1, row 2, cell 2',
            "title",
        ),
        (
            "non-customer-facing",
            "Non-customer-facing",
            15,
            1,
            20,
            'ScreenTip of the link "list" in paragraph 6',
            "title",
        ),
        # 'Ask the "back office" desk': the escaping backslashes are not counted.
        ("back-office", "back office", 16, 10, 21, 'ScreenTip of the link "FAQ" in paragraph 7', "title"),
        ("back-line", "back line", 18, 13, 22, 'ScreenTip of the link "back office portal" in paragraph 10', "title"),
        ("back-office", "Back-office", 19, 1, 12, 'ScreenTip of the link "top" in header, section 1', "title"),
    ]


def test_a_full_scan_reports_screentip_findings_with_their_location(tmp_path: Path) -> None:
    shutil.copyfile(SCREENTIPS, tmp_path / "job.docx")
    result = audit_paths([tmp_path])
    assert [file.error for file in result.files] == [None]
    assert ("back-office", 'ScreenTip of the link "service guide" in paragraph 1', 13, 13) in [
        (f.rule, f.location, f.line, f.column) for f in result.findings
    ]
    assert len([f for f in result.findings if f.block_kind == "title"]) == 6


# ------------------------------------------------------------------ the fixer leaves them


@pytest.mark.parametrize("track_changes", [True, False])
def test_the_fixer_leaves_screentips_and_fixes_the_link_text(
    tmp_path: Path, auditor: Auditor, track_changes: bool
) -> None:
    found = scan_source(Source(str(SCREENTIPS), SCREENTIPS.name, "docx"), auditor).findings
    planned = plan(found)

    applied = fixer.apply(SCREENTIPS, planned.edits, track_changes=track_changes)

    assert [(e.finding.line, e.finding.location) for e in applied.done] == [(10, "paragraph 10")]
    assert [u.reason for u in applied.unfixed] == [
        f'"back office" at 13:13 {LEFT}',
        f'"back-office" at 14:13 {LEFT}',
        f'"Non-customer-facing" at 15:1 {LEFT}',
        f'"back office" at 16:10 {LEFT}',
        f'"Back-office" at 19:1 {LEFT}',
    ]
    # "back line" asks for review before the fixer sees it.
    assert [(u.finding.match, u.finding.line) for u in planned.unfixed] == [("back line", 18)]
    fixed = tmp_path / "fixed.docx"
    fixed.write_bytes(applied.data or b"")
    # Every ScreenTip is still there, as it was, and still found where it was; the
    # fixed link's is named by what the link now reads.
    assert unnamed(screentips(fixed)) == unnamed(screentips(SCREENTIPS))
    assert screentips(fixed)[5][3] == 'ScreenTip of the link "operations team portal" in paragraph 10'
    for part in ("word/document.xml", "word/header1.xml"):
        before, after = zip_member(SCREENTIPS, part), zip_member(fixed, part)
        assert re.findall(r'w:tooltip="[^"]*"|w:instr="[^"]*"|<w:instrText[^>]*>[^<]*', after) == re.findall(
            r'w:tooltip="[^"]*"|w:instr="[^"]*"|<w:instrText[^>]*>[^<]*', before
        )
    assert zip_member(fixed, "word/header1.xml") == zip_member(SCREENTIPS, "word/header1.xml")
    left = scan_source(Source(str(fixed), fixed.name, "docx"), auditor).findings
    assert [(f.line, f.column, f.rule) for f in left] == [(f.line, f.column, f.rule) for f in found if f.line != 10]


def test_the_fixer_changes_nothing_when_only_screentips_are_found(tmp_path: Path, auditor: Auditor) -> None:
    path = with_body(tmp_path, link('w:tooltip="Our back office team"', "service guide"))
    found = scan_source(Source(str(path), path.name, "docx"), auditor).findings
    assert [f.location for f in found] == ['ScreenTip of the link "service guide" in paragraph 1']

    applied = fixer.apply(path, plan(found).edits)

    assert applied.data is None
    assert [u.reason for u in applied.unfixed] == [f'"back office" at 2:5 {LEFT}']


def test_the_fix_command_leaves_screentips_and_says_so(tmp_path: Path) -> None:
    shutil.copyfile(SCREENTIPS, tmp_path / "job.docx")
    done = subprocess.run(
        [sys.executable, "-m", "wordaudit", "fix", "job.docx"],
        cwd=tmp_path, capture_output=True, text=True, encoding="utf-8",
        env={**os.environ, "NO_COLOR": "1"}, timeout=300, check=False,
    )  # fmt: skip

    assert done.returncode == ExitCode.FINDINGS, done.stderr
    assert "Fixed 1 finding in 1 file." in done.stderr
    assert done.stderr.count(LEFT) == 5
    assert (tmp_path / "job.docx").read_bytes() == SCREENTIPS.read_bytes()
    assert unnamed(screentips(tmp_path / "job.wordaudit.docx")) == unnamed(screentips(SCREENTIPS))


# ------------------------------------------------------------------ field instructions


@pytest.mark.parametrize(
    ("instruction", "expected"),
    [
        (' HYPERLINK "https://example.com/" \\o "Contact our back office" ', "Contact our back office"),
        ('HYPERLINK \\l "Duties" \\o "Back office duties"', "Back office duties"),
        (' hyperlink "https://example.com/" \\o "Ask us" ', "Ask us"),  # field names are not case-sensitive
        (' HYPERLINK "https://example.com/" \\o backoffice ', "backoffice"),  # one bare word
        (' HYPERLINK "https://example.com/" \\o"Ask us"', "Ask us"),  # no space before the quote
        (' HYPERLINK "x" \\o "Ask the \\"back office\\" desk" ', 'Ask the "back office" desk'),
        (' HYPERLINK "x" \\o "C:\\\\Back office\\\\" ', "C:\\Back office\\"),
        (' HYPERLINK "x" \\o "a \\b c" ', "a \\b c"),  # a backslash escaping nothing stays
        (' HYPERLINK "x" \\o "Back office team', "Back office team"),  # a damaged file: the quote left open
        (' HYPERLINK "x" \\o "Back office\\', "Back office\\"),
        (' HYPERLINK "\\o" ', None),  # quoted: the address, not a switch
        (' HYPERLINK "x" \\o ', None),
        (' HYPERLINK "x" \\o "" ', None),
        (' HYPERLINK "x" \\o "  " ', None),
        (' HYPERLINK "x" \\o \\t "_blank" ', None),
        (' HYPERLINK "x" \\t "back office" ', None),
        (' REF "x" \\o "back office" ', None),
        (' "HYPERLINK" "x" \\o "back office" ', None),
        ("", None),
        ("   ", None),
        ('"', None),
        ("\\", None),
    ],
)
def test_the_screentip_of_a_field_instruction(instruction: str, expected: str | None) -> None:
    assert field_screentip(instruction) == expected


@given(st.text(max_size=200))
def test_any_field_instruction_gives_a_screentip_or_none(instruction: str) -> None:
    screentip = field_screentip(" HYPERLINK " + instruction)
    assert screentip is None or screentip.strip()


def test_a_field_code_split_anywhere_reads_as_one(tmp_path: Path) -> None:
    code = ' HYPERLINK "https://example.com/" \\o "Our back office team" '
    bodies = "".join(field(code[:cut], code[cut:]) for cut in range(len(code) + 1))
    tips = screentips(with_body(tmp_path, bodies))
    assert {text for _, text, _, _ in tips} == {"Our back office team"}
    assert len(tips) == len(code) + 1


# ------------------------------------------------------------------ bad input never raises


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (link(""), []),
        (link('w:tooltip=""'), []),
        (link('w:tooltip="&#9;&#10;"'), []),
        (link('w:tooltip="Back&#10;office"'), ["Back\noffice"]),
        (link('w:tooltip="🙂 back office ￼ مكتب"'), ["🙂 back office ￼ مكتب"]),
        (link(f'w:tooltip="{"back office " * 100_000}"'), ["back office " * 100_000]),
        # A field whose code never ends, a separator or an end with no field, code with no field.
        (
            field(' HYPERLINK "x" \\o "Back office"').replace('<w:r><w:fldChar w:fldCharType="end"/></w:r>', ""),
            ["Back office"],
        ),
        ('<w:p><w:r><w:fldChar w:fldCharType="separate"/><w:fldChar w:fldCharType="end"/></w:r></w:p>', []),
        ('<w:p><w:r><w:instrText> HYPERLINK "x" \\o "Back office"</w:instrText></w:r></w:p>', []),
        # A field with no result: its code ends at its end.
        (
            '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "x" \\o "Back office"'
            '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
            ["Back office"],
        ),
        ("<w:p><w:fldSimple><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>", []),
        ('<w:p><w:fldSimple w:instr=" HYPERLINK \\o"><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>', []),
    ],
)
def test_odd_screentips_are_read_or_skipped_never_raised(tmp_path: Path, body: str, expected: list[str]) -> None:
    assert [text for _, text, _, _ in screentips(with_body(tmp_path, body))] == expected


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tooltip=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff"), max_size=60))
def test_any_tooltip_xml_can_hold_is_read_or_skipped(tooltip: str) -> None:
    tooltip = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", tooltip)  # characters XML 1.0 cannot hold
    body = link(f"w:tooltip={quoteattr(tooltip)}") + field(f' HYPERLINK "x" \\o "{tooltip}"')
    with tempfile.TemporaryDirectory() as tmp:
        texts = [text for _, text, _, _ in screentips(with_body(Path(tmp), body))]
    # The attribute's ScreenTip whole, when it says anything; at most one block per
    # link (a quote in the text ends the field's), never a blank one.
    assert len(texts) <= 2
    assert all(text.strip() for text in texts)
    if tooltip.strip():
        assert texts[0] == tooltip


# ------------------------------------------------------------------ links on pictures

PICTURE_LINKS = FIXTURES / "picture_links.docx"


def test_a_link_on_a_picture_has_its_screentip_read_after_the_pictures_alt_text() -> None:
    # picture_links.docx (make_word_cases.py): Word writes a picture's link as an
    # a:hlinkClick on its wp:docPr and again on its pic:cNvPr; read once.
    assert zip_member(PICTURE_LINKS, "word/document.xml").count('tooltip="Meet our back office team"') == 2
    assert screentips(PICTURE_LINKS) == [
        ("title", "Meet our back office team", 6, "ScreenTip of the link on Picture 1, anchored in paragraph 1"),
        ("title", "Write to the back-office team", 9, "ScreenTip of the link on Picture 3, anchored in paragraph 3"),
        (
            "title",
            "Ask at the front office, at the back of the office",
            11,
            "ScreenTip of the link on Picture 4, anchored in paragraph 4",
        ),
    ]


def test_a_comment_on_a_linked_picture_covers_its_screentip_and_alt_text() -> None:
    def found(*, inline: bool) -> list[tuple[int, str]]:
        result = audit_paths_with([PICTURE_LINKS], Config(), inline_suppressions=inline)
        return [(f.line, f.location) for f in result.findings]

    assert found(inline=True) == [(6, "ScreenTip of the link on Picture 1, anchored in paragraph 1")]
    assert found(inline=False) == [
        (6, "ScreenTip of the link on Picture 1, anchored in paragraph 1"),
        (8, "alt text of Picture 3, anchored in paragraph 3"),
        (9, "ScreenTip of the link on Picture 3, anchored in paragraph 3"),
    ]


def test_the_fixer_leaves_a_pictures_screentip(tmp_path: Path, auditor: Auditor) -> None:
    path = shutil.copyfile(PICTURE_LINKS, tmp_path / "team.docx")
    found = scan_source(Source(str(path), "team.docx", "docx"), auditor).findings
    applied = fixer.apply(path, plan(found).edits)

    assert applied.data is None
    assert [u.reason for u in applied.unfixed] == [f'"back office" at 6:10 {LEFT}']
