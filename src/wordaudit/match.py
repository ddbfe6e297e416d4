"""Token matching with spaCy: phrase variants, token patterns, context.

spaCy (``spacy.blank("en")``, or a model the user names) is loaded on the
first block the prefilter lets through, so a run over clean files never
imports it. Only windows around prefilter candidates are tokenised, which
bounds the work and keeps spaCy's ``max_length`` out of the way for huge
blocks; windows start and end at white space, where the tokenizer splits
anyway, so tokens inside a window equal those of the whole text.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple

from wordaudit.errors import ConfigError, RuleFileError
from wordaudit.first_words import FirstWordMatcher
from wordaudit.model import Block, Match, Rule
from wordaudit.prefilter import Prefilter
from wordaudit.variants import entry_words, plural, slot_sequences

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from wordaudit.view import MatchView

_WINDOW = 120
# How far a window edge may move to reach white space, and the longest window.
_SNAP = 200
_MAX_WINDOW = 100_000
_JUNCTION: list[dict[str, Any]] = [
    {"IS_SPACE": True, "OP": "?"},
    {"ORTH": "-", "OP": "?"},
    {"IS_SPACE": True, "OP": "?"},
]
# The e-mail part starts only where a run of address characters starts, with
# bounded parts: "[\w.+-]+@" tried at every position of a long run was quadratic.
# The patterns here are compiled on first use (re keeps them): a run that
# tokenises nothing never needs them.
_URL_OR_EMAIL = r"(?i)\b(?:https?|ftp)://\S+|\bwww\.\S+|(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+"
_JOINERS = frozenset(" \t\n-\u00ad\u2010\u2011\u00a0")
# spaCy strips prefixes and suffixes one character at a time and searches the
# rest of the word for a suffix after each: on a word of 100,000 characters
# glued to a long run of punctuation that is quadratic (a fuzzed file took
# minutes). In such a word only letters, digits, hyphens and apostrophes can be
# part of a phrase, so the rest is blanked, keeping every offset.
_LONG_WORD = r"\S{1000,}"
_NOT_PHRASE_CHAR = r"[^\w\-'\u2010-\u2015\u2019]"
_ALLOW = "allow"


class _Label(NamedTuple):
    # A named tuple rather than a record: this one is only ever read, and a
    # named tuple is the cheapest class to make at import.
    rule_index: int
    phrase: str  # empty for token patterns and exceptions
    exception: bool = False


class RuleMatcher:
    """Built once per run (per worker process) from the loaded rules."""

    def __init__(
        self,
        rules: Sequence[Rule],
        allow: Sequence[str] = (),
        *,
        use_prefilter: bool = True,
        model: str | None = None,
    ) -> None:
        self.rules = tuple(rules)
        self.allow = tuple(allow)
        self.use_prefilter = use_prefilter
        self.model = model
        self._nlp: Language | None = None
        self._matcher: FirstWordMatcher | None = None
        self._labels: dict[str, _Label] = {}

    # -- public -------------------------------------------------------------

    @functools.cached_property
    def prefilter(self) -> Prefilter:
        # Built on first use: a rescan answered from the cache needs no regex.
        return Prefilter(self.rules)

    def raw_may_match(self, text: str) -> bool:
        return not self.use_prefilter or self.prefilter.raw_may_match(text)

    def prefilter_if_used(self) -> Prefilter | None:
        return self.prefilter if self.use_prefilter else None

    def find(self, blocks: Iterable[Block]) -> list[Match]:
        found: list[Match] = []
        for block in blocks:
            if block.kind != "directive":
                found.extend(self.find_in_block(block))
        return found

    @property
    def pipeline_loaded(self) -> bool:
        """Whether spaCy is loaded in this process for these rules' model."""
        return self._nlp is not None or self.model in _LOADED

    def needs_pipeline(self, block: Block) -> bool:
        """Whether matching this block would run spaCy: the prefilter found a candidate in it."""
        if block.kind == "directive":
            return False
        if not self.use_prefilter:
            return True
        if not self.prefilter.block_may_match(block.text):
            return False
        return any(
            next(self.prefilter.candidates(view.text, soft_hyphens=view.cut), None) is not None
            for view in _views(block.text)
        )

    def find_in_block(self, block: Block) -> list[Match]:
        first, *others = _views(block.text)
        matches = self._find_in_view(block, first)
        for view in others:
            # A match read with a line-end hyphen kept adds only where the
            # first reading found nothing ("back-" / "end staff").
            taken = [(match.start, match.end) for match in matches]
            extra = [m for m in self._find_in_view(block, view) if not any(s < m.end and m.start < e for s, e in taken)]
            matches = sorted([*matches, *extra], key=lambda match: match.start) if extra else matches
        return matches

    def _find_in_view(self, block: Block, view: MatchView) -> list[Match]:
        if self.use_prefilter:
            spans = list(self.prefilter.candidates(view.text, soft_hyphens=view.cut))
            if not spans:
                return []
            windows = _windows(view.text, spans)
        else:
            windows = [(0, len(view.text))]
        matches: list[Match] = []
        seen: set[tuple[int, int, str]] = set()
        for start, end in windows:
            for match in self._match_window(block, view, start, end):
                # Windows that were not merged (too long) may overlap: report once.
                key = (match.start, match.end, match.rule.id)
                if key not in seen:
                    seen.add(key)
                    matches.append(match)
        return matches

    # -- spaCy --------------------------------------------------------------

    def load_pipeline(self) -> None:
        """Load spaCy and build the matcher now, rather than for the first candidate."""
        self._ensure_pipeline()

    def _ensure_pipeline(self) -> tuple[Language, FirstWordMatcher]:
        if self._nlp is None or self._matcher is None:
            self._nlp = _load_language(self.model)
            self._matcher = self._build_matcher(self._nlp)
        return self._nlp, self._matcher

    def _build_matcher(self, nlp: Language) -> FirstWordMatcher:
        matcher = FirstWordMatcher(nlp.vocab)
        for index, rule in enumerate(self.rules):
            for phrase in rule.phrases:
                self._add(matcher, _Label(index, phrase), _phrase_patterns(phrase), rule)
            for number, pattern in enumerate(rule.patterns):
                key = f"r{index}x{number}"
                self._labels[key] = _Label(index, "")
                try:
                    matcher.add(key, [list(pattern)])
                except Exception as exc:  # spaCy raises several types for a bad pattern
                    raise RuleFileError(rule.origin, None, f"rule '{rule.id}': bad token pattern: {exc}") from exc
            exceptions = [p for phrase in rule.exceptions for p in _phrase_patterns(phrase)]
            if exceptions:
                self._add(matcher, _Label(index, "", exception=True), exceptions, rule)
        allow_patterns = [p for phrase in self.allow for p in _phrase_patterns(_words(phrase))]
        if allow_patterns:
            self._labels[_ALLOW] = _Label(-1, "", exception=True)
            matcher.add(_ALLOW, allow_patterns)
        return matcher

    def _add(self, matcher: FirstWordMatcher, label: _Label, patterns: list[list[dict[str, Any]]], rule: Rule) -> None:
        key = f"r{label.rule_index}{'e' if label.exception else 'p'}{label.phrase}"
        self._labels[key] = label
        matcher.add(key, patterns)

    def _match_window(self, block: Block, view: MatchView, start: int, end: int) -> list[Match]:
        nlp, matcher = self._ensure_pipeline()
        text = view.text[start:end]
        doc = nlp.make_doc(_blank_long_word_punctuation(text))
        masked = [m.span() for m in re.finditer(_URL_OR_EMAIL, text)]
        candidates: list[tuple[int, int, _Label]] = []
        exempt: list[tuple[int, int, int]] = []
        for match_id, first, last in matcher(doc):
            label = self._labels[nlp.vocab.strings[match_id]]
            if label.exception:
                exempt.append((doc[first].idx, doc[last - 1].idx + len(doc[last - 1]), label.rule_index))
            else:
                candidates.append((first, last, label))
        kept: list[Match] = []
        # Candidates come sorted by start, longest first: one overlaps an earlier
        # kept match exactly when it starts before the furthest end kept so far
        # (a list scan here made a file with 20,000 phrases quadratic).
        taken_end = -1
        for first, last, label in sorted(candidates, key=lambda c: (c[0], -(c[1] - c[0]))):
            rule = self.rules[label.rule_index]
            char_start = doc[first].idx
            char_end = doc[last - 1].idx + len(doc[last - 1])
            if char_start < taken_end:
                continue
            if any(s < char_end and char_start < e for s, e in masked):
                continue
            if label.phrase and _spaced_dash(doc, first, last):
                continue
            if any(s <= char_start and char_end <= e and r in (-1, label.rule_index) for s, e, r in exempt):
                continue
            next_words = _following(doc, last)
            previous_word = _neighbour(doc, first - 1, -1)
            if rule.context and not _context_holds(rule, doc, first, last):
                continue
            block_start = view.to_block(start + char_start)
            block_end = view.to_block_end(start + char_end)
            # A phrase of one word has no words to write as one: nothing to check.
            multiword = " " in label.phrase
            if multiword and not rule.closed_compounds and not _JOINERS.intersection(block.text[block_start:block_end]):
                continue
            taken_end = max(taken_end, char_end)
            kept.append(
                Match(
                    rule=rule,
                    block=block,
                    start=block_start,
                    end=block_end,
                    phrase=label.phrase,
                    plural=_is_plural(doc[last - 1].lower_, label.phrase),
                    next_words=next_words,
                    previous_word=previous_word,
                )
            )
        return kept


def _views(text: str) -> list[MatchView]:
    """The readings of a block the matcher tries: one, or two where a soft
    hyphen ends a line (a word broken there, or a compound at its hyphen)."""
    from wordaudit.view import has_line_end_hyphen, make_view  # per-file work: not on a cached rescan

    view = make_view(text)
    if not has_line_end_hyphen(text):
        return [view]
    return [view, make_view(text, keep_line_end_hyphens=True)]


def _blank_long_word_punctuation(text: str) -> str:
    if re.search(_LONG_WORD, text) is None:
        return text
    return re.sub(_LONG_WORD, lambda word: re.sub(_NOT_PHRASE_CHAR, " ", word.group()), text)


_LOADED: dict[str | None, Language] = {}


def _import_spacy() -> None:
    """spaCy without its command line.

    ``import spacy`` also imports ``spacy.cli`` (typer, weasel, httpx, for
    ``spacy.info``), a third of its import time (0.25 s of 0.75 s measured),
    and loading spaCy is what a scan with findings waits for. Stand-ins for the
    two modules it imports are removed again at once, so a later ``import
    spacy.cli`` gets the real one.
    """
    if "spacy" in sys.modules:
        return
    # numpy comes with spaCy, and its OpenBLAS starts a thread per core as it
    # loads (60-80 ms on two cores); wordaudit only tokenises and never calls
    # BLAS. A value the user set is kept.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    stand_ins = {}
    if "spacy.cli" not in sys.modules:
        cli, info = ModuleType("spacy.cli"), ModuleType("spacy.cli.info")
        info.info = _no_info  # type: ignore[attr-defined]
        cli.info = info  # type: ignore[attr-defined]
        stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
    sys.modules.update(stand_ins)
    try:
        import spacy  # noqa: F401 - imported for the side effect: loaded once, here
    finally:
        for name in stand_ins:
            del sys.modules[name]


def check_patterns(rule: Rule) -> None:
    """Raise ``RuleFileError`` for a token pattern of ``rule`` spaCy's matcher refuses."""
    if not rule.patterns:
        return
    _import_spacy()
    from spacy.matcher import Matcher
    from spacy.vocab import Vocab

    matcher = Matcher(Vocab(), validate=True)
    for number, pattern in enumerate(rule.patterns):
        try:
            matcher.add(f"p{number}", [list(pattern)])
        except Exception as exc:  # spaCy raises several types for a bad pattern
            path, _, line = rule.origin.rpartition(":")
            if not line.isdigit():
                path, line = rule.origin, ""
            what = f"rule '{rule.id}': bad token pattern {number + 1}: {_one_line(exc)}"
            raise RuleFileError(path, int(line) if line else None, what) from exc


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def _no_info(*args: object, **kwargs: object) -> None:
    raise RuntimeError("spacy.info is not available inside wordaudit")


def preload() -> None:
    """Load the default pipeline now (the fork server does, so workers inherit it)."""
    _load_language(None)


def _load_language(model: str | None) -> Language:
    if model in _LOADED:
        return _LOADED[model]
    _LOADED[model] = nlp = _new_language(model)
    return nlp


def _new_language(model: str | None) -> Language:
    with _collector_paused():
        return _built_language(model)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold Python's cyclic garbage collector while spaCy loads, then freeze
    what it built.

    Loading makes hundreds of thousands of long-lived objects and no garbage,
    yet each of them triggers collections that walk all the others: 5-10 % of
    the load. Frozen (``gc.freeze``), they are never walked again by this
    process, nor by the workers forked from it, whose collections would
    otherwise touch, and so copy, every page spaCy's objects sit in.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _built_language(model: str | None) -> Language:
    _import_spacy()
    if not model:
        return _blank_english()
    import spacy
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    try:
        nlp = spacy.load(model, exclude=["parser", "ner", "lemmatizer", "textcat"])
    except OSError as exc:
        raise ConfigError(f"spaCy model '{model}' is not installed (python -m spacy download {model})") from exc
    tokenizer: Any = nlp.tokenizer
    defaults: Any = nlp.Defaults
    tokenizer.suffix_search = compile_suffix_regex([*defaults.suffixes, _HYPHEN]).search
    tokenizer.prefix_search = compile_prefix_regex([*defaults.prefixes, _HYPHEN]).search
    tokenizer.infix_finditer = compile_infix_regex([*defaults.infixes, _GLUED_PUNCTUATION]).finditer
    return nlp


# A hyphen at a line end ("back-\noffice") or before a word ("-office") must
# be a token of its own, as it already is between two letters.
_HYPHEN = "-"
# A note number glued to a word, as a PDF's text layer gives a raised footnote
# mark ("back office2", "office\u00b9 staff", a citation "producing[3]", whose
# "]" spaCy strips first) or the number that starts the note ("1Back office
# staff..."): a token of its own, or the word is not read.
_NOTE_DIGITS = "[0-9\u00b9\u00b2\u00b3\u2070\u2074-\u2079]{1,3}"
# Markdown writes the mark "[^1]" (a footnote reference) or "^1", and a note
# may follow the sentence's full stop ("office.[^1]").
_NOTE_AFTER_WORD = f"(?:(?<=[^\\W\\d_])|(?<=[^\\W\\d_][.,;:]))(?:\\[\\^?|\\^)?{_NOTE_DIGITS}"
_NOTE_BEFORE_WORD = f"{_NOTE_DIGITS}(?=[A-Z])"
# Punctuation glued between two letters, where a space went missing ("the back
# office;and", "office!And", "office)and", a PDF's 'office"and', an opening
# quote or asterisk after the word before, "more\u2018back office\u2019",
# "more*back office*"): spaCy splits only a few such marks (":", "=", "/", ","
# and "." before a capital), and left "office;and" one word, so the phrase was
# missed. Not "." (a bare domain, "backoffice.example.com", stays one word), nor
# an apostrophe ("O'Brien", "O\u2019Brien"), "_" or "#" (identifiers and
# markup). Two such marks, or one beside a full stop, comma or colon, are split
# off as one ('said,"back office', 'said.\u201cBack office', "said,(back
# office"). A split never joins words: the matcher lets only spaces and hyphens
# stand between a phrase's words.
_GLUED_MARK = '[;!?|()\\[\\]{}"\u201c\u201d\u2018*&+]'
_GLUED_PUNCTUATION = (
    f"(?<=[^\\W\\d_])(?:[.,:]?{_GLUED_MARK}{{1,2}}|{_GLUED_MARK}[.,:])(?=[^\\W\\d_])"
    # spaCy's own infix splits a full stop before a quote first ("said." then
    # "\u201cBack"): the quote after it is split off in turn.
    f"|(?<=[^\\W\\d_][.,:]){_GLUED_MARK}{{1,2}}(?=[^\\W\\d_])"
)


def _blank_english() -> Language:
    """``spacy.blank("en")`` with the hyphen affixes built in.

    Setting a tokenizer's prefix or suffix search afterwards makes spaCy
    reload its 4,000 special cases each time, and the new expressions are
    compiled beside the default ones: 0.22 s against 0.10 s, paid by every
    process that loads spaCy. The tokens are the same either way
    (tests/test_match.py compares them).
    """
    from spacy.lang.en import English

    english: Any = English
    defaults = type(
        "Defaults",
        (english.Defaults,),
        {
            "prefixes": (*english.Defaults.prefixes, _HYPHEN, _NOTE_BEFORE_WORD),
            "suffixes": (*english.Defaults.suffixes, _HYPHEN, _NOTE_AFTER_WORD),
            "infixes": (*english.Defaults.infixes, _GLUED_PUNCTUATION),
        },
    )
    language: Any = type("HyphenEnglish", (english,), {"Defaults": defaults})
    nlp: Language = language()
    return nlp


def _phrase_patterns(phrase: str) -> list[list[dict[str, Any]]]:
    patterns = []
    for slots in slot_sequences(phrase):
        pattern: list[dict[str, Any]] = []
        for number, forms in enumerate(slots):
            if number:
                pattern.extend(dict(j) for j in _JUNCTION)
            pattern.append({"LOWER": {"IN": sorted(forms)}})
        patterns.append(pattern)
    return patterns


def _words(phrase: str) -> str:
    return " ".join(w for w in re.split(r"[\s\-]+", phrase.lower()) if w)


def _spaced_dash(doc: Doc, first: int, last: int) -> bool:
    """Whether a hyphen between the phrase's words has a space before it:
    typed for a dash ("we called them back - office hours had begun"), it
    parts the words as the dash would. A hyphen that ends a line ("back-" /
    "office") has none before it."""
    return any(doc[i].text == "-" and (doc[i - 1].whitespace_ or doc[i - 1].is_space) for i in range(first + 1, last))


def _neighbour(doc: Doc, index: int, step: int) -> str:
    while 0 <= index < len(doc):
        token = doc[index]
        if not token.is_space:
            return token.lower_
        index += step
    return ""


def _following(doc: Doc, index: int, count: int = 3) -> tuple[str, ...]:
    words: list[str] = []
    while index < len(doc) and len(words) < count:
        token = doc[index]
        # "back-end-staff" is "back-end staff" hyphenated through: the hyphen joins, it does not part.
        if not token.is_space and not (token.text == "-" and not words):
            words.append(token.lower_)
        index += 1
    return tuple(words)


def _context_holds(rule: Rule, doc: Doc, first: int, last: int) -> bool:
    """Whether one of the rule's conditions holds for the match ``doc[first:last]``.
    An entry's words are compared with the words around the match, hyphens
    and spaces alike ("customer-facing", "work in", "of the main building")."""
    reach = _context_reach(rule)
    after = _words_around(doc, last, 1, reach)
    before = _words_around(doc, first - 1, -1, reach)[::-1]
    for condition in rule.context:
        if condition.followed_by and not _starts_with_any(after, condition.followed_by):
            continue
        if condition.preceded_by and not _ends_with_any(before, condition.preceded_by):
            continue
        if condition.not_followed_by and _starts_with_any(after, condition.not_followed_by):
            continue
        if condition.not_preceded_by and _ends_with_any(before, condition.not_preceded_by):
            continue
        return True
    return False


@functools.cache
def _context_reach(rule: Rule) -> int:
    """How many words the rule's longest context entry has."""
    entries = [
        entry
        for c in rule.context
        for listed in (c.followed_by, c.preceded_by, c.not_followed_by, c.not_preceded_by)
        for entry in listed
    ]
    return max((len(_entry_words(entry)) for entry in entries), default=1)


# Cached: compared for every candidate a context rule meets.
_entry_words = functools.cache(entry_words)


def _words_around(doc: Doc, index: int, step: int, count: int) -> tuple[str, ...]:
    """Up to ``count`` words from ``doc[index]`` on, going ``step``: white space
    and hyphens are not words."""
    words: list[str] = []
    while 0 <= index < len(doc) and len(words) < count:
        token = doc[index]
        if not token.is_space and token.text not in _HYPHENS:
            words.append(token.lower_)
        index += step
    return tuple(words)


_HYPHENS = frozenset({"-", "\u2010", "\u2011"})


def _starts_with_any(words: tuple[str, ...], entries: tuple[str, ...]) -> bool:
    return any(words[: len(_entry_words(entry))] == _entry_words(entry) for entry in entries)


def _ends_with_any(words: tuple[str, ...], entries: tuple[str, ...]) -> bool:
    return any(_entry_words(entry) and words[-len(_entry_words(entry)) :] == _entry_words(entry) for entry in entries)


def _is_plural(last_token: str, phrase: str) -> bool:
    return bool(phrase) and last_token.endswith(plural(phrase.split()[-1]))


def _windows(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Candidate spans widened by a margin, snapped to white space, merged, and
    never longer than ``_MAX_WINDOW`` (spaCy refuses texts over a million
    characters, and its suffix rules are slow on a long run without spaces)."""
    windows: list[tuple[int, int]] = []
    for span_start, span_end in sorted(spans):
        start = _space_before(text, max(span_start - _WINDOW, 0))
        end = _space_after(text, min(span_end + _WINDOW, len(text)))
        if windows and start <= windows[-1][1] and end - windows[-1][0] <= _MAX_WINDOW:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows


def _space_before(text: str, index: int) -> int:
    """The start of the word at ``index``, looking back ``_SNAP`` characters at most."""
    if index <= 0:
        return 0
    floor = max(index - _SNAP, 0)
    found = max(text.rfind(" ", floor, index), text.rfind("\n", floor, index))
    return found + 1 if found >= 0 else floor


def _space_after(text: str, index: int) -> int:
    if index >= len(text):
        return len(text)
    ceiling = min(index + _SNAP, len(text))
    positions = [p for p in (text.find(" ", index, ceiling), text.find("\n", index, ceiling)) if p >= 0]
    return min(positions) if positions else ceiling
