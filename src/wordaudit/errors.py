"""The exception tree.

Every stage raises one of these; ``api.py`` turns an ``ExtractError`` into the
file's one-line ``error`` and goes on with the next file, while ``ConfigError``
and ``RuleFileError`` stop the run with exit status 2.
"""

from __future__ import annotations

from pathlib import Path


class WordauditError(Exception):
    """Base class: ``str()`` is always one line a person can read."""


class ConfigError(WordauditError):
    """A configuration file, key or option value is wrong (exit 2)."""


class RuleFileError(WordauditError):
    """A rule pack is malformed; the message starts with ``file:line:``."""

    def __init__(self, path: str, line: int | None, what: str) -> None:
        self.path = path
        self.line = line
        self.what = what
        place = f"{path}:{line}" if line else path
        super().__init__(f"{place}: {what}")


class ExtractError(WordauditError):
    """A document could not be turned into text; ``str()`` is the cause only."""

    default_reason = "cannot be read"

    def __init__(self, reason: str | None = None) -> None:
        super().__init__(_one_line(reason or self.default_reason))


class UnreadableFile(ExtractError):
    default_reason = "cannot be read"


def missing_file(path: Path) -> UnreadableFile:
    """A file the walk listed that is not there to open: a link to nothing
    (the walk lists links without following them), or one deleted since."""
    return UnreadableFile("a broken symbolic link" if path.is_symlink() else "no such file")


class UndecodableText(ExtractError):
    default_reason = "text encoding could not be determined"


class BinaryFile(ExtractError):
    default_reason = "binary file, not text"


class UnsupportedFile(ExtractError):
    default_reason = "no extractor for this file type"


class CorruptDocx(ExtractError):
    default_reason = "not a valid Word document"


class NotAPdf(ExtractError):
    default_reason = "not a PDF file (no %PDF header)"


class EncryptedPdf(ExtractError):
    default_reason = "PDF is encrypted and the empty password does not open it"


class CorruptPdf(ExtractError):
    default_reason = "PDF is damaged and cannot be read"


class NoTextLayer(ExtractError):
    default_reason = "no extractable text: scanned image?"


class ResourceLimitExceeded(ExtractError):
    default_reason = "exceeded a resource limit"


def _one_line(text: str, limit: int = 200) -> str:
    """Errors are shown one per line in every report, so fold and cut them."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
