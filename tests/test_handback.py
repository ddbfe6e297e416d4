"""Workers hand a Word or PDF file's candidate blocks back to the scanning
process when they have no spaCy loaded (api.read_source), and the scanning
process matches them once spaCy is loaded there (api.finish_pending, in
handback.HandedBack's thread). The result must be the file's result as if
the worker had matched it."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from wordaudit import api, match
from wordaudit.api import Auditor, build_auditor, finish_pending, read_source, scan_source
from wordaudit.handback import HandedBack
from wordaudit.model import FileResult, PendingFile, Source

FIXTURES = Path(__file__).parent / "fixtures" / "docx"
# LibreOffice-made: findings in paragraphs, a comment, and "wordaudit: ignore" comments.
SUPPRESSED = FIXTURES / "suppressed.docx"


def _source(path: Path) -> Source:
    return Source(str(path), path.name, "docx")


@pytest.fixture
def auditor() -> Auditor:
    return build_auditor(report_unused_suppressions=True)


@pytest.fixture
def no_spacy_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    # As in a fresh worker: the pipeline of this test process is out of sight.
    monkeypatch.setattr(match, "_LOADED", {})


@pytest.mark.usefixtures("no_spacy_loaded")
def test_candidate_blocks_and_directives_come_back_unmatched(auditor: Auditor) -> None:
    answer = read_source(_source(SUPPRESSED), auditor)

    assert isinstance(answer, PendingFile)
    kinds = [block.kind for block in answer.blocks]
    assert "directive" in kinds
    candidates = [block for block in answer.blocks if block.kind != "directive"]
    assert candidates
    assert all("back" in block.text.lower() for block in candidates)
    assert not auditor.matcher.pipeline_loaded  # reading them did not load spaCy


@pytest.mark.usefixtures("no_spacy_loaded")
def test_matching_handed_back_blocks_gives_the_whole_file_result(auditor: Auditor) -> None:
    answer = read_source(_source(SUPPRESSED), auditor)
    assert isinstance(answer, PendingFile)

    handed_back = finish_pending(answer, auditor)
    whole = scan_source(_source(SUPPRESSED), build_auditor(report_unused_suppressions=True))

    assert handed_back == whole
    assert whole.findings
    assert whole.suppressed


def test_a_worker_with_spacy_loaded_matches_itself(auditor: Auditor) -> None:
    match.preload()

    answer = read_source(_source(SUPPRESSED), auditor)

    assert isinstance(answer, FileResult)
    assert answer == scan_source(_source(SUPPRESSED), auditor)


@pytest.mark.usefixtures("no_spacy_loaded")
def test_a_file_with_much_candidate_text_is_matched_where_it_is_read(
    auditor: Auditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api, "_PENDING_CHARS", 10)

    answer = read_source(_source(SUPPRESSED), auditor)

    assert isinstance(answer, FileResult)
    assert answer.findings


@pytest.mark.usefixtures("no_spacy_loaded")
def test_a_file_without_candidates_needs_no_spacy(auditor: Auditor, tmp_path: Path) -> None:
    # The fixture with every "back" made "front": its "wordaudit: ignore" comments stay.
    clean = tmp_path / "clean.docx"
    with zipfile.ZipFile(SUPPRESSED) as original, zipfile.ZipFile(clean, "w") as copy:
        for item in original.infolist():
            data = original.read(item)
            if item.filename.endswith(".xml"):
                data = data.replace(b"back", b"front").replace(b"Back", b"Front")
            copy.writestr(item, data)

    answer = read_source(_source(clean), auditor)

    assert isinstance(answer, FileResult)
    assert answer.findings
    assert {f.rule for f in answer.findings} == {"unused-suppression"}
    assert answer == scan_source(_source(clean), auditor)
    assert not auditor.matcher.pipeline_loaded


@pytest.mark.usefixtures("no_spacy_loaded")
def test_the_thread_answers_every_file_even_when_matching_fails(
    auditor: Auditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    pending = read_source(_source(SUPPRESSED), auditor)
    assert isinstance(pending, PendingFile)

    def broken(pending: PendingFile, auditor: Auditor) -> FileResult:
        raise SystemExit(3)

    monkeypatch.setattr("wordaudit.handback.finish_pending", broken)
    switch_interval = sys.getswitchinterval()
    handed_back = HandedBack(auditor)
    handed_back.add(7, pending)
    results = list(handed_back.rest())

    assert [index for index, _ in results] == [7]
    assert results[0][1].error == "internal error: SystemExit"
    assert sys.getswitchinterval() == switch_interval  # restored once the thread is done


def test_spacy_is_loaded_once_per_scan_not_once_per_worker(tmp_path: Path) -> None:
    for number in range(6):
        (tmp_path / f"role-{number}.docx").write_bytes(SUPPRESSED.read_bytes())
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "wordaudit", "scan", "--jobs", "2", "--no-cache", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    # -X importtime is passed on to the workers; each process that imports a
    # module prints one line for it.
    loads = re.findall(r"\|\s+spacy\.language$", done.stderr, re.MULTILINE)
    assert len(loads) == 1, done.stderr[-3000:]
    assert "Scanned 6 files: 24 findings" in done.stdout


@pytest.mark.parametrize(("sure_files", "loaded"), [(3, True), (4, False)])
def test_spacy_is_loaded_as_workers_start_only_for_enough_files(tmp_path: Path, sure_files: int, loaded: bool) -> None:
    # From _SPACY_SURE_FILES files on, one is all but sure to be handed back,
    # so spaCy starts loading at once, even when, as here, none is (the scan
    # does not wait for it then); below, a folder with nothing to match never
    # loads it.
    clean = tmp_path / "clean.docx"
    with zipfile.ZipFile(SUPPRESSED) as original, zipfile.ZipFile(clean, "w") as copy:
        for item in original.infolist():
            data = original.read(item)
            if item.filename.endswith(".xml"):
                data = data.replace(b"back", b"front").replace(b"Back", b"Front").replace(b"wordaudit", b"word")
            copy.writestr(item, data)
    for number in range(2):
        (tmp_path / f"clean-{number}.docx").write_bytes(clean.read_bytes())
    assert _findings_and_spacy(tmp_path, sure_files) == ["0", str(loaded)]


@pytest.mark.parametrize(("sure_files", "loaded"), [(4, True), (5, False)])
def test_a_pdf_counts_twice_towards_loading_spacy_early(tmp_path: Path, sure_files: int, loaded: bool) -> None:
    # Two PDFs with nothing to match (scans without text) weigh as four Word files.
    scanned = Path(__file__).parent / "fixtures" / "pdf" / "scanned.pdf"
    for number in range(2):
        (tmp_path / f"scan-{number}.pdf").write_bytes(scanned.read_bytes())
    assert _findings_and_spacy(tmp_path, sure_files) == ["0", str(loaded)]


def _findings_and_spacy(folder: Path, sure_files: int) -> list[str]:
    """Scan ``folder`` in a fresh process with ``_SPACY_SURE_FILES`` set to
    ``sure_files``: the number of findings, and whether spaCy was imported."""
    script = (
        "import sys\n"
        "from wordaudit import schedule\n"
        "from wordaudit.api import audit_paths_with\n"
        "from wordaudit.config import Config\n"
        f"schedule._SPACY_SURE_FILES = {sure_files}\n"
        f"result = audit_paths_with([{str(folder)!r}], Config(), jobs=2)\n"
        "print(sum(len(f.findings) for f in result.files), 'spacy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return done.stdout.split()
