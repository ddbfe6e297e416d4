"""`wordaudit fix` reads Word documents only in worker processes, under the limits of a scan.

The hostile documents are built here, not stored: a paragraph of two million tabs
(every tab an XML element, then a Python object: more than a 600 MB worker holds) and
300,000 paragraphs (seconds of work, past a one-second deadline). Each is fixed in the
same run as a Word document and a markdown file that must still be fixed, and must get
the one line a scan gives it, be left as it was, and leave no temporary file behind.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from conftest import Script, fix_command, scan_report
from wordaudit.config import Config
from wordaudit.fix import fix_paths
from wordaudit.fix.interactive import TerminalReviewer
from wordaudit.fix.isolated import WorkerFixer
from wordaudit.fix.model import Edit
from wordaudit.model import ExitCode, Finding, Severity, Source

FIXTURES = Path(__file__).parent / "fixtures" / "docx"
NOTE = "Our back-office team answers every order.\n"
FIXED_NOTE = "Our operations team answers every order.\n"
# What runs.docx gets: the fixes of the Word document and the note, in one summary line.
FIXED_BOTH = "Fixed 9 findings in 2 files."
MEMORY_MB = 600
MEMORY_ERROR = f"exceeded the {MEMORY_MB} MB memory limit"


# ---------------------------------------------------------------- hostile documents


def word_document(path: Path, body: bytes) -> Path:
    """body.docx with ``body`` as the content of its w:body, stored uncompressed
    (so that no zip bomb check refuses it before it is parsed)."""
    with zipfile.ZipFile(FIXTURES / "body.docx") as original:
        members = [(info, original.read(info)) for info in original.infolist()]
    with zipfile.ZipFile(path, "w") as new:
        for info, data in members:
            if info.filename == "word/document.xml":
                head = data.split(b"<w:body>", 1)[0]
                document = head + b"<w:body>" + body + b"</w:body></w:document>"
                new.writestr(zipfile.ZipInfo(info.filename), document, compress_type=zipfile.ZIP_STORED)
            else:
                new.writestr(info, data)
    return path


def memory_bomb(path: Path) -> Path:
    # 16 MB of XML; measured: 1 to 2.5 million tabs all exceed 600 MB, 4 million
    # no longer parse at all (libxml2 itself runs out, a "damaged XML" error).
    return word_document(path, b"<w:p><w:r>" + b"<w:tab/>" * 2_000_000 + b"</w:r></w:p>")


def slow_document(path: Path) -> Path:
    # 10 MB; measured: 4 s to scan, 4 s to apply an edit to, on a quick machine.
    return word_document(path, b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 300_000)


# ---------------------------------------------------------------- helpers


def with_others(folder: Path) -> None:
    """A Word document and a note that the same run must fix."""
    (folder / "job.docx").write_bytes((FIXTURES / "runs.docx").read_bytes())
    (folder / "note.md").write_text(NOTE, encoding="utf-8")


def assert_the_others_fixed(folder: Path, stderr: str) -> None:
    assert FIXED_BOTH in stderr
    assert (folder / "note.md").read_text(encoding="utf-8") == FIXED_NOTE
    copy = folder / "job.wordaudit.docx"
    assert copy.exists()
    assert scan_report(str(copy), cwd=folder)["findings"] == []


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".wordaudit-tmp"))


def scan_error(name: str, *args: str, cwd: Path) -> str:
    report = scan_report(name, *args, cwd=cwd)
    (error,) = (f["error"] for f in report["files"] if f["path"] == name)
    assert isinstance(error, str)
    return error


# ---------------------------------------------------------------- through the command line


def test_a_memory_bomb_gets_the_scan_error_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "wordaudit.toml").write_text(f"memory-limit-mb = {MEMORY_MB}\n", encoding="utf-8")
    bomb = memory_bomb(tmp_path / "bomb.docx")
    original = bomb.read_bytes()
    with_others(tmp_path)

    done = fix_command(".", cwd=tmp_path)

    assert done.returncode == ExitCode.FINDINGS, done.stderr
    assert "Traceback" not in done.stderr
    assert f"bomb.docx: {MEMORY_ERROR}" in done.stderr.splitlines()
    assert scan_error("bomb.docx", cwd=tmp_path) == MEMORY_ERROR
    assert bomb.read_bytes() == original
    assert not (tmp_path / "bomb.wordaudit.docx").exists()
    assert leftovers(tmp_path) == []
    assert_the_others_fixed(tmp_path, done.stderr)


def test_the_fix_worker_server_loads_spacy_before_any_deadline_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    # The worker matches each Word document it scans; loading spaCy there took
    # the first document past a 1 s deadline on a slow machine.
    started: list[list[str]] = []
    monkeypatch.setattr("wordaudit.fix.isolated.warm_up", lambda modules: started.append(list(modules)))
    WorkerFixer(Config()).warm_up({"docx"})
    assert len(started) == 1
    assert "wordaudit.preload.spacy_pipeline" in started[0]
    assert "wordaudit.preload.word" in started[0]


@pytest.mark.parametrize("given", ["option", "config"])
def test_a_slow_document_is_stopped_at_the_deadline_and_the_run_goes_on(tmp_path: Path, given: str) -> None:
    slow = slow_document(tmp_path / "slow.docx")
    original = slow.read_bytes()
    with_others(tmp_path)
    if given == "config":
        (tmp_path / "wordaudit.toml").write_text("timeout = 1\n", encoding="utf-8")

    done = fix_command(*(["--timeout", "1"] if given == "option" else []), "--in-place", ".", cwd=tmp_path)

    assert done.returncode == ExitCode.FINDINGS, done.stderr
    assert "Traceback" not in done.stderr
    assert "slow.docx: took longer than 1 s; stopped" in done.stderr.splitlines()
    assert slow.read_bytes() == original
    assert leftovers(tmp_path) == []
    # --in-place: the Word fixes went into job.docx itself.
    assert (tmp_path / "note.md").read_text(encoding="utf-8") == FIXED_NOTE
    assert FIXED_BOTH in done.stderr
    assert scan_report("job.docx", cwd=tmp_path)["findings"] == []


# ---------------------------------------------------------------- the apply step on its own


def _first_paragraph_edit(path: Path) -> Edit:
    """An edit as a scan would plan it, for a document the scan itself could not read."""
    finding = Finding(
        path=path.name, rule="back-office", severity=Severity.WARNING, match="x", message="",
        suggestions=("operations",), line=1, column=1, end_line=1, end_column=2, page=None,
        location="paragraph 1", context="",
    )  # fmt: skip
    return Edit(finding, "operations")


@pytest.mark.parametrize(
    ("build", "config", "error"),
    [
        (memory_bomb, Config(memory_limit_mb=MEMORY_MB), MEMORY_ERROR),
        (slow_document, Config(timeout=1), "took longer than 1 s; stopped"),
    ],
    ids=["memory", "deadline"],
)
def test_applying_edits_runs_under_the_limits_and_leaves_nothing_behind(
    tmp_path: Path, build: Callable[[Path], Path], config: Config, error: str
) -> None:
    path = build(tmp_path / "hostile.docx")
    original = path.read_bytes()
    fixer = WorkerFixer(config)
    try:
        result = fixer.apply(
            Source(str(path), path.name, "docx"),
            (_first_paragraph_edit(path),),
            track_changes=True,
            target=tmp_path / "hostile.wordaudit.docx",
        )
    finally:
        fixer.close()

    assert result.error == error
    assert not result.changed
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hostile.docx"]


# ---------------------------------------------------------------- the main process never parses one


WRAPPER = """\
import json, sys
from wordaudit.cli import app

try:
    app(sys.argv[1:])
except SystemExit as stop:
    status = stop.code
watched = ("docx", "lxml", "wordaudit.fix.docx", "wordaudit.extract.docx", "wordaudit.extract.ooxml")
loaded = sorted(m for m in sys.modules if m.split(".")[0] in watched or m.startswith(watched[2:]))
print(json.dumps({"status": status, "loaded": loaded}))
"""


def test_the_main_process_never_imports_the_word_reader(tmp_path: Path) -> None:
    with_others(tmp_path)

    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, "fix", "job.docx", "note.md"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=300,
        check=False,
    )

    outcome = json.loads(done.stdout.splitlines()[-1])
    assert outcome == {"status": ExitCode.OK, "loaded": []}, done.stderr
    assert_the_others_fixed(tmp_path, done.stderr)


# ---------------------------------------------------------------- interactive review


def test_a_reviewed_word_document_gets_only_the_accepted_fix(tmp_path: Path) -> None:
    path = tmp_path / "job.docx"
    path.write_bytes((FIXTURES / "runs.docx").read_bytes())
    shown = io.StringIO()
    # The first suggestion for the first finding, then end of input: quit, keeping it.
    reviewer = TerminalReviewer(Console(file=shown, width=120, color_system=None), Script("1"))

    report = fix_paths([path], Config(), reviewer=reviewer)

    assert "[1/8] " in shown.getvalue()
    assert [len(f.fixed) for f in report.files] == [1]
    with zipfile.ZipFile(tmp_path / "job.wordaudit.docx") as copy:
        assert copy.read("word/document.xml").count(b"<w:ins ") == 1
    assert path.read_bytes() == (FIXTURES / "runs.docx").read_bytes()
    assert leftovers(tmp_path) == []
