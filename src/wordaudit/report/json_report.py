"""The JSON report: the stable contract in shared/spec/json-report.md (schema 1)."""

from __future__ import annotations

import json
from typing import Any

from wordaudit.model import Finding, ScanResult
from wordaudit.report import RenderOptions
from wordaudit.report.summary import summarise

SCHEMA = 1


def render(result: ScanResult, options: RenderOptions) -> str:
    return json.dumps(as_dict(result, options.version), indent=2, ensure_ascii=False) + "\n"


def as_dict(result: ScanResult, version: str) -> dict[str, Any]:
    summary = summarise(result)
    return {
        "schema": SCHEMA,
        "tool": {"name": "wordaudit", "version": version},
        "rulesets": list(result.rulesets),
        "summary": {
            "files_scanned": summary.files_scanned,
            "files_with_findings": summary.files_with_findings,
            "files_failed": summary.files_failed,
            "findings": summary.findings,
            "by_severity": summary.by_severity,
            "by_rule": summary.by_rule,
            "suppressed": summary.suppressed,
        },
        "files": [
            {"path": f.path, "format": f.format, "findings": len(f.findings), "error": f.error} for f in result.files
        ],
        "findings": [finding_dict(f) for f in result.findings],
        "warnings": [*result.warnings, *(n for f in result.files for n in f.notes)],
    }


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "path": finding.path,
        "rule": finding.rule,
        "severity": finding.severity.value,
        "match": finding.match,
        "message": finding.message,
        "suggestions": list(finding.suggestions),
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "page": finding.page,
        "location": finding.location,
        "context": finding.context,
    }
