"""Baselines: accept today's findings, fail only on new ones.

``wordaudit baseline`` writes ``.wordaudit-baseline.json``; ``scan
--baseline FILE`` drops the findings it lists and reports the entries that
no longer occur (fixed), so ``--update-baseline`` can shrink it. Paths are
stored relative to the baseline file's folder, so a baseline works whichever
folder the scan is started from or named.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from wordaudit.errors import ConfigError
from wordaudit.fingerprint import fingerprints
from wordaudit.model import FileResult, Finding, ScanResult
from wordaudit.record import record, replace

DEFAULT_NAME = ".wordaudit-baseline.json"
_SCHEMA = 1


@record
class BaselineOutcome:
    result: ScanResult
    baselined: int
    fixed: tuple[dict[str, Any], ...]
    kept_entries: tuple[dict[str, Any], ...]


def _entries(result: ScanResult, folder: Path) -> list[dict[str, Any]]:
    """Every finding as a baseline entry, with its fingerprint."""
    relocated: list[Finding] = []
    for file_result in result.files:
        where = _relative(file_result, folder)
        relocated.extend(replace(f, path=where) for f in file_result.findings)
    prints = fingerprints(relocated)
    return [
        {"fingerprint": fp, "path": f.path, "rule": f.rule, "match": f.match, "line": f.line, "context": f.context}
        for f, fp in zip(relocated, prints, strict=True)
    ]


def _relative(file_result: FileResult, folder: Path) -> str:
    path = Path(file_result.fs_path or file_result.path)
    return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()


def write(result: ScanResult, target: Path, version: str, entries: list[dict[str, Any]] | None = None) -> int:
    entries = _entries(result, target.parent) if entries is None else entries
    document = {"schema": _SCHEMA, "tool": {"name": "wordaudit", "version": version}, "findings": entries}
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temporary, target)
    return len(entries)


def read(path: Path) -> list[dict[str, Any]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: baseline not found (create it with 'wordaudit baseline')") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not a wordaudit baseline ({exc})") from exc
    if (
        not isinstance(document, dict)
        or document.get("schema") != _SCHEMA
        or not isinstance(document.get("findings"), list)
    ):
        raise ConfigError(f"{path}: not a wordaudit baseline (schema {_SCHEMA} expected)")
    return [e for e in document["findings"] if isinstance(e, dict) and "fingerprint" in e]


def apply(result: ScanResult, path: Path) -> BaselineOutcome:
    entries = read(path)
    known = {e["fingerprint"] for e in entries}
    current = _entries(result, path.parent)
    present = {e["fingerprint"] for e in current}
    iterator = iter(current)
    files = []
    baselined = 0
    for file_result in result.files:
        kept = []
        for finding in file_result.findings:
            entry = next(iterator)
            if entry["fingerprint"] in known:
                baselined += 1
            else:
                kept.append(finding)
        files.append(replace(file_result, findings=tuple(kept)))
    # Only a file this scan read can show that a finding is gone: a scan of one
    # folder, of --changed-since files, or with a file that failed to open says
    # nothing of the others, and --update-baseline must not drop their entries.
    read_paths = {_relative(f, path.parent) for f in result.files if f.error is None}
    fixed = tuple(e for e in entries if e["fingerprint"] not in present and e.get("path") in read_paths)
    fixed_prints = {e["fingerprint"] for e in fixed}
    still = tuple(e for e in entries if e["fingerprint"] not in fixed_prints)
    return BaselineOutcome(replace(result, files=tuple(files)), baselined, fixed, still)
