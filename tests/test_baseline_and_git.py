"""Baselines, changed files, stdin and init, in a real git repository, through the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wordaudit.config import load_config


def run(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "wordaudit", *args], cwd=cwd, input=stdin, capture_output=True, check=False
    )


def git(*args: str, cwd: Path) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@x",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@x",
    }
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git("init", "-q", "-b", "main", cwd=tmp_path)
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "leave.md").write_text(
        "# Leave\n\nThe back office approves leave.\n\nNon-customer-facing roles work flexibly.\n", encoding="utf-8"
    )
    (tmp_path / "policies" / "other.md").write_text("Nothing to see.\n", encoding="utf-8")
    git("add", ".", cwd=tmp_path)
    git("commit", "-q", "-m", "start", cwd=tmp_path)
    return tmp_path


def findings(done: subprocess.CompletedProcess[bytes]) -> list[tuple[str, str, int]]:
    report = json.loads(done.stdout)
    return [(f["path"], f["rule"], f["line"]) for f in report["findings"]]


def test_only_new_findings_fail_against_a_baseline(repo: Path) -> None:
    written = run("baseline", ".", cwd=repo)
    assert written.returncode == 0, written.stderr
    assert b"Wrote 2 finding(s)" in written.stderr
    clean = run("scan", ".", "--baseline", ".wordaudit-baseline.json", "-f", "json", cwd=repo)
    assert clean.returncode == 0
    assert findings(clean) == []
    # A new finding on a line ABOVE the old ones: the old ones keep their identity.
    leave = repo / "policies" / "leave.md"
    leave.write_text("# Leave\n\nAsk our back-line staff first.\n\n" + leave.read_text().split("\n", 2)[2])
    dirty = run("scan", ".", "--baseline", ".wordaudit-baseline.json", "-f", "json", cwd=repo)
    assert dirty.returncode == 1
    assert findings(dirty) == [("policies/leave.md", "back-line", 3)]
    # The same baseline works when the scan names the folder instead of '.'.
    named = run("scan", "policies", "--baseline", ".wordaudit-baseline.json", "-f", "json", cwd=repo)
    assert findings(named) == [("leave.md", "back-line", 3)]


def test_fixed_findings_are_reported_and_dropped_on_update(repo: Path) -> None:
    run("baseline", ".", cwd=repo)
    leave = repo / "policies" / "leave.md"
    leave.write_text(leave.read_text().replace("The back office", "Service operations"))
    done = run("scan", ".", "--baseline", ".wordaudit-baseline.json", cwd=repo)
    assert done.returncode == 0
    assert b"1 baseline finding(s) no longer occur" in done.stderr
    run("scan", ".", "--baseline", ".wordaudit-baseline.json", "--update-baseline", cwd=repo)
    entries = json.loads((repo / ".wordaudit-baseline.json").read_text())["findings"]
    assert [e["rule"] for e in entries] == ["non-customer-facing"]


def test_a_partial_scan_neither_reports_nor_drops_other_files_entries(repo: Path) -> None:
    (repo / "notes.md").write_text("Ask the back office.\n", encoding="utf-8")
    run("baseline", ".", cwd=repo)
    leave = repo / "policies" / "leave.md"
    leave.write_text(leave.read_text().replace("The back office", "Service operations"))
    # notes.md is not read by a scan of policies/, nor by a scan where it cannot be read.
    partial = run("scan", "policies", "--baseline", ".wordaudit-baseline.json", "--update-baseline", cwd=repo)
    assert partial.returncode == 0, partial.stderr
    assert b"1 baseline finding(s) no longer occur" in partial.stderr
    entries = json.loads((repo / ".wordaudit-baseline.json").read_text())["findings"]
    assert sorted((e["path"], e["rule"]) for e in entries) == [
        ("notes.md", "back-office"),
        ("policies/leave.md", "non-customer-facing"),
    ]
    (repo / "notes.md").write_bytes(b"\xff\xfe\x00\xd8 broken")
    broken = run("scan", ".", "--baseline", ".wordaudit-baseline.json", "--update-baseline", cwd=repo)
    assert b"no longer occur" not in broken.stderr
    entries = json.loads((repo / ".wordaudit-baseline.json").read_text())["findings"]
    assert ("notes.md", "back-office") in [(e["path"], e["rule"]) for e in entries]


def test_changed_since_and_staged_scan_only_those_files(repo: Path) -> None:
    (repo / "policies" / "new.md").write_text("Our back office team.\n", encoding="utf-8")
    (repo / "policies" / "other.md").write_text("The back office again.\n", encoding="utf-8")
    since = run("scan", ".", "--changed-since", "HEAD", "-f", "json", cwd=repo)
    assert sorted(f["path"] for f in json.loads(since.stdout)["files"]) == ["policies/new.md", "policies/other.md"]
    git("add", "policies/new.md", cwd=repo)
    staged = run("scan", ".", "--staged", "-f", "json", cwd=repo)
    assert [f["path"] for f in json.loads(staged.stdout)["files"]] == ["policies/new.md"]
    outside = run("scan", ".", "--staged", "-f", "json", cwd=repo.parent)
    assert outside.returncode == 2
    assert b"git:" in outside.stderr


def test_stdin_markdown_and_docx(tmp_path: Path) -> None:
    done = run(
        "scan",
        "-",
        "--stdin-filename",
        "draft.md",
        "-f",
        "json",
        cwd=tmp_path,
        stdin=b"Intro\n\n`back office` and the back office.\n",
    )
    assert findings(done) == [("draft.md", "back-office", 3)]
    docx = Path(__file__).parent / "fixtures" / "docx" / "body.docx"
    if docx.exists():
        done = run("scan", "-", "--stdin-filename", "job.docx", "-f", "json", cwd=tmp_path, stdin=docx.read_bytes())
        assert json.loads(done.stdout)["files"][0]["error"] is None
        assert findings(done)


def test_init_writes_a_loadable_starter_and_never_overwrites(tmp_path: Path) -> None:
    assert run("init", cwd=tmp_path).returncode == 0
    config = load_config(tmp_path / "wordaudit.toml")
    assert config.fail_on == "warning"
    again = run("init", cwd=tmp_path)
    assert again.returncode == 2
    assert b"already exists" in again.stderr
