"""The command line: options → api → renderer → exit code.

Only this module writes to the terminal. stdout carries the report alone (so
it can be piped); progress, warnings and errors go to stderr.
"""

# No ``from __future__ import annotations`` here: typer reads the options from
# the annotations, and as strings it must compile and evaluate each of them on
# every start (about 5 ms of a cached rescan).

import atexit
import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from wordaudit import __version__
from wordaudit.config import FAIL_ON_CHOICES, PDF_ENGINES, Config, find_config, load_config
from wordaudit.errors import WordauditError
from wordaudit.model import ExitCode, ScanResult

app = typer.Typer(
    name="wordaudit",
    help='Find "back office" language in documents and suggest customer-impacting wording.',
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

FORMATS = ("pretty", "line", "json", "sarif", "github", "gitlab", "junit", "checkstyle", "csv", "html", "xlsx")
# Renderers that return bytes: on a terminal they would only be noise.
BINARY_FORMATS = ("xlsx",)


def _fail(message: str) -> NoReturn:
    typer.echo(f"wordaudit: error: {message}", err=True)
    raise typer.Exit(ExitCode.USAGE)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wordaudit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Find "back office" language in documents and suggest customer-impacting wording."""


def _split(values: list[str] | None) -> tuple[str, ...]:
    return tuple(v.strip() for value in values or () for v in value.split(",") if v.strip())


def _config(config_file: Path | None) -> Config:
    return load_config(config_file if config_file else find_config())


def _color(stream: object) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@app.command()
def scan(
    paths: Annotated[list[str] | None, typer.Argument(help="Files and folders to scan (default: .).")] = None,
    output_format: Annotated[
        list[str] | None,
        typer.Option("--format", "-f", help=f"Report format: {', '.join(FORMATS)}. Repeat with --output for several."),
    ] = None,
    output: Annotated[
        list[Path] | None,
        typer.Option("--output", "-o", help="Write the report to FILE (pairs with the --format in the same order)."),
    ] = None,
    select: Annotated[list[str] | None, typer.Option(help="Only these rules (repeatable, or comma-separated).")] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="Skip these rules (repeatable, or comma-separated).")] = None,
    fail_on: Annotated[
        str | None, typer.Option(help=f"Lowest severity that fails the run: {', '.join(FAIL_ON_CHOICES)}.")
    ] = None,
    exclude: Annotated[list[str] | None, typer.Option(help="Skip paths matching this glob (repeatable).")] = None,
    no_ignore: Annotated[bool, typer.Option("--no-ignore", help="Do not honour .gitignore files.")] = False,
    config_file: Annotated[
        Path | None, typer.Option("--config", help="Use this config file, not the one found.")
    ] = None,
    ignore_unreadable: Annotated[
        bool, typer.Option("--ignore-unreadable", help="Files that cannot be read do not fail the run.")
    ] = False,
    no_inline_suppressions: Annotated[
        bool, typer.Option("--no-inline-suppressions", help="Report findings even where a comment suppresses them.")
    ] = False,
    report_unused_suppressions: Annotated[
        bool, typer.Option("--report-unused-suppressions", help="Report suppressions that suppress nothing (info).")
    ] = False,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: the CPUs it may use).")
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Read every file; do not use or fill the cache.")
    ] = False,
    timeout: Annotated[
        float | None, typer.Option(min=0.1, help="Seconds one Word or PDF file may take (default 60).")
    ] = None,
    pdf_engine: Annotated[
        str | None, typer.Option(help="PDF reader: auto (pdfium when installed), pdfminer or pdfium.")
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option(help="Report and fail only on findings not in this baseline file.")
    ] = None,
    update_baseline: Annotated[
        bool, typer.Option("--update-baseline", help="Drop fixed findings from the --baseline file.")
    ] = False,
    changed_since: Annotated[
        str | None, typer.Option(metavar="REF", help="Only files changed since this git commit or branch.")
    ] = None,
    staged: Annotated[bool, typer.Option("--staged", help="Only files staged in git (for pre-commit).")] = False,
    stdin_filename: Annotated[
        str | None, typer.Option(help="With PATH '-': the name (and so the format) of the document on stdin.")
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No warnings or progress on stderr; unreadable files are still named.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for files that fail.")] = False,
) -> None:
    """Scan files and folders for "back office" language ('-' reads standard input)."""
    if debug:
        import logging

        logging.basicConfig(level=logging.DEBUG, format="%(message)s", stream=sys.stderr)
    formats = list(output_format or ["pretty"])
    outputs = list(output or [])
    for name in formats:
        if name not in FORMATS:
            _fail(f"unknown format '{name}' (choose from {', '.join(FORMATS)})")
    if len(outputs) > len(formats):
        _fail("more --output files than --format options")
    if len(formats) - len(outputs) > 1:
        _fail("only one report can go to stdout; give each other --format its own --output")
    if fail_on is not None and fail_on not in FAIL_ON_CHOICES:
        _fail(f"--fail-on must be one of {', '.join(FAIL_ON_CHOICES)}")
    if update_baseline and baseline is None:
        _fail("--update-baseline needs --baseline FILE")
    if pdf_engine is not None and pdf_engine not in PDF_ENGINES:
        _fail(f"--pdf-engine must be one of {', '.join(PDF_ENGINES)}")
    from wordaudit.api import exit_code
    from wordaudit.progress import ProgressReporter
    from wordaudit.scan import ScanRequest, run_scan
    from wordaudit.workers import default_jobs

    reading_stdin = list(paths or []) == ["-"]
    try:
        config = _config(config_file).merged(
            select=_split(select),
            ignore=_split(ignore),
            fail_on=fail_on,
            exclude=tuple(exclude or ()),
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
        with ProgressReporter(enabled=not quiet and _color(sys.stderr)) as progress:
            result = run_scan(request, progress.update).result
    except WordauditError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        typer.echo("wordaudit: interrupted", err=True)
        raise typer.Exit(130) from None
    _warn(result, quiet, to_terminal=formats[len(outputs) :] == ["pretty"])
    _write_reports(result, formats, outputs)
    raise typer.Exit(exit_code(result, config.fail_on, ignore_unreadable=ignore_unreadable))


def _warn(result: ScanResult, quiet: bool, *, to_terminal: bool) -> None:
    if not quiet:
        for warning in result.warnings:
            typer.echo(f"wordaudit: warning: {warning}", err=True)
    for file_result in result.files:
        if not quiet:
            for note in file_result.notes:
                typer.echo(f"wordaudit: warning: {note}", err=True)
        # The pretty report lists unreadable files itself; other formats need a
        # line for people, even with --quiet, as the exit status counts them.
        if file_result.error and not to_terminal:
            typer.echo(f"wordaudit: {file_result.path}: {file_result.error}", err=True)


def _write_reports(result: ScanResult, formats: list[str], outputs: list[Path]) -> None:
    from wordaudit.report import RenderOptions, renderer

    # Checked before anything is written, so a refused run leaves no half of its reports behind.
    binary = [name for name in formats[len(outputs) :] if name in BINARY_FORMATS]
    isatty = getattr(sys.stdout, "isatty", None)
    if binary and isatty and isatty():
        _fail(f"{binary[0]} is binary: use --output FILE")
    for index, name in enumerate(formats):
        target = outputs[index] if index < len(outputs) else None
        options = RenderOptions(
            color=target is None and _color(sys.stdout),
            width=_width(),
            version=__version__,
        )
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
        _fail(f"{target}: cannot write the report ({exc.strerror})")


def _width() -> int:
    try:
        return max(60, min(os.get_terminal_size().columns, 160))
    except OSError:
        return 100


@app.command("baseline")
def baseline_command(
    paths: Annotated[list[str] | None, typer.Argument(help="Files and folders to scan (default: .).")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the baseline.")] = Path(
        ".wordaudit-baseline.json"
    ),
    config_file: Annotated[
        Path | None, typer.Option("--config", help="Use this config file, not the one found.")
    ] = None,
) -> None:
    """Record today's findings, so that 'scan --baseline FILE' fails only on new ones."""
    from wordaudit.scan import ScanRequest, run_scan, write_baseline
    from wordaudit.workers import default_jobs

    try:
        request = ScanRequest(paths=tuple(paths or ["."]), config=_config(config_file), jobs=default_jobs())
        result = run_scan(request).result
        count = write_baseline(result, output)
    except WordauditError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{output}: cannot write the baseline ({exc.strerror})")
    typer.echo(f"Wrote {count} finding(s) to {output}.", err=True)


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="The configuration file to write.")] = Path("wordaudit.toml"),
) -> None:
    """Write a commented starter wordaudit.toml (never over an existing file)."""
    from wordaudit.config import STARTER

    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(STARTER)
    except FileExistsError:
        _fail(f"{path} already exists; not overwriting it")
    except OSError as exc:
        _fail(f"{path}: cannot write ({exc.strerror})")
    typer.echo(f"Wrote {path}. Edit it, then run: wordaudit scan", err=True)


@app.command("rules")
def rules_command(
    markdown: Annotated[bool, typer.Option("--markdown", help="Print the rule reference as markdown.")] = False,
    config_file: Annotated[
        Path | None, typer.Option("--config", help="Use this config file, not the one found.")
    ] = None,
) -> None:
    """List the rules: id, severity and what each flags."""
    from wordaudit.report.catalogue import markdown_reference, rules_table

    rules = _loaded_rules(config_file)
    sys.stdout.write(
        markdown_reference(rules) if markdown else rules_table(rules, color=_color(sys.stdout), width=_width())
    )


@app.command()
def explain(
    rule_id: Annotated[str, typer.Argument(metavar="RULE", help="A rule id, as 'wordaudit rules' lists them.")],
    config_file: Annotated[
        Path | None, typer.Option("--config", help="Use this config file, not the one found.")
    ] = None,
) -> None:
    """Explain a rule: why the wording matters and what to say instead."""
    from wordaudit.report.catalogue import explanation

    rules = {rule.id: rule for rule in _loaded_rules(config_file)}
    if rule_id not in rules:
        _fail(f"unknown rule '{rule_id}' (known rules: {', '.join(rules)})")
    sys.stdout.write(explanation(rules[rule_id], color=_color(sys.stdout), width=_width()))


@app.command()
def fix(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files or folders: markdown and text are fixed in place, Word into NAME.wordaudit.docx."),
    ],
    diff: Annotated[bool, typer.Option("--diff", help="Print a unified diff on stdout; write nothing.")] = False,
    interactive: Annotated[
        bool, typer.Option("--interactive", "-i", help="Decide each finding in the terminal.")
    ] = False,
    select: Annotated[list[str] | None, typer.Option(help="Only these rules (repeatable, or comma-separated).")] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="Skip these rules (repeatable, or comma-separated).")] = None,
    config_file: Annotated[
        Path | None, typer.Option("--config", help="Use this config file, not the one found.")
    ] = None,
    track_changes: Annotated[
        bool,
        typer.Option(
            "--track-changes/--no-track-changes",
            help="Word: each fix a tracked change to accept or reject (default), or the text replaced outright.",
        ),
    ] = True,
    in_place: Annotated[
        bool, typer.Option("--in-place", help="Word: write over the document, not NAME.wordaudit.docx beside it.")
    ] = False,
    timeout: Annotated[
        float | None, typer.Option(min=0.1, help="Seconds one Word file may take to read or fix (default 60).")
    ] = None,
) -> None:
    """Replace findings with their first suggestion (or review each with --interactive)."""
    from wordaudit.fix import fix_paths, summary
    from wordaudit.fix.interactive import terminal_reviewer

    if interactive and not sys.stdin.isatty():
        _fail("--interactive needs a terminal; without one, run 'wordaudit fix' or 'wordaudit fix --diff'")
    try:
        config = _config(config_file).merged(select=_split(select), ignore=_split(ignore), timeout=timeout)
        reviewer = terminal_reviewer() if interactive else None
        report = fix_paths(
            paths, config, reviewer=reviewer, write=not diff, track_changes=track_changes, in_place=in_place
        )
    except WordauditError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        typer.echo("wordaudit: interrupted; files already fixed stay fixed", err=True)
        raise typer.Exit(130) from None
    sys.stdout.write(report.diff)
    for line in summary(report):
        typer.echo(line, err=True)
    raise typer.Exit(report.exit_code)


def _loaded_rules(config_file: Path | None) -> tuple:  # type: ignore[type-arg]
    from wordaudit.rules import load_rules, pack_paths

    try:
        config = _config(config_file)
        return load_rules(pack_paths(config.rules))[0]
    except WordauditError as exc:
        _fail(str(exc))


cache_app = typer.Typer(help="Manage the results cache.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


@cache_app.command("clear")
def cache_clear(
    config_file: Annotated[
        Path | None, typer.Option("--config", help="Use this config file, not the one found.")
    ] = None,
) -> None:
    """Delete the cached results (beside the config file, or in the user cache folder)."""
    from wordaudit.cache import clear, default_folder

    try:
        folder = default_folder(_config(config_file).source)
    except WordauditError as exc:
        _fail(str(exc))
    removed = clear(folder)
    typer.echo(f"{'Cleared' if removed else 'No cache in'} {folder}", err=True)


def main() -> None:
    """The console script: the command, then an exit without the teardown."""
    try:
        app()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    _exit(code)


def _exit(code: object) -> NoReturn:
    """Leave as ``sys.exit(code)`` would, less the interpreter's teardown:
    freeing every module and object took 20 ms, a tenth of a rescan answered
    from the cache. Exit handlers still run (multiprocessing's removes the
    worker server's socket folder), and a failed flush of the report still
    exits with 120, as Python's own exit does."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            status = 120
    os._exit(status)
