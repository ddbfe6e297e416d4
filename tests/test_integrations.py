"""The CI integrations: the pre-commit hook and the GitHub Action, read and run as their tools do."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from wordaudit.extract import suffixes
from wordaudit.report import formats

ROOT = Path(__file__).resolve().parent.parent
HOOKS = ROOT / ".pre-commit-hooks.yaml"
ACTION = ROOT / "action.yml"

BAD = "# Claims\n\nOur back office team reviews every claim.\n"
GOOD = "# Claims\n\nOur operations team reviews every claim.\n"


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def hook() -> dict[str, Any]:
    hooks = load(HOOKS)
    assert [h["id"] for h in hooks] == ["wordaudit"]
    return dict(hooks[0])


def action() -> dict[str, Any]:
    return dict(load(ACTION))


# --- .pre-commit-hooks.yaml ---


def test_hook_runs_wordaudit_scan_on_the_named_files() -> None:
    h = hook()
    assert h["name"]
    assert h["description"]
    assert h["entry"] == "wordaudit scan"
    assert h["language"] == "python"
    assert h["types"] == ["file"]
    assert h["require_serial"] is False


@pytest.mark.parametrize(
    "name",
    [
        "a.md",
        "b.pdf",
        "job.docx",
        "docs/policy.txt",
        "README.markdown",
        "macros.docm",
        "template.dotx",
        "t.dotm",
        "UP.MD",
    ],
)
def test_hook_takes_documents(name: str) -> None:
    assert re.search(hook()["files"], name)


@pytest.mark.parametrize("name", ["x.py", "a.md.bak", "docx", "Makefile", "notes.mdx", "data.json"])
def test_hook_skips_other_files(name: str) -> None:
    assert not re.search(hook()["files"], name)


def test_hook_files_are_the_extractor_registry() -> None:
    """A format added to the registry must be added to the hook, and nothing else may be."""
    files = hook()["files"]
    listed = re.fullmatch(r"\(\?i\)\\\.\(([a-z|]+)\)\$", files)
    assert listed, f"files is not of the form (?i)\\.(a|b|...)$: {files}"
    assert sorted(f".{s}" for s in listed.group(1).split("|")) == sorted(suffixes())


# --- action.yml ---


def test_action_is_composite_with_its_inputs() -> None:
    a = action()
    assert a["runs"]["using"] == "composite"
    inputs = a["inputs"]
    assert set(inputs) == {"paths", "format", "fail-on", "sarif-file", "version", "python-version"}
    assert inputs["paths"]["default"] == "."
    assert inputs["format"]["default"] == "github"
    assert inputs["format"]["default"] in formats()
    assert inputs["fail-on"]["default"] == "warning"
    assert inputs["python-version"]["default"] == "3.11"
    assert inputs["sarif-file"]["default"] == ""
    assert inputs["version"]["default"] == ""
    assert all(spec.get("required") is False for spec in inputs.values())


def test_action_steps() -> None:
    steps = action()["runs"]["steps"]
    assert any(str(step.get("uses", "")).startswith("actions/setup-python@") for step in steps)
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash", step  # composite run steps must name a shell
            # Inputs reach scripts as environment variables, never pasted in (script injection).
            assert "${{" not in step["run"], step


def scan_step() -> dict[str, Any]:
    return dict(next(step for step in action()["runs"]["steps"] if step.get("name") == "Scan"))


def run_scan_step(tmp_path: Path, **inputs: str) -> subprocess.CompletedProcess[str]:
    """The action's Scan step as the runner runs it, with wordaudit from this environment."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    wrapper = tmp_path / "wordaudit-cli"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m wordaudit "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    env = {**os.environ, "WORDAUDIT": str(wrapper), "FORMAT": "github", "FAIL_ON": "warning", "SARIF_FILE": ""}
    env.update(inputs)
    return subprocess.run(
        [bash, "--noprofile", "--norc", "-eo", "pipefail", "-c", scan_step()["run"]],
        cwd=tmp_path / "repo",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "repo" / "docs").mkdir(parents=True)
    (tmp_path / "repo" / "docs" / "claims.md").write_text(BAD, encoding="utf-8")
    (tmp_path / "repo" / "clean.md").write_text(GOOD, encoding="utf-8")
    return tmp_path / "repo"


def test_action_scan_writes_sarif_and_annotations(tmp_path: Path, repo: Path) -> None:
    result = run_scan_step(tmp_path, PATHS="docs/claims.md\n clean.md", SARIF_FILE="reports/wordaudit.sarif")
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("::warning file=docs/claims.md,line=3,col=5,"), result.stdout
    assert "title=back-office::" in result.stdout
    sarif = json.loads((repo / "reports" / "wordaudit.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["back-office"]


def test_action_scan_fail_on_never_passes(tmp_path: Path, repo: Path) -> None:
    result = run_scan_step(tmp_path, PATHS=".", FAIL_ON="never")
    assert result.returncode == 0, result.stderr
    assert "file=docs/claims.md," in result.stdout
    assert not (repo / "reports").exists()


# --- pre-commit, for real (slow: pre-commit pip-installs wordaudit and spaCy) ---


def git_env(tmp_path: Path) -> dict[str, str]:
    """No GIT_* from a calling hook, no user or system git config: only what the test sets."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    (tmp_path / "gitconfig").write_text("", encoding="utf-8")
    env.update(
        GIT_CONFIG_GLOBAL=str(tmp_path / "gitconfig"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="wordaudit tests",
        GIT_AUTHOR_EMAIL="tests@example.invalid",
        GIT_COMMITTER_NAME="wordaudit tests",
        GIT_COMMITTER_EMAIL="tests@example.invalid",
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
    )
    return env


def run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=False,
    )


def git(cwd: Path, env: dict[str, str], *args: str) -> str:
    result = run(["git", *args], cwd, env)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stdout}"
    return result.stdout


def snapshot(project: Path, dest: Path, env: dict[str, str]) -> None:
    """A one-commit repository of the project's working tree as it is now.

    ``pre-commit try-repo`` on a local path with uncommitted changes commits only
    tracked files into its shadow repository, so an untracked .pre-commit-hooks.yaml
    (or any new file) would be missing: the files git would add are copied instead.
    """
    listed = git(project, env, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source = project / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    git(dest, env, "init", "--quiet")
    git(dest, env, "add", "--all")
    git(dest, env, "-c", "commit.gpgsign=false", "commit", "--quiet", "--no-verify", "-m", "snapshot")


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    """tmp_path, emptied afterwards: the virtual environments in it are large."""
    yield tmp_path
    shutil.rmtree(tmp_path, ignore_errors=True)


@pytest.mark.slow
def test_pre_commit_try_repo(scratch: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    env = git_env(scratch)
    top = run(["git", "rev-parse", "--show-toplevel"], ROOT, env)
    if top.returncode != 0 or Path(top.stdout.strip()).resolve() != ROOT:
        pytest.skip("the project is not a git checkout")

    tools = scratch / "tools"
    venv = run([sys.executable, "-m", "venv", str(tools)], scratch, env)
    assert venv.returncode == 0, venv.stdout
    bin_dir = tools / ("Scripts" if os.name == "nt" else "bin")
    install = run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "pre-commit"], scratch, env, 600)
    if install.returncode != 0:
        pytest.skip(f"could not install pre-commit from PyPI (no network?): {install.stdout.strip()[-500:]}")

    project = scratch / "wordaudit"
    project.mkdir()
    snapshot(ROOT, project, env)

    sample = scratch / "sample"
    sample.mkdir()
    git(sample, env, "init", "--quiet")
    (sample / "policy.md").write_text(BAD, encoding="utf-8")
    (sample / "clean.md").write_text(GOOD, encoding="utf-8")
    (sample / "script.py").write_text("# back office\n", encoding="utf-8")
    git(sample, env, "add", "--all")

    def try_repo(name: str) -> subprocess.CompletedProcess[str]:
        args = ["try-repo", str(project), "wordaudit", "--color", "never", "--files", name]
        return run([str(bin_dir / "pre-commit"), *args], sample, env, 900)

    bad = try_repo("policy.md")  # the first run builds the hook's environment
    assert bad.returncode == 1, bad.stdout
    assert "policy.md:3:5  warning  back-office" in bad.stdout

    clean = try_repo("clean.md")
    assert clean.returncode == 0, clean.stdout
    assert re.search(r"wordaudit\.+Passed", clean.stdout), clean.stdout

    other = try_repo("script.py")
    assert other.returncode == 0, other.stdout
    assert "(no files to check)Skipped" in other.stdout
