"""Counts every report shows, computed once."""

from __future__ import annotations

from collections import Counter

from wordaudit.model import ScanResult, Severity
from wordaudit.record import record


@record
class Summary:
    files_scanned: int
    files_with_findings: int
    files_failed: int
    findings: int
    by_severity: dict[str, int]
    by_rule: dict[str, int]
    suppressed: int


def summarise(result: ScanResult) -> Summary:
    findings = result.findings
    severities = Counter(f.severity.value for f in findings)
    rules = Counter(f.rule for f in findings)
    return Summary(
        files_scanned=len(result.files),
        files_with_findings=sum(1 for f in result.files if f.findings),
        files_failed=sum(1 for f in result.files if f.error is not None),
        findings=len(findings),
        by_severity={s.value: severities.get(s.value, 0) for s in Severity},
        by_rule=dict(sorted(rules.items())),
        suppressed=sum(f.suppressed for f in result.files),
    )
