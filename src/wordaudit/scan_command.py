"""`wordaudit scan` once its options are read: the scan, the warnings on
stderr, the reports, and the exit status.

Both the typer command and the quick reading of a plain scan command line
(``scan_args``) end here, so the two cannot differ in what a scan does. Kept
free of typer: a rescan answered from the cache takes about 0.1 s, and
importing typer alone took half as long again.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from wordaudit import __version__
from wordaudit.config import FAIL_ON_CHOICES, PDF_ENGINES, Config, find_config, load_config
from wordaudit.errors import WordauditError
from wordaudit.model import ExitCode, ScanResult

FORMATS = ("pretty", "line", "json", "sarif", "github", "gitlab", "junit", "checkstyle", "csv", "html", "xlsx")
# Renderers that return bytes: on a terminal they would only be noise.
BINARY_FORMATS = ("xlsx",)


class Refused(Exception):
    """A scan command that cannot run as asked: its message is the usage error."""


def run(
    paths: list[str] | None = None,
    output_format: list[str] | None = None,
    output: list[Path] | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    fail_on: str | None = None,
    exclude: list[str] | None = None,
    no_ignore: bool = False,
    config_file: Path | None = None,
    ignore_unreadable: bool = False,
    no_inline_suppressions: bool = False,
    report_unused_suppressions: bool = False,
    jobs: int | None = None,
    no_cache: bool = False,
    timeout: float | None = None,
    pdf_engine: str | None = None,
    baseline: Path | None = None,
    update_baseline: bool = False,
    changed_since: str | None = None,
    staged: bool = False,
    stdin_filename: str | None = None,
    quiet: bool = False,
    debug: bool = False,
) -> int:
    """Run the scan the options describe; the exit status."""
    try:
        return _scan(**locals())
    except Refused as refusal:
        print(f"wordaudit: error: {refusal}", file=sys.stderr)
        return ExitCode.USAGE
    except KeyboardInterrupt:
        print("wordaudit: interrupted", file=sys.stderr)
        return 130


def _scan(
    paths: list[str] | None,
    output_format: list[str] | None,
    output: list[Path] | None,
    select: list[str] | None,
    ignore: list[str] | None,
    fail_on: str | None,
    exclude: list[str] | None,
    no_ignore: bool,
    config_file: Path | None,
    ignore_unreadable: bool,
    no_inline_suppressions: bool,
    report_unused_suppressions: bool,
    jobs: int | None,
    no_cache: bool,
    timeout: float | None,
    pdf_engine: str | None,
    baseline: Path | None,
    update_baseline: bool,
    changed_since: str | None,
    staged: bool,
    stdin_filename: str | None,
    quiet: bool,
    debug: bool,
) -> int:
    if debug:
        import logging

        logging.basicConfig(level=logging.DEBUG, format="%(message)s", stream=sys.stderr)
    formats = list(output_format or ["pretty"])
    outputs = list(output or [])
    for name in formats:
        if name not in FORMATS:
            raise Refused(f"unknown format '{name}' (choose from {', '.join(FORMATS)})")
    if len(outputs) > len(formats):
        raise Refused("more --output files than --format options")
    if len(formats) - len(outputs) > 1:
        raise Refused("only one report can go to stdout; give each other --format its own --output")
    if fail_on is not None and fail_on not in FAIL_ON_CHOICES:
        raise Refused(f"--fail-on must be one of {', '.join(FAIL_ON_CHOICES)}")
    if update_baseline and baseline is None:
        raise Refused("--update-baseline needs --baseline FILE")
    if pdf_engine is not None and pdf_engine not in PDF_ENGINES:
        raise Refused(f"--pdf-engine must be one of {', '.join(PDF_ENGINES)}")
    from wordaudit.api import exit_code
    from wordaudit.progress import ProgressReporter
    from wordaudit.resources import default_jobs
    from wordaudit.scan import ScanRequest, run_scan

    if "-" in (paths or []) and len(paths or []) > 1:
        raise Refused("'-' (standard input) cannot be scanned together with other paths")
    reading_stdin = list(paths or []) == ["-"]
    try:
        config = configuration(config_file).merged(
            select=split_list(select),
            ignore=split_list(ignore),
            fail_on=fail_on,
            exclude=tuple(exclude or ()),
            exclude_folder=Path.cwd() if exclude else None,
            respect_gitignore=False if no_ignore else None,
            timeout=timeout,
            pdf_engine=pdf_engine,
        )
        request = ScanRequest(
            paths=tuple(paths or ["."]),
            config=config,
            inline_suppressions=not no_inline_suppressions,
            report_unused_suppressions=report_unused_suppressions,
            jobs=jobs or default_jobs(),
            use_cache=not no_cache,
            changed_since=changed_since,
            staged=staged,
            stdin=sys.stdin.buffer.read() if reading_stdin else None,
            stdin_filename=stdin_filename,
            baseline=baseline,
            update_baseline=update_baseline,
        )
        with ProgressReporter(enabled=not quiet and color(sys.stderr)) as progress:
            result = run_scan(request, progress.update).result
    except WordauditError as exc:
        raise Refused(str(exc)) from None
    _warn(result, quiet, to_terminal=formats[len(outputs) :] == ["pretty"])
    _write_reports(result, formats, outputs)
    code = exit_code(result, config.fail_on, ignore_unreadable=ignore_unreadable)
    # --ignore-unreadable forgives documents that cannot be read, not a path
    # mistyped on the command line: that run checked nothing it was meant to.
    if ignore_unreadable and not reading_stdin and any(not Path(p).exists() for p in paths or ()):
        return max(code, ExitCode.FINDINGS)
    return code


def split_list(values: list[str] | None) -> tuple[str, ...]:
    """``--select a,b --select c`` as ``("a", "b", "c")``."""
    return tuple(v.strip() for value in values or () for v in value.split(",") if v.strip())


def configuration(config_file: Path | None) -> Config:
    return load_config(config_file if config_file else find_config())


def color(stream: object) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def width() -> int:
    try:
        return max(60, min(os.get_terminal_size().columns, 160))
    except OSError:
        return 100


def _warn(result: ScanResult, quiet: bool, *, to_terminal: bool) -> None:
    if not quiet:
        for warning in result.warnings:
            print(f"wordaudit: warning: {warning}", file=sys.stderr)
    for file_result in result.files:
        if not quiet:
            for note in file_result.notes:
                print(f"wordaudit: warning: {note}", file=sys.stderr)
        # The pretty report lists unreadable files itself; other formats need a
        # line for people, even with --quiet, as the exit status counts them.
        if file_result.error and not to_terminal:
            print(f"wordaudit: {file_result.path}: {file_result.error}", file=sys.stderr)


def _write_reports(result: ScanResult, formats: list[str], outputs: list[Path]) -> None:
    from wordaudit.report import RenderOptions, renderer

    # Checked before anything is written, so a refused run leaves no half of its reports behind.
    binary = [name for name in formats[len(outputs) :] if name in BINARY_FORMATS]
    isatty = getattr(sys.stdout, "isatty", None)
    if binary and isatty and isatty():
        raise Refused(f"{binary[0]} is binary: use --output FILE")
    for index, name in enumerate(formats):
        target = outputs[index] if index < len(outputs) else None
        options = RenderOptions(color=target is None and color(sys.stdout), width=width(), version=__version__)
        _emit(renderer(name)(result, options), target)


def _emit(report: str | bytes, target: Path | None) -> None:
    if target is None:
        if isinstance(report, bytes):
            sys.stdout.buffer.write(report)
        else:
            sys.stdout.write(report)
        sys.stdout.flush()
        return
    try:
        if isinstance(report, bytes):
            target.write_bytes(report)
        else:
            target.write_text(report, encoding="utf-8")
    except OSError as exc:
        raise Refused(f"{target}: cannot write the report ({exc.strerror})") from None
