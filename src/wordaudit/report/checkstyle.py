"""Checkstyle XML, which reviewdog, Jenkins' warnings plugin and many IDEs read.

Every scanned file gets a ``<file>``, clean ones too, as Checkstyle itself
writes them, named by its path from the folder the job runs in (as the
GitHub, GitLab and SARIF reports name it: reviewdog and Jenkins map it to the
repository's file); a file that could not be read carries one ``error`` with source
``wordaudit.unreadable``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from wordaudit.model import FileResult, Finding, ScanResult
from wordaudit.report import RenderOptions, unreadable
from wordaudit.report.junit import xml_document
from wordaudit.report.places import workspace_relative
from wordaudit.report.sarif import finding_text

# The version other linters' Checkstyle output (ESLint's, for one) declares;
# consumers read the layout, which has not changed since.
VERSION = "4.3"


def render(result: ScanResult, options: RenderOptions) -> str:
    root = ET.Element("checkstyle", version=VERSION)
    root.extend(_file(f) for f in result.files)
    return xml_document(root)


def _file(file_result: FileResult) -> ET.Element:
    element = ET.Element("file", name=workspace_relative(file_result))
    if file_result.error is not None:
        # Consumers require a line; the whole file is meant.
        ET.SubElement(
            element,
            "error",
            line="1",
            column="1",
            severity="error",
            message=unreadable(file_result.error),
            source="wordaudit.unreadable",
        )
    element.extend(_error(f) for f in file_result.findings)
    return element


def _error(finding: Finding) -> ET.Element:
    return ET.Element(
        "error",
        line=str(finding.line),
        column=str(finding.column),
        severity=finding.severity.value,
        message=finding_text(finding),
        source=f"wordaudit.{finding.rule}",
    )
