"""A large plain-text file read by several workers gives what one reader gives.

The part sizes are made small here (``split.SPLIT_ABOVE``, ``_PART_BYTES``,
``_SEEK_WINDOW``), so that files of a few hundred KB are split into many parts
the way a file of gigabytes is; the split happens in this process, so the
patch reaches it, and the workers read the byte ranges they are given.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from wordaudit import split
from wordaudit.api import audit_paths
from wordaudit.model import Source

PHRASES = ["back office", "back-office", "non-customer-facing", "behind-the-scenes staff", "back line staff"]
FILLER = ["The payroll team pays everyone on time.", "Orders ship within a day.", "Caf\u00e9 hours change in May."]


@pytest.fixture(autouse=True)
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(split, "SPLIT_ABOVE", 64 << 10)
    monkeypatch.setattr(split, "_PART_BYTES", 16 << 10)
    monkeypatch.setattr(split, "_SEEK_WINDOW", 4 << 10)
    monkeypatch.setattr(split, "_READ", 5000)  # reads that end mid-line and mid-CRLF


def _document(seed: int, newline: str) -> str:
    rng = random.Random(seed)
    paragraphs = []
    for _ in range(1500):
        lines = []
        for _ in range(rng.randint(1, 4)):
            words = rng.choices(FILLER, k=rng.randint(1, 3))
            if rng.random() < 0.2:
                words.insert(rng.randint(0, len(words)), f"Thanks to our {rng.choice(PHRASES)} team.")
            lines.append(" ".join(words))
        paragraphs.append(newline.join(lines))
    return (newline * 2).join(paragraphs) + newline


def _findings(path: Path, jobs: int) -> list[tuple[str, int, int, str]]:
    result = audit_paths([path], jobs=jobs)
    assert all(f.error is None for f in result.files)
    return [(f.rule, f.line, f.column, f.match) for f in result.findings]


@pytest.mark.parametrize(
    ("newline", "encoding"), [("\n", "utf-8"), ("\r\n", "utf-8"), ("\r\n", "cp1252"), ("\n", "utf-8-sig")]
)
def test_parts_give_the_findings_of_the_whole_file(tmp_path: Path, newline: str, encoding: str) -> None:
    path = tmp_path / "handbook.txt"
    path.write_bytes(_document(7, newline).encode(encoding))
    parts = split.split(Source(str(path), "handbook.txt", "text"), path.stat().st_size)
    assert parts is not None
    assert len(parts) > 5
    assert [p.part.start for p in parts if p.part][1:] == [p.part.end for p in parts if p.part][:-1]

    whole = _findings(path, jobs=1)
    assert len(whole) > 100
    assert _findings(path, jobs=2) == whole


def test_each_part_starts_after_a_blank_line_with_its_line_number(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    text = _document(3, "\n")
    path.write_text(text, encoding="utf-8")
    data = text.encode("utf-8")
    parts = split.split(Source(str(path), "a.txt", "text"), len(data))
    assert parts is not None
    for source in parts[1:]:
        assert source.part is not None
        assert data[source.part.start - 2 : source.part.start] == b"\n\n"
        assert source.part.first_line == data[: source.part.start].count(b"\n") + 1


def test_files_that_cannot_be_split_safely_are_read_whole(tmp_path: Path) -> None:
    text = _document(5, "\n")
    wide = tmp_path / "wide.txt"
    wide.write_text(text, encoding="utf-16")
    marked = tmp_path / "marked.txt"
    marked.write_text(text + "<!-- wordaudit: disable -->\n", encoding="utf-8")
    one_paragraph = tmp_path / "one.txt"
    one_paragraph.write_text(text.replace("\n\n", "\n"), encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text(text[:1000], encoding="utf-8")
    for path in (wide, marked, one_paragraph, small):
        assert split.split(Source(str(path), path.name, "text"), path.stat().st_size) is None, path.name
    assert split.split(Source(str(wide), "x.md", "markdown"), wide.stat().st_size) is None
