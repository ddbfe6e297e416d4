"""Shared helpers: run the real engine on real text, compare what it found."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from wordaudit.api import Auditor, audit_text, build_auditor
from wordaudit.model import Block, ScanResult

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def auditor() -> Auditor:
    return build_auditor()


def found(text: str, fmt: str, auditor: Auditor) -> list[tuple[str, str]]:
    """(rule, match) of every finding, in document order."""
    return [(f.rule, f.match) for f in audit_text(text, format=fmt, auditor=auditor)]


def assert_findings(text: str, fmt: str, expected: Sequence[tuple[str, int, int]], auditor: Auditor) -> None:
    """The findings' (rule, line, column), exactly and in order."""
    actual = [(f.rule, f.line, f.column) for f in audit_text(text, format=fmt, auditor=auditor)]
    assert actual == list(expected)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the results cache of every test (and of the processes it starts) out of the home folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


def scan_report(*args: str, cwd: Path | None = None, expect: tuple[int, ...] = (0, 1)) -> dict[str, Any]:
    """Run ``wordaudit scan ARGS --format json --no-cache`` as a separate process, as CI would,
    and return the parsed report; a traceback or an unexpected exit status fails the test."""
    done = subprocess.run(
        [sys.executable, "-m", "wordaudit", "scan", *args, "--format", "json", "--no-cache"],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )
    assert done.returncode in expect, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def findings_by_file(report: dict[str, Any], name: str) -> list[tuple[str, str, str]]:
    return [(f["rule"], f["match"], f["location"]) for f in report["findings"] if f["path"] == name]


def peak_rss_mib(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run ``python -m wordaudit ARGS`` from a fresh intermediate process and return
    it with the peak resident memory of its process tree's largest member, in MiB:
    RUSAGE_CHILDREN of the test process itself would count every earlier test too."""
    probe = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run([sys.executable, '-m', 'wordaudit', *sys.argv[1:]], capture_output=True, text=True)\n"
        "sys.stderr.write(done.stderr)\n"
        "sys.stdout.write(done.stdout)\n"
        "sys.stderr.write('\\nPEAK %d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(done.returncode)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, check=False)
    peak_kib = int(done.stderr.rsplit("PEAK ", 1)[1].split()[0])
    done.stderr = done.stderr.rsplit("\nPEAK ", 1)[0]
    return done, peak_kib / 1024


def pdf_file(objects: Sequence[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of these objects (numbered from 1, the first the catalog) with a
    correct xref; ``trailer`` adds entries to its trailer (b"/Info 6 0 R")."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        b" " + trailer if trailer else b"",
        xref,
    )
    return bytes(out)


def fix_command(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``wordaudit fix ARGS`` in a child process, in ``cwd``, without colour."""
    return subprocess.run(
        [sys.executable, "-m", "wordaudit", "fix", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "NO_COLOR": "1"},
        timeout=timeout,
        check=False,
    )


class Script:
    """Answers typed in advance, for the reviewer without a terminal."""

    def __init__(self, *answers: str) -> None:
        self.answers: Iterator[str] = iter(answers)

    def __call__(self) -> str:
        try:
            return next(self.answers)
        except StopIteration:
            raise EOFError from None


HAVE_PDFIUM = importlib.util.find_spec("pypdfium2") is not None
# Each PDF engine, pdfium only where it is installed (the "pdfium" extra).
PDF_ENGINES = [
    "pdfminer",
    pytest.param("pdfium", marks=pytest.mark.skipif(not HAVE_PDFIUM, reason="pypdfium2 is not installed")),
]


@pytest.fixture(params=PDF_ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Each PDF engine in turn."""
    return str(request.param)


def locate(blocks: list[Block], phrase: str) -> tuple[int | None, int, int]:
    """(page, line, column) of the one occurrence of ``phrase``."""
    hits = [(block, block.text.find(phrase)) for block in blocks if phrase in block.text]
    assert len(hits) == 1, f"{phrase!r} found {len(hits)} times"
    block, offset = hits[0]
    position = block.position(offset)
    return position.page, position.line, position.column


def zip_member(path: Path, part: str) -> str:
    """One part of a zip package (a .docx), as text."""
    with zipfile.ZipFile(path) as archive:
        return archive.read(part).decode("utf-8")


# A finding as the Word suppression tests compare them: rule, match, line, column, location.
Placed = tuple[str, str, int, int, str]


def placed(result: ScanResult, *, leaving_out: str = "") -> list[Placed]:
    """The findings of a scan of one file, which was read, each placed, but
    those of rule ``leaving_out``."""
    assert [file.error for file in result.files] == [None]
    return [(f.rule, f.match, f.line, f.column, f.location) for f in result.findings if f.rule != leaving_out]
