"""Turn a ``Match`` into a ``Finding``: positions, readable match, context."""

from __future__ import annotations

import re

from wordaudit.model import OBJECT_MARK, Finding, Match
from wordaudit.suggest import suggestions_for

_CONTEXT_WIDTH = 160
_BREAK_AFTER_HYPHEN = re.compile(r"(?:-|\u00ad)[ \t]*\n\s*")
_LINE_BREAK = re.compile(r"[ \t]*\n\s*")
_SOFT_BREAK = re.compile(r"\u00ad\s*")


def readable(text: str, phrase: str = "") -> str:
    """The matched text as the contract shows it: a line break is one space,
    except right after a hyphen, where the word was only broken to wrap. A
    soft hyphen (a PDF's line-end hyphenation) shows as a hyphen where it
    stands between two of the phrase's words ("back-office") and vanishes
    inside a word ("customer")."""
    if "\u00ad" in text:
        text = _SOFT_BREAK.sub(lambda m: _soft_hyphen(text[: m.start()], phrase), text)
    text = _BREAK_AFTER_HYPHEN.sub("-", text)
    return _LINE_BREAK.sub(" ", text)


def _soft_hyphen(before: str, phrase: str) -> str:
    if not phrase:
        return "-"
    letters = "".join(c for c in before.lower() if c.isalnum())
    words = phrase.split()
    return "-" if letters in {"".join(words[: n + 1]) for n in range(len(words))} else ""


def to_finding(match: Match, path: str) -> Finding:
    block = match.block
    first = block.position(match.start)
    last = block.position(max(match.end - 1, match.start))
    if last.page != first.page or last.line < first.line:
        # A PDF paragraph that runs on over a page break (lines are numbered
        # per page), or from the foot of a short column to the head of the
        # next (rows are numbered down the page): the end is given as the end
        # of the match's first line, keeping end_line at or after line (SARIF
        # and GitHub require it).
        last = block.position(block.text.find("\n", match.start, match.end) - 1)
    shown = readable(match.text, match.phrase)
    return Finding(
        path=path,
        rule=match.rule.id,
        severity=match.rule.severity,
        match=shown,
        message=match.rule.message.replace("{match}", shown),
        suggestions=suggestions_for(match),
        line=first.line,
        column=first.column,
        end_line=last.line,
        end_column=last.column + 1,
        page=first.page,
        location=first.location,
        context=context_of(block.text, match.start, match.end, match.phrase, block.objects),
        block_kind=block.kind,
    )


def context_of(text: str, start: int, end: int, phrase: str = "", objects: tuple[str, ...] = ()) -> str:
    """The line(s) holding the match, cut to a readable width around it, with
    each object mark shown as what it stands for (inline code as written)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    left = max(line_start, start - _CONTEXT_WIDTH // 2)
    right = min(line_end, end + _CONTEXT_WIDTH // 2)
    if left > line_start:
        space = text.find(" ", left, start)
        left = space + 1 if space >= 0 else left
    if right < line_end:
        space = text.rfind(" ", end, right)
        right = space if space >= 0 else right
    # The match is rendered exactly as ``match`` is, so a report can highlight it.
    pieces = (readable(text[left:start]), readable(text[start:end], phrase), readable(text[end:right]))
    snippet = "".join(pieces).replace("\t", " ").strip()
    if OBJECT_MARK in snippet and objects:
        snippet = _show_objects(snippet, objects[text.count(OBJECT_MARK, 0, left) :])
    return ("…" if left > line_start else "") + snippet + ("…" if right < line_end else "")


_OBJECT_WIDTH = 40


def _show_objects(snippet: str, objects: tuple[str, ...]) -> str:
    shown = iter(objects)

    def one(_: re.Match[str]) -> str:
        text = " ".join(next(shown, OBJECT_MARK).split())
        return text if len(text) <= _OBJECT_WIDTH else text[: _OBJECT_WIDTH - 2] + "…" + text[-1]

    return re.sub(OBJECT_MARK, one, snippet)


def split_context(finding: Finding) -> tuple[str, str, str]:
    """``context`` as (before, match, after); the whole context is "before"
    when the match cannot be found in it."""
    context = finding.context
    at = _match_offset(context, finding.match, finding.column)
    if at < 0:
        return context, "", ""
    end = at + len(finding.match)
    return context[:at], context[at:end], context[end:]


def _match_offset(context: str, match: str, column: int) -> int:
    if not match:
        return -1
    # Case-insensitive because the context keeps the document's case; when the
    # phrase occurs twice on the line, the one nearest the finding's column wins.
    # A few letters change length when lowered ("İ"): then offsets would drift, so case counts.
    haystack, needle = context.lower(), match.lower()
    if len(haystack) != len(context) or len(needle) != len(match):
        haystack, needle = context, match
    offsets = []
    at = haystack.find(needle)
    while at >= 0:
        offsets.append(at)
        at = haystack.find(needle, at + 1)
    return min(offsets, key=lambda o: abs(o - (column - 1)), default=-1)
