"""``wordaudit.toml`` or ``[tool.wordaudit]`` in ``pyproject.toml`` → ``Config``.

Found by walking up from the current folder; ``--config FILE`` overrides
discovery. An unknown key or a bad value stops the run (exit 2) with the file,
the line and the key.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wordaudit.errors import ConfigError
from wordaudit.model import Severity
from wordaudit.record import field, record, replace

FAIL_ON_CHOICES = ("error", "warning", "info", "never")
PDF_ENGINES = ("auto", "pdfminer", "pdfium")
CONFIG_NAMES = ("wordaudit.toml", ".wordaudit.toml")
_SUFFIX = re.compile(r"\.?[A-Za-z0-9_+-]+")
STARTER = """\
# wordaudit configuration: https://github.com/wordaudit/wordaudit#configuration
# Every key is optional; the values shown are the defaults unless marked.

# Extra rule packs: YAML files or folders of them (see docs/rules.md).
rules = []

# Only these rules (empty: all), and never these. 'wordaudit rules' lists them.
select = []
ignore = []

# Paths to skip, as .gitignore patterns, beside those .gitignore already skips.
exclude = []
respect-gitignore = true

# Phrases that are never findings, e.g. a vendor's product name.
allow = []  # for example ["BackOffice Pro"]

# Lowest severity that makes 'wordaudit scan' exit 1: error, warning, info or never.
fail-on = "warning"

# Word and PDF files.
docx-comments = true   # scan Word comments too
pdf-comments = true    # scan PDF comments (sticky notes, notes on marked-up text) too
pdf-engine = "auto"    # auto (pdfium when installed), pdfminer or pdfium
timeout = 60           # seconds one document may take
memory-limit-mb = 1024 # memory one document may take
max-findings-per-file = 1000  # more are counted in a warning, not listed (0: no limit)

# spaCy model to use instead of the built-in blank English tokenizer (must be installed).
# spacy-model = "en_core_web_sm"

# Per-rule severity: error, warning or info.
[severity]
# back-end-staff = "warning"

# Other file types, read as markdown, text, docx or pdf.
[formats]
# mdx = "markdown"
# rst = "text"

# Rules switched off for some files (.gitignore patterns, relative to this file's folder).
[per-file-ignores]
# "docs/glossary.md" = ["back-office", "back-line"]
"""


@record
class Config:
    source: Path | None = None
    rules: tuple[Path, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    fail_on: str = "warning"
    respect_gitignore: bool = True
    docx_comments: bool = True
    pdf_comments: bool = True
    pdf_engine: str = "auto"
    spacy_model: str | None = None
    timeout: float = 60.0
    memory_limit_mb: int = 1024
    # A file built to flood the report (20,000 phrases) would cost 1 KB of memory per finding.
    max_findings_per_file: int = 1000
    # More suffixes and the format each is read as (".mdx" -> "markdown"), over the built-in ones.
    formats: dict[str, str] = field(default_factory=dict)
    # .gitignore pattern (relative to the configuration's folder) -> rules off for those files.
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The folder ``exclude`` patterns are relative to, when not the configuration's
    # folder: the current folder, for patterns given on the command line.
    exclude_folder: Path | None = None

    def exclude_base(self) -> Path:
        """The folder ``exclude`` patterns are relative to (ruff's ``exclude``,
        which is relative to the project root): the configuration's folder,
        wherever the scan runs from and whichever folder it names."""
        if self.exclude_folder is not None:
            return self.exclude_folder
        return self.source.parent if self.source is not None else Path.cwd()

    def merged(self, **overrides: Any) -> Config:
        """Command-line values win over the file's; ``None`` means 'not given'."""
        given = {k: v for k, v in overrides.items() if v is not None and v != ()}
        return replace(self, **given)


def find_config(start: Path | None = None) -> Path | None:
    folder = (start or Path.cwd()).resolve()
    for candidate_folder in [folder, *folder.parents]:
        for name in CONFIG_NAMES:
            candidate = candidate_folder / name
            if candidate.is_file():
                return candidate
        pyproject = candidate_folder / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    # Imported here: most runs find no configuration file.
    import tomllib

    try:
        text = path.read_text(encoding="utf-8")
        document = tomllib.loads(text)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    table = document
    if path.name == "pyproject.toml":
        table = document.get("tool", {}).get("wordaudit", {})
    return _Reader(path, text).read(table)


def _has_tool_table(pyproject: Path) -> bool:
    import tomllib

    try:
        return "wordaudit" in tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def place_in_file(source: Path | None, value: str) -> str:
    """``FILE:LINE: `` where the configuration file first names ``value`` (a
    rule id, quoted in a list or as a key), for an error the file caused; ``""``
    when it came from the command line."""
    if source is None:
        return ""
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    quoted = re.escape(value)
    found = re.search(rf"[\"']{quoted}[\"']|^[ \t]*{quoted}[ \t]*=", text, re.MULTILINE)
    return f"{source}:{text.count(chr(10), 0, found.start()) + 1}: " if found else ""


class _Reader:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text

    def fail(self, key: str, what: str) -> ConfigError:
        found = re.search(rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*=", self.text, re.MULTILINE)
        line = f":{self.text.count(chr(10), 0, found.start()) + 1}" if found else ""
        return ConfigError(f"{self.path}{line}: '{key}': {what}")

    def read(self, table: dict[str, Any]) -> Config:
        readers: dict[str, Callable[[str, Any], tuple[str, Any]]] = {
            "rules": lambda k, v: ("rules", tuple(self._relative(p) for p in self._strings(k, v))),
            "select": lambda k, v: ("select", self._strings(k, v)),
            "ignore": lambda k, v: ("ignore", self._strings(k, v)),
            "severity": lambda k, v: ("severity", self._severities(k, v)),
            "exclude": lambda k, v: ("exclude", self._strings(k, v)),
            "allow": lambda k, v: ("allow", self._strings(k, v)),
            "fail-on": lambda k, v: ("fail_on", self._choice(k, v, FAIL_ON_CHOICES)),
            "respect-gitignore": lambda k, v: ("respect_gitignore", self._bool(k, v)),
            "docx-comments": lambda k, v: ("docx_comments", self._bool(k, v)),
            "pdf-comments": lambda k, v: ("pdf_comments", self._bool(k, v)),
            "pdf-engine": lambda k, v: ("pdf_engine", self._choice(k, v, PDF_ENGINES)),
            "spacy-model": lambda k, v: ("spacy_model", self._string(k, v)),
            "timeout": lambda k, v: ("timeout", self._positive(k, v, "a positive number of seconds")),
            "memory-limit-mb": lambda k, v: ("memory_limit_mb", self._megabytes(k, v)),
            "max-findings-per-file": lambda k, v: ("max_findings_per_file", self._count(k, v)),
            "formats": lambda k, v: ("formats", self._formats(k, v)),
            "per-file-ignores": lambda k, v: ("per_file_ignores", self._per_file(k, v)),
        }
        values: dict[str, Any] = {}
        for key, value in table.items():
            reader = readers.get(key)
            if reader is None:
                raise self.fail(key, f"unknown key (known keys: {', '.join(readers)})")
            name, parsed = reader(key, value)
            values[name] = parsed
        return Config(source=self.path, **values)

    def _relative(self, value: str) -> Path:
        path = Path(value)
        return path if path.is_absolute() else self.path.parent / path

    def _strings(self, key: str, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "must be a list of strings")
        return tuple(value)

    def _string(self, key: str, value: Any) -> str:
        if not isinstance(value, str) or not value:
            raise self.fail(key, "must be a non-empty string")
        return value

    def _bool(self, key: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def _positive(self, key: str, value: Any, what: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise self.fail(key, f"must be {what}")
        return float(value)

    def _megabytes(self, key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 64:
            raise self.fail(key, "must be a whole number of megabytes, 64 or more")
        return value

    def _count(self, key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(key, "must be a whole number, 0 or more")
        return value

    def _choice(self, key: str, value: Any, choices: tuple[str, ...]) -> str:
        if value not in choices:
            raise self.fail(key, f"must be one of {', '.join(choices)} (got {value!r})")
        return str(value)

    def _formats(self, key: str, value: Any) -> dict[str, str]:
        from wordaudit.extract import FORMATS

        if not isinstance(value, dict):
            raise self.fail(key, 'must be a table of suffix = format, e.g. mdx = "markdown"')
        result = {}
        for suffix, fmt in value.items():
            if not _SUFFIX.fullmatch(suffix):
                raise self.fail(suffix, "must be a file suffix such as mdx or .rst (letters, digits, _ + -)")
            if fmt not in FORMATS:
                raise self.fail(suffix, f"format must be one of {', '.join(FORMATS)} (got {fmt!r})")
            result["." + suffix.lstrip(".").lower()] = fmt
        return result

    def _per_file(self, key: str, value: Any) -> dict[str, tuple[str, ...]]:
        if not isinstance(value, dict):
            raise self.fail(key, 'must be a table of pattern = [rules], e.g. "docs/glossary.md" = ["back-office"]')
        table = {}
        for pattern, rules in value.items():
            names = self._strings(pattern, rules)
            if not names or not pattern.strip():
                raise self.fail(pattern, "needs a pattern and at least one rule")
            table[pattern] = names
        return table

    def _severities(self, key: str, value: Any) -> dict[str, Severity]:
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table of rule = severity")
        result = {}
        for rule_id, level in value.items():
            try:
                result[rule_id] = Severity(level)
            except ValueError:
                raise self.fail(rule_id, f"severity must be error, warning or info (got {level!r})") from None
        return result
