"""spaCy's Matcher, kept as one matcher per word a pattern starts with.

spaCy's Matcher starts every pattern at every token, so its cost is tokens
times patterns: with the shipped rules' 66 patterns it took 28 us a token,
100 times the tokenising, and a file with 7,000 findings spent 4 of its 7 s
there. A window around a candidate holds only one or two of the words the
patterns start with ("back", "non"...), so only those words' matchers run on
it. A slot of several forms (``{"LOWER": {"IN": [...]}}``) is also written
out as one pattern a form: a plain attribute is compared in C, a set is a
predicate called in Python for each token it is tried on.

A pattern whose first token is anything but a plain ``LOWER`` (a token
pattern of a custom pack, with an operator, another attribute) may start at
any token: those share one matcher that runs on every window.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

Pattern = list[dict[str, Any]]


class FirstWordMatcher:
    """Patterns added under keys, as to spaCy's Matcher; called on a ``Doc``,
    it gives what one Matcher holding them all would: ``(key, start, end)``
    for each match, a key's equal matches once, and matches of the same span
    in the order their keys were added."""

    def __init__(self, vocab: Vocab) -> None:
        self._vocab = vocab
        self._by_word: dict[int, Matcher] = {}
        self._anywhere: Matcher | None = None
        self._added: dict[int, int] = {}

    def add(self, key: str, patterns: Sequence[Pattern]) -> None:
        """Add ``patterns`` under ``key``; spaCy's errors for a bad pattern pass through."""
        key_id = self._vocab.strings.add(key)
        self._added.setdefault(key_id, len(self._added))
        starting: dict[int | None, list[Pattern]] = {}
        for pattern in patterns:
            for written in _one_form_each(pattern):
                starting.setdefault(_first_word(written, self._vocab), []).append(written)
        for word, grouped in starting.items():
            self._matcher_for(word).add(key, grouped)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        from spacy.attrs import LOWER

        words = set(doc.to_array(LOWER).tolist())
        matchers = [self._by_word[word] for word in words if word in self._by_word]
        if self._anywhere is not None:
            matchers.append(self._anywhere)
        found: set[tuple[int, int, int]] = set()
        for matcher in matchers:
            found.update(matcher(doc))
        return sorted(found, key=lambda match: (match[1], match[2], self._added[match[0]]))

    def _matcher_for(self, word: int | None) -> Matcher:
        from spacy.matcher import Matcher

        if word is None:
            if self._anywhere is None:
                self._anywhere = Matcher(self._vocab, validate=True)
            return self._anywhere
        if word not in self._by_word:
            self._by_word[word] = Matcher(self._vocab, validate=True)
        return self._by_word[word]


def _one_form_each(pattern: Pattern) -> Iterator[Pattern]:
    """The pattern once for each form its first token accepts, and for each
    choice of form in its other ``LOWER`` sets, as long as those choices stay
    few (a custom pattern of several long sets keeps them as sets)."""
    choices: list[list[dict[str, Any]]] = []
    for number, token in enumerate(pattern):
        forms = _lower_forms(token) if len(token) == 1 else None
        if forms is None:
            choices.append([token])
        elif number and len(forms) > 1 and math.prod(len(c) for c in choices[1:]) * len(forms) > _MOST_WRITTEN_OUT:
            choices.append([{"LOWER": {"IN": forms}}])
        else:
            choices.append([{"LOWER": form} for form in forms])
    for tokens in itertools.product(*choices):
        yield [dict(token) for token in tokens]


# Patterns one pattern may be written out into, beyond its first token's forms.
_MOST_WRITTEN_OUT = 16


def _lower_forms(token: dict[str, Any]) -> list[str] | None:
    """The forms a ``{"LOWER": ...}`` token spec accepts: a string, or a set of strings."""
    lower = token.get("LOWER")
    if isinstance(lower, str):
        return [lower]
    if isinstance(lower, dict) and set(lower) == {"IN"} and isinstance(lower["IN"], list):
        forms = lower["IN"]
        if forms and all(isinstance(form, str) for form in forms):
            return sorted(set(forms))
    return None


def _first_word(pattern: Pattern, vocab: Vocab) -> int | None:
    """The word every match of ``pattern`` starts with, as spaCy hashes it; None
    when a match may start with any token."""
    if not pattern:
        return None
    first = pattern[0]
    lower = first.get("LOWER")
    if set(first) != {"LOWER"} or not isinstance(lower, str):
        return None
    word: int = vocab.strings.add(lower)
    return word
