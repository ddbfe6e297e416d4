"""``FirstWordMatcher`` finds what one spaCy Matcher holding the same patterns
finds, in the same order for matches of one span: it is only a faster way to
run them (one matcher per word a pattern starts with, sets written out)."""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wordaudit.first_words import FirstWordMatcher
from wordaudit.match import RuleMatcher, _load_language, _phrase_patterns
from wordaudit.rules import load_rules, pack_paths

# Token patterns as a custom pack may write them: operators, other attributes,
# sets on the first token, several long sets (kept as sets), a set on a later token.
CUSTOM: dict[str, list[list[dict[str, Any]]]] = {
    "optional-first": [[{"LOWER": "the", "OP": "?"}, {"LOWER": "back"}, {"LOWER": "office"}]],
    "any-first": [[{"IS_ALPHA": True}, {"LOWER": {"IN": ["office", "line"]}}]],
    "first-set": [[{"LOWER": {"IN": ["tier", "level"]}}, {"IS_DIGIT": True}, {"LOWER": "support"}]],
    "long-sets": [
        [
            {"LOWER": "back"},
            {"LOWER": {"IN": [f"w{letter}" for letter in "abcdef"] + ["office"]}},
            {"LOWER": {"IN": [f"v{letter}" for letter in "abcdef"] + ["team"]}},
        ]
    ],
    "regex-first": [[{"LOWER": {"REGEX": "^back"}}, {"ORTH": "-", "OP": "?"}, {"LOWER": "end"}]],
    "orth-first": [[{"ORTH": "Back"}, {"LOWER": "line"}]],
}

WORDS = [
    "back", "Back", "office", "offices", "backoffice", "line", "lines", "end", "ends", "-", " ", "\n",
    "non", "customer", "facing", "revenue", "producing", "behind", "the", "scenes", "staff", "team",
    "transaction", "processors", "laid", "hit", "tier", "2", "support", "level", "wc", "ve", "of",
    "defence", "front", ",", ".", "backend", "BACK-OFFICE", "non-customer-facing", "Behind-the-scenes",
]  # fmt: skip


@functools.cache
def _matchers() -> tuple[Any, Any, FirstWordMatcher]:
    from spacy.matcher import Matcher

    nlp = _load_language(None)
    reference = Matcher(nlp.vocab, validate=True)
    split = FirstWordMatcher(nlp.vocab)
    rules, _ = load_rules(pack_paths())
    entries: list[tuple[str, list[list[dict[str, Any]]]]] = []
    for index, rule in enumerate(rules):
        for phrase in rule.phrases:
            entries.append((f"r{index}p{phrase}", _phrase_patterns(phrase)))
        exceptions = [p for phrase in rule.exceptions for p in _phrase_patterns(phrase)]
        if exceptions:
            entries.append((f"r{index}e", exceptions))
    entries.extend(CUSTOM.items())
    for key, patterns in entries:
        reference.add(key, patterns)
        split.add(key, patterns)
    return nlp, reference, split


def _both(text: str) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]:
    nlp, reference, split = _matchers()
    doc = nlp.make_doc(text)
    # Matches of one span keep their order; spans are compared as a set.
    expected = sorted(reference(doc), key=lambda match: (match[1], match[2]))
    return expected, split(doc)


def test_the_rule_examples_match_alike() -> None:
    rules, _ = load_rules(pack_paths())
    texts = [text for rule in rules for text in (*rule.examples.flag, *rule.examples.passes)]
    assert len(texts) > 50
    found = 0
    for text in texts:
        expected, actual = _both(text)
        assert actual == expected, text
        found += len(actual)
    assert found > 40


def test_custom_patterns_of_every_kind_match() -> None:
    expected, actual = _both("The back office, Back line, tier 2 support, back wc ve, backend end, back-end.")
    keys = {_matchers()[0].vocab.strings[match[0]] for match in actual}
    assert set(CUSTOM) <= keys
    assert actual == expected


def test_a_first_set_and_long_sets_are_split_as_far_as_allowed() -> None:
    nlp = _load_language(None)
    split = FirstWordMatcher(nlp.vocab)
    split.add("first-set", CUSTOM["first-set"])
    split.add("long-sets", CUSTOM["long-sets"])
    split.add("phrase", _phrase_patterns("hit the back line"))
    words = {nlp.vocab.strings[word] for word in split._by_word}
    assert words == {"tier", "level", "back", "hit", "hitthe", "hittheback", "hitthebackline", "hitthebacklines"}
    assert split._anywhere is None
    # The second token's 7 forms are written out; 7 x 7 would be more than may be: the third stays a set.
    written = split._by_word[nlp.vocab.strings["back"]].get("long-sets")[1]
    assert len(written) == 7
    assert all(isinstance(pattern[1]["LOWER"], str) and "IN" in pattern[2]["LOWER"] for pattern in written)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30), st.lists(st.booleans(), min_size=30, max_size=30))
def test_any_text_matches_alike(words: list[str], spaced: list[bool]) -> None:
    text = "".join(word + (" " if space else "") for word, space in zip(words, spaced, strict=False))
    expected, actual = _both(text)
    assert actual == expected


def test_the_rule_matcher_uses_it() -> None:
    rules, _ = load_rules(pack_paths())
    matcher = RuleMatcher(rules)
    matcher.load_pipeline()
    assert isinstance(matcher._matcher, FirstWordMatcher)
