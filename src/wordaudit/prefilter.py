"""Cheap exact pre-checks that keep clean text away from the parser and spaCy.

One compiled regex per run finds every place where any rule could match. It
is a superset of the matcher by construction: it is derived from the same
phrase variants (``variants.stem_regex``) and context conditions, with a
looser junction between words, and for token patterns from one token every
match must contain. Two strengths exist: ``raw`` for a whole markdown or text
file before it is parsed (markup such as ``**``, ``<b>`` or a link target may
stand between the words), and ``block`` for extracted prose.

Speed: the text is lower-cased once and the regex is tried only where one of
the phrases' first words occurs, found with ``str.find`` (C speed), instead
of at every position of every file. The raw check, which runs on every file
and only answers yes or no, first leaves out the rules' context conditions (a
looser superset), so that every alternative starts with its anchor and is
tried with ``match`` at the anchor's position, not searched for; only the
files that pass get the full check. On the 25 MB benchmark corpus that took
the check from 0.65 s to 0.2 s.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from wordaudit.model import ContextCondition, Rule
from wordaudit.variants import common_prefix, entry_words, plural, stem_regex

# In extracted (and view-normalised) prose only white space and hyphens may join
# a phrase's words; the matcher allows no more.
_BLOCK_JUNCTION = r"[\s\-]"
# In raw markdown anything that is not a word character may, plus a bounded
# amount of inline markup that has word characters in it (tags, link targets,
# entities); bounded so that a failed attempt costs little.
_RAW_JUNCTION = r"(?:[\W_]|<[^<>\n]{0,200}>|\]\([^()\n]{0,500}\)|&#?\w{1,10};)"
# Attributes whose value is the token's text (in some case). Not NORM: a
# token's norm may differ from its text ("n't" has the norm "not").
_LITERAL_KEYS = ("LOWER", "ORTH", "TEXT")
_REQUIRED_OPS = (None, "+", "1")
# How far back a "preceded by" word may stand before a phrase's first word:
# in raw markdown a link's target may stand between them (the raw junction
# allows 500 characters of it), as in "[the](https://…) back line".
_LOOKBEHIND = 600
# What every suppression comment holds ("wordaudit: ignore", "wordaudit-disable"):
# text with it may give a directive, which a report may list as unused, so no
# screen passes it over.
SUPPRESSION_MARKER = "wordaudit"


class _PhraseCheck:
    """Whether any phrase occurs, its words joined by ``junction``, whatever its
    context; with ``closed``, every rule's words may also be written as one."""

    def __init__(self, rules: Sequence[Rule], junction: str, *, closed: bool = False) -> None:
        alternatives: list[str] = []
        anchors: set[str] = set()
        for rule in rules:
            for phrase in rule.phrases:
                alternatives.append(_core(rule, phrase, junction, closed=closed))
                anchors.add(_anchor(phrase))
            for pattern in rule.patterns:
                values = required_literal(pattern)
                if values is None:
                    raise _Unfilterable
                alternatives.extend(re.escape(v.lower()) for v in values)
                anchors.update(v.lower() for v in values)
        # A match at an anchor that starts with another is found through the shorter one.
        self.anchors = tuple(sorted(a for a in anchors if not any(b != a and a.startswith(b) for b in anchors)))
        self.anchors_are_words = all(a and all(c.isalnum() for c in a) for a in self.anchors)
        self.regex = re.compile("|".join(f"(?:{a})" for a in alternatives)) if alternatives else None

    def found_in(self, lowered: str) -> bool:
        if self.regex is None:
            return False
        match = self.regex.match
        for anchor in self.anchors:
            position = lowered.find(anchor)
            while position >= 0:
                if match(lowered, position):
                    return True
                position = lowered.find(anchor, position + 1)
        return False


class _Check:
    """One strength of prefilter: anchors (first words) and the anchored regex."""

    def __init__(self, rules: Sequence[Rule], junction: str, *, closed: bool = False) -> None:
        alternatives: list[str] = []
        anchors: set[str] = set()
        for rule in rules:
            for phrase in rule.phrases:
                for regex, anchor in _phrase_alternatives(rule, phrase, junction, closed=closed):
                    alternatives.append(regex)
                    anchors.add(anchor)
            for pattern in rule.patterns:
                values = required_literal(pattern)
                if values is None:
                    raise _Unfilterable
                alternatives.append("|".join(re.escape(v.lower()) for v in values))
                anchors.update(v.lower() for v in values)
        # An anchor that contains another is found through the shorter one.
        self.anchors = tuple(sorted(a for a in anchors if not any(b != a and b in a for b in anchors)))
        self.regex = re.compile("|".join(f"(?:{a})" for a in alternatives)) if alternatives else None

    def spans(self, lowered: str) -> Iterator[tuple[int, int]]:
        if self.regex is None:
            return
        starts = sorted({i for anchor in self.anchors for i in _occurrences(lowered, anchor)})
        searched_to = -1
        for start in starts:
            begin = max(start - _LOOKBEHIND, searched_to, 0)
            if begin > start:
                continue
            found = self.regex.search(lowered, begin, start + 1 + _MAX_MATCH)
            while found is not None and found.start() <= start:
                if found.end() > start:
                    yield found.span()
                    searched_to = found.end()
                    break
                found = self.regex.search(lowered, found.start() + 1, start + 1 + _MAX_MATCH)


_MAX_MATCH = 2000


class _Unfilterable(Exception):
    """A token pattern has no literal every match contains: check everything."""


class _Strength:
    """The quick check (phrases only) and the full one (with context), for one junction."""

    def __init__(self, rules: Sequence[Rule], junction: str, *, closed: bool = False) -> None:
        self.phrases = _PhraseCheck(rules, junction, closed=closed)
        self.full = _Check(rules, junction, closed=closed)


class Prefilter:
    def __init__(self, rules: Sequence[Rule]) -> None:
        self._rules = rules
        self._strengths: dict[tuple[str, bool], _Strength | None] = {}

    def _strength(self, junction: str, *, closed: bool) -> _Strength | None:
        """Built when first needed: the ``closed`` ones only for text with a soft hyphen."""
        key = (junction, closed)
        if key not in self._strengths:
            try:
                self._strengths[key] = _Strength(self._rules, junction, closed=closed)
            except _Unfilterable:
                self._strengths[key] = None
        return self._strengths[key]

    def raw_may_match(self, text: str) -> bool:
        """Whether a whole markdown or text file can hold any finding."""
        lowered = text.lower()
        # The matcher reads a word without its soft hyphens ("of\u00adfice"),
        # and takes a soft hyphen between two words for the joiner a rule
        # with open compounds needs ("back\u00adline"): so without them, and
        # every compound taken as possibly closed.
        soft_hyphens = "\u00ad" in lowered
        if soft_hyphens:
            lowered = lowered.replace("\u00ad", "")
        strength = self._strength(_RAW_JUNCTION, closed=soft_hyphens)
        if strength is None:
            return True
        # The quick check without context first: it lets through a few more files
        # than the full one, which costs more per file but then runs on few.
        return strength.phrases.found_in(lowered) and next(strength.full.spans(lowered), None) is not None

    def block_may_match(self, text: str) -> bool:
        """False only when no rule can match in this block of extracted prose:
        none of the phrases' first words occurs in it. Most blocks of a Word
        file or a PDF are told so here, without the matcher's views of them
        (a tenth of a worker's time per Word file, measured).

        The views fold only characters that are not letters, and to ones that
        are not letters either, so a first word (letters alone) occurs in a
        view only where it occurs in the block. A soft hyphen is the exception
        (a view drops it, with the space after it, joining the letters around
        it): such a block gets the full check, as does any first word that is
        not letters alone."""
        if "\u00ad" in text:
            return True
        anchors = self.block_anchors()
        if anchors is None:
            return True
        lowered = text.lower()
        return any(anchor in lowered for anchor in anchors)

    def block_anchors(self) -> tuple[str, ...] | None:
        """The words (lower-case letters) one of which every block of prose
        without a soft hyphen holds where a rule may match (``block_may_match``);
        None when there are no such words (a token pattern that names none)."""
        strength = self._strength(_BLOCK_JUNCTION, closed=False)
        if strength is None or not strength.phrases.anchors_are_words:
            return None
        return strength.phrases.anchors

    def candidates(self, view_text: str, *, soft_hyphens: bool = False) -> Iterator[tuple[int, int]]:
        """Spans of extracted prose where a rule might match; ``soft_hyphens``:
        the view was made by dropping some (see ``raw_may_match``)."""
        strength = self._strength(_BLOCK_JUNCTION, closed=soft_hyphens)
        if strength is None:
            yield (0, len(view_text))
            return
        # Lower-casing keeps offsets for the text this engine meets; if it
        # ever did not (a few exotic letters), fall back to the whole text.
        lowered = view_text.lower()
        if len(lowered) != len(view_text):
            yield (0, len(view_text))
            return
        if strength.phrases.found_in(lowered):
            yield from strength.full.spans(lowered)


def _phrase_alternatives(rule: Rule, phrase: str, junction: str, *, closed: bool) -> list[tuple[str, str]]:
    """Regexes (lower-case) for a phrase under the rule's context, each with
    the literal it starts with."""
    core = _core(rule, phrase, junction, closed=closed)
    first = _anchor(phrase)
    if not rule.context or any(_unconstrained(c) for c in rule.context):
        return [(core, first)]
    alternatives: list[tuple[str, str]] = []
    for condition in rule.context:
        if condition.followed_by:
            words = "|".join(_words_regex(w, junction) for w in condition.followed_by)
            alternatives.append((f"{core}{_ending(phrase)}{junction}+(?:{words})", first))
        elif condition.preceded_by:
            for word in condition.preceded_by:
                alternatives.append((f"{_words_regex(word, junction)}{junction}+{core}", first))
    return alternatives


def _core(rule: Rule, phrase: str, junction: str, *, closed: bool) -> str:
    """The phrase's regex without its context conditions; with ``closed``,
    its words may be written as one whatever the rule says."""
    glue = f"{junction}*" if rule.closed_compounds or closed else f"{junction}+"
    return stem_regex(phrase, glue)


def _ending(phrase: str) -> str:
    """What may follow the stem the core ends with: the rest of the last word,
    singular or plural ("offic" + "e" or "es"), before a word that follows it."""
    last = phrase.split()[-1]
    stem = common_prefix(last, plural(last))
    return f"(?:{re.escape(last[len(stem) :])}|{re.escape(plural(last)[len(stem) :])})"


def _anchor(phrase: str) -> str:
    """The literal every match of the phrase's regex starts with: its first
    word, or for a one-word phrase the stem its plural shares ("part" of
    "party" and "parties")."""
    words = phrase.split()
    return common_prefix(words[0], plural(words[0])) if len(words) == 1 else words[0]


def _unconstrained(condition: ContextCondition) -> bool:
    return not condition.followed_by and not condition.preceded_by


def _words_regex(entry: str, junction: str) -> str:
    return f"{junction}+".join(re.escape(w) for w in entry_words(entry))


def _occurrences(text: str, needle: str) -> Iterator[int]:
    position = text.find(needle)
    while position >= 0:
        yield position
        position = text.find(needle, position + 1)


def required_literal(pattern: Sequence[dict[str, Any]]) -> list[str] | None:
    """The words one of which every match of the token pattern holds (its
    first required token's), or None when no such token names any."""
    for token in pattern:
        if token.get("OP") not in _REQUIRED_OPS:
            continue
        for key in _LITERAL_KEYS:
            value = token.get(key)
            if isinstance(value, str):
                return [value]
            if isinstance(value, dict) and isinstance(value.get("IN"), list):
                return [str(v) for v in value["IN"]]
    return None


class TextScreen:
    """Where in plain text a paragraph may give a finding or a directive: the
    first of the rules' first words (``Prefilter.block_anchors``), a soft
    hyphen (``block_may_match`` lets any block with one through), or a
    suppression marker. ``extract.plaintext`` builds blocks only for the
    paragraphs these stand in, and counts the lines of the others: building
    every paragraph's block, line by line in Python, held plain text to 6 MB/s
    (the matcher then screened out 93 % of them, on the benchmark's markdown
    read as text). ``extract.markdown`` likewise parses the inline markup of
    only the paragraphs, headings and cells that may hold one.
    ``prefilter``: the matcher's, asked for when first needed
    (a rescan from the cache builds none); it gives None when the matcher
    has none, and then every block is read."""

    def __init__(self, prefilter: Callable[[], Prefilter | None]) -> None:
        self._prefilter = prefilter
        self._terms: tuple[str, ...] | None = None

    def holds(self, text: str) -> bool:
        """Whether a short text holds a term anywhere."""
        lowered = text.lower()
        return self.first(lowered, 0, len(lowered)) >= 0

    def first(self, lowered: str, start: int, end: int) -> int:
        """The first position in ``lowered[start:end]`` (lower-cased text, as
        long as the text) where a term stands, or -1: none does."""
        if self._terms is None:
            prefilter = self._prefilter()
            anchors = prefilter.block_anchors() if prefilter is not None else None
            # No anchors: every position is one (each block is read).
            self._terms = ("",) if anchors is None else (*anchors, "\u00ad", SUPPRESSION_MARKER)
        found = -1
        for term in self._terms:
            at = lowered.find(term, start, end if found < 0 else found + len(term))
            if at >= 0 and (found < 0 or at < found):
                found = at
        return found
