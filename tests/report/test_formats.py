"""The CI formats (SARIF, GitHub, JUnit, Checkstyle, CSV), each checked against
the JSON report of the same real scan: same findings, one to one."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest

from wordaudit.api import audit_paths, audit_paths_with
from wordaudit.config import Config
from wordaudit.model import FileResult, Finding, ScanResult, Severity
from wordaudit.record import replace
from wordaudit.report import RenderOptions, renderer
from wordaudit.report.json_report import as_dict

# The official OASIS SARIF 2.1.0 schema, from oasis-tcs/sarif-spec (sarif-2.1/schema/),
# copied here from ../shared/spec/ so a clean clone can run this file on its own.
SCHEMA = Path(__file__).parent / "sarif-schema-2.1.0.json"
SHARED_SCHEMA = Path(__file__).resolve().parents[2] / ".." / "shared" / "spec" / "sarif-schema-2.1.0.json"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SIMPLE_PDF = FIXTURES / "pdf" / "simple.pdf"
TABLES_DOCX = FIXTURES / "docx" / "tables.docx"
# pdfminer ships with wordaudit; pinning it keeps these tests about the reports,
# whichever optional PDF engine the machine has.
CONFIG = Config(pdf_engine="pdfminer")
OPTIONS = RenderOptions(version="9.8.7")

HANDBOOK = """\
# Operations handbook

Back Office Administrator

Our back-office team processes every order.

Back Office Administrator

Non-revenue-producing departments may work from home.
"""
NOTES = "Thanks to the behind-the-scenes staff.\nThe back line employees agree their days.\n"
# An annotation must survive "%", "," and ":" in a workflow command's file property.
ODD_NAME = "notes, 100%: final.md"
COMMAND = re.compile(r"^::(error|warning|notice) ((?:\w+=[^,:]*)(?:,\w+=[^,:]*)*)::(.*)$")


def render(name: str, result: ScanResult) -> str:
    return renderer(name)(result, OPTIONS)


def make_folder(root: Path) -> Path:
    (root / "notes").mkdir(parents=True)
    (root / "handbook.md").write_text(HANDBOOK, encoding="utf-8")
    (root / "notes" / "remote.txt").write_text(NOTES, encoding="utf-8")
    (root / ODD_NAME).write_text("She works in the back office.\n", encoding="utf-8")
    (root / "broken.txt").write_bytes(b"\x00\x01\x02 back office \x00\xff")
    for fixture in (SIMPLE_PDF, TABLES_DOCX):
        if fixture.exists():
            shutil.copy(fixture, root / fixture.name)
    return root


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_folder(tmp_path_factory.mktemp("mixed"))


@pytest.fixture(scope="module")
def scanned(folder: Path) -> ScanResult:
    return audit_paths([folder], CONFIG)


@pytest.fixture(scope="module")
def report(scanned: ScanResult) -> dict[str, Any]:
    return as_dict(scanned, OPTIONS.version)


@pytest.fixture(scope="module")
def sarif(scanned: ScanResult, folder: Path) -> dict[str, Any]:
    # Rendered where a CI job runs: in the repository, the scanned folder.
    with contextlib.chdir(folder):
        loaded: dict[str, Any] = json.loads(render("sarif", scanned))
    return loaded


def failed_paths(report: dict[str, Any]) -> list[str]:
    return [f["path"] for f in report["files"] if f["error"] is not None]


def hand_made(*findings: Finding, error: str | None = None) -> ScanResult:
    path = findings[0].path if findings else "broken.txt"
    return ScanResult((FileResult(path, "markdown", findings, error),), (), ("back-office",))


def finding(**changes: Any) -> Finding:
    base = Finding(
        path="a.md",
        rule="back-office",
        severity=Severity.WARNING,
        match="back office",
        message='"back office" hides this work.',
        suggestions=("operations",),
        line=3,
        column=5,
        end_line=3,
        end_column=16,
        page=None,
        location="line 3",
        context="in the back office today",
    )
    return replace(base, **changes)


def test_the_scan_has_what_the_formats_need(report: dict[str, Any]) -> None:
    assert report["summary"]["findings"] >= 6
    assert failed_paths(report) == ["broken.txt"]
    assert {f["path"] for f in report["findings"]} >= {"handbook.md", "notes/remote.txt", ODD_NAME}


# SARIF


def test_sarif_validates_against_the_oasis_schema(sarif: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(sarif)


@pytest.mark.skipif(not SHARED_SCHEMA.exists(), reason="no ../shared/spec beside the repository")
def test_schema_copy_is_the_shared_one() -> None:
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == json.loads(SHARED_SCHEMA.read_text(encoding="utf-8"))


def test_sarif_results_are_the_json_findings(sarif: dict[str, Any], report: dict[str, Any]) -> None:
    results = sarif["runs"][0]["results"]
    located = [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"], r["locations"][0]["physicalLocation"])
        for r in results
    ]
    actual = [
        (rule, unquote(where["uri"]), place["region"]["startLine"], place["region"]["startColumn"])
        for rule, where, place in located
    ]
    expected = [(f["rule"], f["path"], f["line"], f["column"]) for f in report["findings"]]
    assert actual == expected


def test_sarif_has_what_code_scanning_needs(sarif: dict[str, Any], report: dict[str, Any]) -> None:
    assert sarif["version"] == "2.1.0"
    (run,) = sarif["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("wordaudit", "9.8.7")
    assert driver["informationUri"].startswith("https://")
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for result, expected in zip(run["results"], report["findings"], strict=True):
        rule = driver["rules"][result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert result["level"] == levels[expected["severity"]]
        assert result["message"]["text"].endswith(f"Try: {', '.join(expected['suggestions'])}.")
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert physical["region"]["endColumn"] == expected["end_column"]
        assert physical["region"]["snippet"]["text"] == expected["match"]
        assert result["partialFingerprints"]["wordaudit/v1"]
    back_office = next(r for r in driver["rules"] if r["id"] == "back-office")
    assert back_office["defaultConfiguration"]["level"] == "warning"
    assert "operations" in back_office["help"]["markdown"]
    assert back_office["fullDescription"]["text"]


def test_sarif_uris_are_relative_and_encoded(sarif: dict[str, Any]) -> None:
    uris = {a["location"]["uri"] for a in sarif["runs"][0]["artifacts"]}
    assert "notes/remote.txt" in uris
    assert "notes%2C%20100%25%3A%20final.md" in uris


def test_unreadable_files_are_notifications_not_results(sarif: dict[str, Any]) -> None:
    (invocation,) = sarif["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert notification["message"]["text"].startswith("broken.txt: ")
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.txt"
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]]
    assert "broken.txt" not in uris


@pytest.mark.skipif(not SIMPLE_PDF.exists(), reason="no PDF fixture")
def test_sarif_pdf_finding_names_its_page(sarif: dict[str, Any]) -> None:
    results = sarif["runs"][0]["results"]
    pdf = next(r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "simple.pdf")
    assert pdf["properties"]["page"] == 1
    assert pdf["properties"]["location"] == "page 1, line 1"
    assert pdf["message"]["text"].startswith("page 1, line 1: ")


def fingerprints(result: ScanResult) -> list[tuple[str, str]]:
    run = json.loads(render("sarif", result))["runs"][0]
    return [(r["ruleId"], r["partialFingerprints"]["wordaudit/v1"]) for r in run["results"]]


def test_fingerprints_survive_lines_added_above(tmp_path: Path) -> None:
    document = tmp_path / "handbook.md"
    document.write_text(HANDBOOK, encoding="utf-8")
    before = audit_paths([tmp_path], CONFIG)
    document.write_text("# A new preface\n\nNothing to see here.\n\n" + HANDBOOK, encoding="utf-8")
    after = audit_paths([tmp_path], CONFIG)
    assert [f.line + 4 for f in before.findings] == [f.line for f in after.findings]
    assert fingerprints(before) == fingerprints(after)


def test_identical_lines_get_distinct_fingerprints(scanned: ScanResult) -> None:
    prints = [p for _, p in fingerprints(scanned)]
    assert len(set(prints)) == len(prints)


def test_fingerprints_change_when_the_wording_does() -> None:
    first = fingerprints(hand_made(finding()))
    assert fingerprints(hand_made(finding(line=40))) == first
    assert fingerprints(hand_made(finding(context="in the back office tomorrow"))) != first


def test_a_fingerprint_set_upstream_wins() -> None:
    assert fingerprints(hand_made(finding(fingerprint="from-the-baseline"))) == [("back-office", "from-the-baseline")]


def test_absolute_paths_become_file_uris(tmp_path: Path) -> None:
    path = (tmp_path / "a b.md").as_posix()
    run = json.loads(render("sarif", hand_made(finding(path=path))))["runs"][0]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == (tmp_path / "a b.md").as_uri()
    assert "uriBaseId" not in location


def test_findings_of_checks_outside_the_packs_still_have_a_rule(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("<!-- wordaudit-disable-next-line back-office -->\nAll clear.\n", encoding="utf-8")
    result = audit_paths_with([tmp_path], CONFIG, report_unused_suppressions=True)
    sarif = json.loads(render("sarif", result))
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(sarif)
    run = sarif["runs"][0]
    (result_entry,) = run["results"]
    assert run["tool"]["driver"]["rules"][result_entry["ruleIndex"]]["id"] == result_entry["ruleId"]


# GitHub workflow commands


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    matched = COMMAND.match(line)
    assert matched, line
    kind, listed, data = matched.groups()
    properties = dict(item.split("=", 1) for item in listed.split(","))
    return kind, {k: unescape(v) for k, v in properties.items()}, unescape(data)


def unescape(text: str) -> str:
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def test_github_has_one_command_per_finding_and_failed_file(scanned: ScanResult, report: dict[str, Any]) -> None:
    commands = [parse_command(line) for line in render("github", scanned).splitlines()]
    kinds = {"error": "error", "warning": "warning", "info": "notice"}
    # Annotations name files as the job opened them (here: absolute temporary paths).
    opened = {r.path: r.fs_path for r in scanned.files}
    assert all(Path(p).is_absolute() and Path(p).exists() for p in opened.values())
    expected = [
        (
            kinds[f["severity"]],
            {"file": opened[f["path"]], "line": str(f["line"]), "col": str(f["column"]), "title": f["rule"]},
        )
        for f in report["findings"]
    ]
    expected += [("error", {"file": opened[path]}) for path in failed_paths(report)]
    shown = {"file", "line", "col", "title"}
    actual = [(kind, {k: v for k, v in props.items() if k in shown}) for kind, props, _ in commands]
    assert actual == expected


@pytest.mark.skipif(not SIMPLE_PDF.exists(), reason="no PDF fixture")
def test_github_names_the_page_of_a_pdf_finding(scanned: ScanResult) -> None:
    lines = [parse_command(line) for line in render("github", scanned).splitlines()]
    (pdf,) = [data for _, props, data in lines if props["file"].endswith("/simple.pdf")]
    assert pdf.startswith("page 1, line 1: ")


def test_github_escaping_round_trips() -> None:
    message = 'Is "back office" 100% right, really: no.\r\nSecond line, with :: inside.'
    odd = finding(path="a,b:c%d.md", message=message, suggestions=())
    (line,) = render("github", hand_made(odd)).splitlines()
    _, properties, data = parse_command(line)
    assert properties["file"] == "a,b:c%d.md"
    assert data == message


# JUnit and Checkstyle


def test_junit_counts_files_failures_and_errors(folder: Path, scanned: ScanResult, report: dict[str, Any]) -> None:
    root = ET.fromstring(render("junit", scanned))
    (suite,) = root.iter("testsuite")
    files = report["files"]
    assert suite.get("name") == "wordaudit"
    assert suite.get("tests") == str(len(files))
    assert suite.get("failures") == str(sum(1 for f in files if f["findings"]))
    assert suite.get("errors") == str(len(failed_paths(report)))
    for case, file in zip(suite.iter("testcase"), files, strict=True):
        # Named by the path the job can open: the folder is outside the current one.
        assert case.get("name") == (folder / file["path"]).as_posix()
        failure = case.find("failure")
        assert (failure is not None) == bool(file["findings"])
        if failure is not None:
            assert len((failure.text or "").splitlines()) == file["findings"]
        error = case.find("error")
        assert (error.get("message") if error is not None else None) == file["error"]


def test_checkstyle_lists_every_finding_per_file(folder: Path, scanned: ScanResult, report: dict[str, Any]) -> None:
    root = ET.fromstring(render("checkstyle", scanned))
    assert root.tag == "checkstyle"
    actual = [
        (file.get("name"), int(error.get("line", 0)), int(error.get("column", 0)), error.get("source"))
        for file in root.iter("file")
        for error in file.iter("error")
        if error.get("source") != "wordaudit.unreadable"
    ]
    expected = [
        ((folder / f["path"]).as_posix(), f["line"], f["column"], f"wordaudit.{f['rule']}") for f in report["findings"]
    ]
    assert sorted(actual) == sorted(expected)
    unreadable_error = "error[@source='wordaudit.unreadable']"
    unreadable = [f.get("name") for f in root.iter("file") if f.find(unreadable_error) is not None]
    assert unreadable == [(folder / path).as_posix() for path in failed_paths(report)]


@pytest.mark.parametrize("name", ["junit", "checkstyle"])
def test_xml_survives_control_characters(name: str) -> None:
    odd = finding(message='"back office"\x0c hides <this> & "that".\x00', path="a\x1b.md")
    root = ET.fromstring(render(name, hand_made(odd)))
    texts = [*(e.text or "" for e in root.iter()), *(v for e in root.iter() for v in e.attrib.values())]
    assert any('"back office"\ufffd hides <this> & "that".\ufffd' in text for text in texts)
    assert "a\ufffd.md" in texts


# CSV


def test_csv_rows_are_the_json_findings(scanned: ScanResult, report: dict[str, Any]) -> None:
    text = render("csv", scanned)
    assert text.startswith("\ufeff")
    assert "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text.encode("utf-8").decode("utf-8-sig"), newline="")))
    formats = {f["path"]: f["format"] for f in report["files"]}
    expected = [
        {
            "path": f["path"],
            "format": formats[f["path"]],
            "location": f["location"],
            "page": "" if f["page"] is None else str(f["page"]),
            "line": str(f["line"]),
            "column": str(f["column"]),
            "end_line": str(f["end_line"]),
            "end_column": str(f["end_column"]),
            "rule": f["rule"],
            "severity": f["severity"],
            "match": f["match"],
            "suggestion": f["suggestions"][0] if f["suggestions"] else "",
            "suggestions": "; ".join(f["suggestions"]),
            "message": f["message"],
            "context": f["context"],
        }
        for f in report["findings"]
    ]
    assert rows == expected


def test_csv_of_a_clean_scan_is_the_header() -> None:
    header = render("csv", hand_made(error="binary file, not text"))
    assert header == (
        "\ufeffpath,format,location,page,line,column,end_line,end_column,rule,severity,"
        "match,suggestion,suggestions,message,context\r\n"
    )


def test_gitlab_code_quality_has_one_issue_per_finding_and_failed_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_folder(tmp_path / "repo" / "docs")
    monkeypatch.chdir(tmp_path / "repo")
    scanned = audit_paths(["docs"], CONFIG)
    issues = json.loads(render("gitlab", scanned))
    report = as_dict(scanned, OPTIONS.version)

    found = [i for i in issues if i["check_name"] != "unreadable-file"]
    assert [(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in found] == [
        (f["rule"], f"docs/{f['path']}", f["line"]) for f in report["findings"]
    ]
    # Paths are the repository's (the working folder's), as GitLab links them.
    assert {"docs/notes/remote.txt", "docs/handbook.md"} <= {i["location"]["path"] for i in found}
    levels = {f["rule"]: f["severity"] for f in report["findings"]}
    assert {i["severity"] for i in found if levels[i["check_name"]] == "warning"} == {"minor"}
    assert {i["severity"] for i in found if levels[i["check_name"]] == "info"} == {"info"}
    assert len({i["fingerprint"] for i in issues}) == len(issues)  # the widget keeps one of equal prints
    (unreadable,) = [i for i in issues if i["check_name"] == "unreadable-file"]
    assert unreadable["location"] == {"path": "docs/broken.txt", "lines": {"begin": 1}}
    assert unreadable["severity"] == "major"
    assert all(i["type"] == "issue" and i["description"] for i in issues)


def test_ci_formats_tell_apart_two_named_folders_with_the_same_file_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The report's path is relative to the named folder ("README.md" twice);
    # code scanning and the merge-request widget need each file's own path.
    for folder, text in (("docs", "The back office.\n"), ("policies", "Non-customer-facing roles.\n")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "README.md").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    scanned = audit_paths(["docs", "policies"], CONFIG)

    issues = json.loads(render("gitlab", scanned))
    assert [(i["check_name"], i["location"]["path"]) for i in issues] == [
        ("back-office", "docs/README.md"),
        ("non-customer-facing", "policies/README.md"),
    ]
    run = json.loads(render("sarif", scanned))["runs"][0]
    places = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert [(p["uri"], p["index"]) for p in places] == [("docs/README.md", 0), ("policies/README.md", 1)]
    assert [a["location"]["uri"] for a in run["artifacts"]] == ["docs/README.md", "policies/README.md"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    checkstyle = ET.fromstring(render("checkstyle", scanned))
    assert [f.get("name") for f in checkstyle.iter("file")] == ["docs/README.md", "policies/README.md"]
    junit = ET.fromstring(render("junit", scanned))
    assert [c.get("name") for c in junit.iter("testcase")] == ["docs/README.md", "policies/README.md"]
    assert [(c.findtext("failure") or "").split(" ")[0] for c in junit.iter("testcase")] == [
        "docs/README.md:1:5",
        "policies/README.md:1:1",
    ]


def test_line_format_is_one_compiler_style_line_per_finding_and_failed_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_folder(tmp_path / "docs")
    monkeypatch.chdir(tmp_path)
    scanned = audit_paths(["docs"], CONFIG)
    lines = render("line", scanned).splitlines()
    report = as_dict(scanned, OPTIONS.version)

    shape = re.compile(r"^(?P<path>[^\n]+?):(?P<line>\d+):(?P<column>\d+): (?P<severity>\w+) (?P<rule>[\w-]+): .+$")
    parsed = [found.groupdict() for line in lines if (found := shape.match(line))]
    assert [(p["path"], int(p["line"]), int(p["column"]), p["rule"]) for p in parsed] == [
        (f"docs/{f['path']}", f["line"], f["column"], f["rule"]) for f in report["findings"]
    ]
    assert "docs/broken.txt: error: could not be read: binary file, not text" in lines
    assert len(lines) == len(parsed) + 1
    # Where the file's own lines cannot say where, the message does.
    if SIMPLE_PDF.exists():
        assert any(line.startswith("docs/simple.pdf:") and ": page 1, line " in line for line in lines)


@pytest.mark.parametrize(
    ("error", "said"),
    [
        ("binary file, not text", "could not be read: binary file, not text"),
        ("cannot be read: permission denied", "cannot be read: permission denied"),
    ],
)
def test_an_unreadable_file_is_said_once_in_line_and_checkstyle(error: str, said: str) -> None:
    result = hand_made(error=error)
    assert render("line", result).splitlines() == [f"broken.txt: error: {said}"]
    (element,) = ET.fromstring(render("checkstyle", result)).iter("error")
    assert element.get("message") == said
