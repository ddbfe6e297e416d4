"""JUnit XML, for CI systems that only show test results (GitLab, Jenkins, Azure).

Each scanned file is a test case, named by its path from the folder the job
runs in (``places``): it passes when clean, fails with one ``<failure>``
listing all its findings, and errors when it could not be read.
``xml_document`` is shared with the Checkstyle renderer.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from wordaudit.model import FileResult, ScanResult
from wordaudit.report import RenderOptions
from wordaudit.report.places import workspace_relative
from wordaudit.report.sarif import UNREADABLE, finding_text

_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
# ElementTree escapes markup but passes control characters through, and XML 1.0
# cannot hold them even as references; text pulled out of a PDF can carry them.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(result: ScanResult, options: RenderOptions) -> str:
    cases = [_testcase(f) for f in result.files]
    counts = {
        "tests": str(len(cases)),
        "failures": str(sum(1 for f in result.files if f.findings)),
        "errors": str(sum(1 for f in result.files if f.error is not None)),
        "skipped": "0",
    }
    root = ET.Element("testsuites", {"name": "wordaudit", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "wordaudit", **counts})
    suite.extend(cases)
    return xml_document(root)


def _testcase(file_result: FileResult) -> ET.Element:
    path = workspace_relative(file_result)
    case = ET.Element("testcase", classname="wordaudit", name=path)
    if file_result.error is not None:
        ET.SubElement(case, "error", message=file_result.error, type=UNREADABLE)
    if file_result.findings:
        rules = list(dict.fromkeys(f.rule for f in file_result.findings))
        count = len(file_result.findings)
        failure = ET.SubElement(
            case,
            "failure",
            type=",".join(rules),
            message=f"{count} finding{'s' if count != 1 else ''}: {', '.join(rules)}",
        )
        failure.text = "\n".join(f"{path}:{f.line}:{f.column} {f.rule} {finding_text(f)}" for f in file_result.findings)
    return case


def xml_document(root: ET.Element) -> str:
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return _DECLARATION + _NOT_XML.sub("\ufffd", body) + "\n"
