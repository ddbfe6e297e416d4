"""PDF → blocks, streamed page by page (one page read ahead); one block per
paragraph-like box, or per paragraph where a page or column break cut one
(``pdf_flow``). With PDFium, a page is laid out only where a rule's words
stand on it or near it (``page_screen``, which reads the text of two more
pages ahead); the others give no blocks.

Two engines find each page's text lines: ``pdf_pdfminer`` (pdfminer.six,
always installed) and ``pdfium`` (pypdfium2, optional, over ten times
faster). ``pdf_layout`` then orders and boxes the lines for both, and this
module makes the blocks, so everything a finding's position depends on is
decided once and the engines number lines alike:

- ``page`` is the 1-based page number; ``line`` is the 1-based number of a
  line on its page, counting the lines with a letter or digit in reading
  order (top to bottom, a column at a time); a running header is line 1.
  The pieces of one row that the layout reads apart (a table's cells, a
  label and its value after a tab stop) are one line, as a person counts.
- ``column`` is the 1-based character offset in that line as extracted:
  NFKC-normalised (a "ﬁ" ligature is two characters), runs of spaces folded
  to one, leading spaces dropped, a row's pieces one space apart
  ("Title: Back Office Clerk"). A PDF keeps no columns of its own.
- A hyphen that breaks a word across lines ("back-" / "office", "cus-" /
  "tomer") becomes U+00AD, a soft hyphen, which the matcher reads as an
  invisible join; the "\\n" stays, so offsets still map to both lines.

After the pages comes the text a PDF keeps off them: the title in its
document properties (placed as ``document properties: title``, with no page;
``pdf_title``), then the reviewers' comments (``comment 1, page 2``;
``pdf_comments``), in the order a Word document gives them.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import math
import re
import unicodedata
import zlib
from collections.abc import Generator, Iterable, Iterator, Sequence
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from wordaudit.errors import (
    ConfigError,
    CorruptPdf,
    ExtractError,
    NotAPdf,
    NoTextLayer,
    ResourceLimitExceeded,
    UnreadableFile,
    missing_file,
)
from wordaudit.extract import ExtractOptions
from wordaudit.extract.pdf_comments import Comment, comment_block, in_reading_order
from wordaudit.extract.pdf_flow import Box, breaks_word, paragraphs
from wordaudit.extract.pdf_layout import PageLines, Rules, SkippedPage, TextLine, layout_page, same_baseline
from wordaudit.extract.pdf_title import title_block
from wordaudit.model import Block, Segment

if TYPE_CHECKING:
    from wordaudit.page_screen import PageScreen

FORMAT = "pdf"
TEXT_BASED = False

ENGINES = ("auto", "pdfminer", "pdfium")

# Readers accept the header anywhere in the first 1024 bytes (mail gateways
# and old generators put junk before it); so does this.
_HEADER_WINDOW = 1024
# How many of the latest numbered pieces a piece may share a row with: a few
# cells of a table row, not a page column read earlier; and how far back a
# one-line box may be: a form's labels, read before their values.
_ROW_LOOKBACK = 8
_FORM_LOOKBACK = 80
_MAX_REACH = 50


class Engine(Protocol):
    def read_pages(
        self,
        path: Path,
        comments: list[Comment] | None = None,
        title: list[str] | None = None,
        screen: PageScreen | None = None,
    ) -> Generator[list[TextLine], None, None]:
        """Yield each page's text lines, in any order, turned so that the
        page's text runs left to right, as ``PageLines`` with the thin shapes
        drawn on the page turned alike (its rules part lines); add each page's
        comments to ``comments`` as it is read, when given a list; add the
        document's title (its Info dictionary's Title as text, "" for none or
        one that cannot be read) to ``title`` before the first page, when given
        a list. An engine may pass over (as a ``SkippedPage``) a page that
        ``screen`` says cannot hold a finding."""
        ...

    def library_error(self, exc: Exception) -> ExtractError | None:
        """The user's view of an exception from the engine's library, where
        it has a better one than "damaged" (a wrong password, a truncated file)."""
        ...


def extract_file(path: Path, options: ExtractOptions) -> Iterator[Block]:
    _check_header(path)
    engine = load_engine(options.pdf_engine)
    found = False
    comments: list[Comment] | None = [] if options.pdf_comments else None
    title: list[str] = []
    skipped_text = False  # a page passed over had text: the file has a text layer

    def read(lines: list[TextLine]) -> list[TextLine]:
        nonlocal skipped_text
        skipped_text = skipped_text or (isinstance(lines, SkippedPage) and lines.has_text)
        return lines

    pages = _guarded(engine, path, comments, title, options.page_screen)
    for paragraph in paragraphs(page_boxes(number, read(lines)) for number, lines in enumerate(pages, start=1)):
        found = True
        yield paragraph_block(paragraph)
    if not found and not skipped_text:
        # Known only after the last page: blocks stream out as pages are read.
        raise NoTextLayer()
    # The title comes after the pages, although it is read first: the page
    # blocks stream out as before, and a page finding keeps its fingerprint
    # (identical occurrences in a file are told apart by their order), so a
    # baseline made before titles were read still matches. Before the
    # comments, as in a Word document, so that switching comments off changes
    # nothing about it.
    title_found = title_block(title[0]) if title else None
    if title_found is not None:
        yield title_found
    for number, comment in enumerate(in_reading_order(comments or []), start=1):
        block = comment_block(number, comment)
        if block is not None:
            yield block


def load_engine(name: str) -> Engine:
    """The engine module for ``options.pdf_engine``; "auto" prefers PDFium."""
    if name not in ENGINES:
        raise ConfigError(f"unknown pdf engine {name!r}; choose one of: {', '.join(ENGINES)}")
    if name != "pdfminer":
        fast = _pdfium_engine()
        if fast is not None:
            return fast
        if name == "pdfium":
            raise ConfigError("pdf engine 'pdfium' needs pypdfium2: pip install wordaudit[pdfium]")
    return cast(Engine, importlib.import_module("wordaudit.extract.pdf_pdfminer"))


def preload_engine(name: str) -> None:
    """Import the engine ``name`` stands for now (the worker fork server does,
    for its workers); an engine that cannot be had is reported when used."""
    with contextlib.suppress(ConfigError, ImportError):
        load_engine(name)


@cache
def _pdfium_engine() -> Engine | None:
    # Tried once per run: a failed import is not cached by Python itself.
    try:
        return cast(Engine, importlib.import_module("wordaudit.extract.pdfium"))
    except (ImportError, OSError):  # not installed, or its native library will not load
        return None


def page_boxes(page: int, lines: Iterable[TextLine]) -> list[Box]:
    """One page's lines as boxes in reading order, the lines numbered across
    the page; the rules drawn on it (``PageLines``, when given) part lines."""
    placed = []
    rows = _Rows()
    rules = Rules(lines.drawn) if isinstance(lines, PageLines) else None
    for box in layout_page([line for line in lines if line.text.strip()], rules):
        kept = [(text, line) for line in box if _counts(text := normalise_line(line.text))]
        if not kept:
            continue
        places = [rows.place(text, line, len(kept) == 1) for text, line in kept]
        texts, geometry = zip(*kept, strict=True)
        found, columns = zip(*places, strict=True)
        placed.append((texts, geometry, found, columns))
    # Numbered once the page is read: a row found later may lie above rows numbered before it.
    numbers = {id(row): number for number, row in enumerate(rows.rows, start=1)}
    return [
        Box(page, texts, geometry, tuple(numbers[id(row)] for row in found), columns)
        for texts, geometry, found, columns in placed
    ]


# A piece numbered: its place in reading order, the piece itself, its row (the
# row's first piece), its last column, and whether it was a box of one line.
_Piece = tuple[int, TextLine, TextLine, int, bool]


class _Rows:
    """Numbers a page's lines in reading order, a line per row: the pieces of
    one row that the layout keeps apart (a table's cells, a label and the
    value after its tab stop: "Title:" / "Back Office Clerk") share its
    number, each starting one space after the piece before it, as a person
    counting the page's lines counts them.

    A piece shares the row of one of the latest few pieces numbered, or of a
    one-line box further back: a form read a column at a time gives all its
    labels, then all its values. A page column's lines, read before the next
    column's, are in paragraphs, and the next column is numbered after it.

    A table read a column at a time is numbered by its first column's cells.
    A later column's line with none beside it (a row beside a merged cell, a
    wrapped cell's next line) goes in as a row of its own below the latest
    piece's row, where nothing was numbered level with it (a page column's
    line would be), not after the text under the table that the first column
    read: a row's number is its place in ``rows`` once the page is read."""

    def __init__(self) -> None:
        self.pieces = 0
        # Each row as its first piece, top to bottom; and the latest piece with its row.
        self.rows: list[TextLine] = []
        self.latest: tuple[TextLine, TextLine] | None = None
        # The pieces numbered so far by whole point of their baseline, so that a
        # piece is compared with those near its baseline only.
        self.by_baseline: dict[int, list[_Piece]] = {}

    def place(self, text: str, line: TextLine, alone: bool) -> tuple[TextLine, int]:
        near = self._near(line)
        found = self._row_of(line, near)
        if found is None:
            row, column = line, 1
            self.rows.insert(self._new_row_at(line, near), line)
        else:
            row, column = found
        self.pieces += 1
        self.latest = (line, row)
        key = _baseline_key(line)
        if key is not None:
            self.by_baseline.setdefault(key, []).append((self.pieces, line, row, column + len(text) - 1, alone))
        return row, column

    def _new_row_at(self, line: TextLine, near: list[_Piece]) -> int:
        """The place in ``rows`` of the row that ``line`` starts."""
        if self.latest is None or self.latest[1] is self.rows[-1]:
            return len(self.rows)
        piece, row = self.latest
        after = next(index for index, other in enumerate(self.rows) if other is row) + 1
        below = self.rows[after]
        if (
            piece.bottom > line.bottom > below.bottom
            and not same_baseline(piece, line)
            and not any(same_baseline(other, line) for _, other, _, _, _ in near)
        ):
            return after
        return len(self.rows)

    def _near(self, line: TextLine) -> list[_Piece]:
        """The pieces numbered so far with a baseline near ``line``'s."""
        key = _baseline_key(line)
        if key is None:
            return []
        # A baseline within a quarter of a line height (same_baseline), bounded
        # for a hostile file's absurd heights.
        reach = min(math.ceil(0.25 * line.height) + 1, _MAX_REACH) if line.height > 0 else 1
        return [entry for other in range(key - reach, key + reach + 1) for entry in self.by_baseline.get(other, ())]

    def _row_of(self, line: TextLine, near: list[_Piece]) -> tuple[TextLine, int] | None:
        """The row ``line`` carries on, and its column there."""
        near = [entry for entry in near if self.pieces - entry[0] < _FORM_LOOKBACK]
        if len(near) > 1:
            near.sort(reverse=True, key=itemgetter(0))
        for seen, before, row, end, alone in near:
            if (self.pieces - seen < _ROW_LOOKBACK or alone) and _same_row(before, line):
                return row, end + 2
        return None


def _baseline_key(line: TextLine) -> int | None:
    return round(line.bottom) if math.isfinite(line.bottom) and math.isfinite(line.height) else None


def _same_row(before: TextLine, line: TextLine) -> bool:
    """Whether ``line`` carries on the row of ``before``, to its right."""
    return same_baseline(before, line) and line.left >= before.right - max(before.height, line.height) / 2


def paragraph_block(boxes: Sequence[Box]) -> Block:
    """One paragraph's boxes (two or more where a break cut it) as one block."""
    texts = join_hyphenated([text for box in boxes for text in box.texts])
    places = [
        (box.page, number, column)
        for box in boxes
        for number, column in zip(box.numbers, box.columns or (1,) * len(box.numbers), strict=True)
    ]
    segments = []
    start = 0
    for text, (page, number, column) in zip(texts, places, strict=True):
        segments.append(Segment(start, number, column, page=page))
        start += len(text) + 1
    return Block("paragraph", "\n".join(texts), tuple(segments))


def _counts(line: str) -> bool:
    """Whether a line is numbered and kept: one of bullets or rules ("•",
    "----") is not, being no line a reader would count, nor one a phrase
    could be on."""
    return any(char.isalnum() for char in line)


_FOLD = str.maketrans(
    {
        "\u2010": "-",  # NFKC keeps the Unicode hyphen (and turns U+2011 into it)
        # Zero-width characters (a space, the (non-)joiners, the word joiner,
        # U+FEFF): invisible, but each would split a word.
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
    }
)
_FOLDED = re.compile("[" + "".join(chr(code) for code in _FOLD) + "]")
_SPACES = re.compile(r"\s+")


def normalise_line(raw: str) -> str:
    """One line as the matcher should see it.

    Spaces are folded because justified text comes out of pdfminer with
    several between words (the drawn space and the gap it infers).
    """
    return _SPACES.sub(" ", fold_characters(raw)).strip()


def fold_characters(raw: str) -> str:
    """``raw`` NFKC-normalised, invisible characters dropped, as the matcher
    should see its characters (``normalise_line`` also folds its spaces)."""
    # NFKC and _FOLD leave ASCII as it is, and most lines are ASCII: 8 % of
    # the PDFium engine's time went to normalising them anyway.
    if raw.isascii():
        return raw
    text = unicodedata.normalize("NFKC", raw)
    # Translating is slow (a dictionary lookup a character): only where it changes something.
    return text.translate(_FOLD) if _FOLDED.search(text) else text


def join_hyphenated(lines: list[str]) -> list[str]:
    """Mark hyphens that break a word at a line end as soft hyphens.

    Same length, so offsets computed from the lines stay valid.
    """
    for i in range(len(lines) - 1):
        if breaks_word(lines[i], lines[i + 1]):
            lines[i] = lines[i][:-1] + "\u00ad"
    return lines


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as stream:
            head = stream.read(_HEADER_WINDOW)
    except FileNotFoundError as exc:
        raise missing_file(path) from exc
    except OSError as exc:
        raise UnreadableFile(f"cannot be read: {exc.strerror or type(exc).__name__}") from exc
    if not head:
        raise NotAPdf("file is empty")  # worded as for an empty Word document
    if b"%PDF" not in head:
        raise NotAPdf()


def _guarded(
    engine: Engine,
    path: Path,
    comments: list[Comment] | None = None,
    title: list[str] | None = None,
    screen: PageScreen | None = None,
) -> Iterator[list[TextLine]]:
    """The engine's pages, letting only ``ExtractError`` out.

    The ``yield`` stays outside the ``try``, so that an exception the consumer
    throws in is not taken for damage in the file.
    """
    pages = engine.read_pages(path, comments, title, screen)
    try:
        while True:
            try:
                page = next(pages)
            except StopIteration:
                return
            except ExtractError:
                raise
            except Exception as exc:  # whatever a parser raises, the file is the cause
                raise _translate(engine, exc) from exc
            yield page
    finally:
        pages.close()  # closes the engine's file now, not when collected


def _translate(engine: Engine, exc: Exception) -> ExtractError:
    known = engine.library_error(exc)
    if known is not None:
        return known
    if isinstance(exc, MemoryError):
        return ResourceLimitExceeded("PDF needs more memory than is available")
    if isinstance(exc, OSError) and exc.errno == errno.EINVAL:
        # A seek before the file's start: an xref entry or a /Length pointing
        # nowhere, not a file the system cannot read.
        return CorruptPdf("PDF is damaged: an offset points outside the file")
    if isinstance(exc, OSError) and exc.errno is not None:
        return UnreadableFile(f"cannot be read: {exc.strerror}")
    return damaged(exc)


# Most specific first; ``damaged`` takes the first that fits.
_REASONS: tuple[tuple[type[BaseException], str], ...] = (
    (RecursionError, "objects are nested too deeply"),
    (zlib.error, "a compressed stream cannot be decoded"),
    (EOFError, "unexpected end of data"),
    (UnicodeError, "text cannot be decoded"),
    (KeyError, "a required entry is missing"),
    (LookupError, "a reference points nowhere"),
    (ArithmeticError, "a number is out of range"),
)


def damaged(exc: BaseException) -> CorruptPdf:
    """A ``CorruptPdf`` with a plain reason. The library's own message is not
    shown: it can hold paths and dumps of PDF objects."""
    reason = next(
        (text for kind, text in _REASONS if isinstance(exc, kind)),
        f"unexpected structure ({type(exc).__name__})",
    )
    return CorruptPdf(f"PDF is damaged: {reason}")
