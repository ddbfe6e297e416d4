"""One line per finding, ``path:line:column: severity rule: message``, as compilers
and grep write them: editors jump to each (Vim's quickfix list, Emacs'
compilation mode, VS Code's problem matchers), and a CI log stays greppable.

Paths are from the working folder, as the editor opens them. A Word or PDF
finding's line is the paragraph or the page's line, so its message starts
with the place ("page 3, line 12: ..."). A file that could not be read is a
line of its own, ``path: error: could not be read: ...``.
"""

from __future__ import annotations

from wordaudit.model import ScanResult
from wordaudit.report import RenderOptions, unreadable
from wordaudit.report.github import workspace_path
from wordaudit.report.sarif import finding_text


def render(result: ScanResult, options: RenderOptions) -> str:
    del options
    lines = []
    for file_result in result.files:
        # Most files of a tree are clean, and a path from the workspace costs a
        # relpath: worked out only for the files that print a line.
        if file_result.error is None and not file_result.findings:
            continue
        path = workspace_path(file_result)
        if file_result.error is not None:
            lines.append(f"{path}: error: {unreadable(file_result.error)}")
        lines.extend(
            f"{path}:{f.line}:{f.column}: {f.severity.value} {f.rule}: {finding_text(f)}" for f in file_result.findings
        )
    return "".join(f"{line}\n" for line in lines)
