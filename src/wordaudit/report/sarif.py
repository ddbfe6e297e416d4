"""SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDE viewers).

One run; every rule is a ``reportingDescriptor`` and every finding a
``result`` in the JSON report's order, so the two reports match one to one.
Files that could not be read are tool execution notifications, not results:
they are not findings, and the tool itself ran.

A PDF or Word finding keeps its region (code scanning wants one), but its
lines are lines of a page or a paragraph, not of the file; the place a person
looks for ("page 3, line 12") is in the message and in ``properties``.

``finding_text`` is shared by the other CI renderers so that every report
words a finding the same way.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from wordaudit.fingerprint import fingerprints
from wordaudit.model import FileResult, Finding, Rule, ScanResult, Severity
from wordaudit.report import RenderOptions
from wordaudit.report.places import workspace_relative

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/wordaudit/wordaudit"
SOURCE_ROOT = "%SRCROOT%"
FINGERPRINT_KEY = "wordaudit/v1"
UNREADABLE = "unreadable-file"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_MIME_TYPES = {
    "markdown": "text/markdown",
    "text": "text/plain",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# Hyphens and soft hyphens count as spaces so that re-wrapping or re-hyphenating
# a sentence ("back-\noffice" → "back office") keeps the alert's identity.
_SEPARATORS = re.compile(r"[\s\-\u00ad]+")
_WORD_PARTS = re.compile(r"[^0-9A-Za-z]+")
_LONE_NEWLINE = re.compile(r"(?<!\n)\n(?!\n)")


def render(result: ScanResult, options: RenderOptions) -> str:
    return json.dumps(as_dict(result, options.version), indent=2, ensure_ascii=False) + "\n"


def as_dict(result: ScanResult, version: str) -> dict[str, Any]:
    rules = _rules_in_use(result)
    index = {rule_id: i for i, rule_id in enumerate(rules)}
    # By file, not by the report's path: two named folders may both hold a README.md.
    artifacts = [artifact_location(workspace_relative(f), i) for i, f in enumerate(result.files) for _ in f.findings]
    fingerprints = fingerprints_of(result.findings)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": _driver(rules, version)},
                "invocations": [_invocation(result)],
                "originalUriBaseIds": {SOURCE_ROOT: {"uri": Path.cwd().as_uri().rstrip("/") + "/"}},
                "artifacts": [_artifact(f) for f in result.files],
                # Columns count characters as Python (and the JSON report) does.
                "columnKind": "unicodeCodePoints",
                "results": [
                    _result(finding, index[finding.rule], artifact, fingerprint)
                    for finding, artifact, fingerprint in zip(result.findings, artifacts, fingerprints, strict=True)
                ],
            }
        ],
    }


def _rules_in_use(result: ScanResult) -> dict[str, dict[str, Any]]:
    """Descriptors by id: the scan's rules, then ids only findings know of
    (``unused-suppression``), which every ``ruleIndex`` still needs."""
    descriptors = {rule.id: _descriptor(rule) for rule in result.rules}
    for finding in result.findings:
        if finding.rule not in descriptors:
            descriptors[finding.rule] = _bare_descriptor(finding)
    return descriptors


def _driver(rules: dict[str, dict[str, Any]], version: str) -> dict[str, Any]:
    driver: dict[str, Any] = {"name": "wordaudit", "informationUri": INFORMATION_URI}
    if version:
        driver["version"] = version
    driver["rules"] = list(rules.values())
    driver["notifications"] = [
        {
            "id": UNREADABLE,
            "name": "UnreadableFile",
            "shortDescription": {"text": "A file could not be read, so it was not checked."},
            "defaultConfiguration": {"level": "error"},
        }
    ]
    return driver


def _descriptor(rule: Rule) -> dict[str, Any]:
    why = unwrapped(rule.why)
    lines = say_instead(rule)
    text = why + ("\n\nSay instead: " + "; ".join(lines) if lines else "")
    markdown = why + ("\n\n**Say instead**\n\n" + "\n".join(f"- {line}" for line in lines) if lines else "")
    return {
        "id": rule.id,
        "name": pascal_case(rule.id),
        "shortDescription": {"text": rule.summary or rule.id},
        "fullDescription": {"text": why or rule.summary or rule.id},
        "help": {"text": text or rule.id, "markdown": markdown or rule.id},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [tag for tag in ("wording", rule.pack) if tag]},
    }


def _bare_descriptor(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.rule,
        "name": pascal_case(finding.rule),
        "shortDescription": {"text": f"wordaudit's own check: {finding.rule}"},
        "defaultConfiguration": {"level": LEVELS[finding.severity]},
        "properties": {"tags": ["wordaudit"]},
    }


def say_instead(rule: Rule) -> list[str]:
    """The rule's suggestions, one line per way the phrase is used."""
    s = rule.suggestions
    lines = [f'for "{phrase}": {", ".join(words)}' for phrase, words in s.by_phrase]
    if s.noun and s.modifier and s.noun != s.modifier:
        lines.append(f"before a noun: {', '.join(s.modifier)}")
        lines.append(f"as a noun: {', '.join(s.noun)}")
    elif s.noun or s.modifier:
        lines.append(", ".join(s.noun or s.modifier))
    return lines


def _invocation(result: ScanResult) -> dict[str, Any]:
    # The tool ran even when files failed: those are notifications, and the
    # exit code (not SARIF) is what fails the CI job.
    return {
        "executionSuccessful": True,
        "toolExecutionNotifications": [_unreadable(f, i) for i, f in enumerate(result.files) if f.error is not None],
    }


def _unreadable(file_result: FileResult, artifact: int) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": f"{file_result.path}: {file_result.error}"},
        "descriptor": {"id": UNREADABLE, "index": 0},
        "locations": [
            {"physicalLocation": {"artifactLocation": artifact_location(workspace_relative(file_result), artifact)}}
        ],
    }


def _artifact(file_result: FileResult) -> dict[str, Any]:
    artifact: dict[str, Any] = {"location": artifact_location(workspace_relative(file_result))}
    if file_result.format in _MIME_TYPES:
        artifact["mimeType"] = _MIME_TYPES[file_result.format]
    return artifact


def artifact_location(path: str, index: int | None = None) -> dict[str, Any]:
    """A relative path is relative to the source root (where code scanning
    checks the repository out); an absolute one can only be a ``file:`` URI."""
    location: dict[str, Any]
    if Path(path).is_absolute():
        location = {"uri": Path(path).as_uri()}
    else:
        # The name's own bytes, percent-encoded: one that is not UTF-8 (from an
        # old Windows share) still names the file.
        location = {"uri": quote(os.fsencode(PurePosixPath(path).as_posix()), safe="/"), "uriBaseId": SOURCE_ROOT}
    if index is not None:
        location["index"] = index
    return location


def _result(finding: Finding, rule_index: int, artifact: dict[str, Any], fingerprint: str) -> dict[str, Any]:
    region: dict[str, Any] = {
        "startLine": finding.line,
        "startColumn": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
        "snippet": {"text": finding.match},
    }
    properties: dict[str, Any] = {"location": finding.location, "suggestions": list(finding.suggestions)}
    if finding.page is not None:
        properties["page"] = finding.page
    return {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding_text(finding)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact,
                    "region": region,
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": properties,
    }


def fingerprints_of(findings: tuple[Finding, ...]) -> list[str]:
    """A stable identity per finding, so code scanning keeps one alert open
    across runs and closes it when the wording is fixed (see ``fingerprint``)."""
    return fingerprints(findings)


def normalised(text: str) -> str:
    return _SEPARATORS.sub(" ", text.lower()).strip()


def pascal_case(rule_id: str) -> str:
    """SARIF's friendly rule name: ``back-office`` → ``BackOffice``."""
    return "".join(part[:1].upper() + part[1:] for part in _WORD_PARTS.split(rule_id))


def unwrapped(text: str) -> str:
    """YAML block text without its hard wraps; blank lines stay paragraph breaks."""
    return _LONE_NEWLINE.sub(" ", text.strip())


def in_file_lines(finding: Finding) -> bool:
    """Whether ``line`` is a line of the file itself (markdown, text), rather
    than of a PDF page or a Word paragraph."""
    return finding.page is None and finding.location == f"line {finding.line}"


def finding_text(finding: Finding) -> str:
    """The message and suggestions, led by the place when the file's own
    lines cannot show it: ``page 3, line 12: "..." ... Try: a, b.``"""
    text = finding.message
    if not in_file_lines(finding):
        text = f"{finding.location}: {text}"
    if finding.suggestions:
        text += f" Try: {', '.join(finding.suggestions)}."
    return text
