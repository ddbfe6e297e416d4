"""Fuzz the scanner for as long as asked, with the mutators ``tests/test_fuzz.py`` uses.

    python bench/fuzz.py --cases 100000 --seed 1000 --jobs 2
    python bench/fuzz.py --seconds 600 --formats pdf
    python bench/fuzz.py --case tests/fixtures/pdf/simple.pdf@17     # one case, traceback shown

Every case is scanned in the real worker pool (memory cap, deadline, crash
handling). A case whose outcome is not "findings, or a one-line error a
person can act on" is printed with its label and saved under ``--save-dir``
with a note, so it can be rescanned with ``wordaudit scan FILE --debug``.
Exit status 1 when any case failed.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections import Counter
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The mutators live with the tests, which import them as ``fuzzing``.
sys.path.insert(0, str(HERE.parent / "tests"))

from fuzzing import FORMATS, PIPELINE_FORMATS, Case, make_case, parse_label, stream  # noqa: E402
from fuzzing.harness import Outcome, Runner, engine_for, judge  # noqa: E402

BATCH = 64  # cases per format handed to the pool at a time
REPORT_EVERY = 30.0  # seconds between progress lines


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if args.case:
        return _replay(args.case, args.save_dir)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = set(formats) - set(FORMATS)
    if unknown:
        sys.exit(f"fuzz.py: unknown format(s): {', '.join(sorted(unknown))} (choose from {', '.join(FORMATS)})")
    stats = _Stats(formats)
    deadline = time.monotonic() + args.seconds if args.seconds else None
    with Runner(jobs=args.jobs, timeout=args.timeout, memory_mb=args.memory_mb) as runner:
        for batch in _batches(formats, args.seed, args.cases, deadline):
            for outcome in runner.run(batch):
                stats.add(outcome)
                if outcome.problem:
                    print(f"FAIL {outcome.line()}", flush=True)
                    _save(outcome, args.save_dir)
            stats.progress()
    summary = stats.summary(args)
    print(json.dumps(summary, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 1 if summary["failures"] else 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    amount = parser.add_mutually_exclusive_group()
    amount.add_argument("--cases", type=int, help="total number of cases (default 1000)")
    amount.add_argument("--seconds", type=float, help="run for this long instead")
    parser.add_argument("--seed", type=int, default=0, help="first seed; each document gets seeds from it upward")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated, from: " + ", ".join(FORMATS))
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per case before it is stopped")
    parser.add_argument("--memory-mb", type=int, default=1024, help="address-space cap per worker (default 1024)")
    parser.add_argument("--save-dir", type=Path, default=HERE / "fuzz-failures", help="where failing inputs go")
    parser.add_argument("--json", help="also write the summary to this file")
    parser.add_argument("--case", action="append", help="rerun one case (DOCUMENT@SEED) in this process and save it")
    args = parser.parse_args(argv)
    if args.cases is None and args.seconds is None:
        args.cases = 1000
    return args


def _batches(formats: list[str], seed: int, total: int | None, deadline: float | None) -> Iterator[list[Case]]:
    """Round robin over the formats, ``BATCH`` cases of each at a time, until
    ``total`` cases are made or the deadline passes."""
    streams = {fmt: stream(fmt, seed) for fmt in formats}
    made = 0
    while (total is None or made < total) and (deadline is None or time.monotonic() < deadline):
        batch: list[Case] = []
        for fmt in formats:
            want = BATCH if total is None else min(BATCH, total - made - len(batch))
            batch.extend(make_case(origin, case_seed) for origin, case_seed in islice(streams[fmt], max(want, 0)))
        if not batch:
            return
        made += len(batch)
        yield batch


class _Stats:
    def __init__(self, formats: list[str]) -> None:
        self.formats = formats
        self.started = time.monotonic()
        self.last_report = self.started
        self.cases: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.findings = 0
        self.failures: list[dict[str, str]] = []
        self.steps: Counter[str] = Counter()

    def add(self, outcome: Outcome) -> None:
        self.cases[outcome.case.fmt] += 1
        self.steps.update(outcome.case.steps)
        if outcome.result.error is None:
            self.findings += len(outcome.result.findings)
        else:
            self.errors[outcome.result.error] += 1
        if outcome.problem:
            case = outcome.case
            error = outcome.result.error or ""
            self.failures.append(
                {"case": case.label, "steps": " + ".join(case.steps), "problem": outcome.problem, "outcome": error}
            )

    def progress(self) -> None:
        now = time.monotonic()
        if now - self.last_report >= REPORT_EVERY:
            self.last_report = now
            done = sum(self.cases.values())
            rate = done / (now - self.started)
            print(f"... {done:,} cases, {rate:.1f}/s, {len(self.failures)} failures", file=sys.stderr, flush=True)

    def summary(self, args: argparse.Namespace) -> dict[str, object]:
        seconds = time.monotonic() - self.started
        done = sum(self.cases.values())
        return {
            "cases": done,
            "by_format": dict(self.cases),
            "seconds": round(seconds, 1),
            "cases_per_second": round(done / seconds, 1) if seconds else 0.0,
            "jobs": args.jobs,
            "first_seed": args.seed,
            "timeout": args.timeout,
            "read_ok": done - sum(self.errors.values()),
            "findings": self.findings,
            "failures": self.failures,
            "failures_by_problem": dict(Counter(f["problem"] for f in self.failures)),
            "errors_seen": dict(self.errors.most_common(40)),
            "mutators_applied": dict(sorted(self.steps.items())),
        }


def _save(outcome: Outcome, folder: Path) -> None:
    case = outcome.case
    kind = (outcome.problem or "ok").replace(" ", "-")
    target = folder / kind
    target.mkdir(parents=True, exist_ok=True)
    # Failing inputs are evidence, not sources: keep the folder out of git wherever it is.
    (folder / ".gitignore").write_text("*\n", encoding="utf-8")
    (target / case.filename).write_bytes(case.data)
    note = f"{case.describe()}\nproblem: {outcome.problem}\noutcome: {outcome.result.error}\n"
    (target / (case.filename + ".txt")).write_text(note, encoding="utf-8")


def _replay(labels: list[str], folder: Path) -> int:
    """Rebuild cases and scan them here, with the traceback of any failure."""
    from wordaudit.api import Auditor, build_auditor, scan_source
    from wordaudit.config import Config
    from wordaudit.model import Source

    # wordaudit logs a failing file's traceback at DEBUG; the libraries' debug chatter is not wanted.
    logging.basicConfig(level=logging.ERROR, format="%(message)s", stream=sys.stderr)
    logging.getLogger("wordaudit").setLevel(logging.DEBUG)
    auditors: dict[str, Auditor] = {}
    failed = 0
    for label in labels:
        case = make_case(*parse_label(label))
        engine = engine_for(case)
        auditor = auditors.get(engine) or auditors.setdefault(engine, build_auditor(Config(pdf_engine=engine)))
        target = folder / "replay"
        target.mkdir(parents=True, exist_ok=True)
        path = target / case.filename
        path.write_bytes(case.data)
        started = time.monotonic()
        result = scan_source(Source(str(path), case.filename, PIPELINE_FORMATS[case.fmt], explicit=True), auditor)
        problem = judge(result, target)
        failed += problem is not None
        shown = result.error if result.error is not None else f"{len(result.findings)} findings"
        took = time.monotonic() - started
        print(f"{case.describe()} [{engine}]: {shown!r} in {took:.2f} s -> {problem or 'ok'}; saved {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
