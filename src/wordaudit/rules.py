"""Load and validate rule packs (YAML) into ``Rule`` objects.

A pack is a YAML file holding either a list of rules or a mapping with
``rules`` and optional ``lists`` (named word lists that context conditions
refer to as ``"@name"``). Every problem is reported as ``file:line: what``.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wordaudit.errors import RuleFileError
from wordaudit.model import ContextCondition, Examples, Rule, Severity, Suggestions

if TYPE_CHECKING:
    from wordaudit.pack_memo import PackMemo

_RULE_KEYS = {
    "id",
    "severity",
    "summary",
    "message",
    "why",
    "phrases",
    "patterns",
    "context",
    "suggestions",
    "exceptions",
    "examples",
    "closed_compounds",
}
_REQUIRED_KEYS = ("id", "severity", "message", "why")
_CONTEXT_KEYS = {"followed_by", "preceded_by", "not_followed_by", "not_preceded_by"}
_SUGGESTION_KEYS = {"noun", "modifier", "by_phrase"}
_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# Words of letters and digits in any script ("Büro", "arrière-boutique").
_PHRASE = re.compile(r"^[^\W_]+(?:[ -][^\W_]+)*$")
_PACK_SUFFIXES = (".yml", ".yaml")


class LineMapping(dict[str, Any]):
    """A YAML mapping that remembers where it and each of its keys stand."""

    line: int = 0
    key_lines: dict[str, int]


def shipped_pack_paths() -> list[Path]:
    """The packs that come with wordaudit, found in their folder, never listed by hand."""
    folder = _shipped_folder()
    # A listing, not Path.glob, which compiles its pattern (fnmatch) on every run.
    names = os.listdir(folder)
    return sorted(folder / name for name in names if name.endswith(_PACK_SUFFIXES) and not name.startswith("."))


@functools.cache
def _shipped_folder() -> Path:
    # Beside this module, where the wheel installs them: what
    # importlib.resources.files would find, without its 5 ms of imports.
    folder = Path(__file__).with_name("rules")
    if not folder.is_dir():
        # Running from a source checkout: the packs live at the repository top.
        folder = Path(__file__).resolve().parents[2] / "rules"
    return folder


def pack_paths(extra: Iterable[Path] = ()) -> list[Path]:
    paths = shipped_pack_paths()
    for entry in extra:
        if entry.is_dir():
            paths.extend(sorted(p for p in entry.iterdir() if p.suffix in _PACK_SUFFIXES))
        elif entry.is_file():
            paths.append(entry)
        else:
            raise RuleFileError(str(entry), None, "rule file or folder not found")
    return paths


def load_rules(paths: Sequence[Path], memo: PackMemo | None = None) -> tuple[tuple[Rule, ...], tuple[str, ...]]:
    """Every rule of every pack, and the pack names, in load order; ``memo``
    holds packs parsed before."""
    rules: list[Rule] = []
    packs: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        pack_rules = load_pack(path, memo)
        packs.append(path.stem)
        for rule in pack_rules:
            if rule.id in seen:
                raise RuleFileError(
                    str(path), _line_of(rule), f"rule id '{rule.id}' is already defined in {seen[rule.id]}"
                )
            seen[rule.id] = rule.origin
            rules.append(rule)
    return tuple(rules), tuple(packs)


def load_pack(path: Path, memo: PackMemo | None = None) -> list[Rule]:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(name, None, f"cannot be read: {exc}") from exc
    shipped = path.parent == _shipped_folder()
    document = memo.recall(text, shipped=shipped) if memo is not None else None
    if document is not None:
        return _PackReader(name, path.stem).read(document)
    # Imported only here: a rescan with every pack in the memo needs no YAML parser.
    from wordaudit.pack_yaml import read_document

    document = read_document(name, text, shipped=shipped)
    try:
        rules = _PackReader(name, path.stem).read(document)
    except RuleFileError:
        if memo is not None:  # recalled, the document gives the same error, line and all
            memo.keep(text, document, shipped=shipped)
        raise
    if any(rule.patterns for rule in rules):
        # spaCy judges a token pattern; it is loaded only for a pack that has
        # them, once per version of it (the memo keeps only packs that passed).
        # Later, a bad pattern would fail every file that reaches spaCy.
        from wordaudit.match import check_patterns

        for rule in rules:
            check_patterns(rule)
    if memo is not None:
        memo.keep(text, document, shipped=shipped)
    return rules


class _PackReader:
    def __init__(self, name: str, pack: str) -> None:
        self.name = name
        self.pack = pack
        self.lists: dict[str, tuple[str, ...]] = {}

    def fail(self, line: int | None, what: str) -> RuleFileError:
        return RuleFileError(self.name, line, what)

    def read(self, document: Any) -> list[Rule]:
        if document is None:
            raise self.fail(None, "the file is empty; expected a list of rules")
        if isinstance(document, LineMapping):
            unknown = set(document) - {"rules", "lists"}
            if unknown:
                key = sorted(unknown)[0]
                raise self.fail(document.key_lines[key], f"unknown key '{key}' (expected 'rules', 'lists')")
            self.lists = self._lists(document.get("lists"), document.key_lines.get("lists"))
            entries = document.get("rules")
            where = document.key_lines.get("rules", document.line)
        else:
            entries, where = document, 1
        if not isinstance(entries, list) or not entries:
            raise self.fail(where, "expected a non-empty list of rules")
        return [self._rule(entry) for entry in entries]

    def _lists(self, value: Any, line: int | None) -> dict[str, tuple[str, ...]]:
        if value is None:
            return {}
        if not isinstance(value, LineMapping):
            raise self.fail(line, "'lists' must map names to lists of words")
        return {key: self._words(words, value.key_lines[key], f"list '{key}'") for key, words in value.items()}

    def _rule(self, entry: Any) -> Rule:
        if not isinstance(entry, LineMapping):
            raise self.fail(None, "each rule must be a mapping with id, severity, message, why")
        rule_id = entry.get("id")
        label = f"rule '{rule_id}'" if rule_id else "rule"
        for key in entry:
            if key not in _RULE_KEYS:
                raise self.fail(
                    entry.key_lines[key],
                    f"{label}: unknown key '{key}' (expected one of {', '.join(sorted(_RULE_KEYS))})",
                )
        for key in _REQUIRED_KEYS:
            if not entry.get(key):
                raise self.fail(entry.line, f"{label}: missing '{key}'")
        if not isinstance(rule_id, str) or not _ID.match(rule_id):
            raise self.fail(entry.key_lines["id"], f"{label}: id must be kebab-case, like 'back-office'")

        def line(key: str) -> int:
            return entry.key_lines.get(key, entry.line)

        try:
            severity = Severity(str(entry["severity"]).lower())
        except ValueError:
            raise self.fail(line("severity"), f"{label}: severity must be error, warning or info") from None
        for key in ("message", "why", "summary"):
            if key in entry and not isinstance(entry[key], str):
                raise self.fail(line(key), f"{label}: '{key}' must be text")
        phrases = self._phrases(entry.get("phrases"), line("phrases"), label)
        patterns = self._patterns(entry.get("patterns"), line("patterns"), label)
        if not phrases and not patterns:
            raise self.fail(entry.line, f"{label}: needs 'phrases' or 'patterns'")
        closed = entry.get("closed_compounds", True)
        if not isinstance(closed, bool):
            raise self.fail(line("closed_compounds"), f"{label}: closed_compounds must be true or false")
        return Rule(
            id=rule_id,
            severity=severity,
            message=entry["message"].strip(),
            why=entry["why"].strip(),
            phrases=phrases,
            patterns=patterns,
            context=self._context(entry.get("context"), line("context"), label),
            suggestions=self._suggestions(entry.get("suggestions"), line("suggestions"), label, phrases),
            exceptions=self._phrases(entry.get("exceptions"), line("exceptions"), label, "exceptions"),
            examples=self._examples(entry.get("examples"), line("examples"), label),
            closed_compounds=closed,
            summary=str(entry.get("summary") or ", ".join(phrases) or rule_id).strip(),
            pack=self.pack,
            origin=f"{self.name}:{entry.line}",
        )

    def _words(self, value: Any, line: int | None, label: str) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(line, f"{label} must be a list of words")
        return tuple(v.strip() for v in value)

    def _phrases(self, value: Any, line: int, label: str, key: str = "phrases") -> tuple[str, ...]:
        if value is None:
            return ()
        phrases = self._words(value, line, f"{label}: '{key}'")
        for phrase in phrases:
            if not _PHRASE.match(phrase):
                raise self.fail(
                    line, f"{label}: {key} entry '{phrase}' must be plain words separated by spaces or hyphens"
                )
        return tuple(" ".join(re.split(r"[ -]", p.lower())) for p in phrases)

    def _patterns(self, value: Any, line: int, label: str) -> tuple[tuple[dict[str, Any], ...], ...]:
        if value is None:
            return ()
        ok = isinstance(value, list) and all(
            isinstance(p, list) and p and all(isinstance(t, dict) for t in p) for p in value
        )
        if not ok:
            raise self.fail(line, f"{label}: 'patterns' must be a list of spaCy token patterns (lists of mappings)")
        return tuple(tuple(_plain(t) for t in pattern) for pattern in value)

    def _context(self, value: Any, line: int, label: str) -> tuple[ContextCondition, ...]:
        if value is None:
            return ()
        if isinstance(value, LineMapping):
            value = [value]
        if not isinstance(value, list) or not value:
            raise self.fail(line, f"{label}: 'context' must be a list of conditions")
        conditions = []
        for condition in value:
            if not isinstance(condition, LineMapping):
                raise self.fail(line, f"{label}: each context condition must be a mapping")
            for key in condition:
                if key not in _CONTEXT_KEYS:
                    raise self.fail(
                        condition.key_lines[key],
                        f"{label}: unknown context key '{key}' (expected one of {', '.join(sorted(_CONTEXT_KEYS))})",
                    )
            fields = {key: self._expand(condition[key], condition.key_lines[key], label) for key in condition}
            conditions.append(ContextCondition(**fields))
        return tuple(conditions)

    def _expand(self, value: Any, line: int, label: str) -> tuple[str, ...]:
        words: list[str] = []
        for word in self._words(value, line, f"{label}: context words"):
            if word.startswith("@"):
                if word[1:] not in self.lists:
                    raise self.fail(line, f"{label}: no list named '{word[1:]}' in this file's 'lists'")
                words.extend(self.lists[word[1:]])
            else:
                words.append(word)
        return tuple(w.lower() for w in words)

    def _suggestions(self, value: Any, line: int, label: str, phrases: tuple[str, ...]) -> Suggestions:
        if value is None:
            return Suggestions()
        if isinstance(value, (list, str)):
            words = self._words(value, line, f"{label}: 'suggestions'")
            return Suggestions(noun=words, modifier=words)
        if not isinstance(value, LineMapping):
            raise self.fail(line, f"{label}: 'suggestions' must be a list or a mapping")
        for key in value:
            if key not in _SUGGESTION_KEYS:
                raise self.fail(
                    value.key_lines[key], f"{label}: unknown suggestions key '{key}' (noun, modifier, by_phrase)"
                )
        noun = self._words(value.get("noun", []), line, f"{label}: suggestions 'noun'") if "noun" in value else ()
        modifier = (
            self._words(value["modifier"], line, f"{label}: suggestions 'modifier'") if "modifier" in value else noun
        )
        by_phrase: list[tuple[str, tuple[str, ...]]] = []
        table = value.get("by_phrase")
        if table is not None:
            if not isinstance(table, LineMapping):
                raise self.fail(line, f"{label}: suggestions 'by_phrase' must map phrases to suggestions")
            for phrase, words in table.items():
                key = " ".join(re.split(r"[ -]", phrase.lower()))
                if key not in phrases:
                    raise self.fail(
                        table.key_lines[phrase], f"{label}: by_phrase names '{phrase}', which is not one of its phrases"
                    )
                by_phrase.append((key, self._words(words, table.key_lines[phrase], f"{label}: by_phrase")))
        return Suggestions(noun=noun or modifier, modifier=modifier, by_phrase=tuple(by_phrase))

    def _examples(self, value: Any, line: int, label: str) -> Examples:
        if value is None:
            return Examples()
        if not isinstance(value, LineMapping) or set(value) - {"flag", "pass"}:
            raise self.fail(line, f"{label}: 'examples' must have 'flag' and 'pass' lists")
        flag = self._examples_list(value.get("flag", []), line, label)
        passes = self._examples_list(value.get("pass", []), line, label)
        return Examples(flag=flag, passes=passes)

    def _examples_list(self, value: Any, line: int, label: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(line, f"{label}: examples must be lists of text")
        return tuple(value)


def _plain(value: Any) -> Any:
    """Strip the line-tracking mapping type so spaCy sees ordinary dicts."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _line_of(rule: Rule) -> int | None:
    _, _, line = rule.origin.rpartition(":")
    return int(line) if line.isdigit() else None
