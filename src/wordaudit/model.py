"""Plain data passed between the pipeline's stages.

Frozen, slotted records (``wordaudit.record``) holding tuples: a stage can hand its output to
the next (or to another process) without anyone patching it afterwards.
"""

from __future__ import annotations

import bisect
import enum
from pathlib import Path
from typing import Any, Literal

from wordaudit.record import field, record, replace


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}


class ExitCode(enum.IntEnum):
    """The exit statuses of the JSON report contract."""

    OK = 0
    FINDINGS = 1
    USAGE = 2


BlockKind = Literal[
    "heading",
    "paragraph",
    "list-item",
    "cell",
    "header",
    "footer",
    "footnote",
    "endnote",
    "comment",
    "textbox",
    "diagram",
    "chart",
    "wordart",
    "alt-text",
    "title",
    "front-matter",
    "directive",
]


@record
class Position:
    """A place in the source a person can go back to."""

    line: int
    column: int
    page: int | None = None
    where: str | None = None

    @property
    def location(self) -> str:
        if self.where:
            return self.where
        if self.page is not None:
            return f"page {self.page}, line {self.line}"
        return f"line {self.line}"


@record
class Segment:
    """``block.text[start:]`` up to the next segment maps linearly onto the
    source from ``line``/``column`` on (1-based). Extractors start a new
    segment wherever the mapping jumps: after every line break, around markup
    they dropped, at every run of a different table cell."""

    start: int
    line: int
    column: int
    page: int | None = None
    where: str | None = None


OBJECT_MARK = "\ufffc"


@record
class Block:
    """A unit of prose no match may cross: a heading, a paragraph, a cell..."""

    kind: BlockKind
    text: str
    segments: tuple[Segment, ...]
    # What a report prints for each OBJECT_MARK in ``text``, in order: an inline
    # code span stands in the prose as one mark, so that no phrase is matched
    # across or inside it, yet a reader of the context should see the code.
    objects: tuple[str, ...] = ()
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.segments:
            raise ValueError("a block needs at least one segment")
        object.__setattr__(self, "_starts", tuple(s.start for s in self.segments))

    def position(self, offset: int) -> Position:
        index = max(bisect.bisect_right(self._starts, offset) - 1, 0)
        segment = self.segments[index]
        return Position(
            line=segment.line,
            column=segment.column + (offset - segment.start),
            page=segment.page,
            where=segment.where,
        )


@record
class Source:
    """A file to scan: where it is, how the user should see its name, and
    which extractor reads it."""

    # The path as given or walked to. A string: a walk makes thousands of
    # these, and a cached rescan never needs them as Path objects.
    fs_path: str
    display: str
    format: str
    explicit: bool = False
    # A part of a large plain-text or markdown file, read by one worker: its bytes, and the
    # number of its first line.
    part: FilePart | None = None

    @property
    def path(self) -> Path:
        return Path(self.fs_path)


@record
class FilePart:
    start: int
    end: int
    first_line: int
    # Markdown: the file's reference definitions, each as its byte offset and
    # its lines, for the links of a part that uses one defined in another.
    definitions: tuple[tuple[int, bytes], ...] = ()


@record
class ContextCondition:
    """One way a match's neighbourhood can qualify it. A rule with context
    conditions keeps a match when any one of them holds; inside a condition
    every given list must hold. Words compare case-insensitively."""

    followed_by: tuple[str, ...] = ()
    preceded_by: tuple[str, ...] = ()
    not_followed_by: tuple[str, ...] = ()
    not_preceded_by: tuple[str, ...] = ()


@record
class Suggestions:
    """Better wording: ``modifier`` before a noun ("back-office team"),
    ``noun`` elsewhere; ``by_phrase`` when each phrase has its own answer."""

    noun: tuple[str, ...] = ()
    modifier: tuple[str, ...] = ()
    by_phrase: tuple[tuple[str, tuple[str, ...]], ...] = ()


@record
class Examples:
    flag: tuple[str, ...] = ()
    passes: tuple[str, ...] = ()


@record(eq=False)
class Rule:
    id: str
    severity: Severity
    message: str
    why: str
    phrases: tuple[str, ...] = ()
    patterns: tuple[tuple[dict[str, Any], ...], ...] = ()
    context: tuple[ContextCondition, ...] = ()
    suggestions: Suggestions = Suggestions()
    exceptions: tuple[str, ...] = ()
    examples: Examples = Examples()
    closed_compounds: bool = True
    summary: str = ""
    pack: str = ""
    origin: str = ""

    def with_severity(self, severity: Severity) -> Rule:
        return replace(self, severity=severity)


@record
class Match:
    """A rule matched ``block.text[start:end]``."""

    rule: Rule
    block: Block
    start: int
    end: int
    phrase: str = ""
    plural: bool = False
    next_words: tuple[str, ...] = ()
    previous_word: str = ""

    @property
    def next_word(self) -> str:
        return self.next_words[0] if self.next_words else ""

    @property
    def text(self) -> str:
        return self.block.text[self.start : self.end]


@record
class Finding:
    """One reportable occurrence; field names are the JSON contract's."""

    path: str
    rule: str
    severity: Severity
    match: str
    message: str
    suggestions: tuple[str, ...]
    line: int
    column: int
    end_line: int
    end_column: int
    page: int | None
    location: str
    context: str
    block_kind: str = "paragraph"
    fingerprint: str = ""


@record
class FileResult:
    path: str
    format: str
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    suppressed: int = 0
    notes: tuple[str, ...] = ()
    # The path the file was opened by (relative to the working folder, or
    # absolute), where ``path`` is how the user sees it.
    fs_path: str = ""


@record
class PendingFile:
    """A file a worker has read whose candidate blocks still need spaCy: the
    blocks the prefilter let through, and every suppression directive, in
    order. The scanning process matches them, so that spaCy is loaded once
    per run rather than once per worker (see ``schedule``)."""

    source: Source
    blocks: tuple[Block, ...]
    # A file that was read has no error; kept so that a worker's answer always has one.
    error: None = None


@record
class ScanResult:
    """Everything a renderer needs."""

    files: tuple[FileResult, ...]
    rules: tuple[Rule, ...]
    rulesets: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for result in self.files for f in result.findings)
