"""HTML: one self-contained page HR can open, filter, share and print.

Everything the page shows comes from documents, so it all goes through Jinja2
with autoescaping on; nothing is marked safe in Python. The match is cut out
of its context here and the three parts are escaped apart, because wrapping it
in ``<mark>`` after escaping would mean building markup from document text.

The page loads nothing: CSS and script are inline, and a Content-Security-Policy
forbids every fetch and allows only the page's own script (by its hash), so an
escaping slip elsewhere still could not run a document's ``<script>``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
from datetime import UTC, datetime
from pathlib import PurePath
from typing import TYPE_CHECKING

from wordaudit.finding import split_context
from wordaudit.model import Finding, ScanResult
from wordaudit.record import record
from wordaudit.report import RenderOptions
from wordaudit.report.summary import summarise

if TYPE_CHECKING:
    import jinja2

TITLE = "wordaudit report"
TOP_LEVEL = "(top level)"
# Room for the longest shipped rule id at the chart's font size; longer ids of
# a house pack are shortened on the chart (each bar's tooltip names them whole).
_LABEL_WIDTH = 170
_LABEL_CHARS = 24
_BAR_WIDTH = 240
_BAR_HEIGHT = 18
_BAR_GAP = 8


@record
class Row:
    path: str
    name: str
    folder: str
    location: str
    sort_location: str
    severity: str
    rank: int
    rule: str
    before: str
    match: str
    after: str
    message: str
    suggestions: tuple[str, ...]


@record
class Bar:
    rule: str
    label: str
    count: int
    y: int
    width: int


@record
class Chart:
    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int
    bar_height: int


def render(result: ScanResult, options: RenderOptions) -> str:
    rows = tuple(row(f) for f in result.findings)
    summary = summarise(result)
    return _template().render(
        title=TITLE,
        version=options.version,
        generated=_generated(),
        summary=summary,
        chart=chart(summary.by_rule),
        rows=rows,
        folders=sorted({r.folder for r in rows}),
        files=sorted({r.path for r in rows}),
        rules=sorted({r.rule for r in rows}),
        severities=[s for s, n in summary.by_severity.items() if n],
        failed=[(f.path, f.error) for f in result.files if f.error is not None],
    )


@functools.cache
def _template() -> jinja2.Template:
    # Imported here so that the xlsx report, which shares folder_of, does not load Jinja2.
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("wordaudit.report", "templates"),
        # The template's name ends in .j2, which select_autoescape would not
        # recognise: escaping is switched on outright.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["sha256"] = sha256
    return env.get_template("report.html.j2")


def sha256(text: str) -> str:
    """Base64 SHA-256, as a CSP hash source names the one inline script it allows."""
    return base64.b64encode(hashlib.sha256(str(text).encode("utf-8")).digest()).decode("ascii")


def _generated() -> str:
    # SOURCE_DATE_EPOCH makes the page reproducible for whoever archives reports.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC).astimezone()
    return moment.strftime("%Y-%m-%d %H:%M %Z").strip()


def row(finding: Finding) -> Row:
    before, match, after = split_context(finding)
    return Row(
        path=finding.path,
        name=PurePath(finding.path).name or finding.path,
        folder=folder_of(finding.path),
        location=finding.location,
        # Zero-padded so the page can sort by text and still get document order.
        sort_location=f"{finding.page or 0:05d} {finding.line:07d} {finding.column:05d}",
        severity=finding.severity.value,
        rank=finding.severity.rank,
        rule=finding.rule,
        before=before,
        match=match,
        after=after,
        message=finding.message,
        suggestions=finding.suggestions,
    )


def folder_of(path: str) -> str:
    parent = str(PurePath(path).parent)
    return TOP_LEVEL if parent in ("", ".") else parent


def chart(by_rule: dict[str, int]) -> Chart:
    """Horizontal bars of findings by rule, most frequent first."""
    ordered = sorted(by_rule.items(), key=lambda item: (-item[1], item[0]))
    top = max(by_rule.values(), default=0) or 1
    bars = tuple(
        Bar(rule, _shortened(rule), count, index * (_BAR_HEIGHT + _BAR_GAP), max(2, round(_BAR_WIDTH * count / top)))
        for index, (rule, count) in enumerate(ordered)
    )
    height = max(len(bars) * (_BAR_HEIGHT + _BAR_GAP) - _BAR_GAP, 0)
    return Chart(bars, _LABEL_WIDTH + _BAR_WIDTH + 40, height, _LABEL_WIDTH, _BAR_HEIGHT)


def _shortened(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1] + "…"
