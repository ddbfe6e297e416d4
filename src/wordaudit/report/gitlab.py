"""GitLab Code Quality: the JSON array a merge request's Code Quality widget reads
(``artifacts: reports: codequality:``), the subset of the Code Climate issue spec
GitLab documents.

Paths are relative to the repository, as GitLab links them: a path the scan
reports relative to the folder it was named by is made relative to the working
folder (where CI runs, the checkout). Each issue's fingerprint is unique, as the
widget drops all but one of an equal set, and stable across lines added above
(``fingerprint``). A file that could not be read is one issue on its line 1.
"""

from __future__ import annotations

import json
from typing import Any

from wordaudit.fingerprint import fingerprints
from wordaudit.model import FileResult, Finding, ScanResult, Severity
from wordaudit.report import RenderOptions
from wordaudit.report.github import workspace_path
from wordaudit.report.sarif import finding_text

# GitLab's scale is info, minor, major, critical, blocker: an error outranks a warning.
_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}
UNREADABLE = "unreadable-file"


def render(result: ScanResult, options: RenderOptions) -> str:
    del options
    # Each finding is placed by its own file: two folders named on the command
    # line may each hold a README.md, which the report's paths cannot tell apart.
    placed = [(finding, workspace_path(f)) for f in result.files for finding in f.findings]
    issues = [
        _issue(finding, place, fingerprint)
        for (finding, place), fingerprint in zip(placed, fingerprints(result.findings), strict=True)
    ]
    issues.extend(_unreadable(f, workspace_path(f)) for f in result.files if f.error is not None)
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _issue(finding: Finding, path: str, fingerprint: str) -> dict[str, Any]:
    return {
        "type": "issue",
        "check_name": finding.rule,
        "description": finding_text(finding),
        "categories": ["Style"],
        "severity": _SEVERITY[finding.severity],
        "fingerprint": fingerprint,
        "location": {"path": path, "lines": {"begin": finding.line, "end": finding.end_line}},
    }


def _unreadable(file_result: FileResult, path: str) -> dict[str, Any]:
    return {
        "type": "issue",
        "check_name": UNREADABLE,
        "description": f"could not be read, so it was not checked: {file_result.error}",
        "categories": ["Bug Risk"],
        "severity": "major",
        "fingerprint": f"{UNREADABLE}:{path}",
        "location": {"path": path, "lines": {"begin": 1}},
    }
