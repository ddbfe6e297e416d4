"""The Word package read on demand (``wordaudit.extract.opc``): parts the
extractor never asks for are never inflated or parsed, and a package is
refused where python-docx refuses it, with the same sentence as before."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from wordaudit.errors import CorruptDocx
from wordaudit.extract import ExtractOptions
from wordaudit.extract import docx as word

FIXTURES = Path(__file__).parent.parent / "fixtures" / "docx"


def copy(
    source: Path, target: Path, *, stored: str = "", drop: str = "", replace: dict[str, bytes] | None = None
) -> Path:
    """A copy of a package; ``stored`` is written uncompressed, ``drop`` left out."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename == drop:
                continue
            data = (replace or {}).get(info.filename, old.read(info))
            method = zipfile.ZIP_STORED if info.filename == stored else zipfile.ZIP_DEFLATED
            new.writestr(info.filename, data, compress_type=method)
    return target


def texts(path: Path) -> list[str]:
    return [block.text for block in word.extract_file(path, ExtractOptions())]


def test_a_damaged_picture_is_never_read_so_the_text_still_is(tmp_path: Path) -> None:
    picture = "word/media/image1.jpeg"
    damaged = copy(FIXTURES / "picture_links.docx", tmp_path / "damaged.docx", stored=picture)
    with zipfile.ZipFile(damaged) as archive:
        image = archive.read(picture)
    data = damaged.read_bytes()
    at = data.index(image) + len(image) // 2  # stored, so its bytes are in the file as they are
    damaged.write_bytes(data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :])

    with pytest.raises(zipfile.BadZipFile, match="CRC"):
        docx.Document(str(damaged))  # python-docx inflates every part as it opens the package
    assert texts(damaged) == texts(FIXTURES / "picture_links.docx")
    assert any("back office" in text.lower() for text in texts(damaged))


def test_a_damaged_part_the_reader_does_not_need_does_not_stop_it(tmp_path: Path) -> None:
    # List numbering says how items are numbered, which no finding depends on.
    damaged = copy(FIXTURES / "body.docx", tmp_path / "damaged.docx", replace={"word/numbering.xml": b"<w:numbering"})

    with pytest.raises(etree.XMLSyntaxError):
        docx.Document(str(damaged))  # python-docx parses every part it models
    assert texts(damaged) == texts(FIXTURES / "body.docx")


def test_a_damaged_part_the_reader_needs_is_named(tmp_path: Path) -> None:
    damaged = copy(FIXTURES / "body.docx", tmp_path / "damaged.docx", replace={"word/styles.xml": b"<w:styles"})

    with pytest.raises(CorruptDocx, match=r"^damaged XML in word/styles\.xml: "):
        texts(damaged)


def test_a_part_the_relationships_name_but_the_zip_lacks_is_refused_as_python_docx_refuses_it(tmp_path: Path) -> None:
    lacking = copy(FIXTURES / "body.docx", tmp_path / "lacking.docx", drop="word/numbering.xml")

    with pytest.raises(KeyError):
        docx.Document(str(lacking))
    # Named, with the part that names it: the user can tell what is gone.
    expected = r"^not a valid Word document: word/numbering\.xml, which word/document\.xml refers to, is missing$"
    with pytest.raises(CorruptDocx, match=expected):
        texts(lacking)


def test_a_part_without_a_content_type_is_refused_as_python_docx_refuses_it(tmp_path: Path) -> None:
    with zipfile.ZipFile(FIXTURES / "body.docx") as archive:
        types = archive.read("[Content_Types].xml").decode("utf-8")
    for element in ('<Override PartName="/word/numbering.xml"', '<Default Extension="xml"'):
        start = types.index(element)
        types = types[:start] + types[types.index("/>", start) + 2 :]
    assert "numbering" not in types
    untyped = types
    lacking = copy(FIXTURES / "body.docx", tmp_path / "untyped.docx", replace={"[Content_Types].xml": untyped.encode()})

    with pytest.raises(KeyError, match="no content type"):
        docx.Document(str(lacking))
    with pytest.raises(CorruptDocx, match=r"^not a valid Word document: a part it refers to is missing$"):
        texts(lacking)
