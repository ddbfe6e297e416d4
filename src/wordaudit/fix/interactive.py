"""The terminal review of ``wordaudit fix --interactive``: one finding at a time.

Everything shown goes to stderr, so ``--diff`` output on stdout stays a
clean patch; answers are single lines read with ``input()``, which a person
types and a test can drive through a pseudo-terminal alike.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.text import Text

from wordaudit.finding import split_context
from wordaudit.fix.model import Action, Decision, review_reason
from wordaudit.model import Finding

_KEYS = "number: use it   e: type other wording   s: skip   r: skip this rule in this file   q: quit"
_LETTERS = {"s": Action.SKIP, "r": Action.SKIP_RULE, "q": Action.QUIT}


class TerminalReviewer:
    def __init__(self, console: Console, read_line: Callable[[], str] = input) -> None:
        self.console = console
        self.read_line = read_line

    def review(self, finding: Finding, number: int, total: int) -> Decision:
        self._show(finding, number, total)
        while True:
            answer = self._ask("> ")
            if answer is None:
                return Decision(Action.QUIT)  # end of input: keep what was accepted
            decision = self._decide(answer.strip(), finding)
            if decision is not None:
                return decision
            self.console.print(f"Type 1-{len(finding.suggestions)}, e, s, r or q." if finding.suggestions else _KEYS)

    def _decide(self, answer: str, finding: Finding) -> Decision | None:
        if answer.isdigit() and 1 <= int(answer) <= len(finding.suggestions):
            return Decision(Action.ACCEPT, finding.suggestions[int(answer) - 1])
        if answer.lower() == "e":
            typed = self._ask("New wording (empty to go back): ")
            if typed is None:
                return Decision(Action.QUIT)
            return Decision(Action.ACCEPT, typed.strip(), typed=True) if typed.strip() else None
        action = _LETTERS.get(answer.lower())
        return Decision(action) if action is not None else None

    def _ask(self, prompt: str) -> str | None:
        self.console.print(prompt, end="")
        try:
            return self.read_line()
        except EOFError:
            return None

    def _show(self, finding: Finding, number: int, total: int) -> None:
        self.console.print()
        self.console.print(
            Text.assemble(
                (f"[{number}/{total}] ", "dim"),
                (f"{finding.path}:{finding.line}:{finding.column}", "bold"),
                "  ",
                (finding.rule, "magenta"),
            )
        )
        self._indented(_highlighted(finding))
        self._indented(Text(finding.message, style="dim"))
        reason = review_reason(finding)
        if reason is not None and finding.suggestions:
            self._indented(Text(reason, style="dim"))
        for index, suggestion in enumerate(finding.suggestions, 1):
            self._indented(Text.assemble(f"{index}) ", (suggestion, "green")))
        self._indented(Text(_KEYS, style="dim"))

    def _indented(self, line: RenderableType) -> None:
        # Padding, not leading spaces: a line wrapped on a narrow terminal keeps
        # its indent instead of starting its last words at the left edge.
        self.console.print(Padding(line, (0, 0, 0, 2), expand=False))


def _highlighted(finding: Finding) -> Text:
    # The occurrence at the finding's column: a line may hold the phrase twice.
    before, match, after = split_context(finding)
    return Text.assemble(before, (match, "bold reverse"), after)


def terminal_reviewer() -> TerminalReviewer:
    return TerminalReviewer(Console(stderr=True, highlight=False, emoji=False, markup=False))
