"""Fit a rule's suggestions to the sentence: noun or modifier form, number, case."""

from __future__ import annotations

import re

from wordaudit.model import Match
from wordaudit.variants import plural

# Words a phrase is so often a modifier of that seeing one settles it, even
# after an open spelling ("back office staff"). Words as often verbs ("reports",
# "pays", "records") are left out: "the back office reports to finance".
_HEADS = frozenset(
    """
    staff team teams employee employees role roles function functions department departments worker
    workers people person personnel colleague colleagues member members job jobs position positions
    operations operation work tasks task duties processes process support unit units group groups
    division administrator administrators admin assistant assistants clerk clerks manager managers
    specialist specialists analyst analysts officer officers coordinator coordinators associate
    associates crew area areas activities activity systems system services service jobholders
    professionals professional organisation organization side career careers level levels lead leads
    director directors head heads supervisor supervisors executive executives representative
    representatives rep reps agent agents engineer engineers partner partners owner owners
    hub centre center location locations office offices budget budgets cost costs
    policy policies procedure procedures manual manuals handbook handbooks guideline guidelines
    standard standards practices documentation paperwork reporting data tool tools software
    platform platforms application applications app apps workflow workflows project projects
    programme programmes solution solutions technology infrastructure training responsibilities
    workload floor building premises space facilities staffing headcount hiring recruitment
    salary salaries capability capabilities automation transformation efficiency productivity
    accounting finance billing payroll administration
    """.split()  # noqa: SIM905 - a word list reads best as prose
)
# Function words: a phrase followed by one of these is being used as a noun.
_FUNCTION_WORDS = frozenset(
    """
    a an the and or but nor so yet for of in on at to from by with without into onto over under
    about as than then is are was were be been being am has have had do does did will would shall
    should can could may might must it its this that these those there here who whom whose which
    what when where why how he she they we you i me him her them us our your their my his not no
    also too very just only even still
    """.split()  # noqa: SIM905 - a word list reads best as prose
)
# Heads that are as often verbs: "back office processes are slow" (a head)
# against "the back office processes every claim" (a verb, before its object).
# Not "team", "staff", "service", "group": far more often heads ("the
# back-office teams that support them").
_VERBS_TOO = frozenset(
    """
    process processes cost costs support supports work works function functions lead leads head
    heads partner partners budget budgets
    """.split()  # noqa: SIM905 - a word list reads best as prose
)
# Words that start what a verb governs: after "processes", "every claim" says
# "processes" is the verb; "processes are" says it is the head.
_AFTER_A_VERB = frozenset(
    """
    a an the every each all some any no this these those our your their his her its my
    one two three four five six seven ten hundred hundreds thousand thousands million millions
    up with well hard closely directly together alongside across quickly efficiently
    """.split()  # noqa: SIM905 - a word list reads best as prose
)
# Capitalised words after a Title Case phrase that start no name: the phrase
# is a noun there ("Inside the Back Office Today", "Why the Back Office Matters").
_NOT_A_NAME = frozenset(
    """
    today tomorrow yesterday now daily weekly monthly again monday tuesday wednesday thursday
    friday saturday sunday matters matter works needs helps runs makes keeps does gets goes
    comes grows changes counts
    """.split()  # noqa: SIM905 - a word list reads best as prose
)
# The same head as "operations": a suggestion ending in it would double it.
_OPERATIONS = frozenset({"operations", "operation", "ops", "operational"})
_WORD = re.compile(r"[A-Za-z]+")
_CLOSING_QUOTES = frozenset({'"', "'", "\u201d", "\u2019", "\u00bb", "''"})
_APOSTROPHES = frozenset({"'", "\u2019"})
_HYPHEN_ON = re.compile(r"[-\u2010\u2011][^\W\d_]")


# The word right after a match, on its line, as written.
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z]+)")


def is_modifier(match: Match) -> bool:
    """Whether the phrase modifies the word after it ("back-office team"), a
    closing quote between them or not (the "back office" financial matters)."""
    if match.plural and match.next_words[:1] and match.next_words[0] in _APOSTROPHES and not _quoted(match):
        return False  # a plural's possessive: "the back offices' budgets"
    if _HYPHEN_ON.match(match.block.text, match.end):
        return True  # the first words of a longer compound: "back-office-only"
    words = [w for w in match.next_words if w not in _CLOSING_QUOTES]
    following = words[0] if words else ""
    if not following.isalpha():
        return False
    if _a_verb(following, words[1:2], plural=match.plural):
        return False
    if following in _HEADS:
        return True
    if following in _FUNCTION_WORDS:
        return False
    written_joined = " " not in match.text.strip() and "\n" not in match.text
    return written_joined or _in_a_title(match)


def _in_a_title(match: Match) -> bool:
    """A Title Case phrase followed by a capitalised word is the start of a
    name or heading ("Back Office Policy", "Back Office Excellence Awards"),
    where the phrase names a kind of thing, not a place; and any phrase before
    an acronym modifies it ("back office SLA", "Back office FAQ")."""
    after = _NEXT_WORD.match(match.block.text, match.end)
    if after is None:
        return False
    following = after.group(1)
    if len(following) > 1 and following.isupper():
        return True
    if following.lower() in _NOT_A_NAME:
        return False
    words = _WORD.findall(match.text)
    return bool(words) and all(w[0].isupper() for w in words) and following[0].isupper()


def _a_verb(word: str, after: list[str], *, plural: bool) -> bool:
    """Whether ``word``, after the phrase, is its verb: one of the heads that
    are as often verbs, agreeing with the phrase ("the back office processes",
    "the back lines support"), before what it governs ("every claim").
    "Back-office staff with five years" and "our back office team all agree"
    do not agree so: there "staff" and "team" are heads."""
    if word not in _VERBS_TOO or not after or after[0] not in _AFTER_A_VERB:
        return False
    third_person = word.endswith("s") and not word.endswith("ss")
    return third_person != plural


def _quoted(match: Match) -> bool:
    """Whether a single quote opens just before the phrase: then one after it closes it."""
    before = match.block.text[max(match.start - 2, 0) : match.start].rstrip()
    return before.endswith(("'", "\u2018"))


def suggestions_for(match: Match) -> tuple[str, ...]:
    rule = match.rule
    by_phrase = dict(rule.suggestions.by_phrase)
    if match.phrase in by_phrase:
        base = by_phrase[match.phrase]
        if match.plural:
            base = tuple(_pluralise_last(s) for s in base)
    elif is_modifier(match):
        base = rule.suggestions.modifier or rule.suggestions.noun
    else:
        base = rule.suggestions.noun or rule.suggestions.modifier
        if match.plural:
            # "the back offices" → "the operations teams"; "operations" is plural already.
            base = tuple(s if s.endswith("s") else _pluralise_last(s) for s in base)
    fitted = tuple(fit_case(s, match.text) for s in base)
    # "back-office operations" must not become "operations operations", nor
    # "a back-office operation" "an operations operation".
    distinct = tuple(s for s in fitted if not _same_head(s.lower().split()[-1], match.next_word))
    return distinct or fitted


def _same_head(last_word: str, next_word: str) -> bool:
    return last_word == next_word or (last_word in _OPERATIONS and next_word in _OPERATIONS)


def fit_case(suggestion: str, source: str) -> str:
    """Give the suggestion the source's case: UPPER, Title Case or Sentence case."""
    letters = [c for c in source if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return suggestion.upper()
    words = _WORD.findall(source)
    if len(words) > 1 and all(w[0].isupper() for w in words):
        return _WORD.sub(lambda m: m.group(0)[0].upper() + m.group(0)[1:], suggestion)
    if letters and letters[0].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


def _pluralise_last(suggestion: str) -> str:
    head, _, last = suggestion.rpartition(" ")
    return f"{head} {plural(last)}" if head else plural(last)
