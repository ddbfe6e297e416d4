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


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Our naïve back office team.\n", "latin-1"),
        ("Fees of £100 for the back office.\n", "cp1252"),
        ("The back office – “operations” – don’t.\n", "cp1252"),
        ("Der Backoffice-Bereich unterstützt die Kunden. Größe, Straße.\n", "cp1252"),
        # A long English file whose only non-ASCII bytes are a few curly quotes:
        # under one bad byte in a thousand, yet not UTF-8 with strays.
        ("The back office team reads every line of this policy.\n" * 400 + "It’s “done”.\n", "cp1252"),
    ],
    ids=["short-latin1", "pound-sign", "quotes-dashes", "german", "long-english-few-quotes"],
)
def test_western_legacy_files_read_as_windows_wrote_them(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding)) == text


@pytest.mark.parametrize(
    "text",
    [
        "Zespół back office obsługuje klientów. Łódź, źródło, żółw.\n",
        "Příliš žluťoučký kůň úpěl ďábelské ódy v back office.\n",
    ],
    ids=["polish", "czech"],
)
def test_central_european_files_are_not_forced_into_windows_1252(text: str) -> None:
    assert decode(text.encode("cp1250")) == text


@pytest.mark.parametrize("control", [b"\x01", b"\x07", b"\x08", b"\x1a"])
def test_a_small_file_with_a_stray_control_character_is_text(control: bytes) -> None:
    data = b"Our back office team.\n\n```\nlog " + control + b"[0m\n```\n"
    assert decode(data) == data.decode("ascii")


@pytest.mark.parametrize(
    "data",
    [
        b"Our back office team.\n\x00\n",  # a NUL, however short the file
        b"\x01\x02\x03\x04\x05 a few words",  # more control characters than strays
        b"Some words. " * 100 + bytes(range(1, 9)) * 2,  # past 1 % of a longer head
    ],
    ids=["nul", "short", "long"],
)
def test_control_characters_past_a_few_strays_are_binary(data: bytes) -> None:
    with pytest.raises(BinaryFile):
        decode(data)
