"""A 50 MB text file scans without error and in bounded memory."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from conftest import peak_rss_mib

WORDS = [
    "the",
    "team",
    "processes",
    "orders",
    "every",
    "day",
    "and",
    "customers",
    "receive",
    "answers",
    "quickly",
    "from",
    "our",
    "service",
    "group",
]
PHRASES = ["back office", "back-office team", "non-customer facing roles", "back line employees"]


@pytest.mark.slow
def test_fifty_megabytes_of_text(tmp_path: Path) -> None:
    rng = random.Random(7)
    planted = 0
    path = tmp_path / "big.txt"
    with path.open("w", encoding="utf-8") as out:
        written = 0
        while written < 50_000_000:
            paragraph = " ".join(rng.choice(WORDS) for _ in range(60))
            if rng.random() < 0.005:
                paragraph += " " + PHRASES[planted % len(PHRASES)] + "."
                planted += 1
            out.write(paragraph + "\n\n")
            written += len(paragraph) + 2
    done, peak_mib = peak_rss_mib("scan", str(path), "--format", "json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["summary"]["findings"] == planted
    assert report["files"][0]["error"] is None
    assert peak_mib < 500
