"""What a run imports: spaCy, python-docx and pdfminer only when a file needs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("spacy", "docx", "pdfminer", "markdown_it", "pypdfium2")


def imported(*args: str, cwd: Path, modules: bool = False) -> set[str]:
    """The top-level packages a run imports (with ``modules``, every module's full name)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "wordaudit", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            names.add(name if modules else name.split(".")[0])
    return names


def test_version_and_rules_import_nothing_heavy(tmp_path: Path) -> None:
    assert not imported("--version", cwd=tmp_path) & set(HEAVY)
    assert not imported("rules", cwd=tmp_path) & set(HEAVY)


def test_clean_markdown_scan_imports_nothing_heavy(tmp_path: Path) -> None:
    (tmp_path / "clean.md").write_text("# Handbook\n\nEvery role serves the customer.\n", encoding="utf-8")
    modules = imported("scan", "clean.md", "--no-cache", cwd=tmp_path)
    assert "wordaudit" in modules
    # The report goes to a pipe here, where it is plain text: rich is for
    # terminals. A plain scan command line is read without typer, and the
    # model's classes are records, not dataclasses (which import inspect).
    assert not modules & {*HEAVY, "rich", "typer", "dataclasses", "inspect"}


def test_a_candidate_loads_spacy(tmp_path: Path) -> None:
    (tmp_path / "hit.md").write_text("The back office.\n", encoding="utf-8")
    assert "spacy" in imported("scan", "hit.md", "--no-cache", "--jobs", "1", cwd=tmp_path)


def test_a_cached_rescan_imports_no_parser_or_matcher(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A rescan of an unchanged tree takes every result from the cache: nothing
    # it imports may be there only for reading documents or ignore files.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "hit.md").write_text("The back office.\n", encoding="utf-8")
    (docs / "clean.md").write_text("# Handbook\n\nEvery role serves the customer.\n", encoding="utf-8")
    first = imported("scan", "docs", "--jobs", "2", cwd=tmp_path)
    assert "spacy" in first
    warm = imported("scan", "docs", "--jobs", "2", cwd=tmp_path, modules=True)
    # The stages that read a file: the cache answers for it.
    assert not warm & {
        "wordaudit.textio",
        "wordaudit.view",
        "wordaudit.finding",
        "wordaudit.suppress",
        "wordaudit.extract.markdown",
    }
    assert not {name.split(".")[0] for name in warm} & {
        *HEAVY,
        "pathspec",
        "tomllib",
        "multiprocessing",
        "logging",
        "rich",
        "typer",
        "yaml",
        "threading",
        "dataclasses",
        "inspect",
    }


def test_typer_reads_any_other_command_line(tmp_path: Path) -> None:
    assert "typer" in imported("scan", "--help", cwd=tmp_path)
    assert "typer" in imported("rules", cwd=tmp_path)


@pytest.mark.parametrize(("given", "expected"), [(None, "1"), ("3", "3")])
def test_loading_spacy_starts_no_blas_threads_unless_asked(given: str | None, expected: str) -> None:
    # numpy's OpenBLAS would start a thread per core as spaCy imports it; wordaudit never calls BLAS.
    import os

    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    code = (
        "import os; from wordaudit.match import preload; preload(); "
        "print(os.environ['OPENBLAS_NUM_THREADS'], len(os.listdir('/proc/self/task')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    value, threads = done.stdout.split()
    assert value == expected
    if given is None:
        assert threads == "1"  # the main thread alone


@pytest.mark.parametrize("collector_on", [True, False])
def test_loading_spacy_freezes_what_it_built_and_leaves_the_collector_as_it_was(collector_on: bool) -> None:
    # The collector is held while spaCy loads and its objects are frozen after
    # (never walked again, here or in workers forked from here); whether it
    # runs afterwards is the caller's choice, as before.
    code = (
        "import gc; from wordaudit.match import preload; "
        f"{'' if collector_on else 'gc.disable(); '}"
        "before = gc.get_freeze_count(); preload(); "
        "print(gc.isenabled(), before, gc.get_freeze_count())"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    enabled, before, after = done.stdout.split()
    assert enabled == str(collector_on)
    assert int(before) == 0
    assert int(after) > 100_000  # spaCy's vocabulary, tokenizer and modules
