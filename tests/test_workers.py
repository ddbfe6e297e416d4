"""Worker processes: same results as in-process, limits that hold, clean stops."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from wordaudit.config import Config
from wordaudit.model import FileResult, Source
from wordaudit.resources import Limits, cpu_quota, default_jobs
from wordaudit.workers import WorkerPool, WorkerSettings

FIXTURES = Path(__file__).parent / "fixtures"
SIMPLE_PDF = FIXTURES / "pdf" / "simple.pdf"


def make_tree(root: Path, count: int = 40) -> None:
    for number in range(count):
        folder = root / f"team{number % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        text = f"# Page {number}\n\nSome text.\n\n" + ("Our back-office team.\n" if number % 3 == 0 else "Clean.\n")
        (folder / f"page{number:02}.md").write_text(text, encoding="utf-8")
    for fixture in (SIMPLE_PDF, FIXTURES / "docx" / "body.docx", FIXTURES / "docx" / "truncated.docx"):
        if fixture.exists():
            (root / fixture.name).write_bytes(fixture.read_bytes())


def scan_json(*args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "wordaudit", "scan", *args, "-f", "json", "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    report: dict[str, object] = json.loads(done.stdout)
    return report


def test_parallel_output_is_identical_to_one_job(tmp_path: Path) -> None:
    make_tree(tmp_path)
    one = scan_json(str(tmp_path), "--jobs", "1")
    two = scan_json(str(tmp_path), "--jobs", "2")
    assert one == two
    assert len(one["files"]) >= 40  # type: ignore[arg-type]


def _settings(timeout: float = 60, memory: int = 1 << 30) -> WorkerSettings:
    return WorkerSettings(Config(pdf_engine="pdfminer"), True, False, Limits(timeout=timeout, memory_bytes=memory))


@pytest.mark.skipif(not SIMPLE_PDF.exists(), reason="no PDF fixture")
def test_a_file_over_the_deadline_is_stopped_and_the_scan_goes_on(tmp_path: Path) -> None:
    sources = [(0, Source(str(SIMPLE_PDF), "slow.pdf", "pdf")), (1, Source(str(SIMPLE_PDF), "again.pdf", "pdf"))]
    with WorkerPool(1, _settings(timeout=0.001)) as pool:
        results = dict(pool.run(sources))
    assert [results[i].error for i in (0, 1)] == ["took longer than 0.001 s; stopped"] * 2


def test_a_file_over_the_memory_cap_gets_a_one_line_error(tmp_path: Path) -> None:
    # Markdown is read whole (plain text this big would be streamed in bounded memory).
    big = tmp_path / "big.md"
    big.write_bytes(b"clean words here " * (18 * 1024 * 1024))  # about 300 MB
    small = tmp_path / "small.md"
    small.write_text("The back office.\n", encoding="utf-8")
    # A worker takes about 300 MB of address space once spaCy is loaded (less
    # before); reading 300 MB of markdown whole (bytes, then text) cannot fit in
    # 550 MB, and the small file, spaCy and all, can.
    limit = 550 << 20
    with WorkerPool(1, _settings(memory=limit)) as pool:
        results = dict(
            pool.run([(0, Source(str(big), "big.md", "markdown")), (1, Source(str(small), "small.md", "markdown"))])
        )
    assert results[0].error is not None
    assert results[0].error.startswith("exceeded the ") or "crashed" in results[0].error
    assert "\n" not in results[0].error
    assert results[1].error is None
    assert [f.rule for f in results[1].findings] == ["back-office"]


def test_a_worker_that_dies_is_replaced(tmp_path: Path) -> None:
    files = [tmp_path / f"{n}.md" for n in range(3)]
    for path in files:
        path.write_text("The back office.\n", encoding="utf-8")
    with WorkerPool(1, _settings()) as pool:
        first = pool.workers[0]
        os.kill(first.process.pid, signal.SIGKILL)
        first.process.join()
        results = dict(pool.run([(n, Source(str(p), p.name, "markdown")) for n, p in enumerate(files)]))
    assert results[0].error is not None
    assert "stopped unexpectedly" in results[0].error or "crashed" in results[0].error
    assert [results[n].error for n in (1, 2)] == [None, None]


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _default_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(not SIMPLE_PDF.exists(), reason="no PDF fixture")
def test_ctrl_c_stops_cleanly_without_traceback_or_orphans(tmp_path: Path) -> None:
    # Enough files that the scan is still running when Ctrl-C comes (workers start in a
    # fraction of a second: 60 files were all read before it, once).
    for number in range(600):
        (tmp_path / f"doc{number:03}.pdf").write_bytes(SIMPLE_PDF.read_bytes())
    process = subprocess.Popen(
        [sys.executable, "-m", "wordaudit", "scan", str(tmp_path), "--jobs", "2", "--no-cache", "-f", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # As in a terminal. A shell runs a background job with Ctrl-C ignored, the child
        # inherits that, and Python then never raises KeyboardInterrupt (a CI run started
        # with "&" failed here for that reason alone).
        preexec_fn=_default_ctrl_c,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(_children_of(process.pid)) < 2:
        time.sleep(0.1)
    helpers = _children_of(process.pid)
    grandchildren = [g for c in helpers for g in _children_of(c)]
    assert process.poll() is None, "the scan ended before Ctrl-C: give it more files"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr[-3000:]
    assert "Traceback" not in stderr
    assert "interrupted" in stderr
    time.sleep(0.5)
    alive = [
        pid
        for pid in helpers + grandchildren
        if Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
    ]
    assert alive == []


class _ReaderLosingItsMemoryError:
    """A task whose reader, out of memory, leaves a generator that runs out
    too as it is closed (Python can only note that), and then fails with
    another error, as CPython did under the memory cap."""

    def __init__(self, lost: bool) -> None:
        self.lost = lost

    def run(self, auditor: object) -> FileResult:
        def blocks() -> Iterator[int]:
            try:
                yield 1
            finally:
                if self.lost:
                    raise MemoryError

        suspended = blocks()
        next(suspended)
        del suspended  # closed here: its MemoryError goes to sys.unraisablehook
        raise SystemError("error return without exception set")

    def failed(self, reason: str) -> FileResult:
        return FileResult("bomb.docx", "docx", error=reason)


@pytest.mark.parametrize("lost", [True, False])
def test_an_error_after_a_lost_memory_error_is_the_files_memory(monkeypatch: pytest.MonkeyPatch, lost: bool) -> None:
    # One memory bomb in ten killed its worker this way ("the reader process
    # stopped unexpectedly"); the error is now the memory limit's. Any other
    # error still stops the worker, as a bug should.
    from wordaudit import lost_memory, workers

    # Put back after the test: the hook and the flag a worker's watch sets.
    monkeypatch.setattr(sys, "unraisablehook", sys.unraisablehook)
    monkeypatch.setattr(lost_memory, "_lost", False)
    lost_memory.watch()
    job = _ReaderLosingItsMemoryError(lost)
    if lost:
        assert workers._run(job, None).error == workers.MEMORY_ERROR  # type: ignore[arg-type]
    else:
        with pytest.raises(SystemError):
            workers._run(job, None)  # type: ignore[arg-type]


@pytest.mark.parametrize("lost", [True, False])
def test_a_read_whose_memory_error_was_lost_reports_the_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lost: bool
) -> None:
    # The same, where the scan's own boundary catches the error that follows
    # ("internal error: SystemError: ..." before).
    from wordaudit import api, lost_memory
    from wordaudit.api import build_auditor

    page = tmp_path / "bomb.md"
    page.write_text("# Bomb\n", encoding="utf-8")
    monkeypatch.setattr(sys, "unraisablehook", sys.unraisablehook)
    monkeypatch.setattr(lost_memory, "_lost", False)
    lost_memory.watch()
    job = _ReaderLosingItsMemoryError(lost)
    monkeypatch.setattr(api, "_scan", lambda source, auditor: job.run(auditor))
    result = api.scan_source(Source(str(page), "bomb.md", "markdown"), build_auditor(Config()))
    if lost:
        assert result.error == "ran out of memory reading this file"
    else:
        assert result.error == "internal error: SystemError: error return without exception set"


_LOST_CTRL_C = """
import sys, time, weakref
from wordaudit.entry import keep_ctrl_c

if sys.argv[1] == "kept":
    keep_ctrl_c()


class Lock:
    pass


def released(_: object) -> None:
    raise KeyboardInterrupt  # Ctrl-C, as it came during an import's lock callback


lock = Lock()
watch = weakref.ref(lock, released)
try:
    del lock
    end = time.monotonic() + 2
    while time.monotonic() < end:
        pass
    print("ran on")
except KeyboardInterrupt:
    print("interrupted")
"""


@pytest.mark.parametrize(("kept", "outcome"), [(True, "interrupted"), (False, "ran on")])
def test_a_ctrl_c_that_lands_in_an_interpreter_callback_still_stops_the_command(kept: bool, outcome: str) -> None:
    # Python cannot raise from a weakref callback (every import runs one as it
    # lets go of its module lock): it printed "Exception ignored" with a
    # traceback and the scan ran on (seen once in 40 Ctrl-Cs early in a scan).
    # The command raises it again; without that, the simulation shows the loss.
    done = subprocess.run(
        [sys.executable, "-c", _LOST_CTRL_C, "kept" if kept else "plain"],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_default_ctrl_c,
    )
    assert done.stdout.strip() == outcome
    assert ("Exception ignored" in done.stderr) is not kept


@pytest.mark.parametrize("engine", ["auto", "pdfminer"])
def test_the_server_imports_each_reader_library_once_for_all_workers(tmp_path: Path, engine: str) -> None:
    for number in range(4):
        (tmp_path / f"role-{number}.docx").write_bytes((FIXTURES / "docx" / "body.docx").read_bytes())
        (tmp_path / f"leaflet-{number}.pdf").write_bytes(SIMPLE_PDF.read_bytes())
    (tmp_path / "wordaudit.toml").write_text(f'pdf-engine = "{engine}"\n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "wordaudit", "scan", "--jobs", "3", "--no-cache", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Scanned 8 files" in done.stdout, done.stderr[-3000:]

    # -X importtime reaches every process; each prints a line for a module it imports.
    def imports(module: str) -> int:
        return len(re.findall(rf"\|\s+{re.escape(module)}$", done.stderr, re.MULTILINE))

    assert imports("docx.package") == 1
    assert imports("wordaudit.extract.docx") == 1
    if engine == "pdfminer":
        assert imports("pdfminer.pdfparser") == 1
        assert imports("pypdfium2") == 0
    else:
        assert imports("pypdfium2") == 1
        assert imports("pdfminer.pdfparser") == 0


def test_workers_started_from_the_console_script_do_not_import_the_command_line(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("wordaudit")
    if not script.exists():
        pytest.skip("wordaudit is not installed as a command beside this Python")
    for number in range(4):
        (tmp_path / f"role-{number}.docx").write_bytes((FIXTURES / "docx" / "body.docx").read_bytes())
    done = subprocess.run(
        [sys.executable, "-X", "importtime", str(script), "scan", "--jobs", "3", "--no-cache", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Scanned 4 files" in done.stdout, done.stderr[-3000:]
    # In the scanning process only: neither the fork server nor its workers
    # run the script again (each of the 3 workers once imported it). A plain
    # scan command line needs no typer command line at all.
    assert len(re.findall(r"\|\s+wordaudit\.entry$", done.stderr, re.MULTILINE)) == 1
    assert not re.findall(r"\|\s+(?:wordaudit\.cli|typer)$", done.stderr, re.MULTILINE)


LIBRARY_SCRIPT = """\
from wordaudit import audit_paths

result = audit_paths(["policies/"])
for file in result.files:
    print(file.path, file.error or len(file.findings))
"""


@pytest.mark.parametrize("how", ["script", "stdin"])
def test_a_script_scanning_at_its_top_level_without_a_main_guard_works(tmp_path: Path, how: str) -> None:
    # As the README's library example does. A worker no longer runs the
    # script again, which made each worker scan again and die starting its own.
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "role.docx").write_bytes((FIXTURES / "docx" / "body.docx").read_bytes())
    (tmp_path / "scan.py").write_text(LIBRARY_SCRIPT, encoding="utf-8")
    command = [sys.executable, "scan.py"] if how == "script" else [sys.executable, "-"]
    done = subprocess.run(
        command,
        input=LIBRARY_SCRIPT if how == "stdin" else None,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stderr == ""
    [line] = done.stdout.splitlines()
    path, findings = line.split()
    assert path == "role.docx"
    assert int(findings) > 0


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"cpu.max": "200000 100000\n"}, 2),  # cgroup v2: 2 CPUs
        ({"cpu.max": "150000 100000\n"}, 2),  # 1.5 CPUs: two workers, each part-time
        ({"cpu.max": "max 100000\n"}, None),
        ({"cpu/cpu.cfs_quota_us": "300000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 3),  # v1
        ({"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, None),
        ({"cpu.max": "garbage\n"}, None),
        ({}, None),
    ],
)
def test_a_containers_cpu_quota_caps_the_default_jobs(
    tmp_path: Path, files: dict[str, str], expected: int | None
) -> None:
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content, encoding="ascii")
    assert cpu_quota(tmp_path) == expected
    cpus = len(os.sched_getaffinity(0))
    assert default_jobs(tmp_path) == (min(cpus, expected) if expected else cpus)


@pytest.mark.parametrize(("server_worth_bytes", "server"), [(0, True), (6 << 20, False)])
def test_markdown_that_needs_spacy_reads_the_same_in_a_worker_or_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server_worth_bytes: int, server: bool
) -> None:
    # With little text left after the first file that needs spaCy, spaCy is
    # loaded in this process rather than in a worker server; either way the
    # results are those of one job.
    from wordaudit import schedule, workers
    from wordaudit.api import audit_paths_with
    from wordaudit.model import ScanResult

    for number in range(30):
        body = "Our back-office team.\n" if number % 7 == 3 else "Clean words.\n"
        (tmp_path / f"page{number:02}.md").write_text(f"# Page {number}\n\n{body}", encoding="utf-8")
    started: list[list[str]] = []
    real_warm_up = workers.warm_up

    def recording(modules: list[str]) -> None:
        started.append(list(modules))
        real_warm_up(modules)

    monkeypatch.setattr(schedule, "_SERVER_WORTH_BYTES", server_worth_bytes)
    monkeypatch.setattr(workers, "warm_up", recording)
    one = audit_paths_with([str(tmp_path)], Config(), jobs=1)
    two = audit_paths_with([str(tmp_path)], Config(), jobs=2)

    def found(result: ScanResult) -> list[tuple[str, list[tuple[str, int]]]]:
        return [(f.path, [(x.rule, x.line) for x in f.findings]) for f in result.files]

    assert found(two) == found(one)
    assert sum(len(f.findings) for f in two.files) == 4
    assert any("wordaudit.preload.spacy_pipeline" in modules for modules in started) == server
    # The files are parsed here; the server's workers only match their candidate blocks.
    assert not any("wordaudit.preload.markdown" in modules for modules in started)


@pytest.mark.parametrize(
    ("jobs", "enabled", "first", "starts_at"),
    [(2, True, None, 3), (1, True, None, None), (2, False, None, None), (2, True, "docx", "end")],
)
def test_the_walk_starts_the_server_as_soon_as_it_has_found_enough_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int, enabled: bool, first: str | None, starts_at: object
) -> None:
    # Loading spaCy is what a large markdown tree waits for, so the server
    # starts during the walk, at the file that brings the text found to
    # _SERVER_WORTH_BYTES; not with one job, nor when told not to (a cache may
    # answer). Once a Word file is found, the text no longer starts it: it
    # starts when the walk ends, with the Word reader and without spaCy.
    from wordaudit import schedule, workers

    started: list[list[str]] = []
    monkeypatch.setattr(workers, "warm_up", lambda modules: started.append(list(modules)))
    monkeypatch.setattr(schedule, "_SERVER_WORTH_BYTES", 250)
    sources = []
    if first is not None:
        word = tmp_path / "first.docx"
        word.write_bytes((FIXTURES / "docx" / "body.docx").read_bytes())
        sources.append(Source(str(word), word.name, first))
    for number in range(5):
        page = tmp_path / f"page{number}.md"
        page.write_text("x" * 99 + "\n", encoding="utf-8")  # 100 bytes
        sources.append(Source(str(page), page.name, "markdown"))
    ahead = schedule.ServerAhead(jobs, enabled=enabled)
    for count, source in enumerate(sources, 1):
        ahead.found(source)
        assert ahead.started == (isinstance(starts_at, int) and count >= starts_at)
    ahead.walked()
    assert ahead.started == (starts_at is not None)
    if starts_at == "end":
        assert started == [workers.preloads({"docx"})]
        assert workers._SPACY_PRELOAD not in started[0]
    elif starts_at is not None:
        assert started == [workers.preloads(with_spacy=True)]
    else:
        assert started == []


def test_a_rescan_the_cache_may_answer_starts_no_server_during_the_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wordaudit import schedule
    from wordaudit.api import audit_paths_with

    tree = tmp_path / "tree"
    tree.mkdir()
    for number in range(30):
        body = "Our back office staff.\n" if number == 17 else "Clean words.\n"
        (tree / f"page{number:02}.md").write_text(f"# Page {number}\n\n{body}", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(schedule, "_SERVER_WORTH_BYTES", 100)
    ahead: list[bool] = []
    real_run = schedule.run

    def recording(*args: object, **kwargs: object) -> object:
        ahead.append(args[3].server_ahead)  # type: ignore[attr-defined]
        return real_run(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(schedule, "run", recording)
    first = audit_paths_with([str(tree)], Config(), jobs=2, use_cache=True)
    again = audit_paths_with([str(tree)], Config(), jobs=2, use_cache=True)
    picked = audit_paths_with([str(tree)], Config(), jobs=2, only={(tree / "page17.md").resolve()})

    assert ahead == [True, False, False]
    for result in (first, again):
        assert [(f.path, x.line) for f in result.files for x in f.findings] == [("page17.md", 3)]
    assert [(f.path, len(f.findings)) for f in picked.files] == [("page17.md", 1)]


def test_a_server_the_walk_started_is_stopped_when_the_rules_cannot_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The walk comes before the rules; a pack that fails to load must not
    # leave a server loading spaCy behind (it would hold the scan's stdout).
    from multiprocessing import forkserver

    from wordaudit import schedule
    from wordaudit.api import audit_paths_with
    from wordaudit.errors import RuleFileError

    for number in range(5):
        (tmp_path / f"page{number}.md").write_text("# Page\n\nClean words.\n", encoding="utf-8")
    broken = tmp_path / "broken.yml"
    broken.write_text("rules: [unclosed\n", encoding="utf-8")
    monkeypatch.setattr(schedule, "_SERVER_WORTH_BYTES", 10)
    forkserver._forkserver._stop()
    started: list[bool] = []
    real_found = schedule.ServerAhead.found

    def found(self: schedule.ServerAhead, source: Source) -> None:
        real_found(self, source)
        started.append(self.started)

    monkeypatch.setattr(schedule.ServerAhead, "found", found)
    with pytest.raises(RuleFileError):
        audit_paths_with([str(tmp_path)], Config(rules=(broken,)), jobs=2)
    assert started[-1:] == [True]  # the walk did start it
    assert forkserver._forkserver._forkserver_pid is None


def test_spacy_is_loaded_here_only_when_little_is_left_and_few_files_need_it() -> None:
    from wordaudit.schedule import _little_left

    assert _little_left(1 << 20, files=400, read=100)
    assert not _little_left(40 << 20, files=400, read=100)  # the server loads it while this process reads
    assert not _little_left(1 << 20, files=400, read=2)  # many files to match: workers share them


@pytest.mark.parametrize("late_finding", [True, False])
def test_much_text_starts_spacy_beside_the_reading_and_stops_it_when_unneeded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, late_finding: bool
) -> None:
    # Past _SERVER_WORTH_BYTES of text the server loads spaCy from the start,
    # whether or not a file will need it: the one that does may be the last.
    # When none does, the server, which may still be loading, is stopped
    # rather than left to hold the scan's stdout.
    from multiprocessing import forkserver

    from wordaudit import schedule, workers
    from wordaudit.api import audit_paths_with

    for number in range(30):
        (tmp_path / f"page{number:02}.md").write_text(f"# Page {number}\n\nClean words.\n", encoding="utf-8")
    if late_finding:
        (tmp_path / "zz-last.md").write_text("# Team\n\nOur back office staff.\n", encoding="utf-8")
    started: list[list[str]] = []
    real_warm_up = workers.warm_up

    def recording(modules: list[str]) -> None:
        started.append(list(modules))
        real_warm_up(modules)

    monkeypatch.setattr(schedule, "_SERVER_WORTH_BYTES", 100)
    monkeypatch.setattr(workers, "warm_up", recording)
    forkserver._forkserver._stop()  # a server left by another test has other modules loaded
    two = audit_paths_with([str(tmp_path)], Config(), jobs=2)

    assert len(started) == 1
    assert "wordaudit.preload.spacy_pipeline" in started[0]
    findings = [(f.path, x.rule, x.line) for f in two.files for x in f.findings]
    server_pid = forkserver._forkserver._forkserver_pid
    if late_finding:
        assert findings == [("zz-last.md", "back-office", 3)]
        assert server_pid is not None  # it started workers, and exits with this process
    else:
        assert findings == []
        assert server_pid is None


def _pooled_scan(
    root: Path, monkeypatch: pytest.MonkeyPatch, config: Config | None = None
) -> tuple[dict[str, FileResult], list[list[str]]]:
    """Scan ``root`` with two jobs, its text read in workers as in a tree of
    over 64 MiB of text; with each first-pass and retry list of tasks sent to
    the pool, by kind."""
    from wordaudit import schedule
    from wordaudit.api import audit_paths_with

    sent: list[list[str]] = []
    real_run_tasks = WorkerPool.run_tasks

    def recording(self: WorkerPool, tasks: list[tuple[int, object]]) -> Iterator[tuple[int, object]]:
        sent.append([type(task).__name__ for _, task in tasks])
        return real_run_tasks(self, tasks)  # type: ignore[arg-type]

    monkeypatch.setattr(schedule, "_POOL_TEXT_BYTES", 0)
    monkeypatch.setattr(WorkerPool, "run_tasks", recording)
    result = audit_paths_with([str(root)], config or Config(), jobs=2)
    return {f.path: f for f in result.files}, sent


def test_small_text_files_read_in_workers_go_in_batches_with_the_results_of_one_job(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wordaudit.api import audit_paths_with

    for number in range(150):
        body = "Our back-office team.\n" if number % 11 == 5 else "Clean words.\n"
        (tmp_path / f"page{number:03}.md").write_text(f"# Page {number}\n\n{body}", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("The non-customer-facing staff.\n", encoding="utf-8")
    # Over the size of a file that is batched: sent alone.
    (tmp_path / "long.md").write_text("Clean words.\n\n" * 30_000 + "The back line team.\n", encoding="utf-8")

    pooled, sent = _pooled_scan(tmp_path, monkeypatch)
    one = audit_paths_with([str(tmp_path)], Config(), jobs=1)

    def found(results: list[FileResult]) -> list[tuple[str, list[tuple[str, int, int]]]]:
        return [(f.path, [(x.rule, x.line, x.column) for x in f.findings]) for f in results]

    assert found(list(pooled.values())) == found(list(one.files))
    assert sum(len(f.findings) for f in one.files) == 16
    first = sent[0]
    assert first.count("ReadBatch") == 3  # 151 small files, 64 at a time
    assert first.count("ReadTask") == 1  # long.md
    assert all(kinds == [] for kinds in sent[1:])  # nothing to read again


def test_a_batch_a_file_broke_is_read_again_file_by_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A file that takes all of a worker's memory ends the batch it is in; each
    # of the batch's files is then read alone, and only that one fails.
    from wordaudit import schedule

    (tmp_path / "big.md").write_bytes(b"clean words here " * (18 * 1024 * 1024))  # about 300 MB
    for number in range(5):
        (tmp_path / f"small{number}.md").write_text("The back office.\n", encoding="utf-8")
    monkeypatch.setattr(schedule, "_BATCH_FILE_BYTES", 1 << 30)
    monkeypatch.setattr(schedule, "_BATCH_BYTES", 1 << 30)

    # As in test_a_file_over_the_memory_cap_gets_a_one_line_error: the small
    # files fit in 550 MB with spaCy, the 300 MB of markdown read whole do not.
    results, sent = _pooled_scan(tmp_path, monkeypatch, Config(memory_limit_mb=550))

    assert sent[0] == ["ReadBatch"]
    assert sorted(sent[1]) == ["ReadTask"] * 6
    error = results["big.md"].error
    assert error is not None
    assert error.startswith("exceeded the 550 MB") or "crashed" in error, error
    for number in range(5):
        small = results[f"small{number}.md"]
        assert small.error is None
        assert [f.rule for f in small.findings] == ["back-office"]
