"""Inline suppressions, applied after matching.

Directives arrive as ``directive`` blocks from the extractors, in document
order: ``wordaudit-disable [RULE,...]`` … ``wordaudit-enable [RULE,...]``
(a region), ``wordaudit-disable-next-line [RULE,...]`` and
``wordaudit-ignore-line [RULE,...]`` (from a trailing ``wordaudit: ignore``
marker). No rule means every rule. Each directive remembers whether it
suppressed anything, so unused ones can be reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from wordaudit.model import Block, Finding, Rule, Severity

_DIRECTIVE = re.compile(r"^wordaudit-(disable-next-line|disable|enable|ignore-line)\b\s*(.*?)\s*$", re.DOTALL)
UNUSED_RULE_ID = "unused-suppression"


@dataclass(slots=True)
class _Directive:
    action: str
    rules: frozenset[str]  # empty: every rule
    line: int
    column: int
    used: bool = False
    text: str = field(default="")

    def covers(self, rule: str) -> bool:
        return not self.rules or rule in self.rules


class Suppressions:
    def __init__(self, rules: Sequence[Rule]) -> None:
        self.known = {r.id for r in rules}
        self.directives: list[_Directive] = []
        self.notes: list[str] = []

    def add_directive(self, block: Block) -> None:
        found = _DIRECTIVE.match(block.text.strip())
        position = block.position(0)
        if found is None:
            self.notes.append(f"line {position.line}: unknown directive '{block.text.strip()[:60]}'")
            return
        action, argument = found.groups()
        names = frozenset(n for n in re.split(r"[\s,]+", argument.strip("[]() ")) if n)
        for name in sorted(names - self.known):
            self.notes.append(f"line {position.line}: wordaudit-{action} names unknown rule '{name}'")
        self.directives.append(_Directive(action, names, position.line, position.column, text=block.text.strip()))

    def filter(self, findings: Sequence[Finding]) -> list[Finding]:
        directives = sorted(self.directives, key=lambda d: (d.line, d.column))
        return [f for f in findings if not self._suppressed(f, directives)]

    def _suppressed(self, finding: Finding, directives: list[_Directive]) -> bool:
        for directive in directives:
            on_its_line = (directive.action == "disable-next-line" and finding.line == directive.line + 1) or (
                directive.action == "ignore-line" and directive.line in (finding.line, finding.end_line)
            )
            if on_its_line and directive.covers(finding.rule):
                directive.used = True
                return True
        active: _Directive | None = None
        for directive in directives:
            if (directive.line, directive.column) > (finding.line, finding.column):
                break
            if not directive.covers(finding.rule):
                continue
            if directive.action == "disable":
                active = directive
            elif directive.action == "enable":
                active = None
        if active is not None:
            active.used = True
            return True
        return False

    def unused(self, path: str) -> list[Finding]:
        """Directives that suppressed nothing, as info findings."""
        return [
            Finding(
                path=path,
                rule=UNUSED_RULE_ID,
                severity=Severity.INFO,
                match=d.text,
                message=f"This suppression ({d.text}) suppresses nothing; remove it.",
                suggestions=(),
                line=d.line,
                column=d.column,
                end_line=d.line,
                end_column=d.column + len(d.text),
                page=None,
                location=f"line {d.line}",
                context=d.text,
                block_kind="directive",
            )
            for d in self.directives
            if not d.used and d.action != "enable"
        ]
