"""The title in a PDF's document properties (its Info dictionary's Title), read
as prose by both engines: on PDFs written by LibreOffice and Chromium
(tests/fixtures/pdf, see its README.md), and on PDFs built here whose Info
dictionary is odd or damaged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import HAVE_PDFIUM, PDF_ENGINES, pdf_file
from wordaudit.api import audit_paths
from wordaudit.config import Config
from wordaudit.extract import ExtractOptions, pdf
from wordaudit.extract.pdf_fields import MAX_TEXT
from wordaudit.extract.pdf_title import WHERE, names_a_file, title_block
from wordaudit.fix import fix_paths
from wordaudit.model import Block, Segment

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pdf"

needs_pdfium = pytest.mark.skipif(not HAVE_PDFIUM, reason="pypdfium2 is not installed")

# One page of text ("Our operations team."), the Info dictionary (if any) object 6.
_PAGE = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    b"<< /Length 51 >>\nstream\nBT /F1 12 Tf 20 100 Td (Our operations team.) Tj ET\nendstream",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
]


def read(path: Path, engine: str) -> list[Block]:
    return list(pdf.extract_file(path, ExtractOptions(pdf_engine=engine)))


def titles(blocks: list[Block]) -> list[Block]:
    return [block for block in blocks if block.kind == "front-matter"]


def with_info(tmp_path: Path, info: bytes, *more: bytes, trailer: bytes = b"/Info 6 0 R") -> Path:
    """A one-page PDF whose trailer's Info is ``trailer``, object 6 ``info``."""
    path = tmp_path / "titled.pdf"
    path.write_bytes(pdf_file([*_PAGE, info, *more], trailer))
    return path


def titled(tmp_path: Path, title: bytes) -> Path:
    """A one-page PDF whose Info dictionary's Title is the PDF object ``title``."""
    return with_info(tmp_path, b"<< /Title " + title + b" /Producer (test) >>")


# --- real files -----------------------------------------------------------------


def test_the_title_is_a_front_matter_block_after_the_pages(engine: str) -> None:
    blocks = read(FIXTURES / "title.pdf", engine)
    assert blocks[-1] == Block("front-matter", "Back Office Administrator", (Segment(0, 1, 1, None, WHERE),))
    place = blocks[-1].position(5)
    assert (place.location, place.page, place.line, place.column) == (WHERE, None, 1, 6)
    # The page blocks are as they were without the title, placed as before.
    assert [(b.kind, b.text, b.position(0).location) for b in blocks[:-1]] == [
        ("paragraph", "Service Operations Administrator", "page 1, line 1"),
        (
            "paragraph",
            "You keep every customer's order moving, from the first call to the last invoice.",
            "page 1, line 2",
        ),
        (
            "paragraph",
            "No role here is non-customer-facing: each one serves a customer or a colleague who does.",
            "page 1, line 3",
        ),
    ]


def test_a_title_chromium_wrote_from_the_pages_title_element(engine: str) -> None:
    # Written as UTF-16 (it holds an en dash).
    assert titles(read(FIXTURES / "title-chromium.pdf", engine)) == [
        Block("front-matter", "Our back-office team \u2013 who we are", (Segment(0, 1, 1, None, WHERE),))
    ]


@pytest.mark.parametrize(
    "name",
    [
        "title-file-name.pdf",  # "Microsoft Word - Back Office Administrator.docx", from LibreOffice
        "justified-narrow.pdf",  # "justified-narrow.html": Chromium names a page without a <title> so
    ],
)
def test_a_title_that_is_only_a_file_name_is_not_read(engine: str, name: str) -> None:
    blocks = read(FIXTURES / name, engine)
    assert blocks
    assert titles(blocks) == []


def test_a_pdf_without_a_title_gives_no_title_block(engine: str) -> None:
    # simple.pdf's Info dictionary has a producer and dates, no Title.
    assert [block.kind for block in read(FIXTURES / "simple.pdf", engine)] == ["paragraph", "paragraph"]


@needs_pdfium
@pytest.mark.parametrize("name", ["title.pdf", "title-chromium.pdf", "title-file-name.pdf", "comments.pdf"])
def test_both_engines_give_the_same_title_block(name: str) -> None:
    assert titles(read(FIXTURES / name, "pdfminer")) == titles(read(FIXTURES / name, "pdfium"))


def test_comments_come_after_the_title(engine: str, tmp_path: Path) -> None:
    # A sticky note on the page of a titled PDF: the title block, then the comment's.
    note = b"<< /Type /Annot /Subtype /Text /Rect [20 150 40 170] /Contents (Was: back office team) >>"
    page = _PAGE[2].replace(b" >> >> >>", b" >> >> /Annots [7 0 R] >>")
    path = tmp_path / "noted.pdf"
    path.write_bytes(
        pdf_file([*_PAGE[:2], page, *_PAGE[3:], b"<< /Title (Back Office Clerk) >>", note], b"/Info 6 0 R")
    )
    blocks = read(path, engine)
    assert [(b.kind, b.text, b.position(0).location) for b in blocks] == [
        ("paragraph", "Our operations team.", "page 1, line 1"),
        ("front-matter", "Back Office Clerk", WHERE),
        ("comment", "Was: back office team", "comment 1, page 1"),
    ]


# --- through a scan and the fixer --------------------------------------------------


@pytest.mark.parametrize("pdf_engine", PDF_ENGINES)
def test_a_title_finding_is_reported_with_its_place(pdf_engine: str, tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "title.pdf", tmp_path / "title.pdf")
    result = audit_paths([tmp_path], Config(pdf_engine=pdf_engine))
    assert [f.error for f in result.files] == [None]
    found = [(f.rule, f.match, f.location, f.page, f.line, f.column, f.block_kind) for f in result.findings]
    assert found == [
        ("non-customer-facing", "non-customer-facing", "page 1, line 3", 1, 3, 17, "paragraph"),
        ("back-office", "Back Office", WHERE, None, 1, 1, "front-matter"),
    ]
    title = result.findings[1]
    assert title.context == "Back Office Administrator"
    assert title.suggestions


def test_the_fixer_leaves_a_titled_pdf_alone(tmp_path: Path) -> None:
    # PDFs are report-only: the fixer neither reads nor writes them.
    path = tmp_path / "title.pdf"
    shutil.copy(FIXTURES / "title.pdf", path)
    before = path.read_bytes()
    report = fix_paths([tmp_path], Config())
    assert [(f.format, f.unsupported, f.fixed) for f in report.files] == [("pdf", True, ())]
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["title.pdf"]


# --- odd and damaged titles -------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (b"(Back Office Administrator)", "Back Office Administrator"),
        (b"<FEFF004200610063006B0020004F00660066006900630065>", "Back Office"),  # UTF-16BE, as Word writes it
        (b"<EFBBBF4261636B204F6666696365>", "Back Office"),  # UTF-8 after its mark (PDF 2.0)
        (b"(Back\\r\\nOffice\\tteam\\000)", "Back Office team"),  # control characters are spaces
        (b"(  Back   Office  )", "Back Office"),
        (b"<FEFF0042D800006B>", "Bk"),  # half a character (a lone surrogate) is left out
        (b"<4261636B20AD20>", "Back"),  # a PDFDocEncoding byte with no character
        (b"/BackOffice", "BackOffice"),  # a name, not a string: PDFium reads it, so both do
        (b"7 0 R", "Back Office Clerk"),  # an indirect string
    ],
)
def test_odd_titles_are_read_alike_by_both_engines(engine: str, tmp_path: Path, title: bytes, expected: str) -> None:
    path = with_info(tmp_path, b"<< /Title " + title + b" >>", b"(Back Office Clerk)")
    assert [block.text for block in titles(read(path, engine))] == [expected]


@pytest.mark.parametrize(
    "info",
    [
        b"<< /Title () >>",
        b"<< /Title (   ) >>",
        b"<< /Title (\\r\\n\\t\\000) >>",
        b"<< /Title 42 >>",
        b"<< /Title 4.5 >>",
        b"<< /Title true >>",
        b"<< /Title [(Back) (Office)] >>",
        b"<< /Title << /Text (Back Office) >> >>",
        b"<< /Title 99 0 R >>",  # a reference to no object
        b"<< /Title 6 0 R >>",  # a reference to the Info dictionary itself
        b"<< /Author (Pat) >>",
        b"42",  # an Info "dictionary" that is a number
        b"<< /Title (Back Office) /Length 3 >>\nstream\nabc\nendstream",  # a stream
    ],
)
def test_a_missing_or_damaged_title_gives_no_block_and_the_pages_are_read(
    engine: str, tmp_path: Path, info: bytes
) -> None:
    blocks = read(with_info(tmp_path, info), engine)
    assert [(block.kind, block.text) for block in blocks] == [("paragraph", "Our operations team.")]


@pytest.mark.parametrize("trailer", [b"/Info 99 0 R", b"/Info 7", b"/Info (Back Office)"])
def test_an_info_entry_that_is_no_dictionary_gives_no_block(engine: str, tmp_path: Path, trailer: bytes) -> None:
    blocks = read(with_info(tmp_path, b"<< /Title (Back Office) >>", trailer=trailer), engine)
    assert [(block.kind, block.text) for block in blocks] == [("paragraph", "Our operations team.")]


def test_a_title_updated_incrementally_is_read_as_last_saved(engine: str, tmp_path: Path) -> None:
    # An incremental update appends a new Info dictionary and a trailer pointing at it.
    path = titled(tmp_path, b"(Back Office Administrator)")
    data = path.read_bytes()
    previous = int(data.rsplit(b"startxref", 1)[1].split()[0])
    at = len(data)
    update = b"7 0 obj\n<< /Title (Operations Administrator) >>\nendobj\n"
    table = len(data) + len(update)
    update += b"xref\n7 1\n%010d 00000 n \n" % at
    update += b"trailer\n<< /Size 8 /Root 1 0 R /Info 7 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (previous, table)
    path.write_bytes(data + update)
    assert [block.text for block in titles(read(path, engine))] == ["Operations Administrator"]


def test_a_huge_title_is_cut(engine: str, tmp_path: Path) -> None:
    path = titled(tmp_path, b"(" + b"Back office " * 5000 + b")")
    (block,) = titles(read(path, engine))
    assert len(block.text) == MAX_TEXT
    assert block.text.startswith("Back office Back office")


@needs_pdfium
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=40), utf16=st.booleans())
def test_any_title_bytes_are_read_alike_and_never_raise(tmp_path: Path, raw: bytes, utf16: bool) -> None:
    # PDFium reads invalid UTF-8 after its mark in a way of its own; that
    # alone may differ (the title is still read, and nothing raises).
    assume(not raw.startswith(b"\xef\xbb\xbf"))
    data = (b"\xfe\xff" if utf16 else b"") + raw
    path = titled(tmp_path, b"<" + data.hex().encode() + b">")
    slow, fast = read(path, "pdfminer"), read(path, "pdfium")
    assert [block.text for block in slow if block.kind == "paragraph"] == ["Our operations team."]
    assert titles(slow) == titles(fast)


# --- what counts as a title -----------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Microsoft Word - role.docx",
        "Microsoft Word - Back Office Administrator.DOC",
        "back-office-clerk.pdf",
        "notes.txt",
        "justified-narrow.html",
        r"C:\Users\pat\Documents\Back Office Clerk.odt",
        "/home/pat/back office.md",
    ],
)
def test_file_names_are_no_titles(title: str) -> None:
    assert names_a_file(title)
    assert title_block(title) is None


@pytest.mark.parametrize(
    "title",
    [
        "Back Office Administrator",
        "Back Office Administrator.",
        "How we use .docx templates",  # a suffix, but not the end of a name
        "What goes in a .pdf",  # a suffix after a space: no file name
        "Back-office roles v2.0",
        "Microsoft Word - Back Office Administrator",  # the printer's prefix alone names no file
    ],
)
def test_titles_that_are_prose_are_read(title: str) -> None:
    assert not names_a_file(title)
    block = title_block(title)
    assert block is not None
    assert block.text == title
