"""A file that floods the report is listed up to ``max-findings-per-file``.

A fuzzed file with 20,000 phrases costs about 1 KB of memory per finding in
the scanning process; a thousand such files would take gigabytes. The report
lists the first findings and a warning counts the rest, so nothing is hidden.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from wordaudit import split
from wordaudit.api import audit_paths
from wordaudit.config import Config, load_config


def _scan(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "wordaudit", "scan", *args, "--format", "json", "--no-cache"]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_the_limit_is_set_in_the_config_and_zero_lists_all(tmp_path: Path) -> None:
    page = tmp_path / "dense.md"
    page.write_text("Our back office team.\n\n" * 300, encoding="utf-8")
    config = tmp_path / "wordaudit.toml"

    config.write_text("max-findings-per-file = 120\n", encoding="utf-8")
    report = json.loads(_scan(str(page), "--config", str(config)).stdout)
    assert report["summary"]["findings"] == 120
    assert [f["line"] for f in report["findings"]] == list(range(1, 240, 2))
    assert report["warnings"] == [f"{page}: 180 more findings not listed (max-findings-per-file = 120)"]

    config.write_text("max-findings-per-file = 0\n", encoding="utf-8")
    report = json.loads(_scan(str(page), "--config", str(config)).stdout)
    assert report["summary"]["findings"] == 300
    assert report["warnings"] == []


@pytest.mark.parametrize("value", ["-1", "1.5", '"many"', "true"])
def test_a_bad_limit_is_a_config_error(tmp_path: Path, value: str) -> None:
    config = tmp_path / "wordaudit.toml"
    config.write_text(f"max-findings-per-file = {value}\n", encoding="utf-8")
    done = _scan(str(tmp_path), "--config", str(config))
    assert done.returncode == 2
    assert "max-findings-per-file" in done.stderr


def test_a_file_read_in_parts_is_limited_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(split, "SPLIT_ABOVE", 64 << 10)
    monkeypatch.setattr(split, "_PART_BYTES", 16 << 10)
    path = tmp_path / "long.txt"
    path.write_text("Thanks to our back office team.\n\n" * 4000, encoding="utf-8")  # 132 KB, 8 parts
    config = tmp_path / "wordaudit.toml"
    config.write_text("max-findings-per-file = 2500\n", encoding="utf-8")
    result = audit_paths([path], load_config(config), jobs=2)
    assert [f.line for f in result.findings] == list(range(1, 5000, 2))
    assert result.files[0].notes == (f"{path}: 1,500 more findings not listed (max-findings-per-file = 2,500)",)
    assert Config().max_findings_per_file == 1000
