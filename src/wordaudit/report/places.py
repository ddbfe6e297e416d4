"""Where a CI tool looks for a file: its path from the folder the job runs in.

The report's ``path`` is relative to the folder the user named (the JSON
contract), so two named folders may each give "README.md". Annotations,
code-scanning alerts and merge-request widgets need the path from the
workspace (the repository's root, where the job runs) instead.
"""

from __future__ import annotations

import os

from wordaudit.model import FileResult


def workspace_relative(file_result: FileResult) -> str:
    """The path the file was opened by, from the current folder where it lies
    below it, with ``/`` separators; an absolute path elsewhere stays absolute."""
    opened = file_result.fs_path or file_result.path
    if os.path.isabs(opened):
        relative = os.path.relpath(opened)
        opened = opened if relative.startswith("..") else relative
    return opened.replace(os.sep, "/")
