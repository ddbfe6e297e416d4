"""Big plain-text files are read in pieces: same findings as whole, bounded memory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import peak_rss_mib
from wordaudit.api import Auditor, _findings, build_auditor
from wordaudit.extract import ExtractOptions, plaintext
from wordaudit.textio import stream_text

AUDITOR: Auditor = build_auditor()
PIECES = [
    "back office",
    "Back-\noffice",
    "back line staff",
    "text",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    " ",
    "é",
    "wordaudit: ignore",
    "  ",
    # Paragraphs the text screen passes over: no rule's first word.
    "office",
    "customer facing",
    "the team",
]


def _found(blocks: object) -> list[tuple[str, int, int, int, int]]:
    findings = _findings(blocks, "x.txt", AUDITOR)[0]  # type: ignore[arg-type]
    return [(f.rule, f.line, f.column, f.end_line, f.end_column) for f in findings]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(PIECES), max_size=60), st.integers(min_value=1, max_value=50))
def test_pieces_give_the_same_findings_as_the_whole(tmp_path: Path, parts: list[str], chunk: int) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes("".join(parts).encode("utf-8"))
    whole = plaintext.extract_text(
        path.read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n"), ExtractOptions()
    )
    # In pieces with the text screen, which builds only the paragraphs that
    # may hold a finding: it must find what every paragraph read whole finds.
    pieces = plaintext.extract_chunks(stream_text(path, chunk_size=chunk), AUDITOR.options)
    assert _found(pieces) == _found(whole)


@pytest.mark.parametrize("screened", [False, True])
def test_a_giant_line_is_cut_into_blocks_at_white_space(monkeypatch: pytest.MonkeyPatch, screened: bool) -> None:
    monkeypatch.setattr(plaintext, "MAX_BLOCK", 200)
    # Cut after a sentence end where there is one, so that no phrase is cut in two.
    line = ("word " * 3 + "the back office. ") * 40
    options = AUDITOR.options if screened else ExtractOptions()
    findings = _found(plaintext.extract_chunks([line[:1000], line[1000:] + "\nThe back line staff.\n"], options))
    assert findings[-1][:3] == ("back-line", 2, 5)
    findings = findings[:-1]
    assert len(findings) == 40
    columns = [column for _, _, column, _, _ in findings]
    assert columns == [m + 1 for m in range(len(line)) if line.startswith("back office", m)]


@pytest.mark.parametrize("shift", range(12))
def test_a_giant_line_without_sentence_ends_is_not_cut_inside_a_phrase(
    monkeypatch: pytest.MonkeyPatch, shift: int
) -> None:
    monkeypatch.setattr(plaintext, "MAX_BLOCK", 400)
    # No sentence end to cut after: the last space before the limit falls
    # between "back" and "office" for some shifts; the cut moves before "back".
    line = "x" * shift + " filler" * 55 + " the back office team " + "more words " * 40
    findings = _found(plaintext.extract_chunks([line, "\n"], AUDITOR.options))
    assert [(rule, column) for rule, _, column, _, _ in findings] == [("back-office", line.index("back") + 1)]


@pytest.mark.slow
def test_a_60_megabyte_single_line_file_scans_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "one-line.txt"
    with path.open("w", encoding="utf-8") as out:
        for number in range(600):
            out.write("customers are served by every role " * 2800)
            if number % 100 == 0:
                out.write("and the back office too ")
    done, peak_mib = peak_rss_mib("scan", str(path), "-f", "json", "--no-cache", "--jobs", "1")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert [f["column"] > 0 for f in report["findings"]] == [True] * 6
    assert {f["line"] for f in report["findings"]} == {1}
    assert peak_mib < 500
