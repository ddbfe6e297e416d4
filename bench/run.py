#!/usr/bin/env python3
"""Benchmark the installed ``wordaudit`` CLI on the shared corpus, against floors and peers.

    python bench/run.py [--corpus ../shared/bench] [--quick] [--json out.json]

Every figure is a whole process started from here, as a user would start it: Python start-up,
imports, file discovery, the worker fork server and the report are all inside the time.
``docs/benchmarks.md`` says what each figure means and holds the figures of a full run.
"""

from __future__ import annotations

import argparse
import ctypes
import importlib
import json
import multiprocessing
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PEERS = REPO / "bench" / "peers"
PEERS_VENV = PEERS / ".venv"
DEFAULT_CORPUS = REPO.parent / "shared" / "bench"
GNU_TIME = "/usr/bin/time"
MB = 1_000_000  # throughput is in decimal megabytes, as the corpus description counts them
POLL_SECONDS = 0.05
JOBS = 2
PEER_SUBSET_BYTES = 5 * MB
# The Word files again, this many times over, as a tree the size of an HR audit.
DOCX_COPIES = 5
# --big: the markdown this many times over (1.03 GB), and one plain-text file of this size: the
# trees of "Bounded memory" in issue 6, whose goal is a peak under MEMORY_GOAL_MIB.
BIG_COPIES = 41
BIG_TEXT_BYTES = 500 * MB
# One large markdown file, read in parts (``split``): parsed whole it took 25 MB a MB.
BIG_MARKDOWN_BYTES = 100 * MB
MEMORY_GOAL_MIB = 500
CLEAN_RUNS = 5
PR_SET_CHILD_SUBREAPER = 36
# What wordaudit's folder walk reads (README): a folder's figures count every such file in it,
# e.g. pdf/SOURCES.txt beside the PDFs.
SCANNED_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".txt", ".text", ".docx", ".docm", ".dotx", ".pdf"})
CLEAN_MARKDOWN = """\
# Team handbook

Our operations team processes every customer order within a day, and the payroll team
pays everyone on time. Each role serves the customer or someone who does.

- Customer-impacting work is planned every Monday.
- Questions go to the service-delivery channel.
"""


# ---------------------------------------------------------------- corpus


@dataclass(frozen=True)
class Corpus:
    """Files one command reads: ``args`` is what goes on its command line (a folder or the files)."""

    name: str
    args: tuple[str, ...]
    files: tuple[Path, ...]
    size: int
    pages: int | None = None


def walk(folder: Path, suffixes: Iterable[str]) -> list[Path]:
    """The files under ``folder`` that wordaudit's folder walk reads: sorted, no hidden folders."""
    wanted = {suffix.lower() for suffix in suffixes}
    found = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder).parts
        if path.is_file() and path.suffix.lower() in wanted and not any(p.startswith(".") for p in relative):
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def take_bytes(files: Sequence[Path], limit: int) -> list[Path]:
    """The first files, in the given order, until their sizes add up to ``limit`` bytes."""
    taken: list[Path] = []
    total = 0
    for path in files:
        if total >= limit:
            break
        taken.append(path)
        total += path.stat().st_size
    return taken


def copies_corpus(name: str, files: Sequence[Path], folder: Path, copies: int, root: Path | None = None) -> Corpus:
    """``copies`` of every file in sub-folders of ``folder`` (hard links where the file system allows):
    a tree as large as an HR audit, where start-up costs no longer hide the cost per file. Each copy
    keeps the files' paths below ``root``, or else only their folder's name."""
    made: list[Path] = []
    for number in range(copies):
        for source in files:
            below = source.relative_to(root) if root is not None else Path(source.parent.name, source.name)
            target = folder / f"copy{number}" / below
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, target)
            except OSError:
                shutil.copyfile(source, target)
            made.append(target)
    return make_corpus(name, made, folder)


def make_corpus(name: str, files: Sequence[Path], folder: Path | None = None, pages: int | None = None) -> Corpus:
    """A corpus passed as ``folder`` (wordaudit walks it) or, without one, as the files themselves."""
    args = (str(folder),) if folder is not None else tuple(str(p) for p in files)
    return Corpus(name, args, tuple(files), sum(p.stat().st_size for p in files), pages)


def count_pdf_pages(paths: Iterable[Path]) -> int:
    """Pages in all PDFs, counted once up front with pypdfium2, or pdfminer.six without it."""
    files = [path for path in paths if path.suffix.lower() == ".pdf"]
    try:
        import pypdfium2

        total = 0
        for path in files:
            document = pypdfium2.PdfDocument(path)
            total += len(document)
            document.close()
        return total
    except ImportError:
        from pdfminer.pdfpage import PDFPage

        total = 0
        for path in files:
            with path.open("rb") as handle:
                total += sum(1 for _ in PDFPage.get_pages(handle))
        return total


def text_file_of(files: Sequence[Path], target: Path, size: int, kind: str = "text") -> Corpus:
    """One file of ``size`` bytes at least: the files' bytes, over and over,
    a blank line after each (so that a markdown file's last line does not run
    into the next one's first)."""
    written = 0
    with target.open("wb") as out:
        while written < size:
            for path in files:
                chunk = path.read_bytes() + b"\n\n"
                out.write(chunk)
                written += len(chunk)
                if written >= size:
                    break
    return make_corpus(f"one {size / MB:g} MB {kind} file", [target])


def read_all(files: Iterable[Path]) -> None:
    """Read every file once, so that no timed run is the one that fills the OS page cache."""
    for path in files:
        path.read_bytes()


# ---------------------------------------------------------------- measuring one process tree


@dataclass
class Run:
    label: str
    corpus: str
    files: int
    size: int
    pages: int | None
    wall: float
    cpu: float | None
    tree_rss_kib: int  # peak of the summed VmRSS of the whole tree, polled
    largest_rss_kib: int  # peak VmRSS of the largest single process, polled
    max_rss_kib: int | None  # GNU time's %M
    exit_code: int
    summary: str
    walls: list[float] = field(default_factory=list)

    @property
    def mb_per_s(self) -> float:
        return self.size / MB / self.wall

    @property
    def files_per_s(self) -> float:
        return self.files / self.wall

    @property
    def pages_per_s(self) -> float | None:
        return None if self.pages is None else self.pages / self.wall


def process_parents() -> dict[int, int]:
    """pid → parent pid for every process in /proc."""
    parents = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue  # gone while we looked
        fields_after_name = stat[stat.rfind(")") + 2 :].split()
        parents[int(entry.name)] = int(fields_after_name[1])
    return parents


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, parent in process_parents().items():
        children.setdefault(parent, []).append(pid)
    found, queue = [], list(children.get(root, []))
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue.extend(children.get(pid, []))
    return found


def rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeRssSampler(threading.Thread):
    """Polls the resident memory (VmRSS) of a process tree every 50 ms; keeps the peak of the
    sum over the tree and the peak of its largest single process."""

    def __init__(self, root: int, include_root: bool) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.include_root = include_root
        self.peak_kib = 0
        self.largest_kib = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while True:
            self.sample()
            if self._stop_event.wait(POLL_SECONDS):
                return

    def sample(self) -> None:
        pids = descendants(self.root) + ([self.root] if self.include_root else [])
        sizes = [rss_kib(pid) for pid in pids]
        self.peak_kib = max(self.peak_kib, sum(sizes))
        self.largest_kib = max(self.largest_kib, *sizes, 0)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def become_subreaper() -> bool:
    """Orphaned descendants (the fork server, its workers) are reparented to this process, so
    waiting for them adds their CPU time to RUSAGE_CHILDREN. Linux only."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def reap_orphans(deadline_seconds: float = 30.0) -> None:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.01)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class Measurer:
    workdir: Path
    gnu_time: bool
    subreaper: bool

    def measure(
        self,
        label: str,
        argv: Sequence[str],
        corpus: Corpus,
        env: dict[str, str] | None = None,
        expected_exit: Sequence[int] | None = (0, 1),
    ) -> Run:
        """Run ``argv`` once: wall time from start to its exit, peak RSS and CPU time of its tree.
        An exit status outside ``expected_exit`` (None: any) is reported on stderr."""
        stdout_path, stderr_path, time_path = (self.workdir / name for name in ("stdout", "stderr", "time"))
        command = [GNU_TIME, "-f", "%M", "-o", str(time_path), *argv] if self.gnu_time else list(argv)
        cpu_before = children_cpu()
        with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
            start = time.perf_counter()
            process = subprocess.Popen(command, cwd=self.workdir, env=env, stdout=stdout, stderr=stderr)
            sampler = TreeRssSampler(process.pid, include_root=not self.gnu_time)
            sampler.start()
            exit_code = process.wait()
            wall = time.perf_counter() - start
        sampler.stop()
        reap_orphans()
        cpu = children_cpu() - cpu_before if self.subreaper else None
        output = stdout_path.read_text(errors="replace").strip().splitlines()
        if expected_exit is not None and exit_code not in expected_exit:
            tail = stderr_path.read_text(errors="replace").strip().splitlines()[-3:]
            print(f"  ! {label}: exit status {exit_code}: {' / '.join(tail)}", file=sys.stderr)
        return Run(
            label=label,
            corpus=corpus.name,
            files=len(corpus.files),
            size=corpus.size,
            pages=corpus.pages,
            wall=wall,
            cpu=cpu,
            tree_rss_kib=sampler.peak_kib,
            largest_rss_kib=sampler.largest_kib,
            max_rss_kib=self._max_rss(time_path),
            exit_code=exit_code,
            summary=output[-1] if output else "",
            walls=[wall],
        )

    def _max_rss(self, time_path: Path) -> int | None:
        if not self.gnu_time:
            return None
        lines = time_path.read_text().strip().splitlines()  # "Command exited with non-zero status 1" first
        return int(lines[-1]) if lines and lines[-1].isdigit() else None


def repeated(repeat: int, one_round: Callable[[], dict[str, Run]]) -> dict[str, Run]:
    """Run ``one_round`` (a few runs to compare, one after the other) ``repeat`` times and keep
    the fastest of each run. Alternating the runs compared lets both see the same load."""
    rounds = [one_round() for _ in range(max(1, repeat))]
    best = {}
    for key in rounds[0]:
        runs = [each[key] for each in rounds]
        best[key] = replace(min(runs, key=lambda run: run.wall), walls=[run.wall for run in runs])
    return best


def has_gnu_time() -> bool:
    if not Path(GNU_TIME).exists():
        return False
    result = subprocess.run([GNU_TIME, "--version"], capture_output=True, text=True, check=False)
    return "GNU" in result.stdout + result.stderr


# ---------------------------------------------------------------- wordaudit runs


@dataclass(frozen=True)
class Wordaudit:
    executable: str
    measurer: Measurer
    env: dict[str, str]

    def scan(self, label: str, corpus: Corpus, *options: str, env: dict[str, str] | None = None) -> Run:
        argv = [self.executable, "scan", *options, *corpus.args]
        run = self.measurer.measure(label, argv, corpus, env or self.env)
        self._check_count(run)
        print(f"  {label}: {run.wall:.2f} s", file=sys.stderr)
        return run

    def with_config(self, name: str, text: str) -> Path:
        path = self.measurer.workdir / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        return path

    @staticmethod
    def _check_count(run: Run) -> None:
        match = re.search(r"Scanned (\d+) files?", run.summary)
        if match and int(match.group(1)) != run.files:
            print(f"  ! {run.label}: wordaudit scanned {match.group(1)} files, expected {run.files}", file=sys.stderr)


def find_wordaudit() -> str:
    beside_python = Path(sys.executable).parent / "wordaudit"
    found = str(beside_python) if beside_python.exists() else shutil.which("wordaudit")
    if not found:
        sys.exit("wordaudit is not installed: pip install -e . in the repository first")
    return found


def compile_bytecode(executable: str) -> None:
    """Write wordaudit's .pyc files, as pip does when it installs a wheel. An
    editable install compiles a module when first imported, unless
    PYTHONDONTWRITEBYTECODE is set (as in many containers): then every measured
    run would compile each changed module anew."""
    first = Path(executable).read_bytes()[:200].split(b"\n", 1)[0]
    python = first[2:].decode().strip() if first.startswith(b"#!") else sys.executable
    script = "import compileall, os, wordaudit; compileall.compile_dir(os.path.dirname(wordaudit.__file__), quiet=1)"
    subprocess.run([python, "-c", script], capture_output=True, check=False)


COLD = ("--jobs", str(JOBS), "--no-cache")


def markdown_runs(wordaudit: Wordaudit, md: Corpus, repeat: int) -> dict[str, Run]:
    return repeated(
        repeat,
        lambda: {
            "md_cold": wordaudit.scan("md, cold, --jobs 2 --no-cache", md, *COLD),
            "md_jobs1": wordaudit.scan("md, cold, --jobs 1 --no-cache", md, "--jobs", "1", "--no-cache"),
        },
    )


def cache_round(wordaudit: Wordaudit, md: Corpus) -> dict[str, Run]:
    """A cold scan that fills a fresh cache, then a rescan of the unchanged tree."""
    cache_home = Path(tempfile.mkdtemp(prefix="cache-", dir=wordaudit.measurer.workdir))
    env = {**wordaudit.env, "XDG_CACHE_HOME": str(cache_home)}
    jobs = ("--jobs", str(JOBS))
    return {
        "md_cache_cold": wordaudit.scan("md, cold, --jobs 2, filling the cache", md, *jobs, env=env),
        "md_cache_warm": wordaudit.scan("md, warm rescan (cache)", md, *jobs, env=env),
    }


def big_runs(wordaudit: Wordaudit, md: Corpus, md_root: Path) -> dict[str, Run]:
    """--big: the bounded-memory trees, each scanned once (they take minutes)."""
    workdir = wordaudit.measurer.workdir
    print(f"  making the big trees in {workdir} ...", file=sys.stderr)
    tree = copies_corpus(f"md ×{BIG_COPIES}", md.files, workdir / "md-copies", BIG_COPIES, md_root)
    text = text_file_of(md.files, workdir / "big.txt", BIG_TEXT_BYTES)
    markdown = text_file_of(md.files, workdir / "big.md", BIG_MARKDOWN_BYTES, "markdown")
    read_all(tree.files)
    runs = {"big_cold": wordaudit.scan(f"{tree.name}, cold, --jobs 2 --no-cache", tree, *COLD)}
    cache_home = Path(tempfile.mkdtemp(prefix="cache-", dir=workdir))
    env = {**wordaudit.env, "XDG_CACHE_HOME": str(cache_home)}
    jobs = ("--jobs", str(JOBS))
    runs["big_cache_cold"] = wordaudit.scan(f"{tree.name}, cold, --jobs 2, filling the cache", tree, *jobs, env=env)
    runs["big_cache_warm"] = wordaudit.scan(f"{tree.name}, warm rescan (cache)", tree, *jobs, env=env)
    runs["big_text"] = wordaudit.scan(f"{text.name}, --jobs 2 --no-cache", text, *COLD)
    runs["big_markdown"] = wordaudit.scan(f"{markdown.name}, --jobs 2 --no-cache", markdown, *COLD)
    return runs


def memory_goal_lines(runs: dict[str, Run]) -> list[str]:
    """The bounded-memory goal against the --big runs' peaks."""
    lines = []
    for key in ("big_cold", "big_cache_cold", "big_cache_warm", "big_text", "big_markdown"):
        if key in runs:
            run = runs[key]
            peak = run.tree_rss_kib / 1024
            met = "met" if peak < MEMORY_GOAL_MIB else "missed"
            lines.append(
                f"Bounded memory, {run.label}: peak {peak:.0f} MiB summed over the process tree, largest "
                f"process {mib(run.largest_rss_kib)} MiB (goal: under {MEMORY_GOAL_MIB} MiB; {met})."
            )
    return [*lines, ""] if lines else []


def docx_runs(wordaudit: Wordaudit, docx: Corpus, repeat: int) -> dict[str, Run]:
    return repeated(
        repeat,
        lambda: {
            docx.name: wordaudit.scan(f"{docx.name}, cold, --jobs 2 --no-cache", docx, *COLD),
            f"{docx.name}_floor": floor_run(wordaudit.measurer, "python-docx", docx),
        },
    )


def pdf_runs(wordaudit: Wordaudit, pdf: Corpus, engine: str, repeat: int) -> dict[str, Run]:
    """wordaudit with ``pdf-engine = engine`` in a config file, and that engine's floor."""
    if engine == "auto":
        label = "pdf, cold, --jobs 2 --no-cache, pdf-engine auto (default)"
        return repeated(repeat, lambda: {"pdf_auto": wordaudit.scan(label, pdf, *COLD)})
    config = wordaudit.with_config(f"pdf-{engine}", f'pdf-engine = "{engine}"\n')
    label = f"pdf, cold, --jobs 2 --no-cache, pdf-engine {engine}"
    return repeated(
        repeat,
        lambda: {
            f"pdf_{engine}": wordaudit.scan(label, pdf, *COLD, "--config", str(config)),
            f"pdf_floor_{engine}": floor_run(wordaudit.measurer, engine, pdf),
        },
    )


@dataclass
class CleanFile:
    median: float
    walls: list[float]
    tree_rss_kib: int
    spacy_imported: bool | None


def clean_file_run(wordaudit: Wordaudit) -> CleanFile:
    """``wordaudit scan clean.md --no-cache``, five times, and whether that imports spaCy."""
    path = wordaudit.measurer.workdir / "clean.md"
    path.write_text(CLEAN_MARKDOWN, encoding="utf-8")
    corpus = make_corpus("clean.md", [path])
    runs = [
        wordaudit.measurer.measure(
            "clean.md", [wordaudit.executable, "scan", "clean.md", "--no-cache"], corpus, wordaudit.env
        )
        for _ in range(CLEAN_RUNS)
    ]
    walls = [run.wall for run in runs]
    print(f"  clean.md: median {statistics.median(walls):.2f} s", file=sys.stderr)
    return CleanFile(statistics.median(walls), walls, max(r.tree_rss_kib for r in runs), spacy_imported(wordaudit))


def spacy_imported(wordaudit: Wordaudit) -> bool | None:
    """``-X importtime`` for the whole tree (PYTHONPROFILEIMPORTTIME reaches every child process)."""
    env = {**wordaudit.env, "PYTHONPROFILEIMPORTTIME": "1"}
    result = subprocess.run(
        [wordaudit.executable, "scan", "clean.md", "--no-cache"],
        cwd=wordaudit.measurer.workdir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if "import time:" not in result.stderr:
        return None
    return re.search(r"^import time:.*\|\s*spacy$", result.stderr, re.MULTILINE) is not None


# ---------------------------------------------------------------- floors: the libraries alone


def docx_text_length(path: str) -> int:
    import docx

    document = docx.Document(path)
    return sum(len(p.text) for p in document.paragraphs) + sum(table_text_length(t) for t in document.tables)


def table_text_length(table: Any) -> int:
    total = 0
    for row in table.rows:
        for cell in row.cells:
            total += sum(len(p.text) for p in cell.paragraphs) + sum(table_text_length(t) for t in cell.tables)
    return total


def pdfminer_text_length(path: str) -> int:
    from pdfminer.high_level import extract_text

    return len(extract_text(path))


def pdfium_text_length(path: str) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        total = 0
        for page in document:
            textpage = page.get_textpage()
            total += len(textpage.get_text_range())
            textpage.close()
            page.close()
        return total
    finally:
        document.close()


FLOOR_READERS: dict[str, tuple[str, str, Callable[[str], int]]] = {
    "python-docx": ("docx", ".docx", docx_text_length),
    "pdfminer": ("pdfminer.high_level", ".pdf", pdfminer_text_length),
    "pdfium": ("pypdfium2", ".pdf", pdfium_text_length),
}


def floor_main(kind: str, list_file: str, jobs: int) -> None:
    """The floor process: read every listed file's text with one library, in a Pool of ``jobs``."""
    module, _, reader = FLOOR_READERS[kind]
    importlib.import_module(module)  # once, in the parent; the forked pool inherits it
    files = Path(list_file).read_text(encoding="utf-8").splitlines()
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        characters = sum(pool.imap_unordered(reader, files, chunksize=1))
    print(f"{kind}: {len(files)} files, {characters} characters")


def floor_missing() -> list[str]:
    """The floor libraries this Python cannot import (the floors run with this interpreter)."""
    missing = []
    for module, _, _ in FLOOR_READERS.values():
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(module)
    return missing


def floor_run(measurer: Measurer, kind: str, corpus: Corpus) -> Run:
    _, suffix, _ = FLOOR_READERS[kind]
    list_file = measurer.workdir / f"floor-{kind}.txt"
    documents = [path for path in corpus.files if path.suffix.lower() == suffix]
    list_file.write_text("".join(f"{path}\n" for path in documents), encoding="utf-8")
    argv = [sys.executable, str(Path(__file__).resolve()), "--floor", kind, str(list_file), "--floor-jobs", str(JOBS)]
    documents_only = make_corpus(corpus.name, documents, pages=corpus.pages)
    run = measurer.measure(f"{corpus.name}, floor: {kind} alone, 2 processes", argv, documents_only)
    print(f"  {run.label}: {run.wall:.2f} s", file=sys.stderr)
    return run


# ---------------------------------------------------------------- peers


@dataclass(frozen=True)
class Peer:
    name: str
    version: str
    argv: tuple[str, ...]  # the files are appended


def npm_version(package: str) -> str | None:
    manifest = PEERS / "node_modules" / package / "package.json"
    if not manifest.exists():
        return None
    return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])


def install_npm_peers() -> str | None:
    """alex and write-good, at the versions bench/peers/package.json pins; None when they are there."""
    if npm_version("alex") and npm_version("write-good"):
        return None
    npm = shutil.which("npm")
    if npm is None:
        return "npm is not installed"
    command = [npm, "install", "--prefix", str(PEERS), "--no-audit", "--no-fund"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return None if result.returncode == 0 else f"npm install failed: {result.stderr.strip()[-300:]}"


def install_proselint() -> str | None:
    """proselint in its own venv (bench/peers/.venv), at the version bench/peers/requirements.txt pins."""
    python = PEERS_VENV / "bin" / "python"
    if (PEERS_VENV / "bin" / "proselint").exists():
        return None
    try:
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True, capture_output=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "-r", str(PEERS / "requirements.txt")],
            check=True,
            capture_output=True,
            text=True,
        )
    except subprocess.CalledProcessError as error:
        return f"pip install proselint failed: {(error.stderr or '').strip()[-300:]}"
    return None


def proselint_version() -> str | None:
    command = [
        str(PEERS_VENV / "bin" / "python"),
        "-c",
        "import importlib.metadata as m; print(m.version('proselint'))",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return result.stdout.strip() if result.returncode == 0 else None


def find_peers() -> tuple[list[Peer], list[str]]:
    """The installed peers, and a message for each one that is skipped."""
    peers, skipped = [], []
    npm_problem = install_npm_peers()
    for name in ("alex", "write-good"):
        version = npm_version(name)
        if version is None:
            skipped.append(f"{name}: skipped, not installed ({npm_problem or 'unknown reason'})")
        else:
            peers.append(Peer(name, version, (str(PEERS / "node_modules" / ".bin" / name),)))
    pip_problem = install_proselint()
    version = proselint_version() if pip_problem is None else None
    if version is None:
        skipped.append(f"proselint: skipped, not installed ({pip_problem or 'unknown reason'})")
    else:
        peers.append(Peer("proselint", version, (str(PEERS_VENV / "bin" / "proselint"), "check")))
    return peers, skipped


def peers_line(peers: Sequence[Peer]) -> str:
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    names = ", ".join(f"{peer.name} {peer.version}" for peer in peers)
    return f"Peers: {names}; Node.js {node or 'unknown'}, Python {sys.version.split()[0]}."


def peer_runs(wordaudit: Wordaudit, peers: Sequence[Peer], subset: Corpus, repeat: int) -> dict[str, Run]:
    """wordaudit (best of ``repeat``) and each peer (once: they are far slower) on the same files."""
    runs = repeated(
        repeat,
        lambda: {
            "subset_jobs2": wordaudit.scan(f"{subset.name}, wordaudit --jobs 2 --no-cache", subset, *COLD),
            "subset_jobs1": wordaudit.scan(
                f"{subset.name}, wordaudit --jobs 1 --no-cache", subset, "--jobs", "1", "--no-cache"
            ),
        },
    )
    for peer in peers:
        label = f"{subset.name}, {peer.name} {peer.version}"
        run = wordaudit.measurer.measure(label, [*peer.argv, *subset.args], subset, wordaudit.env, expected_exit=None)
        print(f"  {label}: {run.wall:.2f} s (exit status {run.exit_code})", file=sys.stderr)
        runs[f"peer_{peer.name}"] = run
    return runs


# ---------------------------------------------------------------- report


@dataclass
class Machine:
    cpus: int
    cpu_model: str
    memory_gib: float
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)


def describe_machine() -> Machine:
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    meminfo = Path("/proc/meminfo").read_text(encoding="utf-8")
    total = re.search(r"^MemTotal:\s+(\d+) kB", meminfo, re.MULTILINE)
    return Machine(
        cpus=len(os.sched_getaffinity(0)),
        cpu_model=model.group(1).strip() if model else "unknown",
        memory_gib=int(total.group(1)) / 1024**2 if total else 0.0,
        load_before=os.getloadavg(),
    )


def mib(kib: int | None) -> str:
    return "–" if kib is None else f"{kib / 1024:.0f}"


def number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def runs_table(runs: Iterable[Run]) -> list[str]:
    columns = [
        "run",
        "files",
        "MB",
        "wall s",
        "MB/s",
        "files/s",
        "pages/s",
        "CPU s",
        "RSS tree sum MiB",
        "RSS largest process MiB",
        "GNU time %M MiB",
    ]
    lines = ["| " + " | ".join(columns) + " |", "| --- |" + " ---: |" * (len(columns) - 1)]
    for run in runs:
        best = f" (best of {len(run.walls)})" if len(run.walls) > 1 else ""
        lines.append(
            f"| {run.label}{best} | {run.files:,} | {run.size / MB:.2f} | {run.wall:.2f} | {run.mb_per_s:.2f} "
            f"| {run.files_per_s:,.0f} | {number(run.pages_per_s, 0)} | {number(run.cpu)} | {mib(run.tree_rss_kib)} "
            f"| {mib(run.largest_rss_kib)} | {mib(run.max_rss_kib)} |"
        )
    return lines


@dataclass(frozen=True)
class Ratio:
    what: str
    wall: float
    cpu: float | None  # the same ratio of CPU seconds: steadier than wall time on a busy machine
    meaning: str


def ratio(what: str, top: Run, bottom: Run, meaning: str) -> Ratio:
    cpu = top.cpu / bottom.cpu if top.cpu and bottom.cpu else None
    return Ratio(what, top.wall / bottom.wall, cpu, meaning)


def ratios(runs: dict[str, Run], docx_names: Sequence[str]) -> list[Ratio]:
    """Every comparison whose two runs exist."""
    wanted = [
        ("md: warm rescan / the cold scan that filled the cache", "md_cache_warm", "md_cache_cold", "lower is better"),
        ("md: --jobs 1 / --jobs 2", "md_jobs1", "md_cold", "2 would be perfect scaling"),
        (
            f"md ×{BIG_COPIES}: warm rescan / the cold scan that filled the cache",
            "big_cache_warm",
            "big_cache_cold",
            "lower is better",
        ),
        *((f"{n}: wordaudit / python-docx floor", n, f"{n}_floor", "goal ≤ 1.3") for n in docx_names),
        ("pdf: wordaudit pdfminer / pdfminer.six floor", "pdf_pdfminer", "pdf_floor_pdfminer", "goal ≤ 1.3"),
        ("pdf: wordaudit pdfium / pypdfium2 floor", "pdf_pdfium", "pdf_floor_pdfium", "goal ≤ 1.3"),
    ]
    for key in sorted(k for k in runs if k.startswith("peer_")):
        peer = key.removeprefix("peer_")
        for jobs in ("2", "1"):
            what = f"{peer} / wordaudit --jobs {jobs}, same files"
            wanted.append((what, key, f"subset_jobs{jobs}", "times faster wordaudit is"))
    return [
        ratio(what, runs[top], runs[bottom], meaning)
        for what, top, bottom, meaning in wanted
        if top in runs and bottom in runs
    ]


def ratios_table(found: Iterable[Ratio]) -> list[str]:
    lines = ["| comparison | wall ratio | CPU ratio | meaning |", "| --- | ---: | ---: | --- |"]
    lines += [f"| {r.what} | {r.wall:.2f} | {number(r.cpu, 2)} | {r.meaning} |" for r in found]
    return lines


def render(
    runs: dict[str, Run],
    found: list[Ratio],
    clean: CleanFile | None,
    machine: Machine,
    notes: Sequence[str],
) -> str:
    lines = [*runs_table(runs.values()), "", *ratios_table(found), "", *memory_goal_lines(runs)]
    if clean is not None:
        spacy = {True: "yes", False: "no", None: "unknown"}[clean.spacy_imported]
        lines.append(
            f"Clean single markdown file, whole process (`wordaudit scan clean.md --no-cache`): median of "
            f"{len(clean.walls)} runs {clean.median:.2f} s, peak RSS of the tree {mib(clean.tree_rss_kib)} MiB; "
            f"spaCy imported: {spacy}."
        )
    load_before = ", ".join(f"{x:.2f}" for x in machine.load_before)
    load_after = ", ".join(f"{x:.2f}" for x in machine.load_after)
    lines += [
        "",
        f"Machine: {machine.cpus} CPUs ({machine.cpu_model}), {machine.memory_gib:.1f} GiB RAM; load average "
        f"before {load_before}, after {load_after}.",
        *notes,
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------- main


@dataclass(frozen=True)
class Plan:
    md: Corpus
    docx: tuple[Corpus, ...]
    pdf: Corpus
    subset: Corpus
    repeat: int


def plan(corpus: Path, quick: bool, repeat: int, workdir: Path) -> Plan:
    """The inputs: whole folders, or with ``quick`` a small slice of each passed as files."""
    md_files = walk(corpus / "md", SCANNED_SUFFIXES)
    docx_folders = [corpus / "docx" / name for name in ("pandoc", "libreoffice")]
    pdf_files = walk(corpus / "pdf", SCANNED_SUFFIXES)
    if quick:
        md_files, pdf_files = take_bytes(md_files, MB), [p for p in pdf_files if p.suffix == ".pdf"][:5]
        docx = [make_corpus(f"docx/{f.name}", walk(f, {".docx"})[:10]) for f in docx_folders]
        md, pdf = make_corpus("md", md_files), make_corpus("pdf", pdf_files, pages=count_pdf_pages(pdf_files))
    else:
        docx = [make_corpus(f"docx/{f.name}", walk(f, SCANNED_SUFFIXES), f) for f in docx_folders]
        every_docx = [path for c in docx for path in c.files]
        docx.append(copies_corpus(f"docx ×{DOCX_COPIES}", every_docx, workdir / "docx-copies", DOCX_COPIES))
        md = make_corpus("md", md_files, corpus / "md")
        pdf = make_corpus("pdf", pdf_files, corpus / "pdf", count_pdf_pages(pdf_files))
    limit = PEER_SUBSET_BYTES // 10 if quick else PEER_SUBSET_BYTES
    subset = make_corpus(f"md first {limit / MB:g} MB", take_bytes(md_files, limit))
    return Plan(md, tuple(docx), pdf, subset, repeat)


def config_above(folder: Path) -> Path | None:
    """A wordaudit.toml or pyproject.toml that a scan started in ``folder`` would find."""
    for parent in [folder, *folder.parents]:
        for name in ("wordaudit.toml", "pyproject.toml"):
            if (parent / name).exists():
                return parent / name
    return None


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the shared/bench folder")
    parser.add_argument("--quick", action="store_true", help="a small slice of each corpus: a smoke run")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument(
        "--repeat",
        type=int,
        help="rounds of every wordaudit run and floor (default 3, 1 with --quick); the fastest counts",
    )
    parser.add_argument("--no-peers", action="store_true", help="do not install or run alex, write-good, proselint")
    parser.add_argument(
        "--big",
        action="store_true",
        help=f"also scan the markdown {BIG_COPIES} times over (1 GB), a {BIG_TEXT_BYTES // MB} MB text file"
        f" and a {BIG_MARKDOWN_BYTES // MB} MB markdown file, once each",
    )
    parser.add_argument("--floor", nargs=2, metavar=("KIND", "LIST"), help=argparse.SUPPRESS)
    parser.add_argument("--floor-jobs", type=int, default=JOBS, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def run_all(wordaudit: Wordaudit, inputs: Plan, engines: Sequence[str], peers: Sequence[Peer]) -> dict[str, Run]:
    runs = markdown_runs(wordaudit, inputs.md, inputs.repeat)
    runs |= repeated(inputs.repeat, lambda: cache_round(wordaudit, inputs.md))
    for docx in inputs.docx:
        runs |= docx_runs(wordaudit, docx, inputs.repeat)
    for engine in engines:
        runs |= pdf_runs(wordaudit, inputs.pdf, engine, inputs.repeat)
    return runs | peer_runs(wordaudit, peers, inputs.subset, inputs.repeat)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.floor:
        floor_main(args.floor[0], args.floor[1], args.floor_jobs)
        return 0
    corpus = args.corpus.resolve()
    if not (corpus / "md").is_dir():
        sys.exit(f"no corpus at {corpus} (expected md/, docx/, pdf/): pass --corpus")
    if {"docx", "pdfminer.high_level"} & set(floor_missing()):
        sys.exit(f"{sys.executable} lacks python-docx or pdfminer.six: run this with the Python of wordaudit's venv")
    machine = describe_machine()
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="wordaudit-bench-") as temporary:
        workdir = Path(temporary)
        found_config = config_above(workdir)
        if found_config is not None:
            notes.append(f"Warning: every scan also read {found_config}, found above the working folder.")
        gnu_time = has_gnu_time()
        if not gnu_time:
            notes.append("GNU time is missing (apt-get install -y time): no one-process max RSS column.")
        subreaper = become_subreaper()
        if not subreaper:
            notes.append("CPU time is not measured (it needs Linux's PR_SET_CHILD_SUBREAPER).")
        measurer = Measurer(workdir, gnu_time, subreaper)
        environment = {**os.environ, "XDG_CACHE_HOME": str(workdir / "unused-cache")}
        wordaudit = Wordaudit(find_wordaudit(), measurer, environment)
        inputs = plan(corpus, args.quick, args.repeat or (1 if args.quick else 3), workdir)
        peers, skipped = ([], ["peers: skipped (--no-peers)"]) if args.no_peers else find_peers()
        notes += [*skipped, peers_line(peers)] if peers else skipped
        read_all([*inputs.md.files, *inputs.pdf.files, *(f for c in inputs.docx for f in c.files)])
        compile_bytecode(wordaudit.executable)
        engines = ["auto", "pdfminer", "pdfium"]
        if "pypdfium2" in floor_missing():
            engines.remove("pdfium")
            notes.append("pdf-engine pdfium: skipped, pypdfium2 is not installed (pip install -e '.[pdfium]').")
        print(f"wordaudit {wordaudit.executable}, corpus {corpus}", file=sys.stderr)
        runs = run_all(wordaudit, inputs, engines, peers)
        clean = clean_file_run(wordaudit)
        if args.big:
            runs |= big_runs(wordaudit, inputs.md, corpus / "md")
    machine.load_after = os.getloadavg()
    found = ratios(runs, [c.name for c in inputs.docx])
    table = render(runs, found, clean, machine, notes)
    print(table)
    if args.json:
        write_json(args.json, runs, found, clean, machine, peers, table)
    return 0


def write_json(
    path: Path,
    runs: dict[str, Run],
    found: Sequence[Ratio],
    clean: CleanFile,
    machine: Machine,
    peers: Sequence[Peer],
    table: str,
) -> None:
    document = {
        "machine": asdict(machine),
        "runs": {
            key: {
                **asdict(run),
                "mb_per_s": run.mb_per_s,
                "files_per_s": run.files_per_s,
                "pages_per_s": run.pages_per_s,
            }
            for key, run in runs.items()
        },
        "ratios": [asdict(r) for r in found],
        "clean_file": asdict(clean),
        "peers": {peer.name: peer.version for peer in peers},
        "table_markdown": table,
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
