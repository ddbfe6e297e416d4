"""The command line: options → api → renderer → exit code.

Only this module and ``scan_command`` (the scan once its options are read)
write to the terminal. stdout carries the report alone (so it can be piped);
progress, warnings and errors go to stderr.
"""

# No ``from __future__ import annotations`` here: typer reads the options from
# the annotations, and as strings it must compile and evaluate each of them on
# every start (about 5 ms of a cached rescan).

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from wordaudit import __version__
from wordaudit.config import FAIL_ON_CHOICES
from wordaudit.errors import WordauditError
from wordaudit.model import ExitCode
from wordaudit.scan_command import FORMATS, color, configuration, split_list, width

app = typer.Typer(
    name="wordaudit",
    help='Find "back office" language in documents and suggest customer-impacting wording.',
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


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
    from wordaudit.scan_command import run

    raise typer.Exit(
        run(
            paths=paths,
            output_format=output_format,
            output=output,
            select=select,
            ignore=ignore,
            fail_on=fail_on,
            exclude=exclude,
            no_ignore=no_ignore,
            config_file=config_file,
            ignore_unreadable=ignore_unreadable,
            no_inline_suppressions=no_inline_suppressions,
            report_unused_suppressions=report_unused_suppressions,
            jobs=jobs,
            no_cache=no_cache,
            timeout=timeout,
            pdf_engine=pdf_engine,
            baseline=baseline,
            update_baseline=update_baseline,
            changed_since=changed_since,
            staged=staged,
            stdin_filename=stdin_filename,
            quiet=quiet,
            debug=debug,
        )
    )


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
    from wordaudit.resources import default_jobs
    from wordaudit.scan import ScanRequest, run_scan, write_baseline

    try:
        request = ScanRequest(paths=tuple(paths or ["."]), config=configuration(config_file), jobs=default_jobs())
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
        markdown_reference(rules) if markdown else rules_table(rules, color=color(sys.stdout), width=width())
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
    # "Back-Office", as a heading or a message may show it, names back-office.
    by_case = {known.casefold(): known for known in rules}
    known = rule_id if rule_id in rules else by_case.get(rule_id.casefold())
    if known is None:
        _fail(f"unknown rule '{rule_id}' (known rules: {', '.join(rules)})")
    sys.stdout.write(explanation(rules[known], color=color(sys.stdout), width=width()))


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
    if "-" in paths:
        _fail("'wordaudit fix' changes files in place: name the file, not '-' (standard input)")
    try:
        config = configuration(config_file).merged(
            select=split_list(select), ignore=split_list(ignore), timeout=timeout
        )
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
        config = configuration(config_file)
        rules = load_rules(pack_paths(config.rules))[0]
    except WordauditError as exc:
        _fail(str(exc))
    # As a scan would report them: the configuration's [severity] applies.
    return tuple(r.with_severity(config.severity[r.id]) if r.id in config.severity else r for r in rules)


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
        folder = default_folder(configuration(config_file).source)
    except WordauditError as exc:
        _fail(str(exc))
    removed = clear(folder)
    typer.echo(f"{'Cleared' if removed else 'No cache in'} {folder}", err=True)
