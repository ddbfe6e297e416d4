"""A plain `wordaudit scan` command line, read without typer.

Importing typer (and the click it carries) takes about 50 ms: half of a rescan
that the cache answers, which is what a pre-commit hook or a CI step runs. So
the console script first tries this reader. It reads only what it can read
exactly as typer would: known options, given in full, with values of the
plain kind. Anything else (``--help``, a misspelt option, ``-qj2``, a value
that is no number) gets ``None``, and typer reads the command line, with its
help and its error messages. A test compares both readers on generated
command lines, option by option.
"""

from __future__ import annotations

from pathlib import Path

# Each option of `wordaudit scan`: the parameter it sets, and its kind:
# "flag" (no value), "text", "texts" (repeatable), "path", "paths"
# (repeatable), "count" (an integer of at least 1), "seconds" (at least 0.1).
OPTIONS: dict[str, tuple[str, str]] = {
    "--format": ("output_format", "texts"),
    "-f": ("output_format", "texts"),
    "--output": ("output", "paths"),
    "-o": ("output", "paths"),
    "--select": ("select", "texts"),
    "--ignore": ("ignore", "texts"),
    "--fail-on": ("fail_on", "text"),
    "--exclude": ("exclude", "texts"),
    "--no-ignore": ("no_ignore", "flag"),
    "--config": ("config_file", "path"),
    "--ignore-unreadable": ("ignore_unreadable", "flag"),
    "--no-inline-suppressions": ("no_inline_suppressions", "flag"),
    "--report-unused-suppressions": ("report_unused_suppressions", "flag"),
    "--jobs": ("jobs", "count"),
    "-j": ("jobs", "count"),
    "--no-cache": ("no_cache", "flag"),
    "--timeout": ("timeout", "seconds"),
    "--pdf-engine": ("pdf_engine", "text"),
    "--baseline": ("baseline", "path"),
    "--update-baseline": ("update_baseline", "flag"),
    "--changed-since": ("changed_since", "text"),
    "--staged": ("staged", "flag"),
    "--stdin-filename": ("stdin_filename", "text"),
    "--quiet": ("quiet", "flag"),
    "-q": ("quiet", "flag"),
    "--debug": ("debug", "flag"),
}

_REPEATABLE = ("texts", "paths")


def read_scan(argv: list[str]) -> dict[str, object] | None:
    """The keyword arguments of ``scan_command.run`` for ``argv`` (the words
    after the program's name), or None when typer should read it."""
    if not argv or argv[0] != "scan":
        return None
    options: dict[str, object] = {}
    repeated: dict[str, list[object]] = {}
    paths: list[str] = []
    words = iter(argv[1:])
    for word in words:
        if word == "--":
            paths.extend(words)
            break
        if word == "-" or not word.startswith("-"):
            paths.append(word)
            continue
        name, equals, attached = word.partition("=")
        if name not in OPTIONS or (equals and not name.startswith("--")):
            return None
        parameter, kind = OPTIONS[name]
        if kind == "flag":
            if equals:
                return None
            options[parameter] = True
            continue
        raw = attached if equals else next(words, None)
        value = _value(kind, raw)
        if value is None:
            return None
        if kind in _REPEATABLE:
            repeated.setdefault(parameter, []).append(value)
        else:
            options[parameter] = value
    if paths:
        options["paths"] = paths
    return {**options, **repeated}


def _value(kind: str, raw: str | None) -> object | None:
    """The option's value as typer would give it, or None where typer might
    refuse it, or read it otherwise: then typer reads the command line."""
    if not raw or raw.startswith("-"):
        return None
    if kind in ("text", "texts"):
        return raw
    if kind in ("path", "paths"):
        return Path(raw)
    if kind == "count":
        return int(raw) if raw.isascii() and raw.isdigit() and int(raw) >= 1 else None
    if kind == "seconds":
        whole, point, fraction = raw.partition(".")
        plain = whole.isascii() and whole.isdigit() and (not point or (fraction.isascii() and fraction.isdigit()))
        return float(raw) if plain and float(raw) >= 0.1 else None
    raise ValueError(f"unknown kind of option: {kind}")
