"""The Word extractor on what Word writes and LibreOffice does not (emoji.docx,
hidden_defaults.docx, joins.docx, made by tests/fixtures/docx/make_word_cases.py from a
document Word saved), and on phonetic guides as LibreOffice writes them (ruby.docx).

Positions are asserted as in test_docx.py: (kind, line, column, where) of a phrase's
first character, ``line`` counting every ``w:p`` in reading order.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import wordaudit.fix.docx as fixer
from wordaudit.api import build_auditor, scan_source
from wordaudit.extract import ExtractOptions, ooxml
from wordaudit.extract import docx as word
from wordaudit.fix.model import plan
from wordaudit.model import Block, Source

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "docx"
CASES = ("emoji.docx", "hidden_defaults.docx", "joins.docx", "ruby.docx")
CHANGED = 'w:author="Reviewer" w:date="2024-03-01T09:00:00Z"'


def read(path: Path) -> list[Block]:
    return list(word.extract_file(path, ExtractOptions()))


def texts(path: Path) -> list[str]:
    return [block.text for block in read(path)]


def place(path: Path, phrase: str) -> tuple[str, int, int, str | None]:
    hits = [(block, block.text.index(phrase)) for block in read(path) if phrase in block.text]
    assert len(hits) == 1, f"{phrase!r} in {len(hits)} blocks of {path.name}"
    block, offset = hits[0]
    position = block.position(offset)
    return block.kind, position.line, position.column, position.where


def member(name: str, part: str) -> str:
    with zipfile.ZipFile(FIXTURES / name) as archive:
        return archive.read(part).decode("utf-8")


def with_body(tmp_path: Path, body: str) -> Path:
    """emoji.docx (Word's namespace declarations, Word's styles) with another body."""
    source, target = FIXTURES / "emoji.docx", tmp_path / "variant.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "word/document.xml":
                document = data.decode("utf-8")
                start = document.index("<w:body>") + len("<w:body>")
                data = (document[:start] + body + document[document.rindex("<w:sectPr") :]).encode("utf-8")
            new.writestr(info, data)
    return target


# ------------------------------------------------------------------ the fixtures hold their case


@pytest.mark.parametrize(
    ("name", "part", "snippet"),
    [
        ("emoji.docx", "word/document.xml", '<mc:Choice Requires="w16se"><w16se:symEx '),
        ("emoji.docx", "word/document.xml", "<mc:Fallback><w:t>\U0001f642</w:t></mc:Fallback>"),
        ("emoji.docx", "word/document.xml", 'xmlns:w16se="http://schemas.microsoft.com/office/word/2015/wordml/symex"'),
        ("hidden_defaults.docx", "word/styles.xml", "<w:rPrDefault><w:rPr><w:vanish/>"),
        ("joins.docx", "word/document.xml", 'w:dropCap="drop"'),
        ("joins.docx", "word/document.xml", '<w:rPr><w:del w:id="101"'),
        ("joins.docx", "word/document.xml", "<w:rPr><w:vanish/><w:specVanish/></w:rPr></w:pPr>"),
        ("joins.docx", "word/styles.xml", 'w:styleId="Heading2"'),
        ("ruby.docx", "word/document.xml", "<w:rt><w:r>"),
        ("ruby.docx", "word/document.xml", "<w:rubyBase><w:r>"),
    ],
)
def test_fixture_holds_its_case(name: str, part: str, snippet: str) -> None:
    assert snippet in member(name, part)


@pytest.mark.parametrize("name", CASES[:3])
def test_the_word_cases_are_made_from_a_document_word_saved(name: str) -> None:
    assert "<Application>Microsoft Office Word</Application>" in member(name, "docProps/app.xml")


@pytest.mark.parametrize("name", CASES)
def test_every_position_points_back_at_its_paragraphs_character(name: str) -> None:
    # Paragraphs read as one keep their own lines: what the fixer and comments count.
    path = FIXTURES / name
    options = ExtractOptions()
    by_line = {p.line: p.text for p in word.paragraphs(ooxml.open_package(path, options.max_unpacked_bytes), options)}
    for block in read(path):
        for offset, character in enumerate(block.text):
            position = block.position(offset)
            assert by_line[position.line][position.column - 1] == character, (name, block.text, offset)


# ------------------------------------------------------------------ mc:AlternateContent


def test_an_emoji_is_read_from_the_fallback_word_writes_for_other_readers() -> None:
    path = FIXTURES / "emoji.docx"
    assert texts(path) == ["\U0001f642 Our back office team.", "back\U0001f642office"]
    assert place(path, "back office") == ("paragraph", 1, 7, "paragraph 1")


def _alternate(*branches: str) -> str:
    return f"<w:p><w:r><mc:AlternateContent>{''.join(branches)}</mc:AlternateContent></w:r></w:p>"


def _choice(requires: str, text: str) -> str:
    return f'<mc:Choice Requires="{requires}"><w:t>{text}</w:t></mc:Choice>'


FALLBACK = "<mc:Fallback><w:t>fallback</w:t></mc:Fallback>"


@pytest.mark.parametrize(
    ("branches", "expected"),
    [
        ((_choice("wps", "choice"), FALLBACK), ["choice"]),  # a text box's DrawingML
        ((_choice("wpg wps", "choice"), FALLBACK), ["choice"]),  # a group of shapes
        ((_choice("w16se", "choice"), FALLBACK), ["fallback"]),  # Word 2015's symbol extensions
        ((_choice("wps w16se", "choice"), FALLBACK), ["fallback"]),  # every prefix must be understood
        ((_choice("w16se", "first"), _choice("w14", "second"), FALLBACK), ["second"]),
        ((_choice("cx1", "choice"), FALLBACK), ["choice"]),  # a chart: DrawingML, not read as text anyway
        ((_choice("nosuchprefix", "choice"), FALLBACK), ["fallback"]),  # declared nowhere
        ((_choice("w16se", "choice"),), []),  # nothing this reader can take
    ],
)
def test_the_first_choice_whose_namespaces_are_understood_is_read_else_the_fallback(
    tmp_path: Path, branches: tuple[str, ...], expected: list[str]
) -> None:
    assert texts(with_body(tmp_path, _alternate(*branches))) == expected


# ------------------------------------------------------------------ phonetic guides


def test_ruby_base_text_is_read_and_its_guide_is_not() -> None:
    path = FIXTURES / "ruby.docx"
    assert texts(path) == ["Our back office team.", "The operations team."]
    assert place(path, "back office") == ("paragraph", 1, 5, "paragraph 1")


def test_the_fixer_leaves_a_phrase_under_a_phonetic_guide_to_word() -> None:
    path = FIXTURES / "ruby.docx"
    findings = scan_source(Source(str(path), path.name, "docx"), build_auditor()).findings
    applied = fixer.apply(path, plan(findings).edits)
    assert applied.data is None
    assert [u.reason for u in applied.unfixed] == [
        '"back office" at 1:5 is under a phonetic guide (ruby); edit it by hand'
    ]


# ------------------------------------------------------------------ hidden text


def test_text_hidden_by_the_document_default_is_not_read_unless_a_nearer_level_shows_it() -> None:
    assert texts(FIXTURES / "hidden_defaults.docx") == [
        "Shown by its paragraph style: back office team.",
        "Shown by its character style: back-office team.",
        "Shown directly: back line staff.",
    ]


def test_a_run_with_spec_vanish_is_read() -> None:
    # w:specVanish belongs on a paragraph mark (a style separator); on a run the
    # standard lets a reader ignore it, and missing a phrase costs more than
    # reading one more: joins.docx, paragraph 7.
    assert texts(FIXTURES / "joins.docx")[-2] == "Our back office staff."


# ------------------------------------------------------------------ paragraphs Word shows as one


def test_a_drop_cap_starts_the_paragraph_after_it() -> None:
    path = FIXTURES / "joins.docx"
    assert texts(path)[0] == "Back office staff process every order with our back-office team."
    assert place(path, "Back office staff") == ("paragraph", 1, 1, "paragraph 1")
    # Past the drop cap, positions are those of the paragraph holding the text.
    assert place(path, "back-office") == ("paragraph", 2, 47, "paragraph 2")


def test_a_paragraph_whose_mark_is_deleted_runs_on_into_the_next() -> None:
    path = FIXTURES / "joins.docx"
    assert texts(path)[1] == "Our back office team."
    assert place(path, "back office team") == ("paragraph", 3, 5, "paragraph 3")


def test_a_run_in_heading_with_a_style_separator_is_one_heading_with_its_text() -> None:
    where = "heading 'Back office duties are listed below.'"
    assert place(FIXTURES / "joins.docx", "Back office duties") == ("heading", 5, 1, where)


def test_a_paragraph_whose_mark_is_hidden_runs_on_into_the_next() -> None:
    path = FIXTURES / "joins.docx"
    assert texts(path)[-1] == "The back office handles refunds."
    assert place(path, "back office handles") == ("paragraph", 8, 5, "paragraph 8")


def test_paragraphs_are_still_one_per_w_p_with_those_that_run_on_marked() -> None:
    path, options = FIXTURES / "joins.docx", ExtractOptions()
    paragraphs = list(word.paragraphs(ooxml.open_package(path, options.max_unpacked_bytes), options))
    assert [(p.line, p.runs_on) for p in paragraphs] == [
        (1, True),
        (2, False),
        (3, True),
        (4, False),
        (5, True),
        (6, False),
        (7, False),
        (8, True),
        (9, False),
    ]


@pytest.mark.parametrize(
    "body",
    [
        # A deleted mark before a table: the table still ends the paragraph.
        f'<w:p><w:pPr><w:rPr><w:del w:id="1" {CHANGED}/></w:rPr></w:pPr><w:r><w:t>Come back</w:t></w:r></w:p>'
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>office hours</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
        # A drop cap as a cell's last paragraph: the cell's end ends it.
        '<w:tbl><w:tr><w:tc><w:p><w:pPr><w:framePr w:dropCap="drop" w:lines="3"/></w:pPr>'
        "<w:r><w:t>Come back</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>office hours</w:t></w:r></w:p></w:tc>"
        "</w:tr></w:tbl>",
        # The story's last paragraph: nothing to run on into.
        f'<w:p><w:r><w:t>Come back</w:t></w:r></w:p><w:p><w:pPr><w:rPr><w:moveFrom w:id="2" {CHANGED}/>'
        "</w:rPr></w:pPr><w:r><w:t>office hours</w:t></w:r></w:p>",
    ],
    ids=["before-a-table", "end-of-a-cell", "end-of-the-story"],
)
def test_a_paragraph_runs_on_only_into_one_that_follows_it_directly(tmp_path: Path, body: str) -> None:
    assert texts(with_body(tmp_path, body)) == ["Come back", "office hours"]


def test_a_moved_away_paragraph_mark_runs_on_like_a_deleted_one(tmp_path: Path) -> None:
    body = (
        f'<w:p><w:pPr><w:rPr><w:moveFrom w:id="1" {CHANGED}/></w:rPr></w:pPr><w:r><w:t>Our back</w:t></w:r></w:p>'
        '<w:p><w:r><w:t xml:space="preserve"> office team.</w:t></w:r></w:p>'
    )
    assert texts(with_body(tmp_path, body)) == ["Our back office team."]


def test_a_drop_cap_set_to_none_is_a_paragraph_of_its_own(tmp_path: Path) -> None:
    body = (
        '<w:p><w:pPr><w:framePr w:dropCap="none" w:w="2000" w:hAnchor="text"/></w:pPr>'
        "<w:r><w:t>Framed back</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>office hours</w:t></w:r></w:p>"
    )
    assert texts(with_body(tmp_path, body)) == ["Framed back", "office hours"]


# ---------------------------------------------------------------- fields over paragraphs


def test_a_fields_code_running_over_paragraphs_is_no_text() -> None:
    # merge_if.docx: an IF whose code holds a paragraph break and, in its second paragraph,
    # a MERGEFIELD showing "«Back office lead»": code, not text. The IF's result is read.
    assert texts(FIXTURES / "merge_if.docx") == [
        "Welcome to operations.",
        "Your manager will call.",
        "Our back office team will write first.",
    ]
    assert place(FIXTURES / "merge_if.docx", "back office") == ("paragraph", 4, 5, "paragraph 4")


def test_the_result_of_a_field_running_over_paragraphs_is_known_as_computed() -> None:
    options = ExtractOptions()
    package = ooxml.open_package(FIXTURES / "merge_if.docx", options.max_unpacked_bytes)
    fields = [{piece.field for piece in paragraph.pieces} for paragraph in word.paragraphs(package, options)]
    assert fields == [set(), {"IF"}, {"IF"}, {None}]


def test_a_drop_down_form_fields_chosen_entry_is_read_where_it_stands() -> None:
    # form_fields.docx: legacy drop-downs, whose chosen entry is only in the field's data.
    assert texts(FIXTURES / "form_fields.docx") == [
        "Department: Back office team",
        "Other: Front office team",
        "Unit: Back-office staff",
    ]
    assert place(FIXTURES / "form_fields.docx", "Back office") == ("paragraph", 1, 13, "paragraph 1")
    options = ExtractOptions()
    package = ooxml.open_package(FIXTURES / "form_fields.docx", options.max_unpacked_bytes)
    fields = [[piece.field for piece in paragraph.pieces] for paragraph in word.paragraphs(package, options)]
    assert fields == [[None, "FORMDROPDOWN", None]] * 3


def test_a_field_that_never_ends_is_forgotten_at_its_paragraphs_end(tmp_path: Path) -> None:
    # The IF's end taken out: a damaged field hides no more than the rest of its paragraph.
    body = member("merge_if.docx", "word/document.xml")
    body = body[body.index("<w:body>") + len("<w:body>") : body.rindex("<w:sectPr")]
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    assert body.count(end) == 1
    damaged = with_body(tmp_path, body.replace(end, "</w:p>"))

    assert texts(damaged) == [
        "«Back office lead»Welcome to operations.",
        "Your manager will call.",
        "Our back office team will write first.",
    ]
