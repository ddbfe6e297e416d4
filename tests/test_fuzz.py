"""Damaged and hostile documents: each gets findings or a one-line error, never a crash of the scan.

2,000 seeded cases built from the repository's own documents (``fuzzing``:
800 Word, 800 PDF, 200 markdown, 200 text), and the cases long runs found
failing (``FOUND``), go through the worker pool into ``api.scan_source``,
the per-file error boundary; 100 more go through the command line with
``--jobs 2``. A failure names each case as DOCUMENT@SEED;
``python bench/fuzz.py --case DOCUMENT@SEED`` rebuilds it, saves it and
scans it with the traceback shown. ``bench/fuzz.py`` runs the same for as
long as asked (see docs/reliability.md).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fuzzing import FORMATS, Case, make_case, parse_label, plan
from fuzzing.harness import Outcome, Runner, judge
from wordaudit.model import FileResult

pytestmark = pytest.mark.slow

SAMPLE = {"docx": 800, "pdf": 800, "md": 200, "txt": 200}
# The command-line sample starts at other seeds, so it adds cases rather than repeating them.
CLI_SAMPLE = dict.fromkeys(FORMATS, 25)
CLI_FIRST_SEED = 10_000
# A fuzzed file is a few KB: a case that needs more than this is a lead, not bad luck.
# It is the deadline a user's scan gives each document by default (``timeout = 60``):
# the heaviest found case (ligatures.pdf@1286, a page drawn 300 times) takes 15-17 s on
# an idle two-core machine of the kind CI runs on (11 s of it in pdfminer.six's
# interpreter; pdfminer alone, with its own grouping, 331 s), and went over 30 s there
# while another test suite ran; table.pdf@8 (one page of 376,000 glyphs) takes 11-14 s.
# A case that hangs or is quadratic takes minutes.
TIMEOUT = 60.0

# Cases the long runs of bench/fuzz.py found failing (docs/reliability.md), each with what it
# showed. They run with the sample, so that what was fixed stays fixed.
FOUND: dict[str, str] = {
    "tests/fixtures/docx/body.docx@1051": "zipfile.BadZipFile (bad local header) from a part reread to name the damage",
    "tests/fixtures/docx/macros.docm@1091": "zipfile.BadZipFile (bad CRC) from a part reread to name the damage",
    "tests/fixtures/docx/headers.docx@1215": "zipfile.BadZipFile (names differ) from a part reread to name the damage",
    "tests/fixtures/docx/handmade.docx@1648": "zlib.error from a part reread to name the damage",
    "tests/fixtures/docx/runs.docx@1002": "a match window over a million characters: spaCy's E088",
    "tests/fixtures/docx/body.docx@1133": "20,000 phrases in one paragraph: overlap checks quadratic",
    "examples/policies/remote-work.txt@1170": "20,000 phrases in one paragraph: overlap checks quadratic",
    "examples/policies/thanks.md@1481": "20,000 phrases in one paragraph: overlap checks quadratic",
    "tests/corpus/sentences.yml#txt@1512": "a phrase after a long run of '>': spaCy's suffix search quadratic",
    "tests/corpus/sentences.yml#txt@1278": "a phrase after a long run of brackets: spaCy's suffix search quadratic",
    "tests/fixtures/docx/template.dotx@1055": "zipfile's NotImplementedError for a bad 'version needed'",
    "tests/fixtures/docx/tables.docx@2089": "zipfile's NotImplementedError for a bad 'version needed'",
    "examples/policies/thanks.md@4230": "a 220 KB word with 1,000 '>' before 20,000 phrases: spaCy's suffix search",
    "tests/fixtures/pdf/scanned.pdf@1713": "PDFium: 20,000 nested marked-content operators need 2.4 GB",
    "tests/fixtures/docx/tables.docx@2170": "zipfile's NotImplementedError for a bad 'version needed'",
    "tests/fixtures/pdf/ligatures.pdf@1286": "a page drawn 300 times: pdfminer's box grouping quadratic",
    "tests/fixtures/pdf/rotated-flattened.pdf@1346": "no page tree and an xref stream declaring 2**64 objects",
    "tests/fixtures/docx/doctype.docx@1": "zipfile's seek before the file's start: 'cannot be read: Invalid argument'",
    "tests/fixtures/docx/tables.docx@0": "zipfile's seek before the file's start: 'cannot be read: Invalid argument'",
    "tests/fixtures/docx/runs.docx@7860": "a part's compressed size falsified to 4 GB: zipfile's 2 GB read buffer, "
    "from a part reread to name the damage",
    "tests/fixtures/docx/body.docx@15181": "zipfile's seek before the file's start, in memory: ValueError",
    "tests/fixtures/docx/doctype.docx@19132": "a bzip2 part's damaged data, read when first needed: OSError",
    "tests/fixtures/docx/runs.docx@7772": "two parts' contents swapped: python-docx's AttributeError on the wrong root",
    "tests/fixtures/docx/tables.docx@7805": "two parts' contents swapped: python-docx's AttributeError on the wrong "
    "root",
}
# Found cases whose one-line error was misleading: what it must say now.
FOUND_ERRORS = {
    "tests/fixtures/docx/doctype.docx@1": "zip archive is damaged (a part's offset points outside the file)",
    "tests/fixtures/docx/tables.docx@0": "zip archive is damaged (a part's offset points outside the file)",
    "tests/fixtures/docx/runs.docx@7860": "damaged XML in word/_rels/document.xml.rels: Premature end of data in tag "
    "Relationships line 2",
    "tests/fixtures/docx/body.docx@15181": "zip archive is damaged (a part's offset points outside the file)",
    "tests/fixtures/docx/doctype.docx@19132": "zip archive is damaged (a compressed part cannot be read)",
    "tests/fixtures/docx/runs.docx@7772": "not a valid Word document: _rels/.rels is not the list it should be "
    "(its parts are mixed up)",
    "tests/fixtures/docx/tables.docx@7805": "not a valid Word document: [Content_Types].xml is not the list it should "
    "be (its parts are mixed up)",
}
# Those whose bug is still open, named in the xfail. An outcome that is wrong on every
# machine is a strict xfail (remove the line when the bug is fixed: the xpass says so); one
# that depends on the machine (its speed, whether pypdfium2 is installed) is not strict.
KNOWN_WRONG: dict[str, str] = {}
KNOWN_VARIES: dict[str, str] = {
    "tests/fixtures/pdf/scanned.pdf@1713": "PDFium keeps a copy of the marked-content stack per nesting level: "
    "quadratic memory, so the worker hits its memory cap and aborts (pdfium engine only)",
}
KNOWN = KNOWN_WRONG | KNOWN_VARIES

# The folder scanned, the case behind each reported path, and what the command did.
CommandLineRun = tuple[Path, dict[str, Case], subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def outcomes() -> dict[str, Outcome]:
    planned = [pair for fmt, count in SAMPLE.items() for pair in plan(fmt, count)]
    found = [pair for pair in map(parse_label, FOUND) if pair not in planned]
    cases = [make_case(origin, seed) for origin, seed in planned + found]
    with Runner(jobs=2, timeout=TIMEOUT) as runner:
        return {outcome.case.label: outcome for outcome in runner.run(cases)}


def _explain(failed: list[Outcome]) -> str:
    lines = [outcome.line() for outcome in sorted(failed, key=lambda o: o.case.label)]
    labels = " ".join(f"--case {outcome.case.label}" for outcome in failed[:5])
    return "\n".join([*lines, f"reproduce: python bench/fuzz.py {labels}"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_damaged_file_gets_findings_or_a_one_line_error(fmt: str, outcomes: dict[str, Outcome]) -> None:
    mine = [outcome for outcome in outcomes.values() if outcome.case.fmt == fmt]
    assert len(mine) >= SAMPLE[fmt]
    failed = [outcome for outcome in mine if outcome.problem and outcome.case.label not in KNOWN]
    assert not failed, _explain(failed)


@pytest.mark.parametrize(
    "label",
    [
        pytest.param(label, marks=pytest.mark.xfail(reason=bug, strict=label in KNOWN_WRONG))
        for label, bug in sorted(KNOWN.items())
    ],
)
def test_known_bug(label: str, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[label]
    assert outcome.problem is None, outcome.line()


def test_the_mutators_reach_past_the_first_check(outcomes: dict[str, Outcome]) -> None:
    """A fuzzer whose every case dies at the zip or xref check tests nothing
    else: enough cases of each format must still be read to the end."""
    for fmt in FORMATS:
        read = [o for o in outcomes.values() if o.case.fmt == fmt and o.result.error is None]
        assert len(read) >= SAMPLE[fmt] // 10, f"{fmt}: only {len(read)} cases were read without error"


def test_cases_are_reproducible_from_their_label() -> None:
    for fmt in FORMATS:
        origin, seed = plan(fmt, 7)[-1]
        assert make_case(origin, seed) == make_case(origin, seed)


@pytest.fixture(scope="module")
def command_line(tmp_path_factory: pytest.TempPathFactory) -> CommandLineRun:
    """One ``wordaudit scan --jobs 2`` over a folder of damaged files."""
    root = tmp_path_factory.mktemp("cli")
    folder = root / "damaged"
    cases: dict[str, Case] = {}
    for fmt, count in CLI_SAMPLE.items():
        for origin, seed in plan(fmt, count, CLI_FIRST_SEED):
            case = make_case(origin, seed)
            # One folder per case: two documents may give the same file name.
            name = f"{len(cases)}/{case.filename}"
            (folder / name).parent.mkdir(parents=True)
            (folder / name).write_bytes(case.data)
            cases[name] = case
    config = root / "wordaudit.toml"
    config.write_text(f"timeout = {TIMEOUT:g}\n", encoding="utf-8")
    options = ["--config", str(config), "--no-ignore", "--no-cache"]
    done = subprocess.run(
        [sys.executable, "-m", "wordaudit", "scan", str(folder), "--jobs", "2", "--format", "json", *options],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    return folder, cases, done


def test_the_command_line_reports_each_damaged_file_on_one_line(
    command_line: CommandLineRun,
) -> None:
    folder, cases, done = command_line
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    assert sorted(f["path"] for f in report["files"]) == sorted(cases)
    failed = []
    for entry in report["files"]:
        case = cases[entry["path"]]
        problem = judge(FileResult(entry["path"], entry["format"], error=entry["error"]), folder)
        if problem and case.label not in KNOWN:
            failed.append(f"{case.describe()}: {problem}: {entry['error']!r}")
    assert not failed, "\n".join(failed)


@pytest.mark.parametrize("label", FOUND_ERRORS)
def test_found_cases_say_what_is_wrong(label: str, outcomes: dict[str, Outcome]) -> None:
    assert outcomes[label].result.error == FOUND_ERRORS[label]
