"""Encodings and line endings of text files, as people's editors save them."""

from __future__ import annotations

import codecs

import pytest

from wordaudit.errors import BinaryFile
from wordaudit.textio import decode

TEXT = "Café back-office team\nsecond line ’quoted’\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # Python writes a BOM
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("cp1252"),
        TEXT.replace("\n", "\r\n").encode("utf-8"),
        TEXT.replace("\n", "\r").encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "cp1252", "crlf", "cr-cp1252"],
)
def test_decodes_to_the_same_text(data: bytes) -> None:
    assert decode(data) == TEXT


def test_latin1_file_decodes_to_its_words() -> None:
    data = ("Résumé of the déjà-vu back office " * 20).encode("latin-1")
    assert "back office" in decode(data)


def test_binary_named_txt_is_an_error() -> None:
    with pytest.raises(BinaryFile):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def test_stray_bad_byte_in_utf8_keeps_the_rest() -> None:
    data = "Naïve back office ".encode() * 200 + b"\xff" + "café".encode()
    text = decode(data)
    assert text.startswith("Naïve back office")
    assert text.endswith("café")
