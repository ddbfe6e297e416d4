"""The reports HR can hand on, HTML and xlsx, each checked against the JSON
report of the same real scan; the HTML page also in a real browser."""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import sys
import zipfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest

from wordaudit.api import audit_paths
from wordaudit.config import Config
from wordaudit.finding import split_context
from wordaudit.model import Finding, ScanResult, Severity
from wordaudit.report import RenderOptions, renderer
from wordaudit.report.html import TITLE, TOP_LEVEL, sha256
from wordaudit.report.json_report import as_dict
from wordaudit.report.xlsx import COLUMNS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SIMPLE_PDF = FIXTURES / "pdf" / "simple.pdf"
TABLES_DOCX = FIXTURES / "docx" / "tables.docx"
# pdfminer ships with wordaudit; pinning it keeps these tests about the reports.
CONFIG = Config(pdf_engine="pdfminer")
OPTIONS = RenderOptions(version="9.8.7")

INJECTED = "<script>document.title='pwned'</script>"
ROLES = """\
# Roles

Our back-office team processes every order.

The back line employees agree their days.

- Non-revenue-producing departments may work from home.
"""
NOTES = "Thanks to the behind-the-scenes staff.\n\nWe hire for non-customer-facing roles.\n"
PASTED = f"Copied from the intranet: {INJECTED} back office\n"
# Lines a spreadsheet would take for formulas if the cells were not typed as text.
FORMULAS = "=1+1 and the back office\n\n@SUM(1) and the back-office team\n\n-2 for the back line\n"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary on PATH (apt-get install chromium)")


def make_folder(root: Path) -> Path:
    (root / "policies" / "hr").mkdir(parents=True)
    (root / "teams").mkdir()
    (root / "policies" / "hr" / "roles.md").write_text(ROLES, encoding="utf-8")
    (root / "teams" / "notes.txt").write_text(NOTES, encoding="utf-8")
    (root / "teams" / "pasted.txt").write_text(PASTED, encoding="utf-8")
    (root / "teams" / "formulas.txt").write_text(FORMULAS, encoding="utf-8")
    (root / "teams" / "broken.txt").write_bytes(b"\x00\x01\x02 back office \x00\xff")
    for fixture in (SIMPLE_PDF, TABLES_DOCX):
        if fixture.exists():
            shutil.copy(fixture, root / fixture.name)
    return root


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_folder(tmp_path_factory.mktemp("handoff"))


@pytest.fixture(scope="module")
def scanned(folder: Path) -> ScanResult:
    return audit_paths([folder], CONFIG)


@pytest.fixture(scope="module")
def report(scanned: ScanResult) -> dict[str, Any]:
    return as_dict(scanned, OPTIONS.version)


@pytest.fixture(scope="module")
def page(scanned: ScanResult) -> str:
    text = renderer("html")(scanned, OPTIONS)
    assert isinstance(text, str)
    return text


@pytest.fixture(scope="module")
def page_file(page: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("page") / "report.html"
    path.write_text(page, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def xlsx_bytes(scanned: ScanResult) -> bytes:
    data: object = renderer("xlsx")(scanned, OPTIONS)
    assert isinstance(data, bytes)
    return data


@pytest.fixture(scope="module")
def workbook(xlsx_bytes: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(xlsx_bytes))


def folder_of(path: str) -> str:
    parent = str(PurePosixPath(path).parent)
    return TOP_LEVEL if parent == "." else parent


def test_the_scan_has_what_the_reports_must_show(report: dict[str, Any]) -> None:
    paths = {f["path"] for f in report["findings"]}
    assert {"policies/hr/roles.md", "teams/notes.txt", "teams/pasted.txt", "teams/formulas.txt"} <= paths
    # Only "in": the Word and PDF copies are other tests' business; here they just add findings.
    assert "teams/broken.txt" in [f["path"] for f in report["files"] if f["error"]]
    assert len({f["rule"] for f in report["findings"]}) >= 4


# --- xlsx ---------------------------------------------------------------------------------------


def expected_rows(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    formats = {f["path"]: f["format"] for f in report["files"]}
    return [
        (
            f["path"],
            folder_of(f["path"]),
            formats[f["path"]],
            f["location"],
            f["page"],
            f["line"],
            f["column"],
            f["rule"],
            f["severity"],
            f["match"],
            f["suggestions"][0] if f["suggestions"] else None,
            "; ".join(f["suggestions"]) or None,
            f["message"],
            f["context"],
        )
        for f in report["findings"]
    ]


def test_xlsx_findings_are_the_json_findings(workbook: Any, report: dict[str, Any]) -> None:
    sheet = workbook["Findings"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    # An empty string is an empty cell, which openpyxl reads back as None.
    assert [tuple(v if v != "" else None for v in row) for row in rows[1:]] == expected_rows(report)
    assert workbook.sheetnames == ["Findings", "Summary"]


def test_xlsx_findings_sheet_is_ready_to_filter(workbook: Any, report: dict[str, Any]) -> None:
    sheet = workbook["Findings"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:N{len(report['findings']) + 1}"
    assert all(cell.font.bold for cell in sheet[1])
    widths = {sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJKLMN"}
    assert min(widths) >= 8
    assert max(widths) <= 60
    # The longest column is capped; the short ones are not all the same width.
    assert sheet.column_dimensions["N"].width > sheet.column_dimensions["G"].width


def test_xlsx_document_text_never_becomes_a_formula(workbook: Any, xlsx_bytes: bytes) -> None:
    contexts = [row[-1] for row in workbook["Findings"].iter_rows(min_row=2)]
    risky = [cell for cell in contexts if cell.value.startswith(("=", "@", "-"))]
    assert {cell.value for cell in risky} >= {
        "=1+1 and the back office",
        "@SUM(1) and the back-office team",
        "-2 for the back line",
    }
    assert all(cell.data_type == "s" for cell in risky)
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        assert not any(b"<f>" in archive.read(name) or b"<f " in archive.read(name) for name in sheets)


def summary_sections(sheet: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Header row → the rows under it, up to the next blank row."""
    sections: dict[str, list[tuple[Any, ...]]] = {}
    current: list[tuple[Any, ...]] | None = None
    for row in sheet.iter_rows(values_only=True):
        if all(value is None for value in row):
            current = None
        elif current is None:
            current = sections.setdefault(str(row[0]), [])
        else:
            current.append(tuple(row[:2]))
    return sections


def test_xlsx_summary_has_the_counts(workbook: Any, report: dict[str, Any]) -> None:
    sections = summary_sections(workbook["Summary"])
    summary = report["summary"]
    assert dict(sections["Files"]) == {
        "files scanned": summary["files_scanned"],
        "files with findings": summary["files_with_findings"],
        "files that could not be read": summary["files_failed"],
        "findings": summary["findings"],
        "suppressed": summary["suppressed"],
    }
    assert dict(sections["Rule"]) == summary["by_rule"]
    assert dict(sections["Severity"]) == summary["by_severity"]
    assert dict(sections["Folder"]) == Counter(folder_of(f["path"]) for f in report["findings"])
    assert sections["Unreadable file"] == [(f["path"], f["error"]) for f in report["files"] if f["error"]]


# --- HTML, read as text ---------------------------------------------------------------------------


class Page(HTMLParser):
    """What a test needs from the page: tags, the finding rows, scripts, marks, ids' text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.rows: list[dict[str, str]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.marks: list[str] = []
        self.contexts: list[str] = []
        self.by_id: dict[str, str] = {}
        self.title = ""
        self._open: list[tuple[str, str, list[str]]] = []  # (tag, id, text parts) of tags being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag == "tr" and "finding" in attributes.get("class", "").split():
            self.rows.append(attributes)
        watched = tag in ("script", "style", "mark", "title", "q") or "id" in attributes
        if watched and tag not in ("meta", "br", "input"):
            self._open.append((tag, attributes.get("id", ""), []))

    def handle_endtag(self, tag: str) -> None:
        if not self._open or self._open[-1][0] != tag:
            return
        name, element_id, parts = self._open.pop()
        text = "".join(parts)
        for _, _, outer in self._open:
            outer.append(text)
        {"script": self.scripts, "style": self.styles, "mark": self.marks, "q": self.contexts}.get(name, []).append(
            text
        )
        if name == "title" and not self.title:
            self.title = text
        if element_id:
            self.by_id[element_id] = text

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][2].append(data)


def parse(text: str) -> Page:
    parser = Page()
    parser.feed(text)
    parser.close()
    return parser


def content_policy(parsed: Page) -> str:
    metas = (a for tag, a in parsed.tags if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    return next(metas)["content"]


def test_html_loads_nothing_from_anywhere(page: str) -> None:
    parsed = parse(page)
    for tag, attributes in parsed.tags:
        for name in ("src", "href", "srcset", "action", "data", "poster"):
            value = attributes.get(name, "").strip().lower()
            assert not value.startswith(("http:", "https:", "//")), (tag, name, value)
        assert not (tag == "link" and "stylesheet" in attributes.get("rel", ""))
        assert not (tag == "script" and "src" in attributes)
    assert not any(tag in ("link", "iframe", "img", "object", "embed") for tag, _ in parsed.tags)
    assert "@import" not in "".join(parsed.styles)
    assert "url(" not in "".join(parsed.styles)
    assert "default-src 'none'" in content_policy(parsed)


def test_html_allows_exactly_its_own_script(page: str) -> None:
    parsed = parse(page)
    assert len(parsed.scripts) == 1
    assert f"script-src 'sha256-{sha256(parsed.scripts[0])}'" in content_policy(parsed)


def test_html_escapes_the_documents_script(page: str) -> None:
    assert INJECTED not in page
    assert "&lt;script&gt;document.title=" in page
    parsed = parse(page)
    # The document's text is shown as it is, and it is text: the page's own script is the only one.
    assert any(INJECTED in context for context in parsed.contexts)
    assert [tag for tag, _ in parsed.tags].count("script") == 1
    assert "pwned" not in "".join(parsed.scripts)


def test_html_has_a_row_per_json_finding(page: str, report: dict[str, Any]) -> None:
    parsed = parse(page)
    findings = report["findings"]
    assert len(parsed.rows) == len(findings)
    assert [(r["data-file"], r["data-rule"], r["data-severity"]) for r in parsed.rows] == [
        (f["path"], f["rule"], f["severity"]) for f in findings
    ]
    assert [r["data-folder"] for r in parsed.rows] == [folder_of(f["path"]) for f in findings]
    assert [m.lower() for m in parsed.marks] == [f["match"].lower() for f in findings]
    assert [c.replace("\n", " ") for c in parsed.contexts] == [f["context"] for f in findings]


def test_html_summary_and_unreadable_files(page: str, report: dict[str, Any]) -> None:
    parsed = parse(page)
    summary = report["summary"]
    assert parsed.title == TITLE
    assert f"by wordaudit {OPTIONS.version}" in page
    assert parsed.by_id["files-scanned"] == str(summary["files_scanned"])
    assert parsed.by_id["files-failed"] == str(summary["files_failed"])
    assert parsed.by_id["files-with-findings"] == str(summary["files_with_findings"])
    assert parsed.by_id["findings-count"] == str(summary["findings"])
    for rule, count in summary["by_rule"].items():
        assert f"{rule}: {count}" in parsed.by_id["by-rule"]
    assert "teams/broken.txt: binary file, not text" in " ".join(parsed.by_id["unreadable"].split())


def test_html_without_findings_still_renders() -> None:
    empty = ScanResult(files=(), rules=(), rulesets=())
    parsed = parse(str(renderer("html")(empty, OPTIONS)))
    assert parsed.rows == []
    assert parsed.by_id["files-scanned"] == "0"


def finding(context: str, match: str, column: int) -> Finding:
    return Finding(
        path="a.md",
        rule="back-office",
        severity=Severity.WARNING,
        match=match,
        message="",
        suggestions=(),
        line=1,
        column=column,
        end_line=1,
        end_column=column + len(match),
        page=None,
        location="line 1",
        context=context,
    )


def test_split_context_finds_the_occurrence_at_the_column() -> None:
    context = "back office work and back office pay"
    assert split_context(finding(context, "back office", 22)) == ("back office work and ", "back office", " pay")
    assert split_context(finding(context, "Back Office", 1)) == ("", "back office", " work and back office pay")
    assert split_context(finding("no match here", "back office", 1)) == ("no match here", "", "")


# --- the command line -----------------------------------------------------------------------------


def wordaudit(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    environment = {k: v for k, v in os.environ.items() if k != "FORCE_COLOR"}
    return subprocess.run(
        [sys.executable, "-m", "wordaudit", *args], env=environment, check=False, timeout=300, **kwargs
    )


def test_cli_writes_html_and_xlsx_files(folder: Path, tmp_path: Path) -> None:
    html_file, xlsx_file = tmp_path / "report.html", tmp_path / "report.xlsx"
    reports = ["--format", "html", "--output", str(html_file), "--format", "xlsx", "--output", str(xlsx_file)]
    done = wordaudit("scan", str(folder), "-q", "-j", "1", *reports, capture_output=True)
    assert done.returncode == 1, done.stderr
    assert done.stdout == b""
    assert parse(html_file.read_text(encoding="utf-8")).title == TITLE
    assert openpyxl.load_workbook(xlsx_file).sheetnames == ["Findings", "Summary"]


def test_cli_pipes_xlsx_but_never_to_a_terminal(folder: Path) -> None:
    one_file = str(folder / "teams" / "formulas.txt")
    piped = wordaudit("scan", one_file, "-q", "-j", "1", "-f", "xlsx", capture_output=True)
    assert piped.returncode == 1
    assert openpyxl.load_workbook(io.BytesIO(piped.stdout)).sheetnames == ["Findings", "Summary"]
    if not hasattr(os, "openpty"):
        pytest.skip("no pseudo-terminals on this platform")
    primary, terminal = os.openpty()
    try:
        refused = wordaudit("scan", one_file, "-q", "-j", "1", "-f", "xlsx", stdout=terminal, stderr=subprocess.PIPE)
    finally:
        os.close(terminal)
        os.close(primary)
    assert refused.returncode == 2
    assert refused.stderr.decode() == "wordaudit: error: xlsx is binary: use --output FILE\n"


# --- HTML, in a browser ---------------------------------------------------------------------------


def chromium(profile: Path, *args: str) -> str:
    assert CHROMIUM is not None
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def rendered(page_file: Path, profile: Path, fragment: str = "") -> Page:
    """The DOM after the page's script ran (Chromium's --dump-dom)."""
    return parse(chromium(profile, "--dump-dom", page_file.as_uri() + fragment))


def visible(parsed: Page) -> list[dict[str, str]]:
    return [row for row in parsed.rows if "hidden" not in row]


@needs_chromium
def test_browser_shows_every_finding_and_runs_no_document_script(
    page_file: Path, tmp_path: Path, report: dict[str, Any]
) -> None:
    parsed = rendered(page_file, tmp_path / "profile")
    total = len(report["findings"])
    assert parsed.title == TITLE  # the document's script would have set it to 'pwned'
    assert len(visible(parsed)) == len(parsed.rows) == total
    # Only the page's own script writes this line, so its presence shows the CSP let that script run.
    assert parsed.by_id["status"] == f"Showing {total} of {total} findings"
    filters = next(a for t, a in parsed.tags if a.get("id") == "filters")
    assert "hidden" not in filters


@needs_chromium
@pytest.mark.parametrize(
    ("fragment", "wanted"),
    [
        ("#rule=back-line", lambda f: f["rule"] == "back-line"),
        ("#folder=teams&severity=warning", lambda f: f["path"].startswith("teams/") and f["severity"] == "warning"),
        ("#q=INTRANET", lambda f: "intranet" in f["context"].lower()),
    ],
    ids=["rule", "folder-and-severity", "text"],
)
def test_browser_fragment_filters_rows(
    page_file: Path, tmp_path: Path, report: dict[str, Any], fragment: str, wanted: Any
) -> None:
    expected = [f["path"] for f in report["findings"] if wanted(f)]
    assert 0 < len(expected) < len(report["findings"])
    parsed = rendered(page_file, tmp_path / "profile", fragment)
    assert [row["data-file"] for row in visible(parsed)] == expected
    assert parsed.by_id["status"] == f"Showing {len(expected)} of {len(report['findings'])} findings"


@needs_chromium
def test_browser_screenshot(page_file: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    chromium(tmp_path / "profile", f"--screenshot={shot}", "--window-size=1200,900", page_file.as_uri())
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", data[16:24]) == (1200, 900)
    # A blank or unstyled page compresses to a few kilobytes; the report's does not.
    assert len(data) > 30_000
