"""CSV: one row per finding, for spreadsheets and quick filtering.

Rows are exactly the JSON report's findings, in its order and with its values
(no prefix guarding cells against formula injection, so the two stay equal).
Files that could not be read are not findings, so they get no row; the
report on stderr and the exit status carry them.

A UTF-8 byte order mark leads, without which Excel reads the file as the
local code page and mangles quotes and accents; CRLF line ends are what RFC 4180
and Excel expect.
"""

from __future__ import annotations

import csv
import io

from wordaudit.model import Finding, ScanResult
from wordaudit.report import RenderOptions

BOM = "\ufeff"
COLUMNS = (
    "path",
    "format",
    "location",
    "page",
    "line",
    "column",
    "end_line",
    "end_column",
    "rule",
    "severity",
    "match",
    "suggestion",
    "suggestions",
    "message",
    "context",
)


def render(result: ScanResult, options: RenderOptions) -> str:
    formats = {f.path: f.format for f in result.files}
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(row(f, formats.get(f.path, "")) for f in result.findings)
    return BOM + output.getvalue()


def row(finding: Finding, file_format: str) -> dict[str, str | int]:
    return {
        "path": finding.path,
        "format": file_format,
        "location": finding.location,
        "page": "" if finding.page is None else finding.page,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "rule": finding.rule,
        "severity": finding.severity.value,
        "match": finding.match,
        "suggestion": finding.suggestions[0] if finding.suggestions else "",
        "suggestions": "; ".join(finding.suggestions),
        "message": finding.message,
        "context": finding.context,
    }
