"""The command line end to end, as a separate process: exit codes, stdout and stderr apart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
REPORT_KEYS = {"schema", "tool", "rulesets", "summary", "files", "findings"}
SUMMARY_KEYS = {"files_scanned", "files_with_findings", "files_failed", "findings", "by_severity", "by_rule"}
FINDING_KEYS = {
    "path",
    "rule",
    "severity",
    "match",
    "message",
    "suggestions",
    "line",
    "column",
    "end_line",
    "end_column",
    "page",
    "location",
    "context",
}


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **(env or {})}
    if not env or "FORCE_COLOR" not in env:
        environment.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "wordaudit", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        check=False,
    )


def test_examples_report_reads_well_and_exits_1() -> None:
    done = run("scan", str(EXAMPLES))
    assert done.returncode == 1
    assert "\x1b[" not in done.stdout  # not a terminal: no colour
    assert "job-description.md:11:10  warning  back-office" in done.stdout
    assert "try: operations team, service operations, customer operations" in done.stdout
    assert done.stdout.rstrip().endswith("in 3 files; 1 suppressed.")
    assert done.stderr == ""


def test_json_report_keeps_the_contract(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "ok.md").write_text("# Back Office\n\nAll fine.\n", encoding="utf-8")
    done = run("scan", str(tmp_path), "--format", "json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert set(report) >= REPORT_KEYS
    assert set(report["summary"]) >= SUMMARY_KEYS
    assert report["schema"] == 1
    assert report["tool"]["name"] == "wordaudit"
    assert report["summary"]["files_failed"] == 1
    assert report["files"] == [
        {"path": "bad.txt", "format": "text", "findings": 0, "error": "binary file, not text"},
        {"path": "ok.md", "format": "markdown", "findings": 1, "error": None},
    ]
    [finding] = report["findings"]
    assert set(finding) == FINDING_KEYS
    assert finding["location"] == "line 1"
    assert finding["page"] is None
    assert "bad.txt: binary file, not text" in done.stderr
    assert run("scan", str(tmp_path), "-f", "json", "--ignore-unreadable", "--fail-on", "never").returncode == 0


def test_a_mistyped_path_fails_the_run_even_when_unreadable_files_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "ok.md").write_text("All clear.\n", encoding="utf-8")
    assert run("scan", "docs", "--ignore-unreadable", "--no-cache", cwd=tmp_path).returncode == 0
    done = run("scan", "docs", "dcos", "--ignore-unreadable", "--no-cache", cwd=tmp_path)
    assert done.returncode == 1
    assert "dcos: no such file or folder" in done.stdout


def test_standard_input_is_scanned_alone(tmp_path: Path) -> None:
    (tmp_path / "ok.md").write_text("All clear.\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "wordaudit", "scan", "ok.md", "-"],
        input="The back office.\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "wordaudit: error: '-' (standard input) cannot be scanned together with other paths"
    assert run("fix", "-", cwd=tmp_path).returncode == 2


@pytest.mark.parametrize(("fail_on", "code"), [("error", 0), ("warning", 1), ("info", 1), ("never", 0)])
def test_fail_on_thresholds(tmp_path: Path, fail_on: str, code: int) -> None:
    (tmp_path / "a.md").write_text("The back office team.\n", encoding="utf-8")
    assert run("scan", str(tmp_path), "--fail-on", fail_on).returncode == code


def test_info_only_findings_pass_by_default(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("Our behind-the-scenes staff.\n", encoding="utf-8")
    assert run("scan", str(tmp_path)).returncode == 0
    assert run("scan", str(tmp_path), "--fail-on", "info").returncode == 1


def test_select_ignore_and_output_file(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("Back office and back line employees.\n", encoding="utf-8")
    out = tmp_path / "report.json"
    done = run("scan", str(tmp_path / "a.md"), "-f", "json", "-o", str(out), "--ignore", "back-office")
    assert done.stdout == ""
    assert [f["rule"] for f in json.loads(out.read_text())["findings"]] == ["back-line"]
    selected = json.loads(run("scan", str(tmp_path / "a.md"), "-f", "json", "--select", "back-office").stdout)
    assert [f["rule"] for f in selected["findings"]] == ["back-office"]


def test_usage_and_config_errors_exit_2(tmp_path: Path) -> None:
    bad_format = run("scan", "--format", "yaml")
    assert bad_format.returncode == 2
    assert "unknown format 'yaml'" in bad_format.stderr
    assert run("scan", "--bogus").returncode == 2
    (tmp_path / "wordaudit.toml").write_text("colour = true\n", encoding="utf-8")
    done = run("scan", ".", cwd=tmp_path)
    assert done.returncode == 2
    assert "wordaudit.toml:1: 'colour': unknown key" in done.stderr
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    (tmp_path / "wordaudit.toml").write_text('rules = ["bad.yml"]\n', encoding="utf-8")
    (tmp_path / "bad.yml").write_text("- id: x\n  severity: loud\n  message: m\n  why: w\n  phrases: [a b]\n")
    done = run("scan", ".", cwd=tmp_path)
    assert done.returncode == 2
    assert "bad.yml:2: rule 'x': severity must be" in done.stderr


def test_a_spacy_model_that_is_not_installed_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "wordaudit.toml").write_text('spacy-model = "xx_no_such_model"\n', encoding="utf-8")
    (tmp_path / "a.md").write_text("The back office.\n", encoding="utf-8")

    done = run("scan", ".", cwd=tmp_path)

    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "spaCy model 'xx_no_such_model' is not installed (python -m spacy download xx_no_such_model)" in done.stderr
    assert "a.md" not in done.stdout  # no file is listed as unreadable instead


def test_missing_file_is_listed_and_the_rest_scanned(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("The back office.\n", encoding="utf-8")
    done = run("scan", str(tmp_path / "a.md"), str(tmp_path / "missing.md"), "-f", "json")
    report = json.loads(done.stdout)
    assert [(f["path"].rsplit("/", 1)[-1], f["error"]) for f in report["files"]] == [
        ("a.md", None),
        ("missing.md", "no such file or folder"),
    ]
    assert done.returncode == 1
    # Named once on stderr, and still named with --quiet, which only hides warnings.
    assert done.stderr.count("missing.md") == 1
    quiet = run("scan", str(tmp_path / "missing.md"), "-f", "json", "-q")
    assert quiet.stderr == f"wordaudit: {tmp_path / 'missing.md'}: no such file or folder\n"
    assert quiet.returncode == 1


def test_version_rules_explain_and_colour() -> None:
    assert run("--version").stdout.strip() == "wordaudit 0.1.0"
    rules = run("rules").stdout
    assert "back-office" in rules
    assert "role-titles" in rules
    explained = run("explain", "back-line")
    assert "Why" in explained.stdout
    assert "customer-impacting" in explained.stdout
    assert run("explain", "Back-Line").stdout == explained.stdout
    unknown = run("explain", "nope")
    assert unknown.returncode == 2
    assert "unknown rule 'nope'" in unknown.stderr
    coloured = run("scan", str(EXAMPLES), env={"FORCE_COLOR": "1"})
    assert "\x1b[" in coloured.stdout
    plain = run("scan", str(EXAMPLES), env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in plain.stdout


def test_help_on_every_command() -> None:
    for command in ([], ["scan"], ["rules"], ["explain"]):
        done = run(*command, "--help")
        assert done.returncode == 0
        assert "Usage" in done.stdout


def test_github_annotations_name_files_from_the_working_folder() -> None:
    done = run("scan", "examples", "--format", "github", cwd=EXAMPLES.parent)
    assert done.stdout.startswith("::warning file=examples/job-description.md,line=2,col=8,")
    report = json.loads(run("scan", "examples", "--format", "json", cwd=EXAMPLES.parent).stdout)
    assert report["findings"][0]["path"] == "job-description.md"  # the JSON contract: relative to the named folder


def test_pretty_report_has_no_trailing_padding() -> None:
    done = run("scan", str(EXAMPLES))
    assert all(line == line.rstrip() for line in done.stdout.splitlines())


def test_formats_table_reads_other_suffixes_and_keys_the_cache(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "team.mdx").write_text("# Team\n\nOur back office team.\n", encoding="utf-8")
    (tmp_path / "docs" / "notes.page").write_text("Run `back office` to start.\n", encoding="utf-8")
    (tmp_path / "docs" / "skip.rst").write_text("The back office.\n", encoding="utf-8")
    config = tmp_path / "wordaudit.toml"

    unmapped = run("scan", "docs", "docs/skip.rst", "-f", "json", cwd=tmp_path)
    assert [(f["path"], f["error"]) for f in json.loads(unmapped.stdout)["files"]] == [
        ("docs/skip.rst", "unsupported file type '.rst' (map it under [formats] in wordaudit.toml)")
    ]
    # A document format no extractor reads, named: what it is and what to do.
    (tmp_path / "docs" / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    named = json.loads(run("scan", "docs/old.doc", "-f", "json", cwd=tmp_path).stdout)
    assert [f["error"] for f in named["files"]] == [
        "old binary Word document (.doc), not read: save it as .docx or PDF to audit it"
    ]
    (tmp_path / "docs" / "old.doc").unlink()

    config.write_text('[formats]\nmdx = "markdown"\npage = "markdown"\n', encoding="utf-8")
    as_markdown = json.loads(run("scan", "docs", "-f", "json", cwd=tmp_path).stdout)
    assert [(f["path"], f["format"]) for f in as_markdown["files"]] == [
        ("notes.page", "markdown"),
        ("team.mdx", "markdown"),
    ]
    assert [(f["path"], f["line"]) for f in as_markdown["findings"]] == [("team.mdx", 3)]

    # Read as text, the code span is prose: the cached markdown result must not be reused.
    config.write_text('[formats]\nmdx = "markdown"\npage = "text"\n', encoding="utf-8")
    as_text = json.loads(run("scan", "docs", "-f", "json", cwd=tmp_path).stdout)
    assert [(f["path"], f["line"]) for f in as_text["findings"]] == [("notes.page", 1), ("team.mdx", 3)]
    piped = subprocess.run(
        [sys.executable, "-m", "wordaudit", "scan", "-", "--stdin-filename", "x.page", "-f", "json"],
        cwd=tmp_path,
        input="Run `back office` to start.\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert json.loads(piped.stdout)["files"][0]["format"] == "text"


def test_per_file_ignores_switch_rules_off_for_matching_files_from_any_folder(tmp_path: Path) -> None:
    (tmp_path / "wordaudit.toml").write_text(
        '[per-file-ignores]\n"docs/glossary.md" = ["back-office"]\n"archive/" = ["back-office", "back-line"]\n',
        encoding="utf-8",
    )
    docs = tmp_path / "docs"
    (docs / "archive").mkdir(parents=True)
    (docs / "glossary.md").write_text("Back office: an old name. The back line too.\n", encoding="utf-8")
    (docs / "archive" / "old.md").write_text("The back office and the back line staff.\n", encoding="utf-8")
    (docs / "live.md").write_text("The back office.\n", encoding="utf-8")

    for cwd, shown in ((tmp_path, "docs/"), (docs, "")):
        report = json.loads(run("scan", ".", "-f", "json", "--no-cache", cwd=cwd).stdout)
        assert [(f["path"], f["rule"]) for f in report["findings"]] == [
            (f"{shown}glossary.md", "back-line"),
            (f"{shown}live.md", "back-office"),
        ]
        assert report["summary"]["suppressed"] == 3

    fixed = run("fix", ".", cwd=docs)
    assert fixed.returncode == 1  # the back-line finding needs a person
    assert (docs / "glossary.md").read_text(encoding="utf-8") == "Back office: an old name. The back line too.\n"
    assert (docs / "live.md").read_text(encoding="utf-8") == "The operations team.\n"


def test_a_scan_with_workers_exits_cleanly_and_tidies_up(tmp_path: Path) -> None:
    # The command leaves without the interpreter's teardown; the exit handlers
    # must still run, or every scan would leave the worker server's socket
    # folder behind in the temporary directory.
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "a.md").write_text("Our back office team answers within a day.\n", encoding="utf-8")
    (tree / "b.md").write_text("Nothing to see here.\n", encoding="utf-8")
    fixtures = Path(__file__).parent / "fixtures" / "docx"
    (tree / "body.docx").write_bytes((fixtures / "body.docx").read_bytes())
    done = run("scan", str(tree), "--jobs", "2", "--no-cache", "--format", "line", env={"TMPDIR": str(temporary)})
    assert done.returncode == 1
    assert "a.md:1:5: warning back-office" in done.stdout
    assert done.stdout.endswith("\n")
    assert list(temporary.iterdir()) == []


@pytest.mark.parametrize(("args", "status"), [(["--version"], 0), (["scan", "--no-such-option"], 2)])
def test_exit_status_survives_the_quick_exit(args: list[str], status: int) -> None:
    done = run(*args)
    assert done.returncode == status
