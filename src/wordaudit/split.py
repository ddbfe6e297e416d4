"""One large plain-text or markdown file read by several workers, each a range of its bytes.

A part starts after a blank line, so that no paragraph (a block) is cut in two
and every part starts at a line start: findings keep their line and column
once each part knows the number of its first line, which one pass over the
bytes counts here. A file is not split when it could not be split safely:
UTF-16 or UTF-32 (a cut could fall inside a character), suppression comments
(a disabled region could span two parts), or no blank line near a cut point
(then the parts are fewer or it stays whole). Markdown is cut only where a
new top-level block starts (``markdown_cuts``), into smaller parts: parsing it
takes about a second and 25 MB of memory a megabyte.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from wordaudit.api import limit_findings
from wordaudit.model import FilePart, FileResult, Source
from wordaudit.record import replace

# Smaller files are read whole by one process: starting a part costs more than it saves.
SPLIT_ABOVE = 32 << 20
_PART_BYTES = 16 << 20
# How far past a cut point a blank line is looked for.
_SEEK_WINDOW = 1 << 20
_READ = 8 << 20
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # UTF-32 LE starts like UTF-16 LE
_MARKER = b"wordaudit"
MARKDOWN_SPLIT_ABOVE = 4 << 20
_MARKDOWN_PART_BYTES = 2 << 20


def splits(source: Source, size: int) -> bool:
    """Whether the file is large enough to be read in parts, if it can be cut."""
    if source.part is not None:
        return False
    if source.format == "markdown":
        return size > MARKDOWN_SPLIT_ABOVE
    return source.format == "text" and size > SPLIT_ABOVE


def split(source: Source, size: int) -> list[Source] | None:
    """The parts of a plain-text or markdown file, or None to read it whole."""
    if not splits(source, size):
        return None
    try:
        key = (source.fs_path, size, source.path.stat().st_mtime_ns, _MARKDOWN_PART_BYTES, _PART_BYTES)
    except OSError:
        return None  # the worker that reads it whole will name the problem
    if key not in _recent:
        # The scan of a large markdown file takes a while, and the scheduler
        # asks once to place the file and again to hand out its parts.
        if len(_recent) >= _RECENT_FILES:
            _recent.pop(next(iter(_recent)))
        _recent[key] = _parts(source, size)
    parts = _recent[key]
    return None if parts is None else [replace(source, part=part) for part in parts]


_recent: dict[tuple[str, int, int, int, int], list[FilePart] | None] = {}
_RECENT_FILES = 4


def _parts(source: Source, size: int) -> list[FilePart] | None:
    definitions: tuple[tuple[int, bytes], ...] = ()
    try:
        if source.format == "markdown":
            if _wide(source.path):
                return None
            # Imported here: it imports markdown-it, which a scan of no large markdown file needs not.
            from wordaudit.markdown_cuts import markdown_cuts
            from wordaudit.textio import codec_of

            found = markdown_cuts(source.path, size, _MARKDOWN_PART_BYTES, codec_of(source.path))
            cuts = list(found.cuts)
            definitions = tuple((d.offset, d.source) for d in found.definitions)
        else:
            cuts = _cuts(source.path, size)
        if len(cuts) < 3:
            return None
        first_lines = _first_lines(source.path, cuts)
    except OSError:
        return None  # the worker that reads it whole will name the problem
    if first_lines is None:
        return None
    return [
        FilePart(start, end, first_line, definitions)
        for start, end, first_line in zip(cuts, cuts[1:], first_lines, strict=False)
    ]


def _wide(path: Path) -> bool:
    """Whether the file is UTF-16 or UTF-32, where a cut could fall inside a character."""
    with path.open("rb") as handle:
        head = handle.read(4)
    return head.startswith(_WIDE_BOMS) or head == codecs.BOM_UTF32_BE


def merge(source: Source, parts: list[FileResult], max_findings: int) -> FileResult:
    """One file's result from its parts' results, in part order."""
    error = next((p.error for p in parts if p.error is not None), None)
    if error is not None:
        return FileResult(source.display, source.format, error=error)
    whole = FileResult(
        source.display,
        source.format,
        tuple(f for p in parts for f in p.findings),
        suppressed=sum(p.suppressed for p in parts),
        notes=tuple(n for p in parts for n in p.notes),
    )
    return limit_findings(whole, max_findings)


def _cuts(path: Path, size: int) -> list[int]:
    """Byte offsets 0 < c1 < ... < size; each inner one just after a blank line."""
    cuts = [0]
    if _wide(path):
        return []
    with path.open("rb") as handle:
        target = _PART_BYTES
        while target < size - _PART_BYTES // 2:
            handle.seek(target)
            window = handle.read(_SEEK_WINDOW)
            blank = window.find(b"\n\n")
            crlf_blank = window.find(b"\n\r\n")
            found = [f + length for f, length in ((blank, 2), (crlf_blank, 3)) if f >= 0]
            if found:
                cut = target + min(found)
                cuts.append(cut)
                target = cut + _PART_BYTES
            else:
                target += _SEEK_WINDOW
    cuts.append(size)
    return cuts


def _first_lines(path: Path, cuts: list[int]) -> list[int] | None:
    """The number of the first line of each part, counting line ends as the
    text readers do (CRLF, CR and LF each end one line); None when the file
    holds a suppression comment."""
    first_lines = [1]
    lines = 1
    position = 0
    previous_tail = b""
    boundaries = iter(cuts[1:-1])
    boundary = next(boundaries, None)
    with path.open("rb") as handle:
        while True:
            block = handle.read(_READ)
            if not block:
                break
            if _MARKER in previous_tail + block[: len(_MARKER)] or _MARKER in block:
                return None
            while boundary is not None and boundary <= position + len(block):
                lines += _line_ends(block[: boundary - position], previous_tail)
                first_lines.append(lines)
                block, previous_tail = (
                    block[boundary - position :],
                    block[boundary - position - 1 : boundary - position],
                )
                position = boundary
                boundary = next(boundaries, None)
            lines += _line_ends(block, previous_tail)
            position += len(block)
            previous_tail = block[-len(_MARKER) :]
    return first_lines


def _line_ends(block: bytes, previous_tail: bytes) -> int:
    ends = block.count(b"\n") + block.count(b"\r") - block.count(b"\r\n")
    if previous_tail.endswith(b"\r") and block.startswith(b"\n"):
        ends -= 1  # a CRLF across two reads is one line end
    return ends
