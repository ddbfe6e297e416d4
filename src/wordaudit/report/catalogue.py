"""Text about the rules themselves: ``wordaudit rules`` and ``wordaudit explain``.

The markdown form is also how ``docs/rule-reference.md`` is generated, so the
documentation cannot drift from the YAML.
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from wordaudit.model import Rule
from wordaudit.report.pretty import _STYLE


def _console(color: bool, width: int) -> Console:
    return Console(
        file=io.StringIO(),
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        width=width,
        highlight=False,
        emoji=False,
    )


def _text(console: Console) -> str:
    output = console.file
    assert isinstance(output, io.StringIO)
    return output.getvalue()


def rules_table(rules: tuple[Rule, ...], *, color: bool = False, width: int = 100) -> str:
    console = _console(color, width)
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("rule")
    table.add_column("severity")
    table.add_column("flags")
    for rule in rules:
        table.add_row(
            Text(rule.id, style="magenta"),
            Text(rule.severity.value, style=_STYLE[rule.severity.value]),
            rule.summary,
        )
    console.print(table)
    console.print(Text(f"{len(rules)} rules. 'wordaudit explain RULE' tells why and what to say instead."))
    return _text(console)


def suggestions_lines(rule: Rule) -> list[str]:
    s = rule.suggestions
    lines: list[str] = []
    if s.by_phrase:
        lines.extend(f'"{phrase}" → {", ".join(words)}' for phrase, words in s.by_phrase)
    elif s.noun == s.modifier:
        lines.append(", ".join(s.noun))
    else:
        if s.modifier:
            lines.append(f'before a noun ("{rule.phrases[0]} team"): {", ".join(s.modifier)}')
        if s.noun and s.noun != s.modifier:
            lines.append(f'as a noun ("in the {rule.phrases[0]}"): {", ".join(s.noun)}')
    return lines


def explanation(rule: Rule, *, color: bool = False, width: int = 100) -> str:
    console = _console(color, width)
    console.print(Text.assemble((rule.id, "bold magenta"), "  ", (rule.severity.value, _STYLE[rule.severity.value])))
    console.print(Text(f"Flags: {rule.summary}"))
    console.print()
    console.print(Text("Why", style="bold"))
    console.print(rule.why)
    console.print()
    console.print(Text("Say instead", style="bold"))
    for line in suggestions_lines(rule):
        console.print(f"  {line}")
    if rule.examples.flag or rule.examples.passes:
        console.print()
        console.print(Text("Examples", style="bold"))
        for example in rule.examples.flag:
            console.print(Text.assemble("  ", ("flagged: ", "yellow"), example.replace("\n", "⏎")))
        for example in rule.examples.passes:
            console.print(Text.assemble("  ", ("fine:    ", "green"), example.replace("\n", "⏎")))
    return _text(console)


def markdown_reference(rules: tuple[Rule, ...]) -> str:
    out = ["# Rule reference", "", "Generated from `rules/*.yml` by `wordaudit rules --markdown`; do not edit.", ""]
    for rule in rules:
        out += [f"## `{rule.id}` ({rule.severity.value})", "", f"Flags: {rule.summary}", "", rule.why, ""]
        out += ["Say instead:", ""] + [f"- {line}" for line in suggestions_lines(rule)] + [""]
        if rule.examples.flag:
            out += ["Flagged:", ""] + [f"- {e!r}" for e in rule.examples.flag] + [""]
        if rule.examples.passes:
            out += ["Not flagged:", ""] + [f"- {e!r}" for e in rule.examples.passes] + [""]
    return "\n".join(out)
