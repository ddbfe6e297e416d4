"""Inline suppressions, applied after matching.

Directives arrive as ``directive`` blocks from the extractors, in any order:
``wordaudit-disable [RULE,...]`` … ``wordaudit-enable [RULE,...]`` (a region),
``wordaudit-disable-next-line [RULE,...]``, ``wordaudit-ignore-line [RULE,...]``
(from a trailing ``wordaudit: ignore`` marker) and ``wordaudit-ignore-range
[RULE,...]`` (from a Word comment ``wordaudit: ignore``, for the text it is
anchored on). No rule means every rule. Each directive remembers whether it
suppressed anything, so unused ones can be reported.

A directive block's text stands for the stretch of source it acts from: its
first character is where the directive is, ``block.position(0)``, and
``block.position(len(block.text))`` is just past its end. For most directives
that is simply their own text; an ``ignore-range`` block carries a second
segment at ``len(text)`` placed just past the range's last character, so its
start and end are those of the anchored range, in the (line, column) numbering
of the findings. It suppresses the findings that overlap that range.

An ``ignore-range`` block may carry further ranges, each a pair of segments
placed past its text: the k-th (k = 1, 2...) at ``len(text) + 2k - 1``, where
the range starts, and ``len(text) + 2k``, just past its end (a Word comment on
a picture also covers the picture's alt text, read as a paragraph of its own).
Only segments starting past ``len(text)`` are read so; no other directive
block has any. It suppresses what overlaps any of its ranges, and is used if
any of them suppressed something.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from wordaudit.model import Block, Finding, Rule, Severity
from wordaudit.record import field, record

_ACTIONS = ("disable-next-line", "disable", "enable", "ignore-line", "ignore-range")
# The action must end where the rule list starts: with "\b" alone, a misspelt
# "wordaudit-disable-line" read as "disable" for a rule named "-line", a region
# that suppressed nothing and a warning that pointed at the wrong word.
_DIRECTIVE = re.compile(rf"^wordaudit-({'|'.join(_ACTIONS)})(?=[\s,\[(]|$)\s*(.*?)\s*$", re.DOTALL)
_DIRECTIVE_NAME = re.compile(r"^wordaudit-\S*")
UNUSED_RULE_ID = "unused-suppression"


@record(frozen=False)
class _Directive:
    action: str
    rules: frozenset[str]  # empty: every rule
    line: int
    column: int
    end: tuple[int, int]  # (line, column) just past the directive, or past an ignore-range's range
    location: str
    used: bool = False
    text: str = field(default="")
    # An ignore-range's further ranges: ((line, column) of the start, (line, column) just past the end).
    more: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()

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
            self.notes.append(f"{position.location}: {_unknown_directive(block.text.strip())}")
            return
        action, argument = found.groups()
        names = frozenset(n for n in re.split(r"[\s,]+", argument.strip("[]() ")) if n)
        for name in sorted(names - self.known):
            self.notes.append(f"{position.location}: wordaudit-{action} names unknown rule '{name}'")
        end = block.position(len(block.text))
        self.directives.append(
            _Directive(
                action,
                names,
                position.line,
                position.column,
                (end.line, end.column),
                position.location,
                text=block.text.strip(),
                more=_more_ranges(block) if action == "ignore-range" else (),
            )
        )

    def filter(self, findings: Sequence[Finding]) -> list[Finding]:
        directives = sorted(self.directives, key=lambda d: (d.line, d.column))
        return [f for f in findings if not self._suppressed(f, directives)]

    def _suppressed(self, finding: Finding, directives: list[_Directive]) -> bool:
        for directive in directives:
            if _reaches(directive, finding) and directive.covers(finding.rule):
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
                end_line=d.end[0],
                end_column=d.end[1],
                page=None,
                location=d.location,
                context=d.text,
                block_kind="directive",
            )
            for d in self.directives
            if not d.used and d.action != "enable"
        ]


def _unknown_directive(text: str) -> str:
    message = f"unknown directive '{text[:60]}'"
    named = _DIRECTIVE_NAME.match(text)
    if named is None:
        return message
    import difflib  # only on this rare path: it costs a clean scan 3 ms to import

    close = difflib.get_close_matches(named.group(0), [f"wordaudit-{a}" for a in _ACTIONS], n=1, cutoff=0.75)
    return f"{message}; did you mean {close[0]}?" if close else message


def _more_ranges(block: Block) -> tuple[tuple[tuple[int, int], tuple[int, int]], ...]:
    """The further ranges of an ignore-range block: its segments past its text, in pairs."""
    past = [segment for segment in block.segments if segment.start > len(block.text)]
    return tuple(
        ((start.line, start.column), (end.line, end.column))
        for start, end in zip(past[::2], past[1::2], strict=False)  # a lone last segment is no range
    )


def _reaches(directive: _Directive, finding: Finding) -> bool:
    """Whether a directive that acts where it stands (not a region's edge) reaches the finding."""
    if directive.action == "disable-next-line":
        return finding.line == directive.line + 1
    if directive.action == "ignore-line":
        return directive.line in (finding.line, finding.end_line)
    if directive.action == "ignore-range":
        # Overlap, not containment: a comment anchored on "Office" alone still means "Back Office".
        start, end = (finding.line, finding.column), (finding.end_line, finding.end_column)
        if start < directive.end and end > (directive.line, directive.column):
            return True
        return any(start < range_end and end > range_start for range_start, range_end in directive.more)
    return False
