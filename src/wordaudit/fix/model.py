"""The one fix model every format applies: findings → planned edits → applied.

Planning reads findings only, so it is the same for every format. An
``Edit`` says "write ``replacement`` where ``finding`` matched"; each format's
applier (registered in ``wordaudit.fix``) finds those characters in its own
file, checks that they still read as ``finding.match``, and rewrites them (in
place for markdown and text; a Word applier would write tracked changes).
Whatever an applier cannot verify it hands back as ``Unfixed``, never guesses.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from wordaudit.finding import split_context
from wordaudit.model import Finding
from wordaudit.record import record

# Rules whose first suggestion can be written without a person reading the
# sentence: the suggestion is already fitted (noun or modifier, case, number)
# and replaces the matched words alone. Not "back-line": "the back line" used
# as the group itself ("working in the back line") needs the sentence
# reworded, not a word swapped. Rules from other packs are never in here, so
# their findings always go to review. This set could become a per-rule
# ``fixable`` key in the rule files.
AUTO_FIX_RULES = frozenset(
    {
        "back-office",
        "non-customer-facing",
        "non-revenue-producing",
        "role-titles",
        "back-end-staff",
        "behind-the-scenes",
    }
)

REVIEW = "needs review: "  # the reasons a person must decide start with this
NEEDS_SENTENCE = REVIEW + "the better wording depends on the sentence"
SPANS_LINES = REVIEW + "the match is broken over two lines"
NO_SUGGESTION = REVIEW + "the rule has no suggestion"
COORDINATED = REVIEW + 'it shares its words with the words before it ("front- and back-office")'
SKIPPED = "skipped"
NOT_REVIEWED = "not reviewed"


@record
class Edit:
    """Write ``replacement`` over the characters ``finding`` matched."""

    finding: Finding
    replacement: str
    # A rule's suggestion may need "a" turned into "an" before it ("an
    # operations team"); wording a person typed is theirs, article and all.
    fit_article: bool = True


@record
class Unfixed:
    """A finding left as it is, and why."""

    finding: Finding
    reason: str


@record
class Applied:
    """What an applier did to one file; it never writes the file itself."""

    data: bytes | None  # the whole new file, or None when no edit was applied
    done: tuple[Edit, ...] = ()
    unfixed: tuple[Unfixed, ...] = ()
    # The document as text before and after, for --diff (LF line endings).
    before: str = ""
    after: str = ""


class Applier(Protocol):
    """A format's fixer: a module with this function, named in ``wordaudit.fix``."""

    def apply(self, path: Path, edits: Sequence[Edit], *, track_changes: bool = True) -> Applied: ...


class Action(enum.Enum):
    ACCEPT = "accept"
    SKIP = "skip"
    SKIP_RULE = "skip-rule"  # skip this finding and the rule's others in this file
    QUIT = "quit"  # keep what was accepted so far in this file, review no more


@record
class Decision:
    action: Action
    replacement: str = ""
    typed: bool = False  # the person typed the wording rather than picking a suggestion


class Reviewer(Protocol):
    """Decides each finding of a file in turn (the terminal review is one)."""

    def review(self, finding: Finding, number: int, total: int) -> Decision: ...


@record
class Plan:
    edits: tuple[Edit, ...]
    unfixed: tuple[Unfixed, ...]
    quit: bool = False


def review_reason(finding: Finding) -> str | None:
    """Why a finding cannot be fixed without a person, or None when it can."""
    if not finding.suggestions:
        return NO_SUGGESTION
    if finding.rule not in AUTO_FIX_RULES:
        return NEEDS_SENTENCE
    if finding.end_line != finding.line:
        # A word broken to wrap ("back-\noffice") would be rejoined on one
        # line, which reflows the paragraph: the writer should see that.
        return SPANS_LINES
    if _COORDINATED.search(split_context(finding)[0]):
        return COORDINATED
    return None


# Words before a phrase that share its last words: "front- and back-office
# staff" (a suspended hyphen), "front and back office teams", "front/back
# office". Replacing the phrase alone changes what the first words say.
_COORDINATED = re.compile(
    r"(?:\w[-\u2010\u2011]|\b(?:front|middle|mid))\s*(?:,\s*(?:and|or)?|and|or|&|/)\s*$", re.IGNORECASE
)


def plan(findings: Sequence[Finding], reviewer: Reviewer | None = None) -> Plan:
    """The edits for one file: each fixable finding's first suggestion, or
    what the reviewer decides for each finding when there is one."""
    if reviewer is None:
        edits = [Edit(f, f.suggestions[0]) for f in findings if review_reason(f) is None]
        left = [Unfixed(f, reason) for f in findings if (reason := review_reason(f)) is not None]
        return Plan(tuple(edits), tuple(left))
    edits = []
    left = []
    skipped_rules: set[str] = set()
    for number, finding in enumerate(findings, 1):
        if finding.rule in skipped_rules:
            left.append(Unfixed(finding, SKIPPED))
            continue
        decision = reviewer.review(finding, number, len(findings))
        if decision.action is Action.QUIT:
            left.extend(Unfixed(f, NOT_REVIEWED) for f in findings[number - 1 :])
            return Plan(tuple(edits), tuple(left), quit=True)
        if decision.action is Action.ACCEPT:
            edits.append(Edit(finding, decision.replacement, fit_article=not decision.typed))
            continue
        if decision.action is Action.SKIP_RULE:
            skipped_rules.add(finding.rule)
        left.append(Unfixed(finding, SKIPPED))
    return Plan(tuple(edits), tuple(left))


def fitted_article(article: str, replacement: str) -> str:
    """The indefinite article ("a" or "an") to write before ``replacement``,
    in the case of the ``article`` found there.

    Only the spelling decides, so words whose sound differs from their first
    letter ("hour", "user", "X-ray", "one-stop") keep the writer's article.
    """
    first = replacement.lstrip()[:1].lower()
    if first in ("a", "e", "i", "o") and not replacement.lower().startswith(("one", "once")):
        wanted = "an"
    elif first.isalpha() and first not in ("h", "u", "x"):
        wanted = "a"
    else:
        return article
    if article.lower() == wanted:
        return article
    if article.isupper() and (len(article) > 1 or replacement.isupper()):
        return wanted.upper()
    if article[:1].isupper():
        return wanted.capitalize()
    return wanted
