"""File names as reports show them."""

from __future__ import annotations


def printable(name: str) -> str:
    """A path as reports show it: what cannot be printed is escaped as Python would
    (``bad\\xffname.md`` for a byte that is not UTF-8, ``new\\nline.md``). A name
    with such a byte holds a lone surrogate (Python's stand-in for the byte), which
    no UTF-8 report, nor SQLite, can hold; a line break would split a report's line;
    a control character such as U+202E would turn the text after it around."""
    if name.isprintable():
        return name
    return "".join(character if character.isprintable() else _escaped(character) for character in name)


def _escaped(character: str) -> str:
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:  # the byte a file name held that was not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return repr(character)[1:-1]
