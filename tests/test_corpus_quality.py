"""Precision and recall on a labelled corpus written from the domain notes,
with every sentence placed in documents of many shapes."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

CORPUS = yaml.safe_load((Path(__file__).parent / "corpus" / "sentences.yml").read_text(encoding="utf-8"))
POSITIVE: list[tuple[str, list[str]]] = [(s, r) for s, r in CORPUS["positive"]]
NEGATIVE: list[str] = CORPUS["negative"]


def _wrap(sentence: str) -> str:
    """Break the sentence over two lines at its middle space."""
    middle = len(sentence) // 2
    at = sentence.find(" ", middle)
    return sentence if at < 0 else sentence[:at] + "\n" + sentence[at + 1 :]


SHAPES_MD = [
    lambda s: f"{s}\n",
    lambda s: f"# {s}\n",
    lambda s: f"Intro line.\n\n- {s}\n- Another item.\n",
    lambda s: f"| Duty | Note |\n| --- | --- |\n| {s} | ok |\n",
    lambda s: f"> {_wrap(s)}\n",
    lambda s: f"Some words first, then {_wrap(s)}\n",
    lambda s: f"---\ntitle: \"{s}\"\n---\n\nBody.\n",
    lambda s: f"1. **{s}**\n",
]
SHAPES_TXT = [
    lambda s: f"{s}\n",
    lambda s: f"Heading\n\n{_wrap(s)}\n\nAnother paragraph.\n",
    lambda s: f"  {s}\r\n",
]


def _write_corpus(root: Path) -> dict[str, list[str]]:
    expected: dict[str, list[str]] = {}
    sentences = [(s, r) for s, r in POSITIVE] + [(s, []) for s in NEGATIVE]
    for number, (sentence, rules) in enumerate(sentences):
        for shape_number, shape in enumerate(SHAPES_MD):
            if shape_number == 6 and '"' in sentence:
                continue
            name = f"md/{number:03}-{shape_number}.md"
            (root / name).write_text(shape(sentence), encoding="utf-8")
            expected[name] = rules
        for shape_number, shape in enumerate(SHAPES_TXT):
            name = f"txt/{number:03}-{shape_number}.txt"
            (root / name).write_bytes(shape(sentence).encode("utf-8"))
            expected[name] = rules
    return expected


def test_every_labelled_sentence_in_every_shape_gives_exactly_its_findings(tmp_path: Path) -> None:
    (tmp_path / "md").mkdir()
    (tmp_path / "txt").mkdir()
    expected = _write_corpus(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "wordaudit", "scan", str(tmp_path), "--format", "json", "--no-cache"],
        capture_output=True, text=True, check=False,
    )
    report = json.loads(done.stdout)
    found: dict[str, Counter[str]] = {}
    for finding in report["findings"]:
        found.setdefault(finding["path"], Counter())[finding["rule"]] += 1
    true_positives = false_positives = false_negatives = 0
    mistakes = []
    for path, rules in expected.items():
        want = Counter(rules)
        got = found.get(path, Counter())
        true_positives += sum((want & got).values())
        false_positives += sum((got - want).values())
        false_negatives += sum((want - got).values())
        if want != got:
            mistakes.append((path, dict(want), dict(got)))
    precision = true_positives / max(true_positives + false_positives, 1)
    recall = true_positives / max(true_positives + false_negatives, 1)
    assert report["summary"]["files_failed"] == 0
    assert (precision, recall, mistakes[:10]) == (1.0, 1.0, [])
