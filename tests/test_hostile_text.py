"""Hostile markdown and text: scanned in bounded time and memory, or reported on one line.

Text files are read in the scanning process itself (no worker, so no deadline
and no memory cap), which makes these the inputs where a slow or greedy path
costs the whole run. Each case runs ``wordaudit scan`` in a child process
stopped after a time limit. The 60 MB single-line file is in test_streaming.py.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import peak_rss_mib
from wordaudit.errors import BinaryFile

_FILLER = "the team processes orders every day and customers receive answers quickly from our service group "


@dataclass(frozen=True, slots=True)
class Scan:
    code: int
    report: dict[str, Any]
    stderr: str

    @property
    def file(self) -> dict[str, Any]:
        files: list[dict[str, Any]] = self.report["files"]
        assert len(files) == 1
        return files[0]

    @property
    def findings(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.report["findings"]
        return found


def scan(path: Path, *, timeout: float = 120) -> Scan:
    """``wordaudit scan PATH --format json`` in a child, stopped (with any
    process it started) if it runs past ``timeout`` seconds."""
    command = [sys.executable, "-m", "wordaudit", "scan", str(path), "--format", "json", "--no-cache"]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        pytest.fail(f"scanning {path.name} took longer than {timeout:g} s")
    assert "Traceback" not in stderr, stderr[-3000:]
    assert child.returncode in (0, 1), stderr[-3000:]
    return Scan(child.returncode, json.loads(stdout), stderr)


def assert_one_line_error(scan: Scan) -> None:
    error = scan.file["error"]
    assert error is not None
    assert "\n" not in error
    assert len(error) < 200
    assert "internal error" not in error
    assert [line for line in scan.stderr.splitlines() if error in line] == [f"wordaudit: {scan.file['path']}: {error}"]


def assert_found_or_reported(scan: Scan, count: int) -> None:
    """Either every planted phrase is a finding, or the file is reported as not
    read; what must not happen is silence: no finding and no error."""
    if scan.file["error"] is not None:
        assert_one_line_error(scan)
    else:
        assert len(scan.findings) == count


# -- size ----------------------------------------------------------------------


@pytest.mark.slow
def test_a_markdown_list_of_a_hundred_thousand_links(tmp_path: Path) -> None:
    path = tmp_path / "links.md"
    names = ("Back office" if n % 1000 == 0 else "Operations" for n in range(100_000))
    lines = [f"- [{name} portal {n}](https://example.com/{n})\n" for n, name in enumerate(names)]
    path.write_text("".join(lines), encoding="utf-8")
    done, peak_mib = peak_rss_mib("scan", str(path), "--format", "json", "--no-cache")
    assert done.returncode == 1, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["files"][0]["error"] is None
    # Link text is prose, link targets are not.
    assert [f["match"] for f in report["findings"]] == ["Back office"] * 100
    # Markdown is parsed whole, in this process: about 85 bytes of tokens per byte of a dense list.
    assert peak_mib < 500, f"peak {peak_mib:.0f} MiB for {path.stat().st_size >> 20} MiB of markdown"


def test_a_paragraph_of_a_hundred_thousand_links(tmp_path: Path) -> None:
    path = tmp_path / "links.md"
    links = " ".join(f"[portal {n}](https://example.com/back-office/{n})" for n in range(100_000))
    path.write_text(f"{links} and the back office team\n", encoding="utf-8")
    result = scan(path, timeout=120)
    assert result.file["error"] is None
    assert [f["match"] for f in result.findings] == ["back office"]


def test_a_million_hyphens_between_back_and_office_are_not_the_phrase(tmp_path: Path) -> None:
    path = tmp_path / "hyphens.txt"
    path.write_text("back" + "-" * 1_000_000 + "office\n\nThe back office team.\n", encoding="utf-8")
    result = scan(path, timeout=60)
    assert result.file["error"] is None
    assert [(f["match"], f["line"]) for f in result.findings] == [("back office", 3)]


@pytest.mark.parametrize(
    "filler",
    ["<" * 2_000_000, "&" * 2_000_000, "<a " * 700_000, '<a title="' * 200_000, "<b>x</b> " * 250_000],
    ids=["angle-brackets", "ampersands", "unclosed-tags", "unclosed-quotes", "many-tags"],
)
def test_a_huge_raw_html_block_is_read_in_linear_time(tmp_path: Path, filler: str) -> None:
    # The text of raw HTML is prose; a block built to make a tag or a quote scan
    # to its end at every "<" must not make the read quadratic.
    path = tmp_path / "page.md"
    path.write_text(f"<div>\n{filler}\n\nThe back office team.\n", encoding="utf-8")
    result = scan(path, timeout=60)
    assert result.file["error"] is None
    assert [f["line"] for f in result.findings] == [4]


# -- bytes that are not text -----------------------------------------------------


def test_nul_bytes_make_a_text_file_binary(tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(b"Our back office team\n" + b"\x00" * 16 + b"\nmore text\n")
    result = scan(path, timeout=60)
    assert_one_line_error(result)
    assert result.file["error"] == BinaryFile.default_reason
    assert result.code == 1


@pytest.mark.parametrize(
    "bad",
    [b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf4\x90\x80\x80", b"\xe2\x82"],
    ids=["ff", "bad-continuation", "surrogate", "overlong", "above-u10ffff", "cut-sequence"],
)
def test_invalid_utf8_in_the_middle_does_not_hide_the_phrase_after_it(tmp_path: Path, bad: bytes) -> None:
    path = tmp_path / "bad-utf8.txt"
    before = ("Caf\u00e9 opening hours are posted daily. " * 40 + "\n\n").encode() * 5
    path.write_bytes(before + b"A stray byte " + bad + b" here.\n\nOur back office team is here.\n")
    result = scan(path, timeout=60)
    assert result.file["error"] is None
    assert [(f["match"], f["line"]) for f in result.findings] == [("back office", 13)]


# -- nesting ---------------------------------------------------------------------

# Each holds one "back office" inside ten thousand levels of markdown containers
# (a thousand for the staircase, whose size grows with the square of its depth).
DEEP = {
    "blockquote-spaced": "> " * 10_000 + "the back office team\n",
    "blockquote-tight": ">" * 10_000 + " the back office team\n",
    "blockquote-lines": ("> " * 10_000 + "the back office team\n") + ("> " * 10_000 + "\n") * 20,
    "bullet-list": "- " * 10_000 + "the back office team\n",
    "ordered-list": "1. " * 10_000 + "the back office team\n",
    "mixed": "> - " * 5_000 + "the back office team\n",
    "staircase": "".join("  " * level + "- item\n" for level in range(1_001)) + "the back office team\n",
}


@pytest.mark.parametrize("shape", sorted(DEEP))
def test_deep_nesting_is_read_or_reported_without_a_traceback(tmp_path: Path, shape: str) -> None:
    path = tmp_path / f"{shape}.md"
    path.write_text("# Roles\n\n" + DEEP[shape], encoding="utf-8")
    result = scan(path, timeout=60)
    if result.file["error"] is not None:
        assert_one_line_error(result)


@pytest.mark.parametrize("shape", sorted(DEEP))
def test_a_phrase_nested_too_deep_is_found_or_the_file_reported(tmp_path: Path, shape: str) -> None:
    path = tmp_path / f"{shape}.md"
    path.write_text("# Roles\n\n" + DEEP[shape], encoding="utf-8")
    assert_found_or_reported(scan(path, timeout=60), 1)


# -- inputs that are slow in proportion to their size ---------------------------


@pytest.mark.parametrize("glue", ["(", "-"])
def test_a_phrase_glued_to_a_long_punctuation_run_is_quick(tmp_path: Path, glue: str) -> None:
    path = tmp_path / "glued.txt"
    path.write_text(glue * 10_000 + "back office\n", encoding="utf-8")  # 10 KB
    scan(path, timeout=10)


def test_twenty_thousand_phrases_in_one_paragraph_are_quick(tmp_path: Path) -> None:
    path = tmp_path / "dense.txt"
    path.write_text("back office, " * 20_000 + "\n", encoding="utf-8")  # 260 KB
    result = scan(path, timeout=20)
    # All are matched; the report lists the first 1,000 (max-findings-per-file) and counts the rest.
    assert len(result.findings) == 1_000
    assert result.report["warnings"] == [f"{path}: 19,000 more findings not listed (max-findings-per-file = 1,000)"]


@pytest.mark.parametrize(
    "text",
    # Phrases closer together than two window margins merge into one window.
    [("the back office team " + _FILLER * 2) * 6_000, "the back office " + "-" * 1_000_000],
    ids=["a-paragraph-of-phrases", "a-phrase-before-a-million-hyphens"],
)
def test_a_window_longer_than_spacy_takes_is_still_matched(tmp_path: Path, text: str) -> None:
    path = tmp_path / "long.txt"
    path.write_text(text + "\n", encoding="utf-8")
    result = scan(path, timeout=120)
    assert result.file["error"] is None
    assert result.findings
