"""The human report (rich): findings grouped by file, then a summary line."""

from __future__ import annotations

import io
import textwrap

from rich.console import Console
from rich.text import Text

from wordaudit.model import FileResult, Finding, ScanResult
from wordaudit.report import RenderOptions
from wordaudit.report.summary import Summary, summarise

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render(result: ScanResult, options: RenderOptions) -> str:
    console = Console(
        file=io.StringIO(),
        force_terminal=options.color,
        color_system="standard" if options.color else None,
        no_color=not options.color,
        width=options.width,
        highlight=False,
        emoji=False,
    )
    for file_result in result.files:
        if file_result.findings:
            _file(console, file_result)
    failed = [f for f in result.files if f.error]
    if failed:
        console.print(Text("Files that could not be read:", style="bold"))
        for file_result in failed:
            console.print(Text.assemble("  ", (file_result.path, "bold"), f": {file_result.error}"))
        console.print()
    console.print(_summary_line(summarise(result)))
    output = console.file
    assert isinstance(output, io.StringIO)
    return output.getvalue()


def _file(console: Console, file_result: FileResult) -> None:
    console.print(Text(file_result.path, style="bold underline"), soft_wrap=True)
    for finding in file_result.findings:
        _finding(console, finding, console.width)
    console.print()


def _finding(console: Console, finding: Finding, width: int) -> None:
    console.print(
        Text.assemble(
            "  ",
            (place(finding), "dim"),
            "  ",
            (finding.severity.value, _STYLE[finding.severity.value]),
            "  ",
            (finding.rule, "magenta"),
        ),
        soft_wrap=True,
    )
    console.print(Text("    ").append_text(_highlighted(finding)), soft_wrap=True)
    # Wrapped by hand: rich pads wrapped lines to the full width, which leaves
    # trailing spaces in CI logs and files.
    message = textwrap.fill(
        finding.message, width, initial_indent="    ", subsequent_indent="    ", break_on_hyphens=False
    )
    console.print(Text(message), soft_wrap=True)
    if finding.suggestions:
        suggestions = Text.assemble(("try: ", "green"), (", ".join(finding.suggestions), "green bold"))
        console.print(Text("    ").append_text(suggestions), soft_wrap=True)


def place(finding: Finding) -> str:
    """``path:line:col`` where lines are the file's own, else the path and the
    place a person looks for in Word or a PDF viewer."""
    if finding.location.startswith("line "):
        return f"{finding.path}:{finding.line}:{finding.column}"
    return f"{finding.path} ({finding.location})"


def _highlighted(finding: Finding) -> Text:
    text = Text(finding.context)
    at = finding.context.find(finding.match)
    if at < 0:
        at = finding.context.lower().find(finding.match.lower())
    if at >= 0:
        text.stylize("bold reverse", at, at + len(finding.match))
    return text


def _summary_line(summary: Summary) -> Text:
    counts = summary.by_severity
    noun = "file" if summary.files_scanned == 1 else "files"
    line = Text(f"Scanned {summary.files_scanned} {noun}: ", style="bold")
    if summary.findings:
        line.append(f"{summary.findings} finding{'s' if summary.findings != 1 else ''} ", style="bold")
        line.append(
            f"({counts['error']} error{'s' if counts['error'] != 1 else ''}, "
            f"{counts['warning']} warning{'s' if counts['warning'] != 1 else ''}, "
            f"{counts['info']} info) in {summary.files_with_findings} "
            f"file{'s' if summary.files_with_findings != 1 else ''}"
        )
    else:
        line.append("no findings", style="bold green")
    if summary.suppressed:
        line.append(f"; {summary.suppressed} suppressed")
    if summary.files_failed:
        line.append(
            f"; {summary.files_failed} file{'s' if summary.files_failed != 1 else ''} could not be read",
            style="red",
        )
    line.append(".")
    return line
