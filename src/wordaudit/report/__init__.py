"""Renderer registry: format name → module with ``render(result, options) -> str``.

Renderers build text only; ``cli.py`` decides where it goes. Modules are
imported on use so that a JSON run never loads rich.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from wordaudit.model import ScanResult
from wordaudit.record import record

_RENDERERS: dict[str, str] = {
    "pretty": "pretty",
    "line": "line",
    "json": "json_report",
    "sarif": "sarif",
    "github": "github",
    "gitlab": "gitlab",
    "junit": "junit",
    "checkstyle": "checkstyle",
    "csv": "csv_report",
    "html": "html",
    "xlsx": "xlsx",
}


@record
class RenderOptions:
    color: bool = False
    width: int = 100
    version: str = ""


def unreadable(error: str) -> str:
    """A file's error as the line that says it was not checked. Most errors
    say what is wrong ("binary file, not text"); those that already say the
    file cannot be read ("cannot be read: permission denied") are not prefixed
    again."""
    return error if error.startswith("cannot be read") else f"could not be read: {error}"


def formats() -> tuple[str, ...]:
    return tuple(_RENDERERS)


def renderer(name: str) -> Callable[[ScanResult, RenderOptions], str]:
    module = importlib.import_module(f"wordaudit.report.{_RENDERERS[name]}")
    render: Callable[[ScanResult, RenderOptions], str] = module.render
    return render
