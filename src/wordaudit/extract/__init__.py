"""The extractor registry: file suffix → the module that turns it into blocks.

A new format is one module plus one line in ``_MODULES``. Modules are imported
only when a file of theirs is scanned, so a markdown scan never pays for
python-docx or pdfminer.

Every extractor module defines:

- ``FORMAT``: the format name reported in ``files[].format``;
- ``TEXT_BASED``: True when the file is text that ``textio`` decodes, in which
  case the module defines ``extract_text(text, options) -> Iterator[Block]``
  and the scan can skip the file on a raw-text prefilter alone;
- otherwise ``extract_file(path, options) -> Iterator[Block]``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Protocol, cast

from wordaudit.model import Block
from wordaudit.record import field, record

if TYPE_CHECKING:
    from wordaudit.page_screen import PageScreen
    from wordaudit.prefilter import TextScreen

_MODULES: dict[str, str] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".txt": "plaintext",
    ".text": "plaintext",
    ".docx": "docx",
    ".docm": "docx",
    ".dotx": "docx",
    ".dotm": "docx",
    ".pdf": "pdf",
}


@record
class ExtractOptions:
    """Per-format switches that come from the configuration."""

    docx_comments: bool = True
    pdf_comments: bool = True
    pdf_engine: str = "auto"
    max_unpacked_bytes: int = 512 * 1024 * 1024
    # Which PDF pages to lay out (None: all); from the run's rules, not the
    # configuration. It changes no finding, so no cached result depends on it.
    page_screen: PageScreen | None = field(default=None, repr=False, compare=False)
    # Which paragraphs of plain text to build blocks for (None: all); likewise.
    text_screen: TextScreen | None = field(default=None, repr=False, compare=False)


class TextExtractor(Protocol):
    FORMAT: str
    TEXT_BASED: bool

    def extract_text(self, text: str, options: ExtractOptions) -> Iterator[Block]: ...


class FileExtractor(Protocol):
    FORMAT: str
    TEXT_BASED: bool

    def extract_file(self, path: Path, options: ExtractOptions) -> Iterator[Block]: ...


def suffixes() -> tuple[str, ...]:
    return tuple(sorted(_MODULES))


def format_for(path: Path | str, extra: Mapping[str, str] | None = None) -> str | None:
    """The format a file would be read as, without importing its extractor.
    ``extra`` maps more suffixes (".mdx") to formats, over the built-in ones."""
    suffix = Path(path).suffix.lower()
    if extra and suffix in extra:
        return extra[suffix]
    return _FORMAT_OF_SUFFIX.get(suffix)


def unsupported(path: Path | str) -> str:
    """The error for a file no extractor reads, with the way to read it."""
    named = Path(path)
    document = unread_document(named.name)
    if document is not None and document not in TEXT_MAPPINGS:
        return f"{document}, not read: save it as .docx or PDF to audit it"
    return f"unsupported file type '{named.suffix or named.name}' (map it under [formats] in wordaudit.toml)"


# Formats people keep documents in that no extractor reads: an HR folder holds
# old .doc files beside .docx, and a folder walk must not pass them over unsaid.
_UNREAD_DOCUMENTS = {
    ".doc": "old binary Word document (.doc)",
    ".dot": "old binary Word template (.dot)",
    ".rtf": "rich text document (.rtf)",
    ".odt": "OpenDocument text document (.odt)",
    ".ott": "OpenDocument template (.ott)",
    ".pages": "Apple Pages document (.pages)",
    ".wpd": "WordPerfect document (.wpd)",
}


# Text formats of docs and policy repositories that no extractor reads as
# such, and the format each reads well enough as when mapped under [formats]
# (an HTML page's prose is read as markdown reads raw HTML). A repository
# written in reStructuredText would otherwise pass every check unaudited.
_UNREAD_TEXT = {
    ".rst": ("reStructuredText file (.rst)", "text"),
    ".adoc": ("AsciiDoc file (.adoc)", "text"),
    ".asciidoc": ("AsciiDoc file (.asciidoc)", "text"),
    ".org": ("Org file (.org)", "text"),
    ".tex": ("LaTeX file (.tex)", "text"),
    ".textile": ("Textile file (.textile)", "text"),
    ".mdx": ("MDX file (.mdx)", "markdown"),
    ".html": ("HTML page (.html)", "markdown"),
    ".htm": ("HTML page (.htm)", "markdown"),
}
# Each kind of text file as named in a warning: the mapping that reads it.
TEXT_MAPPINGS = {kind: f'{suffix[1:]} = "{fmt}"' for suffix, (kind, fmt) in _UNREAD_TEXT.items()}


def unread_document(name: str) -> str | None:
    """What a file named ``name`` is, if it is a document in a format no
    extractor reads: a word processor's (``_UNREAD_DOCUMENTS``) or a text
    format that can be mapped to one that is read (``TEXT_MAPPINGS``)."""
    dot = name.rfind(".")
    if dot <= 0:
        return None
    suffix = name[dot:].lower()
    text = _UNREAD_TEXT.get(suffix)
    return text[0] if text is not None else _UNREAD_DOCUMENTS.get(suffix)


def format_for_name(name: str, extra: Mapping[str, str] | None = None) -> str | None:
    """``format_for`` of a bare file name (no folder), as a folder walk lists
    it: the suffix is found as ``Path.suffix`` finds it, without building a
    path for each of thousands of entries."""
    dot = name.rfind(".")
    if 0 < dot < len(name) - 1:
        suffix = name[dot:].lower()
        if extra and suffix in extra:
            return extra[suffix]
        return _FORMAT_OF_SUFFIX.get(suffix)
    return None


_FORMAT_NAMES = {"markdown": "markdown", "plaintext": "text", "docx": "docx", "pdf": "pdf"}
# The formats a user may name for a suffix of their own (``[formats]`` in the configuration).
FORMATS = tuple(_FORMAT_NAMES.values())
_FORMAT_OF_SUFFIX = {suffix: _FORMAT_NAMES[module] for suffix, module in _MODULES.items()}


def text_format(fmt: str) -> bool:
    """Whether a format is text that this process may read itself (cheap and safe)."""
    return fmt in ("markdown", "text")


def module_for_format(fmt: str) -> ModuleType:
    for module, name in _FORMAT_NAMES.items():
        if name == fmt:
            return importlib.import_module(f"wordaudit.extract.{module}")
    raise KeyError(fmt)


def text_extractor(fmt: str) -> TextExtractor | None:
    module = module_for_format(fmt)
    return cast(TextExtractor, module) if getattr(module, "TEXT_BASED", False) else None


def file_extractor(fmt: str) -> FileExtractor:
    return cast(FileExtractor, module_for_format(fmt))
