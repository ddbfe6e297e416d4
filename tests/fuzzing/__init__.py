"""Seeded fuzz cases built from the repository's own documents.

``make_case("tests/fixtures/docx/body.docx", 17)`` always returns the same
bytes: the seed picks one to three mutators, which draw every choice from the
same seeded ``random.Random``, and apply them to that document (a fixture, an
example or the labelled corpus). ``tests/test_fuzz.py`` runs a fixed sample in CI and
``bench/fuzz.py`` runs as many as asked; both scan through ``harness``.
"""

from __future__ import annotations

import itertools
import random
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from types import ModuleType

import yaml

from fuzzing import pdfs, texts, zips
from fuzzing.damage import Mutator, Skip

ROOT = Path(__file__).resolve().parents[2]
FORMATS = ("docx", "pdf", "md", "txt")
SUFFIXES = {"docx": ".docx", "pdf": ".pdf", "md": ".md", "txt": ".txt"}
# The names the pipeline uses (``Source.format``) for the suffixes above.
PIPELINE_FORMATS = {"docx": "docx", "pdf": "pdf", "md": "markdown", "txt": "text"}
_FAMILIES: dict[str, ModuleType] = {"docx": zips, "pdf": pdfs, "md": texts, "txt": texts}
_CORPUS = "tests/corpus/sentences.yml"
_SCANNED_SUFFIXES = (".docx", ".docm", ".dotx", ".pdf", ".md", ".txt")
# Mutators applied per case: mostly one, so a failure points at one kind of damage.
_STEPS = (1, 1, 1, 2, 2, 3)


@dataclass(frozen=True, slots=True)
class Case:
    fmt: str
    origin: str  # the document it was made from, relative to the repository
    seed: int
    steps: tuple[str, ...]  # the mutators that applied, in order
    data: bytes

    @property
    def label(self) -> str:
        """What ``make_case`` takes back: ``tests/fixtures/pdf/simple.pdf@17``."""
        return f"{self.origin}@{self.seed}"

    @property
    def filename(self) -> str:
        """The document's own name and suffix (.docm, .dotx too), with the seed."""
        path = PurePosixPath(self.origin.split("#")[0])
        suffix = path.suffix if path.suffix in _SCANNED_SUFFIXES else SUFFIXES[self.fmt]
        return f"{path.stem}-{self.seed}{suffix}"

    def describe(self) -> str:
        return f"{self.label} ({' + '.join(self.steps) or 'unchanged'}, {len(self.data):,} bytes)"


def plan(fmt: str, count: int, first_seed: int = 0) -> list[tuple[str, int]]:
    """``count`` (origin, seed) pairs spread evenly over the format's documents.

    A case is named by its document and seed, not by its position in a list,
    so a fixture added later adds cases without changing any existing one.
    """
    return list(itertools.islice(stream(fmt, first_seed), count))


def stream(fmt: str, first_seed: int = 0) -> Iterator[tuple[str, int]]:
    """Endless (origin, seed) pairs: every document with ``first_seed``, then
    every document with the next seed, and so on."""
    names = documents(fmt)
    for seed in itertools.count(first_seed):
        for name in names:
            yield name, seed


def parse_label(label: str) -> tuple[str, int]:
    """``"tests/fixtures/pdf/simple.pdf@17"`` → ``("tests/fixtures/pdf/simple.pdf", 17)``."""
    origin, _, seed = label.rpartition("@")
    if origin not in _origins() or not seed.isdigit():
        raise ValueError(f"not a case: {label!r} (expected DOCUMENT@SEED, DOCUMENT one of the seed documents)")
    return origin, int(seed)


def make_case(origin: str, seed: int) -> Case:
    fmt = _origins()[origin]
    rng = random.Random(f"wordaudit-fuzz/{origin}/{seed}")
    data = _document(origin)
    family = _FAMILIES[fmt]
    table: dict[str, Mutator] = family.mutators()
    names = sorted(table)
    weights = [family.WEIGHTS.get(name, 1) for name in names]
    chosen = sorted(rng.choices(names, weights, k=rng.choice(_STEPS)), key=_rank(family.ORDER))
    steps = []
    for name in chosen:
        try:
            data = table[name](rng, data)
        except Skip:
            continue
        steps.append(name)
    return Case(fmt, origin, seed, tuple(steps), data)


def _rank(order: tuple[str, ...]) -> Callable[[str], int]:
    return lambda name: next((i for i, prefix in enumerate(order) if name.startswith(prefix)), len(order))


def documents(fmt: str) -> tuple[str, ...]:
    """The documents a case of ``fmt`` may start from, by name, sorted."""
    found = tuple(sorted(name for name, kind in _origins().items() if kind == fmt))
    if not found:
        raise FileNotFoundError(f"no seed documents for {fmt} under {ROOT}")
    return found


@cache
def _origins() -> dict[str, str]:
    """Every seed document's name and format: the fixtures a reader opens
    (broken ones too: damage on damage), the examples, and the corpus."""
    found: dict[str, str] = {}
    for path in (ROOT / "tests/fixtures/docx").glob("*.do[ct][xm]"):
        if _readable_zip(path):
            found[_relative(path)] = "docx"
    for path in (ROOT / "tests/fixtures/pdf").glob("*.pdf"):
        if b"%PDF" in path.read_bytes()[:1024]:
            found[_relative(path)] = "pdf"
    for fmt in ("md", "txt"):
        found.update({_relative(path): fmt for path in (ROOT / "examples").rglob(f"*{SUFFIXES[fmt]}")})
        found[f"{_CORPUS}#{fmt}"] = fmt
    return found


@cache
def _document(origin: str) -> bytes:
    if origin.startswith(_CORPUS + "#"):
        return _corpus_document(origin.rpartition("#")[2])
    return (ROOT / origin).read_bytes()


def _readable_zip(path: Path) -> bool:
    """Whether every member reads back and the whole stays small: a zip bomb
    fixture would make every case built from it slow to build."""
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(len(archive.read(info)) for info in archive.infolist()) < (1 << 20)
    except Exception:
        return False


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _corpus_document(fmt: str) -> bytes:
    """The labelled corpus as one document in the shapes readers meet."""
    corpus = yaml.safe_load((ROOT / _CORPUS).read_text(encoding="utf-8"))
    positive = [sentence for sentence, _ in corpus["positive"]]
    negative = list(corpus["negative"])
    if fmt == "txt":
        return ("\n\n".join(positive + negative) + "\n").encode()
    rows = "\n".join(f"| {a} | {b} |" for a, b in zip(positive, negative, strict=False))
    parts = [
        f"---\ntitle: {positive[2]}\n---",
        f"# {positive[3]}",
        "\n".join(positive[:10]),
        "\n".join(f"- {s}" for s in positive[10:20]),
        "\n".join(f"{n}. {s}" for n, s in enumerate(negative[:8], start=1)),
        "\n".join(f"> {s}" for s in positive[20:26]),
        f"| rule | trap |\n| --- | --- |\n{rows}",
        "```\n" + positive[26] + "\n```",
        f"Text with `{positive[27]}` in code and a [link to {positive[28]}](https://example.com).",
        "<!-- wordaudit-disable-next-line back-office -->\n" + positive[0],
    ]
    return ("\n\n".join(parts) + "\n").encode()
