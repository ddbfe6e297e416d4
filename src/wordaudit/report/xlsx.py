"""Excel workbook: a "Findings" sheet to filter and assign, a "Summary" sheet to report up.

Rows are the JSON report's findings, in its order and with its values. Cell
text comes from documents, so none of it may become a formula: text that a
spreadsheet would read as one (``=``, ``+``, ``-``, ``@`` first) is stored
with the string type set explicitly. The value itself is left as it is, not
prefixed with an apostrophe, so the sheet still says what the document says.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from wordaudit.model import Finding, ScanResult
from wordaudit.report import RenderOptions
from wordaudit.report.html import folder_of
from wordaudit.report.summary import summarise

Cell = str | int | None

COLUMNS = (
    "path",
    "folder",
    "format",
    "location",
    "page",
    "line",
    "column",
    "rule",
    "severity",
    "match",
    "suggestion",
    "suggestions",
    "message",
    "context",
)
# Tab and carriage return lead the list too: some spreadsheets skip them and
# then read the formula behind.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Control characters are not allowed in the XML of a sheet; openpyxl refuses them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MIN_WIDTH, _MAX_WIDTH = 8, 60
_WRAPPED = ("message", "context", "error")
_BOLD = Font(bold=True)


def render(result: ScanResult, options: RenderOptions) -> bytes:
    workbook = Workbook()
    findings_sheet(workbook.active, result)
    summary_sheet(workbook.create_sheet("Summary"), result)
    workbook.properties.creator = f"wordaudit {options.version}".strip()
    workbook.properties.title = "wordaudit report"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def findings_sheet(sheet: Worksheet, result: ScanResult) -> None:
    sheet.title = "Findings"
    formats = {f.path: f.format for f in result.files}
    _append(sheet, COLUMNS, bold=True)
    for finding in result.findings:
        _append(sheet, row(finding, formats.get(finding.path, "")))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    _fit_columns(sheet, COLUMNS)


def row(finding: Finding, file_format: str) -> tuple[Cell, ...]:
    values: dict[str, Cell] = {
        "path": finding.path,
        "folder": folder_of(finding.path),
        "format": file_format,
        "location": finding.location,
        "page": finding.page,
        "line": finding.line,
        "column": finding.column,
        "rule": finding.rule,
        "severity": finding.severity.value,
        "match": finding.match,
        "suggestion": finding.suggestions[0] if finding.suggestions else "",
        "suggestions": "; ".join(finding.suggestions),
        "message": finding.message,
        "context": finding.context,
    }
    return tuple(values[name] for name in COLUMNS)


def summary_sheet(sheet: Worksheet, result: ScanResult) -> None:
    """Sections one under another, each a bold header row and its rows, a
    blank row between: easy to read, and to pick apart again."""
    summary = summarise(result)
    sections: list[tuple[tuple[str, str], Iterable[tuple[Cell, ...]]]] = [
        (
            ("Files", "Count"),
            [
                ("files scanned", summary.files_scanned),
                ("files with findings", summary.files_with_findings),
                ("files that could not be read", summary.files_failed),
                ("findings", summary.findings),
                ("suppressed", summary.suppressed),
            ],
        ),
        (("Rule", "Findings"), summary.by_rule.items()),
        (("Severity", "Findings"), summary.by_severity.items()),
        (("Folder", "Findings"), sorted(Counter(folder_of(f.path) for f in result.findings).items())),
        (("Unreadable file", "Error"), [(f.path, f.error) for f in result.files if f.error is not None]),
    ]
    for index, (header, rows) in enumerate(sections):
        if index:
            sheet.append(())
        _append(sheet, header, bold=True)
        for values in rows:
            _append(sheet, values)
    _fit_columns(sheet, ("label", "error"))


def _append(sheet: Worksheet, values: Sequence[Cell], *, bold: bool = False) -> None:
    sheet.append([_clean(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
            # openpyxl types a string starting with "=" as a formula; this makes it text again.
            cell.data_type = "s"
        if bold:
            cell.font = _BOLD


def _clean(value: Cell) -> Cell:
    return _CONTROL.sub("\ufffd", value) if isinstance(value, str) else value


def _fit_columns(sheet: Worksheet, names: Sequence[str]) -> None:
    """Widths from the longest value, within bounds, so a long context wraps
    instead of pushing every other column off the screen."""
    for index, cells in enumerate(sheet.iter_cols(), start=1):
        longest = max((len(str(c.value)) for c in cells if c.value is not None), default=0)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(_MIN_WIDTH, min(longest + 2, _MAX_WIDTH))
        if index <= len(names) and names[index - 1] in _WRAPPED:
            for cell in cells[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
