"""GitHub Actions workflow commands: one annotation line per finding.

``::warning file=a.md,line=3,col=5,endLine=3,endColumn=16,title=back-office::message``
Errors, warnings and info map to ``::error``, ``::warning`` and ``::notice``.
A file that could not be read is an ``::error`` on that file.

No summary line: GitHub keeps only the first few annotations of each kind
per step (ten, when this was written), so a closing ``::notice`` would be the
first to go; and every line stays a workflow command for whoever parses it.
"""

from __future__ import annotations

from wordaudit.model import FileResult, Finding, ScanResult, Severity
from wordaudit.printable import printable
from wordaudit.report import RenderOptions
from wordaudit.report.places import workspace_relative
from wordaudit.report.sarif import finding_text

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}

# The runner splits a command at newlines, its properties at "," and its
# properties from the message at "::"; percent-encoding is its own escape.
_DATA_ESCAPES = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A"})
_PROPERTY_ESCAPES = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"})


def render(result: ScanResult, options: RenderOptions) -> str:
    lines = [command(f, workspace_path(r)) for r in result.files for f in r.findings]
    lines.extend(_unreadable(f) for f in result.files if f.error is not None)
    return "".join(f"{line}\n" for line in lines)


def workspace_path(file_result: FileResult) -> str:
    """GitHub places annotations by the path from the workspace (the folder the
    job runs in), not by the report's path, which is relative to a named folder."""
    return printable(workspace_relative(file_result))


def command(finding: Finding, file: str | None = None) -> str:
    properties: dict[str, str | int] = {
        "file": file or finding.path,
        "line": finding.line,
        "col": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
        "title": finding.rule,
    }
    return workflow_command(COMMANDS[finding.severity], properties, finding_text(finding))


def _unreadable(file_result: FileResult) -> str:
    return workflow_command("error", {"file": workspace_path(file_result)}, str(file_result.error))


def workflow_command(name: str, properties: dict[str, str | int], message: str) -> str:
    listed = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name} {listed}::{escape_data(message)}"


def escape_data(text: str) -> str:
    return text.translate(_DATA_ESCAPES)


def escape_property(text: str) -> str:
    return text.translate(_PROPERTY_ESCAPES)
