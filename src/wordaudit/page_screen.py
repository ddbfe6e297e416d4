"""Which pages of a PDF can hold a finding, told from their raw text before
any layout: the rest are never laid out.

Laying out a page (its lines' boxes, reading order, paragraphs) costs PDFium's
engine about twice what PDFium itself takes to read the page, and
most pages of most documents hold no rule's words at all. A page is laid out
when it lies next to, or is, a page whose *window* (itself and the pages
either side) holds every word of one phrase: a phrase may run over a page
break, and the neighbours of the pages it runs over are read as well, since
they decide which boxes are running headers and footers there, and so where
the paragraph cut by the break goes on (``pdf_flow``). A page left out gives
no blocks; the pages laid out around it are read as if it were blank.

The check is on words, in any order, not on phrases: the order PDFium gives
lines in is not always the reading order (a turned page comes out bottom line
first, a table a cell at a time). So it is a superset of what the matcher can
find, by construction:

- A phrase's word must start a word in the page's text (no letter before it:
  "feedback" holds no "back"), or follow the word before it, closed up
  ("backoffice"). spaCy's English exceptions cut a few short words out of a
  run of letters ("cannot" is "can" + "not", "gotta" is "got" + "ta"): those
  words (``_CUT_FROM_LETTERS``) and the words of any other spaCy pipeline are
  only looked for anywhere in the text.
- A line that ends on a hyphen is joined to the next, as the layout joins a
  word broken there, and each line is also read as it is ("end-" / "back
  office"). A broken word's other half may be given elsewhere (a turned
  page): a word also counts as there when one line ends on its beginning and
  a hyphen, and some line of the window starts with its end.
- Letter-spaced text ("B A C K  O F F I C E", which ``pdf_spacing`` closes
  up) is also read closed up, and there a word may start anywhere.
- The text is normalised as ``pdf.normalise_line`` normalises each line
  (NFKC: the "ﬁ" ligature is "fi"), and a form field's text counts as the
  page's.
- A token pattern's required word (``prefilter.required_literal``) may stand
  anywhere; with a pattern that requires none, every page is laid out. So is
  every page that mentions "wordaudit" (a suppression comment, which a report
  may list as unused).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from wordaudit.model import Rule
from wordaudit.prefilter import SUPPRESSION_MARKER, required_literal
from wordaudit.record import record
from wordaudit.variants import common_prefix, plural

# The token pieces that spaCy's English tokenizer exceptions start right after
# a letter, as computed from ``spacy.blank("en").tokenizer.rules`` (3.8):
# "cannot", "gonna", "shouldve", "youre", "yall". tests/test_page_screen.py
# checks that spaCy's list holds no other.
_CUT_FROM_LETTERS = frozenset({"a", "all", "d", "ll", "m", "na", "not", "nt", "on", "re", "s", "ta", "ve"})
_APOSTROPHES = ("'", "\u2019")
# More broken words and line starts than this in a window is no prose: the
# pages are laid out rather than every piece tried against every other.
_MAX_BROKEN = 20_000
# A letter, as the matcher's tokens tell one: a word starts where none stands before it.
_LETTERS = r"[^\W\d_]"
# Compiled with the tables, when a PDF is first read: a scan of markdown, or
# one the cache answers, builds a screen and never uses it.
_LINE_END_HYPHEN = rf"(?<={_LETTERS})[-\u00ad][ \t]*\n[ \t]*(?={_LETTERS})"
_LINE_HEAD = rf"^[ \t]*({_LETTERS}+)"


@record
class PageEvidence:
    """What one page's text says about the rules' words: which of them it
    holds (by number), the beginnings of words broken at a line's end, its
    text as read (where a word broken on a neighbouring page may go on); and
    whether it has any text at all."""

    terms: frozenset[int]
    heads: frozenset[str]
    text: str
    has_text: bool

    def tails(self) -> set[str]:
        """The letters each line starts with."""
        return set(re.findall(_LINE_HEAD, self.text, re.MULTILINE))


@record
class _Term:
    text: str
    anywhere: bool  # else only where a word starts


class _Tables:
    """The rules' words, and for each phrase what each of its words may be."""

    def __init__(self, rules: Sequence[Rule], english: bool) -> None:
        self.terms: list[_Term] = []
        self._numbers: dict[_Term, int] = {}
        # For each phrase, for each of its words, the terms any of which will do.
        self.requirements: list[tuple[tuple[int, ...], ...]] = []
        for rule in rules:
            for phrase in rule.phrases:
                self.requirements.append(self._phrase(phrase.lower().split(), english))
            for pattern in rule.patterns:
                values = required_literal(pattern)
                if values is None:
                    raise _Unscreenable
                self.requirements.append((tuple(self._term(v.lower(), True) for v in values),))
        self.requirements.append(((self._term(SUPPRESSION_MARKER, True),),))
        self.longest = max(len(term.text) for term in self.terms)
        self.line_end_hyphen = re.compile(_LINE_END_HYPHEN)
        self.newlines = re.compile(r"\r\n?")
        self.alphanumeric = re.compile(r"[^\W_]")
        self.whitespace = re.compile(r"\s+")
        self.adjacent_glyphs = re.compile(r"\s\S\s+\S\s")

    def _phrase(self, words: list[str], english: bool) -> tuple[tuple[int, ...], ...]:
        if not words:
            return ()
        # The last word by its stem, as the prefilter reads it: "office" in "offices".
        words = [*words[:-1], common_prefix(words[-1], plural(words[-1]))]
        positions = []
        for index, word in enumerate(words):
            anywhere = not english or word in _CUT_FROM_LETTERS or word.startswith(("n'", "n\u2019"))
            alternatives = [self._term(word, anywhere or not word[:1].isalpha())]
            if index:
                alternatives.append(self._term(words[index - 1] + word, True))
            positions.append(tuple(alternatives))
        return tuple(positions)

    def _term(self, text: str, anywhere: bool) -> int:
        term = _Term(text, anywhere)
        if term not in self._numbers:
            self._numbers[term] = len(self.terms)
            self.terms.append(term)
        return self._numbers[term]


class _Unscreenable(Exception):
    """A token pattern has no word every match holds: every page is laid out."""


class PageScreen:
    """The check of a page window against a run's rules. Built when a scan
    starts, and its tables when the first PDF page needs them: a scan with
    no PDF pays nothing."""

    def __init__(self, rules: Sequence[Rule], *, english: bool = True) -> None:
        self._rules = rules
        self._english = english
        self._tables: _Tables | None = None
        self._open = False  # every page is laid out

    @property
    def active(self) -> bool:
        """Whether it tells pages apart at all (no token pattern without a required word)."""
        return self._ready() is not None

    def _ready(self) -> _Tables | None:
        if self._tables is None and not self._open:
            try:
                self._tables = _Tables(self._rules, self._english)
            except _Unscreenable:
                self._open = True
        return self._tables

    def evidence(self, text: str) -> PageEvidence:
        """What the raw text of a page (its lines, and its form fields' text,
        one to a line) says."""
        from wordaudit.extract.pdf import fold_characters  # with PDFs only

        tables = self._ready()
        if tables is None:
            return PageEvidence(frozenset(), frozenset(), "", any(char.isalnum() for char in text))
        text = tables.newlines.sub("\n", fold_characters(text.replace("\ufffe", "-\n"))).lower()
        has_text = tables.alphanumeric.search(text) is not None
        if not has_text:
            return PageEvidence(frozenset(), frozenset(), "", has_text)
        heads = _broken_heads(text)
        joined = tables.line_end_hyphen.sub("", text) if heads else text
        if "\u00ad" in text:
            text, joined = text.replace("\u00ad", ""), joined.replace("\u00ad", "")
        # Letter-spacing closes up nothing without two one-glyph words side by side.
        spaced = ""
        if tables.adjacent_glyphs.search(f" {text} "):
            spaced = "\n".join(tables.whitespace.sub("", run) for run in _spaced_runs(text))
        found = frozenset(n for n, term in enumerate(tables.terms) if _on_page(term, text, joined, spaced))
        return PageEvidence(found, frozenset(heads), text, has_text)

    def may_match(self, window: Sequence[PageEvidence]) -> bool:
        """Whether a finding may lie in these pages (a page and its neighbours)."""
        tables = self._ready()
        if tables is None:
            return True
        present = set().union(*(page.terms for page in window))
        heads = set().union(*(page.heads for page in window))
        ends: set[str] = set()
        starts: set[str] = set()
        if heads:
            tails = set().union(*(page.tails() for page in window))
            if len(heads) + len(tails) > _MAX_BROKEN:
                return True  # no page of prose: laid out, as it would be without the screen
            longest = tables.longest
            ends = {head[-size:] for head in heads for size in range(1, min(len(head), longest) + 1)}
            starts = {tail[:size] for tail in tails for size in range(1, min(len(tail), longest) + 1)}
        for requirement in tables.requirements:
            if all(any(_holds(t, present, ends, starts, tables) for t in position) for position in requirement):
                return True
        return False


def _holds(term: int, present: set[int], ends: set[str], starts: set[str], tables: _Tables) -> bool:
    """Whether the window holds ``term``, whole or broken at a line's end:
    some line ends on its beginning (``ends``), and another starts with the
    rest (``starts``)."""
    if term in present:
        return True
    text = tables.terms[term].text
    return bool(ends) and any(text[:cut] in ends and text[cut:] in starts for cut in range(1, len(text)))


def _on_page(term: _Term, text: str, joined: str, spaced: str) -> bool:
    """Whether ``term`` stands in the page's text as given, with its broken
    words joined, or in its letter-spaced text closed up."""
    word = term.text
    if word in spaced:
        return True
    if term.anywhere:
        return word in text or word in joined
    return _starts_word(word, text) or (joined is not text and _starts_word(word, joined))


def _starts_word(word: str, text: str) -> bool:
    """Whether ``word`` occurs in ``text`` with no letter before it."""
    at = text.find(word)
    while at >= 0:
        if at == 0 or not text[at - 1].isalpha():
            return True
        at = text.find(word, at + 1)
    return False


def _broken_heads(text: str) -> list[str]:
    """The letters before each hyphen that ends a line after a letter."""
    if "-\n" not in text and "\u00ad" not in text and not text.endswith("-"):
        return []
    heads = []
    for line in text.split("\n"):
        line = line.rstrip()
        if line.endswith(("-", "\u00ad")):
            start = end = len(line) - 1
            while start and line[start - 1].isalpha():
                start -= 1
            if start < end:
                heads.append(line[start:end])
    return heads


def _spaced_runs(text: str) -> Iterator[str]:
    from wordaudit.extract.pdf_spacing import spaced_runs

    return spaced_runs(text)


_Page = TypeVar("_Page")


def screened(
    pages: Iterable[_Page], text_of: Callable[[_Page], str], screen: PageScreen
) -> Iterator[tuple[_Page, PageEvidence, bool]]:
    """Each page, in order, with its evidence and whether to lay it out: it is,
    or lies next to, a page whose window ``screen.may_match``. Reads up to two
    pages ahead."""
    found: dict[int, PageEvidence] = {}  # the pages whose windows are still to be checked
    waiting: deque[tuple[int, _Page]] = deque()
    needed: dict[int, bool] = {}
    count = 0

    def needs(index: int) -> bool:
        if index < 0 or index >= count:
            return False
        if index not in needed:
            needed[index] = screen.may_match([found[i] for i in range(max(index - 1, 0), min(index + 2, count))])
        return needed[index]

    def decided(index: int) -> bool:
        # Each window is checked once, in order, before the page before it is let go.
        keep = [needs(index - 1), needs(index), needs(index + 1)]
        # Page index + 1 is decided next, from the windows of index .. index + 2.
        needed.pop(index - 1, None)
        found.pop(index - 1, None)
        return any(keep)

    for index, page in enumerate(pages):
        found[index] = screen.evidence(text_of(page))
        count = index + 1
        waiting.append((index, page))
        while waiting and waiting[0][0] + 2 <= index:
            first, ready = waiting.popleft()
            yield ready, found[first], decided(first)
    while waiting:
        first, ready = waiting.popleft()
        yield ready, found[first], decided(first)
