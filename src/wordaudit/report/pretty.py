"""The human report: findings grouped by file, then a summary line.

The report is built as lines of styled spans. Only a colour terminal gets
them through rich; a report to a file, a pipe or a CI log is the same text
joined by hand, and that run never imports rich (a fifth of the start-up of
a rescan answered from the cache).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

from wordaudit.model import FileResult, Finding, ScanResult
from wordaudit.report import RenderOptions
from wordaudit.report.summary import Summary, summarise

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}

# A span is text and the rich style it is shown in ("" for none); a line is
# printed as its spans side by side and may itself hold line breaks.
Span = tuple[str, str]
Line = list[Span]

# What rich removes from any text it is given (bell, backspace, vertical tab,
# form feed, carriage return): removed here too, so both outputs agree.
_CONTROL = dict.fromkeys((7, 8, 11, 12, 13))
_TAB_SIZE = 8


def render(result: ScanResult, options: RenderOptions) -> str:
    lines = [_clean(line) for line in _lines(result, options.width)]
    return _coloured(lines) if options.color else _plain(lines)


def _plain(lines: list[Line]) -> str:
    return "".join("".join(text for text, _ in line) + "\n" for line in lines)


def _coloured(lines: list[Line], *, color: bool = True) -> str:
    import io

    from rich.console import Console
    from rich.text import Text

    output = io.StringIO()
    console = Console(
        file=output,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,
        emoji=False,
    )
    for line in lines:
        console.print(Text.assemble(*line), soft_wrap=True)
    return output.getvalue()


def _lines(result: ScanResult, width: int) -> Iterator[Line]:
    for file_result in result.files:
        if file_result.findings:
            yield from _file(file_result, width)
    failed = [f for f in result.files if f.error]
    if failed:
        yield [("Files that could not be read:", "bold")]
        for file_result in failed:
            yield [("  ", ""), (file_result.path, "bold"), (f": {file_result.error}", "")]
        yield []
    yield _summary_line(summarise(result))


def _file(file_result: FileResult, width: int) -> Iterator[Line]:
    yield [(file_result.path, "bold underline")]
    for finding in file_result.findings:
        yield from _finding(finding, width)
    yield []


def _finding(finding: Finding, width: int) -> Iterator[Line]:
    severity = finding.severity.value
    yield [
        ("  ", ""),
        (place(finding), "dim"),
        ("  ", ""),
        (severity, _STYLE[severity]),
        ("  ", ""),
        (finding.rule, "magenta"),
    ]
    yield [("    ", ""), *_highlighted(finding)]
    # Wrapped by hand: rich pads wrapped lines to the full width, which leaves
    # trailing spaces in CI logs and files.
    message = textwrap.fill(
        finding.message, width, initial_indent="    ", subsequent_indent="    ", break_on_hyphens=False
    )
    yield [(message, "")]
    if finding.suggestions:
        yield [("    ", ""), ("try: ", "green"), (", ".join(finding.suggestions), "green bold")]


def place(finding: Finding) -> str:
    """``path:line:col`` where lines are the file's own, else the path and the
    place a person looks for in Word or a PDF viewer."""
    if finding.location.startswith("line "):
        return f"{finding.path}:{finding.line}:{finding.column}"
    return f"{finding.path} ({finding.location})"


def _highlighted(finding: Finding) -> Line:
    context = finding.context
    at = context.find(finding.match)
    if at < 0:
        at = context.lower().find(finding.match.lower())
    if at < 0:
        return [(context, "")]
    end = at + len(finding.match)
    return [(context[:at], ""), (context[at:end], "bold reverse"), (context[end:], "")]


def _summary_line(summary: Summary) -> Line:
    counts = summary.by_severity
    noun = "file" if summary.files_scanned == 1 else "files"
    # Thousands grouped, as an audit of a whole drive reads them: "Scanned 2,034 files".
    line: Line = [(f"Scanned {summary.files_scanned:,} {noun}: ", "bold")]
    if summary.findings:
        line.append((f"{summary.findings:,} finding{'s' if summary.findings != 1 else ''} ", "bold"))
        line.append(
            (
                f"({counts['error']:,} error{'s' if counts['error'] != 1 else ''}, "
                f"{counts['warning']:,} warning{'s' if counts['warning'] != 1 else ''}, "
                f"{counts['info']:,} info) in {summary.files_with_findings:,} "
                f"file{'s' if summary.files_with_findings != 1 else ''}",
                "",
            )
        )
    else:
        line.append(("no findings", "bold green"))
    if summary.suppressed:
        line.append((f"; {summary.suppressed:,} suppressed", ""))
    if summary.files_failed:
        failed = summary.files_failed
        line.append((f"; {failed:,} file{'s' if failed != 1 else ''} could not be read", "red"))
    line.append((".", ""))
    return line


def _clean(line: Line) -> Line:
    """The line without the control characters rich drops, its tabs expanded
    to spaces (columns counted in characters) across its spans."""
    cleaned: Line = []
    column = 0
    for text, style in line:
        text = text.translate(_CONTROL)
        if "\t" in text:
            text, column = _expand_tabs(text, column)
        else:
            column = _column_after(text, column)
        cleaned.append((text, style))
    return cleaned


def _expand_tabs(text: str, column: int) -> tuple[str, int]:
    out: list[str] = []
    for char in text:
        if char == "\t":
            spaces = _TAB_SIZE - column % _TAB_SIZE
            out.append(" " * spaces)
            column += spaces
        else:
            out.append(char)
            column = 0 if char == "\n" else column + 1
    return "".join(out), column


def _column_after(text: str, column: int) -> int:
    newline = text.rfind("\n")
    return len(text) - newline - 1 if newline >= 0 else column + len(text)
