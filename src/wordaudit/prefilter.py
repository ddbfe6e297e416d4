"""Cheap exact pre-checks that keep clean text away from spaCy.

One compiled regex per run finds every place where any rule could match. It
is a superset of the matcher by construction: it is derived from the same
phrase variants (``variants.stem_regex``) with a looser junction between the
words, and for token patterns from one token every match must contain. Two
strengths exist: ``raw`` for a whole markdown/text file before it is parsed
(markup such as ``**``, ``<b>`` or a link target may stand between the
words), and ``block`` for extracted prose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from wordaudit.model import Rule
from wordaudit.variants import stem_regex

# In extracted (and view-normalised) prose only white space and hyphens may join
# a phrase's words; the matcher allows no more.
_BLOCK_JUNCTION = r"[\s\-]*"
# In raw markdown anything that is not a word character may, plus a bounded
# amount of inline markup that has word characters in it (tags, link targets,
# entities); bounded so that a failed attempt costs little.
_RAW_JUNCTION = r"(?:[\W_]|<[^<>\n]{0,200}>|\]\([^()\n]{0,500}\)|&#?\w{1,10};){0,40}"
_LITERAL_KEYS = ("LOWER", "ORTH", "TEXT", "NORM")
_REQUIRED_OPS = (None, "+", "1")


class Prefilter:
    def __init__(self, rules: Sequence[Rule]) -> None:
        phrases = sorted({p for rule in rules for p in rule.phrases})
        literals, self.always = _pattern_literals(rules)
        block = [stem_regex(p, _BLOCK_JUNCTION) for p in phrases] + literals
        raw = [stem_regex(p, _RAW_JUNCTION) for p in phrases] + literals
        self._block = _compile(block)
        self._raw = _compile(raw)

    def raw_may_match(self, text: str) -> bool:
        """Whether a whole markdown or text file can hold any finding."""
        if self.always:
            return True
        if "\u00ad" in text:
            text = text.replace("\u00ad", "")
        return self._raw is not None and self._raw.search(text) is not None

    def candidates(self, view_text: str) -> Iterator[tuple[int, int]]:
        """Spans of extracted prose where a rule might match."""
        if self.always:
            yield (0, len(view_text))
            return
        if self._block is None:
            return
        for found in self._block.finditer(view_text):
            yield found.span()


def _compile(alternatives: list[str]) -> re.Pattern[str] | None:
    if not alternatives:
        return None
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


def _pattern_literals(rules: Sequence[Rule]) -> tuple[list[str], bool]:
    """One alternative per token pattern: a literal every match must contain.
    A pattern without one makes the prefilter pass everything (``always``)."""
    literals: list[str] = []
    for rule in rules:
        for pattern in rule.patterns:
            values = _required_literal(pattern)
            if values is None:
                return [], True
            literals.append("|".join(re.escape(v) for v in values))
    return literals, False


def _required_literal(pattern: Sequence[dict[str, Any]]) -> list[str] | None:
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
