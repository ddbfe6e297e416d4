"""PDF → blocks: one block per text box, streamed page by page.

The layout engines (``pdf_layout`` on pdfminer.six, ``pdfium`` on pypdfium2)
only find the lines of each text box on a page, in reading order. Everything
a finding's position depends on is decided here, once for both, so the two
engines number lines alike:

- ``line`` is the 1-based number of a text line on its page, counting the
  non-blank lines of all text boxes in the order the engine reads them (top to
  bottom, column by column); running headers and footers count like any line.
- ``column`` is the 1-based character offset in that line after normalisation:
  NFKC (so "ﬁ" is two characters), runs of spaces folded to one, the line
  stripped. A PDF has no source columns, so this is the only stable choice.
- A hyphen that breaks a word over two lines becomes U+00AD (a soft hyphen),
  which the matcher reads as an invisible join: "back-" / "office" still
  matches "back-office", and "cus-" / "tomer" reads as "customer".
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import unicodedata
import zlib
from collections.abc import Generator, Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Protocol, cast

from wordaudit.errors import (
    ConfigError,
    CorruptPdf,
    ExtractError,
    NotAPdf,
    NoTextLayer,
    ResourceLimitExceeded,
    UnreadableFile,
)
from wordaudit.extract import ExtractOptions
from wordaudit.model import Block, Segment

FORMAT = "pdf"
TEXT_BASED = False

ENGINES = ("auto", "pdfminer", "pdfium")

# PDF readers accept the header anywhere in the first 1024 bytes (some mail
# gateways and old generators put junk before it).
_HEADER_WINDOW = 1024

# A text box, as an engine reads it: its lines, unnormalised, in order.
RawBox = Sequence[str]


class Engine(Protocol):
    def read_pages(self, path: Path) -> Generator[list[RawBox], None, None]:
        """Yield, for every page in order, its text boxes in reading order."""
        ...

    def library_error(self, exc: Exception) -> ExtractError | None:
        """The user's view of an exception from the engine's library, if it
        has a better one than "damaged" (a wrong password, a truncated file)."""
        ...


def extract_file(path: Path, options: ExtractOptions) -> Iterator[Block]:
    _check_header(path)
    engine = load_engine(options.pdf_engine)
    found = False
    for number, boxes in enumerate(_guarded(engine, path), start=1):
        for block in page_blocks(number, boxes):
            found = True
            yield block
    if not found:
        # Only known after the last page: streaming means we cannot look ahead.
        raise NoTextLayer()


def load_engine(name: str) -> Engine:
    if name not in ENGINES:
        raise ConfigError(f"unknown pdf engine {name!r}; choose one of: {', '.join(ENGINES)}")
    if name == "pdfium" and not pdfium_available():
        raise ConfigError(
            "pdf engine 'pdfium' needs the pypdfium2 package: pip install pypdfium2"
        )
    if name == "pdfium" or (name == "auto" and pdfium_available()):
        module = "pdfium"
    else:
        module = "pdf_layout"
    return cast(Engine, importlib.import_module(f"wordaudit.extract.{module}"))


@cache
def pdfium_available() -> bool:
    # find_spec, not import: probing must not load a native library.
    return importlib.util.find_spec("pypdfium2") is not None


def page_blocks(page: int, boxes: Iterable[RawBox]) -> Iterator[Block]:
    """Turn one page's text boxes into blocks, numbering lines across the page."""
    line_number = 0
    for raw in boxes:
        lines = join_hyphenated([text for text in map(normalise_line, raw) if text])
        if not lines:
            continue
        segments = []
        start = 0
        for text in lines:
            line_number += 1
            segments.append(Segment(start, line_number, 1, page=page))
            start += len(text) + 1
        yield Block("paragraph", "\n".join(lines), tuple(segments))


_FOLD = str.maketrans(
    {
        "\u2010": "-",  # NFKC leaves the Unicode hyphen (and makes U+2011 into it)
        "\u200b": None,  # zero-width space: invisible, but would split a word
        "\ufeff": None,
    }
)
_SPACES = re.compile(r"\s+")


def normalise_line(raw: str) -> str:
    """One line as the matcher should see it.

    Justified text comes out of pdfminer with several spaces between words
    (drawn spaces plus the gap it infers); a phrase must match regardless.
    """
    text = unicodedata.normalize("NFKC", raw).translate(_FOLD)
    return _SPACES.sub(" ", text).strip()


_LINE_END_HYPHENS = ("-", "\u00ad")


def join_hyphenated(lines: list[str]) -> list[str]:
    """Mark word-breaking hyphens at line ends as soft hyphens.

    Same length, so offsets computed from the lines stay valid. A hyphen after
    a digit or a space ("10-", "one -") is text, not a break, and stays.
    """
    for i in range(len(lines) - 1):
        line, following = lines[i], lines[i + 1]
        if (
            len(line) >= 2
            and line.endswith(_LINE_END_HYPHENS)
            and line[-2].isalpha()
            and following[:1].isalpha()
        ):
            lines[i] = line[:-1] + "\u00ad"
    return lines


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as stream:
            head = stream.read(_HEADER_WINDOW)
    except OSError as exc:
        raise UnreadableFile(f"cannot be read: {exc.strerror or type(exc).__name__}") from exc
    if b"%PDF" not in head:
        raise NotAPdf()


def _guarded(engine: Engine, path: Path) -> Iterator[list[RawBox]]:
    """Let only ``ExtractError`` out of an engine, with a one-line reason.

    The ``yield`` stays outside the ``try`` so an error thrown in by the
    consumer is not mistaken for damage in the file.
    """
    pages = engine.read_pages(path)
    try:
        while True:
            try:
                page = next(pages)
            except StopIteration:
                return
            except ExtractError:
                raise
            except MemoryError as exc:
                raise ResourceLimitExceeded("PDF needs more memory than is available") from exc
            except OSError as exc:
                reason = exc.strerror or type(exc).__name__
                raise UnreadableFile(f"cannot be read: {reason}") from exc
            except Exception as exc:  # any parser failure means a damaged file
                raise (engine.library_error(exc) or damaged(exc)) from exc
            yield page
    finally:
        pages.close()  # the engine's file, now, not when the generator is collected


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
    """A ``CorruptPdf`` with a plain reason; library messages can carry paths
    and object dumps, so they are not shown."""
    reason = next(
        (text for kind, text in _REASONS if isinstance(exc, kind)),
        f"unexpected structure ({type(exc).__name__})",
    )
    return CorruptPdf(f"PDF is damaged: {reason}")

