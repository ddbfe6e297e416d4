"""The quick reader of `wordaudit scan` command lines against typer's own.

The console script reads a plain scan command line without typer; whatever
it reads must reach the scan exactly as typer would have passed it, and
whatever typer would refuse or read otherwise must be left to typer."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from wordaudit import cli, scan_command
from wordaudit.scan_args import OPTIONS, read_scan


def _scan_command() -> Any:
    return typer.main.get_command(cli.app).commands["scan"]  # type: ignore[attr-defined]


def _typer_reading(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any] | None:
    """What typer passes to the scan for ``argv``, or None if it refuses it."""
    received: list[dict[str, Any]] = []

    def record(**options: Any) -> int:
        received.append(options)
        return 0

    with monkeypatch.context() as patch:
        patch.setattr(scan_command, "run", record)
        outcome = CliRunner().invoke(cli.app, argv)
    if not received:
        assert outcome.exit_code != 0, outcome.output
        return None
    return received[0]


def _given(options: dict[str, Any]) -> dict[str, Any]:
    """The options set: a default (None, False, nothing) counts as not given."""
    return {
        name: list(value) if isinstance(value, tuple) else value
        for name, value in options.items()
        if value not in (None, False, [], ())
    }


def test_the_table_names_every_option_of_the_scan_command() -> None:
    from_typer = {opt: param.name for param in _scan_command().params for opt in param.opts if opt.startswith("-")}
    assert from_typer == {opt: parameter for opt, (parameter, _) in OPTIONS.items()}


def test_the_scan_takes_the_same_parameters_from_both_readers() -> None:
    typer_side = inspect.signature(cli.scan).parameters
    own_side = inspect.signature(scan_command.run).parameters
    assert [(p.name, p.default) for p in typer_side.values()] == [(p.name, p.default) for p in own_side.values()]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["scan"], {}),
        (["scan", "docs"], {"paths": ["docs"]}),
        (
            ["scan", "--jobs", "2", "docs", "-f", "json", "--format=sarif", "-o", "r.sarif", "-q", "README.md"],
            {
                "paths": ["docs", "README.md"],
                "jobs": 2,
                "output_format": ["json", "sarif"],
                "output": [Path("r.sarif")],
                "quiet": True,
            },
        ),
        (
            ["scan", "--timeout", "2.5", "--no-cache", "--", "-odd.md"],
            {"timeout": 2.5, "no_cache": True, "paths": ["-odd.md"]},
        ),
        (["scan", "-", "--stdin-filename", "a.docx"], {"paths": ["-"], "stdin_filename": "a.docx"}),
        (["scan", "--select", "back-office,back-line", "--select=x"], {"select": ["back-office,back-line", "x"]}),
    ],
)
def test_plain_scan_command_lines_are_read_without_typer(
    argv: list[str], expected: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert read_scan(argv) == expected
    assert _given(_typer_reading(argv, monkeypatch) or {"refused": True}) == expected


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--version"],
        ["rules"],
        ["scan", "--help"],
        ["scan", "--jobs", "0"],
        ["scan", "--jobs", "two"],
        ["scan", "--jobs"],
        ["scan", "-qj2"],
        ["scan", "--no-cach"],
        ["scan", "--quiet=yes"],
        ["scan", "--timeout", "0.05"],
        ["scan", "--timeout", "1e3"],
        ["scan", "--config", ""],
        ["scan", "-f=json"],
    ],
)
def test_anything_else_is_left_to_typer(argv: list[str]) -> None:
    assert read_scan(argv) is None


_FLAGS = [name for name, (_, kind) in OPTIONS.items() if kind == "flag"]
_VALUED = [name for name, (_, kind) in OPTIONS.items() if kind != "flag"]
# Values of every kind, plain and odd: typer refuses some, or reads them its own way.
_VALUES = st.sampled_from(
    [
        "2",
        "3",
        "1.5",
        "json",
        "sarif",
        "docs",
        "r.json",
        "0",
        "-1",
        "01",
        "0.05",
        ".5",
        "1e3",
        " 2",
        "\u0663",
        "",
        "=",
        "-",
    ]
)
_PIECES = st.one_of(
    st.sampled_from([["docs"], ["a.md"], ["é.md"], ["-"], ["--"], ["--help"], ["-x"], ["--no-cach"], ["-qj"]]),
    st.sampled_from(_FLAGS).map(lambda name: [name]),
    st.tuples(st.sampled_from(_VALUED), _VALUES).map(list),
    st.tuples(st.sampled_from(list(OPTIONS)), _VALUES).map(lambda pair: [f"{pair[0]}={pair[1]}"]),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=6))
def test_what_the_quick_reader_reads_typer_reads_alike(pieces: list[list[str]]) -> None:
    argv = ["scan", *(word for piece in pieces for word in piece)]
    quick = read_scan(argv)
    if quick is None:
        return
    with pytest.MonkeyPatch.context() as monkeypatch:
        by_typer = _typer_reading(argv, monkeypatch)
    assert by_typer is not None, f"typer refuses {argv}, the quick reader took it"
    assert _given(by_typer) == quick
