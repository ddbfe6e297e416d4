"""Shared helpers: run the real engine on real text, compare what it found."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from wordaudit.api import Auditor, audit_text, build_auditor

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def auditor() -> Auditor:
    return build_auditor()


def found(text: str, fmt: str, auditor: Auditor) -> list[tuple[str, str]]:
    """(rule, match) of every finding, in document order."""
    return [(f.rule, f.match) for f in audit_text(text, format=fmt, auditor=auditor)]


def assert_findings(text: str, fmt: str, expected: Sequence[tuple[str, int, int]], auditor: Auditor) -> None:
    """The findings' (rule, line, column), exactly and in order."""
    actual = [(f.rule, f.line, f.column) for f in audit_text(text, format=fmt, auditor=auditor)]
    assert actual == list(expected)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the results cache of every test (and of the processes it starts) out of the home folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
