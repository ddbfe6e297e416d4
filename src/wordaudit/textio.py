"""Bytes → str for text formats: BOMs, legacy code pages, line endings.

Line endings are folded to "\\n" so that every extractor counts lines the
same way; columns are unaffected because only the line terminators change.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path

from wordaudit.errors import BinaryFile, UndecodableText, UnreadableFile, missing_file
from wordaudit.record import record

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LINE_ENDINGS = re.compile(r"\r\n?")
# Control characters that never occur in real prose; a file full of them is binary.
_CONTROL_BYTES = frozenset([*range(0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
# Deleting every other byte leaves the control bytes: one C-level pass over a
# file's head, where a regex's findall took 8 times as long (a tenth of the
# markdown benchmark's screening).
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_SNIFF_SIZE = 8192
# A few control characters are strays in a text file (a pasted terminal bell,
# a backspace, a DOS end-of-file mark), however short the file: one in a
# 100-byte file is 1 %, which alone made it "binary".
_STRAY_CONTROLS = 4
# The codec that writes the bytes after each BOM ("utf-16" alone would pick the
# machine's byte order, not the file's).
_BOM_CODECS = {
    codecs.BOM_UTF32_LE: "utf-32-le",
    codecs.BOM_UTF32_BE: "utf-32-be",
    codecs.BOM_UTF8: "utf-8",
    codecs.BOM_UTF16_LE: "utf-16-le",
    codecs.BOM_UTF16_BE: "utf-16-be",
}


@record
class EncodedText:
    """A text file as decoded, with what it takes to write it back the same way."""

    text: str  # line endings as in the file, not folded
    encoding: str  # codec for the bytes after the BOM; may be lossy (check the round trip)
    bom: bytes


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except IsADirectoryError as exc:
        raise UnreadableFile("is a folder, not a file") from exc
    except PermissionError as exc:
        raise UnreadableFile("permission denied") from exc
    except FileNotFoundError as exc:
        raise missing_file(path) from exc
    except OSError as exc:
        raise UnreadableFile(exc.strerror or "cannot be read") from exc


def decode(data: bytes) -> str:
    """Decode a text file's bytes and fold CRLF and CR line endings to LF."""
    text = _decode(data)[0]
    if "\r" in text:
        text = _LINE_ENDINGS.sub("\n", text)
    return text


def read_text(path: Path) -> str:
    return decode(read_bytes(path))


def decode_with_encoding(data: bytes) -> EncodedText:
    """Decode exactly as ``decode`` does, keeping line endings, and say how the
    bytes were encoded so that an edited text can be written back alike."""
    text, encoding = _decode(data)
    bom = next((b for b, _ in _BOMS if data.startswith(b)), b"")
    return EncodedText(text, _BOM_CODECS.get(bom, encoding), bom)


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise UndecodableText(f"invalid {encoding.upper()} after its byte-order mark") from exc
    if _looks_binary(data[:_SNIFF_SIZE]):
        raise BinaryFile("binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode_legacy(data)


def _looks_binary(head: bytes) -> bool:
    """Whether a file's head (no BOM: UTF-16 and UTF-32 are told by theirs)
    is binary: a NUL byte, or control characters past a few strays and 1 %."""
    if b"\x00" in head:
        return True
    controls = len(head.translate(None, _NOT_CONTROL_BYTES))
    return controls > max(_STRAY_CONTROLS, len(head) // 100)


def _decode_legacy(data: bytes) -> tuple[str, str]:
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    valid = len(lenient) - len(lenient.encode("ascii", "ignore")) - bad
    # A UTF-8 file with a stray bad byte (a paste from a legacy tool) is still
    # UTF-8: replace the bad bytes rather than misread every accented letter.
    # Only a file with UTF-8 characters of its own is that: a Windows-1252 file
    # whose few accents or curly quotes all fail is not UTF-8 with strays.
    if bad <= max(1, len(data) // 1000) and valid >= bad:
        return lenient, "utf-8"
    western = _as_western(data)
    if western is not None:
        return western, "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        return str(best), str(best.encoding)
    # Nothing fits well: Windows-1252 still reads every ASCII phrase in it right.
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise UndecodableText("text encoding could not be determined (not UTF-8)") from exc


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_NOT_ASCII_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
_SNIFF_WESTERN = 1 << 16
# A non-letter between two letters, as Windows-1250's ł read as Windows-1252
# gives ("obs³uguje"); the apostrophes and the soft hyphen do sit there in English.
_BETWEEN_LETTERS = re.compile(r"(?<=[^\W\d_])[^\x00-\x7f](?=[^\W\d_])")
_FOUND_IN_WORDS = frozenset("\u2018\u2019\u00ad")


def _as_western(data: bytes) -> str | None:
    """The text as Windows-1252 (the code page of English and Western European
    Windows, a superset of Latin-1's letters) when it reads as such: few
    letters outside ASCII and no symbol inside a word. On short English files
    charset_normalizer guesses among a dozen code pages that differ in a byte
    or two, and took "naïve" for Windows-1250's "naďve"; an English auditor
    should read English the way Windows wrote it."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    # Judged on the head, as a streamed file's encoding is: a 16 MB file must
    # not make a list of its characters.
    head = text[:_SNIFF_WESTERN]
    letters_outside = sum(1 for c in _NON_ASCII.findall(head) if c.isalpha())
    ascii_letters = len(head.encode("ascii", "ignore").translate(None, _NOT_ASCII_LETTERS))
    if letters_outside * 3 > ascii_letters:
        return None
    if any(
        not found.group().isalpha() and found.group() not in _FOUND_IN_WORDS
        for found in _BETWEEN_LETTERS.finditer(head)
    ):
        return None
    return text


_STREAM_CHUNK = 4 << 20


def stream_text(
    path: Path, chunk_size: int = _STREAM_CHUNK, byte_range: tuple[int, int] | None = None
) -> Iterator[str]:
    """Decode a large text file piece by piece, with LF line endings, so that
    memory stays bounded whatever the file's size. The encoding is settled from
    the first 64 KiB, as ``decode`` would settle it for the whole file. With
    ``byte_range``, only those bytes (a part that starts at a line start)."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise UnreadableFile(exc.strerror or "cannot be read") from exc
    with handle:
        head = handle.read(1 << 16)
        decoder = codecs.getincrementaldecoder(_stream_codec(head))(errors="replace")
        remaining = -1
        if byte_range is not None:
            start, end = byte_range
            handle.seek(start)
            remaining = end - start
            head = handle.read(min(chunk_size, remaining))
            remaining -= len(head)

        def read() -> bytes:
            nonlocal remaining
            if remaining < 0:
                return handle.read(chunk_size)
            data = handle.read(min(chunk_size, remaining))
            remaining -= len(data)
            return data

        pending_cr = False
        chunk = head
        while True:
            text = decoder.decode(chunk, final=not chunk)
            if pending_cr:
                text = "\r" + text
            pending_cr = text.endswith("\r") and bool(chunk)
            if pending_cr:
                text = text[:-1]
            if "\r" in text:
                text = _LINE_ENDINGS.sub("\n", text)
            if text:
                yield text
            if not chunk:
                return
            chunk = read()


def codec_of(path: Path) -> str:
    """The codec ``stream_text`` reads the file with."""
    with path.open("rb") as handle:
        return _stream_codec(handle.read(1 << 16))


def _stream_codec(head: bytes) -> str:
    bom = next((b for b, _ in _BOMS if head.startswith(b)), b"")
    if bom:
        return {codecs.BOM_UTF8: "utf-8-sig"}.get(bom, dict(_BOMS)[bom])
    if _looks_binary(head[:_SNIFF_SIZE]):
        raise BinaryFile("binary file, not text")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return _decode_legacy(head)[1]
