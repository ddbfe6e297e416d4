"""Markdown (CommonMark + GFM tables) with markdown-it-py.

Prose is what a reader sees: headings, paragraphs, list items, table cells,
link text, image alt text, the titles of links and images (a browser shows
them when the pointer rests there), front-matter values and the text of raw
HTML (``html_text``). Code (also written as <code> or <kbd>), tags and attributes,
comments, link targets, front-matter keys and attribute lists at a line's end
(``## Operations {#back-office}``, ``{: .note}``) are not. markdown-it gives line numbers
for blocks only, so each inline piece is found again in the block's inline
source to recover its column.
"""

from __future__ import annotations

import bisect
import html
import re
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from wordaudit.extract import ExtractOptions
from wordaudit.extract.front_matter import TOML_MARKUP, toml_blocks, toml_front_matter, yaml_blocks
from wordaudit.extract.html_text import NOT_PROSE_TAGS, html_prose, shown_attributes
from wordaudit.extract.plaintext import blank_markers, blanked, line_markers
from wordaudit.model import OBJECT_MARK, Block, BlockKind, Segment
from wordaudit.record import record, replace

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from wordaudit.prefilter import TextScreen

FORMAT = "markdown"
TEXT_BASED = True

# Stands in for an inline code span in the prose: not white space and not a
# letter, so no phrase can match across it.
CODE_PLACEHOLDER = OBJECT_MARK
# An inline HTML tag whose text is not prose: the tags html_text skips in a block.
_CODE_TAG = re.compile(rf"<(/?)({'|'.join(sorted(NOT_PROSE_TAGS))})\b[^>]*>", re.IGNORECASE)
_DIRECTIVE = re.compile(r"<!--\s*(wordaudit-[\w-]+.*?)\s*-->", re.DOTALL)
# An attribute list at a line's end, as kramdown (Jekyll), pandoc, Python-Markdown's
# attr_list (MkDocs) and Hugo read it: "## Operations {#back-office}", "{: .note}".
# The site shows no such text, and an anchor's id is a link target, not prose.
# Only lists that start with "#", "." or ":" (an id, a class, kramdown's IAL).
_ATTRIBUTE_LIST = re.compile(r"[ \t]*\{[#.:][^{}\n]*\}[ \t]*$", re.MULTILINE)
_CONTAINERS: dict[str, BlockKind] = {
    "heading_open": "heading",
    "th_open": "cell",
    "td_open": "cell",
    "list_item_open": "list-item",
}


def preload() -> None:
    """Build the parser now (the worker fork server does, for its workers)."""
    _parser()


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    # markdown-it silently drops what nests deeper than maxNesting (20 by default);
    # deeper still, Python's recursion limit stops the parse and the file is
    # reported as nested too deeply, rather than scanned with text missing.
    options = {"html": True, "maxNesting": 100_000}
    parser = MarkdownIt("commonmark", options).enable(["table", "strikethrough"]).use(front_matter_plugin)
    # Hugo's TOML front matter ("+++"), which the plugin (YAML's "---" only) reads as markdown.
    parser.block.ruler.before("front_matter", "toml_front_matter", toml_front_matter)
    parser.core.ruler.at("inline", _screened_inline)
    return parser


# Where ``extract_text`` hands the core rule below its screen, in the parse's env,
# and how that rule marks an inline token it left unparsed.
_SCREEN = "wordaudit.screen"
_UNPARSED = "wordaudit.unparsed"
# A part's references defined after it in the file (``extract_part``).
_LATER_REFERENCES = "wordaudit.later_references"
# What may stand inside a word of the rendered text without being in it in the
# source: inline markup ("ba**ck**"), tags, escapes; entities are decoded first.
_INLINE_MARKUP = re.compile(r"<[^<>]*>|[*_~`\\]")


def _screened_inline(state: Any) -> None:
    """markdown-it's own "inline" core rule, for the inline tokens (a
    paragraph's, a heading's, a cell's text) that may give a finding or a
    directive, as the screen in the env tells (every one without a screen).

    The block structure is parsed whole, so it is exact; parsing each inline
    token is independent of the others (link references are collected by the
    block parse). The others, 93 % of a large file's, are left unparsed, and
    ``extract_text`` reads no block from them: parsing the inline markup and
    reading each piece back was two thirds of the time a large markdown file
    took (a 5 MB file, profiled)."""
    screen: TextScreen | None = state.env.get(_SCREEN)
    later = state.env.get(_LATER_REFERENCES)
    if later:  # defined further on in the file than this part: found by the whole file's block parse
        references = state.env.setdefault("references", {})
        for label, reference in later.items():
            references.setdefault(label, reference)
    for token in state.tokens:
        if token.type != "inline":
            continue
        if screen is None or _may_hold(token.content, screen):
            if token.children is None:
                token.children = []
            state.md.inline.parse(token.content, state.md, state.env, token.children)
        else:
            token.meta[_UNPARSED] = True


def rendered_words(source: str) -> str:
    """Markdown source with entities decoded and inline markup taken out: its
    words as a reader sees them, for a prefilter (not for positions)."""
    return _INLINE_MARKUP.sub("", _LINK_TAIL.sub("", html.unescape(source)).replace("[", ""))


def markup_in_word(source: str) -> bool:
    """Whether markup may stand inside a word or between a link's text and
    the word after it ("ba**ck** office", "b&#97;ck", "[back][r] office"), so
    that a check of the raw text could miss a phrase ``rendered_words`` shows."""
    return _MARKUP_IN_WORD.search(source) is not None


# A mark of inline markup right after a letter (emphasis, a tag, an entity, an
# escape, a link text's end), or a numeric entity anywhere. "_" is left out:
# CommonMark makes no emphasis of it inside a word ("snake_case" stays as written).
_MARKUP_IN_WORD = re.compile(r"[*~<&\\\]](?<=[^\W\d_][*~<&\\\]])|&#")
# The link syntax after a link's text: "](/address)", "][label]".
_LINK_TAIL = re.compile(r"\]\([^()\s]*\)|\]\[[^\[\]]*\]")


def _may_hold(content: str, screen: TextScreen) -> bool:
    """Whether an inline token's text, as rendered, may hold a term of the
    screen: its source may, or its source with entities decoded and markup
    taken out ("ba**ck**", "b&#97;ck")."""
    if screen.holds(content):
        return True
    if not any(mark in content for mark in "&<*_~`\\"):
        return False
    return screen.holds(rendered_words(content))


def extract_text(text: str, options: ExtractOptions) -> Iterator[Block]:
    env: dict[str, Any] = {} if options.text_screen is None else {_SCREEN: options.text_screen}
    return _extract(text, env)


def extract_part(
    text: str, options: ExtractOptions, first_line: int, definitions: Sequence[tuple[bool, str]]
) -> Iterator[Block]:
    """The blocks of a part of a large file (``split``), numbered as in the
    file: ``text`` starts at line ``first_line``, where markdown-it, parsing
    the whole file, starts a top-level block. ``definitions`` are the file's
    reference definitions outside the part, in file order, each with whether
    it stands before the part: the first definition of a label wins, as in
    the whole file, and a title is read where its definition stands."""
    earlier: dict[str, Any] = {}
    later: dict[str, Any] = {}
    for before, source in definitions:
        found: dict[str, Any] = {}
        _parser().block.parse(source, _parser(), found, [])
        for label, reference in found.get("references", {}).items():
            (earlier if before else later).setdefault(label, {**reference, "map": None})
    env: dict[str, Any] = {"references": earlier, _LATER_REFERENCES: later}
    if options.text_screen is not None:
        env[_SCREEN] = options.text_screen
    shift = first_line - 1
    for block in _extract(text, env):
        segments = tuple(replace(segment, line=segment.line + shift) for segment in block.segments)
        yield replace(block, segments=segments)


def _extract(text: str, env: dict[str, Any]) -> Iterator[Block]:
    lines = text.split("\n")
    kinds: list[BlockKind] = []
    tokens = _parser().parse(text, env)
    yield from _markers_outside_code(text, tokens, lines)
    references = env.get("references", {})
    definitions = deque(_reference_titles(references, lines))
    for token in tokens:
        if token.map is not None:
            while definitions and definitions[0].segments[0].line <= token.map[0]:
                yield definitions.popleft()
        if token.type in _CONTAINERS:
            kinds.append(_CONTAINERS[token.type])
        elif token.type.replace("_close", "_open") in _CONTAINERS and token.nesting == -1:
            kinds.pop()
        elif token.type == "inline" and token.map is not None:
            if token.meta.get(_UNPARSED):  # it can give nothing (``_screened_inline``)
                continue
            kind = kinds[-1] if kinds else "paragraph"
            reader = _InlineReader(token, lines, references, in_cell=kind == "cell")
            block = reader.block(kind)
            if block is not None:
                yield block
            yield from reader.titles
        elif token.type == "front_matter" and token.map is not None:
            read = toml_blocks if token.markup == TOML_MARKUP else yaml_blocks
            yield from read(lines, token.map[0] + 1, token.map[1] - 1)
        elif token.type in ("html_block", "html_inline") and token.map is not None:
            yield from _directives(token.content, token.map[0], lines)
            if token.type == "html_block":
                yield from html_prose(token.content, _line_origins(token.content, token.map[0], lines))
        if token.type == "inline" and token.children:
            yield from _inline_directives(token, lines)
    yield from definitions


def _markers_outside_code(text: str, tokens: Sequence[Token], lines: Sequence[str]) -> Iterator[Block]:
    """The ``wordaudit: ignore`` markers that are not code: one shown in a
    code block or a code span is an example of the marker (as in a README
    that documents it), not an instruction."""
    if "wordaudit" not in text:
        return
    code_lines = {line for token in tokens if token.type in _CODE_BLOCKS and token.map for line in range(*token.map)}
    for marker in line_markers(text):
        place = marker.segments[0]
        line = place.line - 1
        if line in code_lines or _in_code_span(lines[line], place.column - 1):
            continue
        yield marker


_CODE_BLOCKS = frozenset({"fence", "code_block"})
_LINE_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BACKTICKS = re.compile(r"(?<!\\)`+")


def _in_code_span(line: str, column: int) -> bool:
    """Whether ``column`` of ``line`` is inside a code span that opens and
    closes on this line (a run of backticks closed by a run as long)."""
    if "`" not in line:
        return False
    runs = list(_BACKTICKS.finditer(line))
    index = 0
    while index < len(runs):
        opening = runs[index]
        closing = next((r for r in runs[index + 1 :] if len(r.group()) == len(opening.group())), None)
        if closing is None:
            index += 1
            continue
        if opening.end() <= column < closing.start():
            return True
        index = runs.index(closing) + 1
    return False


class _InlineReader:
    """Rebuild one inline token's prose with a segment per mapped piece."""

    def __init__(
        self, token: Token, lines: Sequence[str], references: Mapping[str, Any], *, in_cell: bool = False
    ) -> None:
        assert token.map is not None
        self.content = token.content
        self.children = token.children or []
        # A reference link's title is read where the reference is defined.
        self.reference_titles = {str(r.get("title") or "") for r in references.values()}
        self.titles: list[Block] = []
        self.link_titles: list[str] = []
        self.pieces: list[str] = []
        self.segments: list[Segment] = []
        self.objects: list[str] = []
        # An open HTML tag whose text is code, not prose (<code>, <kbd>…), and what it holds so far.
        self.code_tag: str | None = None
        self.code_text: list[str] = []
        self.code_start = 0
        self.size = 0
        self.cursor = 0
        # Where each line of the inline source starts, in the inline source and in the file.
        self.line_starts: list[int] = []
        self.line_origins = _line_origins(self.content, token.map[0], lines, escaped_pipes=in_cell)
        # A table cell's "\|" is "|" in its inline source: markdown-it took out
        # the backslash when it split the row into cells. Where each "|" is, so
        # that the characters after it are placed one column further on.
        self.pipes: list[int] = [at for at, char in enumerate(self.content) if char == "|"] if in_cell else []
        offset = 0
        for content_line in self.content.split("\n"):
            self.line_starts.append(offset)
            offset += len(content_line) + 1

    def block(self, kind: BlockKind) -> Block | None:
        for child in self.children:
            self._read(child)
        if self.code_tag is not None:  # never closed: code to the end, as a browser shows it
            self._end_code()
        text = "".join(self.pieces)
        if "{" in text:
            text = blanked(_ATTRIBUTE_LIST, text)
        text = blank_markers(text)
        if not text.strip() or not self.segments:
            return None
        return Block(kind=kind, text=text, segments=tuple(self.segments), objects=tuple(self.objects))

    def _read(self, child: Token) -> None:
        if self.code_tag is not None and child.type != "html_inline":
            # Inside <code>…</code> written as HTML: code, as a `code span` is.
            self.code_text.append(" " if child.type in ("softbreak", "hardbreak") else child.content)
            self._locate(child.content)
            return
        if child.type == "text":
            self._emit(child.content)
        elif child.type == "html_inline":
            self._inline_html(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            self._append("\n", None)
        elif child.type == "code_inline":
            start = self._locate(child.content)
            self._append(CODE_PLACEHOLDER, start)
            self.objects.append(f"{child.markup}{child.content}{child.markup}")
        elif child.type == "image":
            for grandchild in child.children or []:
                self._read(grandchild)
            self._title(child.attrGet("title"))
        elif child.type == "link_open":
            self.link_titles.append(str(child.attrGet("title") or ""))
        elif child.type == "link_close" and self.link_titles:
            self._title(self.link_titles.pop())

    def _title(self, title: object) -> None:
        """A link's or image's title, found after its text: ``[text](url "title")``."""
        if not isinstance(title, str) or not title.strip():
            return
        block = _title_block(title, self.content, self.cursor, self._place)
        if block is not None:
            self.cursor = block.end
            self.titles.append(block.block)
        elif title not in self.reference_titles:
            # An entity changed its characters: placed where the link ends.
            line, column = self._place(self.cursor)
            self.titles.append(Block(kind="title", text=title, segments=(Segment(0, line, column),)))

    def _inline_html(self, tag: str) -> None:
        found = _CODE_TAG.fullmatch(tag.strip())
        if found is None:
            if _LINE_BREAK_TAG.fullmatch(tag.strip()):
                # "back<br>office" shows two lines: a line break, as in the
                # source, not one word "backoffice".
                self._append("\n", self._locate(tag))
            elif tag.startswith("<") and not tag.startswith(("</", "<!")):
                self._shown_attributes(tag)
            return
        closing, name = found.group(1), found.group(2).lower()
        if not closing and self.code_tag is None:
            self.code_tag, self.code_text = name, []
            self.code_start = self._locate(tag)
        elif closing and name == self.code_tag:
            self._locate(tag)
            self._end_code()

    def _shown_attributes(self, tag: str) -> None:
        """An inline tag's alt text and title (``<img alt=…>``, ``<abbr title=…>``),
        each a block of its own: the text around the tag reads on."""
        at = self._locate(tag)
        for name, value, start in shown_attributes(tag):
            shown = html.unescape(value)
            kind: BlockKind = "alt-text" if name == "alt" else "title"
            if shown == value:
                segments = _segments_from(shown, at + start, self._place)
            else:  # a character reference: placed where the value starts
                segments = (Segment(0, *self._place(at + start)),)
            if shown.strip():
                self.titles.append(Block(kind=kind, text=shown, segments=segments))

    def _end_code(self) -> None:
        self._append(CODE_PLACEHOLDER, self.code_start)
        self.objects.append(f"<{self.code_tag}>{''.join(self.code_text)}</{self.code_tag}>")
        self.code_tag = None

    def _emit(self, piece: str) -> None:
        found = self.content.find(piece, self.cursor)
        if found >= 0:
            self.cursor = found + len(piece)
            self._append(piece, found)
            return
        # An escape or entity changed the characters: align them one by one.
        for char in piece:
            at = self.content.find(char, self.cursor)
            if at >= 0 and "\n" not in self.content[self.cursor : at]:
                self.cursor = at + 1
            self._append(char, at if at >= 0 else self.cursor)

    def _locate(self, piece: str) -> int:
        found = self.content.find(piece, self.cursor)
        if found < 0:
            return self.cursor
        self.cursor = found + len(piece)
        return found

    def _place(self, content_offset: int) -> tuple[int, int]:
        """The file's line and column of an offset in the inline source."""
        line_index = bisect.bisect_right(self.line_starts, content_offset) - 1
        line, column = self.line_origins[line_index]
        # A cell is one line: each "|" up to here (itself included) stood after a backslash.
        taken_out = bisect.bisect_right(self.pipes, content_offset)
        return line, column + content_offset - self.line_starts[line_index] + taken_out

    def _append(self, piece: str, content_offset: int | None) -> None:
        if self.pipes and content_offset is not None:
            self._append_around_pipes(piece, content_offset)
            return
        self._append_piece(piece, content_offset)

    def _append_around_pipes(self, piece: str, content_offset: int) -> None:
        """A cell's piece, with a segment of its own from each "|" on: the
        source has a backslash before it that the piece does not."""
        start = 0
        first = bisect.bisect_right(self.pipes, content_offset)
        for pipe in self.pipes[first:]:
            if pipe >= content_offset + len(piece):
                break
            self._append_piece(piece[start : pipe - content_offset], content_offset + start)
            start = pipe - content_offset
        self._append_piece(piece[start:], content_offset + start)

    def _append_piece(self, piece: str, content_offset: int | None) -> None:
        if content_offset is not None:
            line, column = self._place(content_offset)
            self.segments.append(Segment(start=self.size, line=line, column=column))
        elif piece == "\n":
            line_index = bisect.bisect_right(self.line_starts, self.cursor)
            if line_index < len(self.line_origins):
                self.cursor = max(self.cursor, self.line_starts[line_index])
        self.pieces.append(piece)
        self.size += len(piece)


@record
class _Title:
    block: Block
    end: int  # where the title ends in the source searched


# A backslash before ASCII punctuation is an escape: the title reads without it.
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# Longer titles are looked for as written only: a pattern of a character each
# would be slow to build for a title made to be huge.
_MAX_ESCAPED_TITLE = 2000


def _title_block(title: str, source: str, start: int, place: Callable[[int], tuple[int, int]]) -> _Title | None:
    """A title as a block of its own (no phrase runs from the link text into
    it), found in ``source`` from ``start`` on, escapes and line breaks
    included; None when it is not there as written."""
    found = _find_title(title, source, start)
    if found is None:
        return None
    segments: list[Segment] = []
    at = found
    for index, char in enumerate(title):
        jumped = source[at] == "\\" and char != "\\"
        if jumped:
            at += 1
        if not segments or jumped or title[index - 1] == "\n":
            line, column = place(at)
            segments.append(Segment(start=index, line=line, column=column))
        at += 1
    return _Title(Block(kind="title", text=title, segments=tuple(segments)), at)


def _find_title(title: str, source: str, start: int, *, last: bool = False) -> int | None:
    """Where ``title`` is written in ``source`` from ``start`` on (the last
    place with ``last``), a backslash allowed before each punctuation mark."""
    exact = source.rfind(title, start) if last else source.find(title, start)
    if exact >= 0 or not _ESCAPABLE.intersection(title) or len(title) > _MAX_ESCAPED_TITLE:
        return exact if exact >= 0 else None
    pattern = re.compile("".join(rf"\\?{re.escape(c)}" if c in _ESCAPABLE else re.escape(c) for c in title))
    matches = pattern.finditer(source, start)
    found = next(matches, None)
    if last:
        for match in matches:
            found = match
    return found.start() if found is not None else None


def _segments_from(text: str, offset: int, place: Callable[[int], tuple[int, int]]) -> tuple[Segment, ...]:
    """Segments of ``text`` written as it stands from ``offset`` on, a new one
    at each line."""
    segments = []
    start = 0
    for piece in text.split("\n"):
        segments.append(Segment(start, *place(offset + start)))
        start += len(piece) + 1
    return tuple(segments)


def _reference_titles(references: Mapping[str, Any], lines: Sequence[str]) -> list[Block]:
    """Titles of reference definitions (``[ref]: url "title"``), which no
    token holds, in the order of the lines they stand on."""
    blocks = []
    for reference in references.values():
        title, where = reference.get("title"), reference.get("map")
        if not isinstance(title, str) or not title.strip() or not where:
            continue
        first = where[0]
        source = "\n".join(lines[first : where[1]])

        def place(offset: int, source: str = source, first: int = first) -> tuple[int, int]:
            line_start = source.rfind("\n", 0, offset) + 1
            return first + source.count("\n", 0, offset) + 1, offset - line_start + 1

        # The title comes last in a definition: the label or address may hold the same words.
        at = _find_title(title, source, 0, last=True)
        found = _title_block(title, source, at, place) if at is not None else None
        if found is not None:
            blocks.append(found.block)
    return sorted(blocks, key=lambda block: block.segments[0].line)


def _line_origins(
    content: str, first_line: int, lines: Sequence[str], *, escaped_pipes: bool = False
) -> list[tuple[int, int]]:
    """Where each line of a block's content starts in the file, 1-based: a
    container (a list item, a quote) strips its indent or marker from the front.
    With ``escaped_pipes`` (a table cell's) each "|" of the content is "\\|" in the file."""
    origins = []
    for number, content_line in enumerate(content.split("\n")):
        index = first_line + number
        source = lines[index] if index < len(lines) else ""
        written = content_line.strip().replace("|", "\\|") if escaped_pipes else content_line.strip()
        found = source.find(written) if written else -1
        lead = len(content_line) - len(content_line.lstrip())
        column = found - lead if found >= lead else 0
        origins.append((index + 1, column + 1))
    return origins


def _directives(html: str, first_line: int, lines: Sequence[str]) -> Iterator[Block]:
    """Suppression comments travel as ``directive`` blocks for the suppress stage."""
    for found in _DIRECTIVE.finditer(html):
        line = first_line + html.count("\n", 0, found.start())
        source = lines[line] if line < len(lines) else ""
        column = max(source.find("<!--"), 0) + 1
        yield Block(kind="directive", text=found.group(1), segments=(Segment(0, line + 1, column),))


def _inline_directives(token: Token, lines: Sequence[str]) -> Iterator[Block]:
    assert token.map is not None
    line = token.map[0]
    for child in token.children or []:
        if child.type == "softbreak" or child.type == "hardbreak":
            line += 1
        elif child.type == "html_inline":
            yield from _directives(child.content, line, lines)
