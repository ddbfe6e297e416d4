"""The spellings a rule phrase stands for.

Rule authors write plain words ("back office"); people write "Back-Office",
"backoffices", "back-\\noffice". Each phrase becomes a list of *slots*: token
forms in order, where neighbouring words may also be written closed up as one
token. Both the spaCy patterns and the prefilter regex are derived from here,
so they cannot drift apart.
"""

from __future__ import annotations

import itertools
import re

# Junction characters between the words of a phrase, after ``view.normalise``.
HYPHEN = "-"


# What parts the words of a context entry ("customer-facing", "work in"):
# hyphens and spaces alike, as between a phrase's words.
_ENTRY_JOINS = re.compile(r"[\s\-\u2010\u2011]+")


def entry_words(entry: str) -> tuple[str, ...]:
    """A context entry's words, in lower case, for the matcher and the prefilter alike."""
    return tuple(word for word in _ENTRY_JOINS.split(entry.lower()) if word)


def plural(word: str) -> str:
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + "s"


def slot_sequences(phrase: str) -> list[list[frozenset[str]]]:
    """Every way to close up the phrase's words: each item is a token sequence,
    each token a set of lower-case forms (the last one singular or plural)."""
    words = phrase.split()
    sequences: list[list[frozenset[str]]] = []
    for closures in itertools.product((False, True), repeat=len(words) - 1):
        tokens: list[str] = [words[0]]
        for closed, word in zip(closures, words[1:], strict=True):
            if closed:
                tokens[-1] += word
            else:
                tokens.append(word)
        slots = [frozenset({t}) for t in tokens]
        slots[-1] = frozenset({tokens[-1], plural(tokens[-1])})
        sequences.append(slots)
    return sequences


def stem_regex(phrase: str, junction: str) -> str:
    """A regex that finds every variant of the phrase (and some non-matches):
    the words in order, joined by ``junction``, the last word by its stem."""
    words = phrase.split()
    last = words[-1]
    common = common_prefix(last, plural(last))
    parts = [re.escape(w) for w in words[:-1]] + [re.escape(common)]
    return junction.join(parts)


def common_prefix(a: str, b: str) -> str:
    size = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        size += 1
    return a[:size]
