"""Images' alt text and the document's title: read, placed, and left to a person
by the fixer. The document is written by python-docx (a picture as Word inserts
one, an inline wp:drawing with its wp:docPr; the title in docProps/core.xml)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import docx
import pytest

import wordaudit.fix.docx as fixer
from wordaudit.api import build_auditor, scan_source
from wordaudit.fix.model import plan
from wordaudit.model import Source


def png() -> bytes:
    """A 1 x 1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def described(tmp_path: Path) -> Path:
    picture = tmp_path / "team.png"
    picture.write_bytes(png())
    document = docx.Document()
    document.core_properties.title = "Back Office Clerk"
    document.add_paragraph("Our team answers every call.")
    document.add_paragraph().add_run().add_picture(str(picture))
    doc_pr = document.inline_shapes[0]._inline.docPr
    doc_pr.set("descr", "Photo of our back office staff at work")
    doc_pr.set("title", "")
    document.add_paragraph("Every role serves the customer.")
    path = tmp_path / "described.docx"
    document.save(str(path))
    return path


def test_alt_text_and_the_title_are_read_and_placed(described: Path) -> None:
    found = scan_source(Source(str(described), described.name, "docx"), build_auditor()).findings
    name = "Picture 1"  # python-docx names its first inline picture as Word does
    assert [(f.rule, f.match, f.location) for f in found] == [
        ("back-office", "back office", f"alt text of {name}, anchored in paragraph 2"),
        ("back-office", "Back Office", "document properties: title"),
    ]
    # Numbered after the body's three paragraphs, the title last.
    assert [(f.line, f.column) for f in found] == [(4, 14), (5, 1)]


def test_the_fixer_leaves_alt_text_and_the_title_to_a_person(described: Path) -> None:
    auditor = build_auditor()
    found = scan_source(Source(str(described), described.name, "docx"), auditor).findings
    planned = plan(found)
    applied = fixer.apply(described, planned.edits, track_changes=True)
    assert not applied.done
    reasons = sorted(u.reason for u in [*applied.unfixed, *planned.unfixed])
    assert any("is an image's alt text" in reason for reason in reasons)
    assert any("is the document's title" in reason for reason in reasons)


def test_the_title_is_read_where_libreoffice_relates_it_by_the_iso_spelling() -> None:
    # LibreOffice's "Office Open XML Text" filter relates the core properties
    # by ".../officedocument/2006/relationships/metadata/core-properties".
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "docx" / "title.docx"
    found = scan_source(Source(str(fixture), fixture.name, "docx"), build_auditor()).findings
    assert [(f.rule, f.match, f.location) for f in found] == [
        ("back-office", "Back Office", "document properties: title"),
    ]
