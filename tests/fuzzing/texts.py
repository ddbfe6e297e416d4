"""Markdown and plain-text damage: broken encodings, runaway markup, odd phrases.

Text files are read in the scanning process itself (no worker, no deadline, no
memory cap) when there are few of them, so these cases look for anything
that is slow or large in proportion to a small input as much as for errors.
"""

from __future__ import annotations

import random

from fuzzing.damage import Mutator, Skip, byte_mutators, pick_size

_PHRASES = (
    "back office",
    "Back-Office",
    "BACK OFFICE",
    "back-\noffice",
    "back\u00adoffice",
    "back\u200boffice",
    "back\u00a0office",
    "ba\u0301ck office",
    "backoffice",
    "back line",
    "non-customer-facing",
    "back office's",
    "back offices",
)
_MARKUP_TOKENS = (b"> ", b"- ", b"1. ", b"* ", b"```", b"~~~", b"<!--", b"-->", b"[", b"](", b"]: ", b"|", b"*", b"_",
                  b"\\", b"&#", b"---\n", b"    ", b"\t", b"<div>", b"`", b"\n", b"wordaudit: ignore[")  # fmt: skip


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _at_line(rng: random.Random, data: bytes, insert: str) -> bytes:
    lines = _lines(data.decode("utf-8", "surrogateescape"))
    at = rng.randrange(len(lines) + 1)
    lines.insert(at, insert)
    return "\n".join(lines).encode("utf-8", "surrogateescape")


def _nest(rng: random.Random, data: bytes) -> bytes:
    """Containers nested far past what markdown-it tracks (it stops at 20 levels)."""
    depth = rng.choice((5, 19, 21, 100, 1000, 10_000))
    phrase = rng.choice(_PHRASES)
    marker = rng.choice(("> ", ">", "- ", "* ", "1. ", "+ ", "> - "))
    if rng.random() < 0.7:
        block = marker * depth + phrase
    else:  # one level per line, each indented under the last
        depth = min(depth, 300)
        block = "\n".join("  " * level + "- " + phrase for level in range(depth))
    return _at_line(rng, data, block)


def _markup(rng: random.Random, data: bytes) -> bytes:
    """Unclosed or runaway inline and block syntax around a phrase."""
    n = rng.choice((1, 3, 50, 500, 3000))
    phrase = rng.choice(_PHRASES)
    block = rng.choice(
        (
            "*" * n + phrase + "*" * n,
            "_" * n + phrase,
            "[" * n + phrase + "]" * n,
            "[" * n + phrase,
            "![" * n + phrase + "](x)" * n,
            "`" * n + phrase,
            "<" * n + phrase,
            "```\n" + phrase,
            "<!-- " + phrase,
            "<!-- wordaudit-disable",
            "---\n" + "title: " + phrase,
            "| " + " | ".join([phrase] * n) + " |\n|" + "---|" * n,
            "&#0; &#x110000; &#xD800; &#99999999999; &amp" + phrase,
            "[x]: <" + phrase + ">\n[" + phrase + "][x]",
            phrase + "\n" + "=" * n,
            "<div>\n" + phrase + "\n</div>",
            "\\" * n + phrase,
            phrase + "  \n" * n,
        )
    )
    return _at_line(rng, data, block)


def _directive(rng: random.Random, data: bytes) -> bytes:
    rule = rng.choice(("", "back-office", "nope", "back-office,back-line", "*", "back-office " * 50, "\u00e9"))
    block = rng.choice(
        (
            f"<!-- wordaudit-disable {rule} -->",
            f"<!-- wordaudit-enable {rule} -->",
            f"<!-- wordaudit-disable-next-line {rule} -->",
            f"<!-- wordaudit-{rule} -->",
            f"back office wordaudit: ignore[{rule}]",
            "wordaudit: ignore[",
            "<!-- wordaudit-disable-next-line -->" * 100,
        )
    )
    return _at_line(rng, data, block)


def _phrase(rng: random.Random, data: bytes) -> bytes:
    """A phrase where matching is delicate: glued to punctuation, runs of it, or many of them."""
    phrase = rng.choice(_PHRASES)
    glue = rng.choice(("", "-", "(", "'", '"', "\u2014", "/", "#", "@", "\u00ad"))
    text = glue * pick_size(rng, (1, 16, 2000)) + phrase + glue * rng.randint(0, 3)
    if rng.random() < 0.2:
        text = (phrase + rng.choice((" ", ", ", "\n", "-"))) * rng.choice((10, 1000, 20_000))
    raw = data.decode("utf-8", "surrogateescape")
    at = rng.randrange(len(raw) + 1)
    return (raw[:at] + text + raw[at:]).encode("utf-8", "surrogateescape")


def _encoding(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    choice = rng.randrange(8)
    if choice == 0:
        return text.encode(rng.choice(("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le")))
    if choice == 1:
        return text.encode(rng.choice(("cp1252", "latin-1", "cp437", "mac-roman")), "replace")
    if choice == 2:
        bom = rng.choice((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"))
        return (bom + data) if rng.random() < 0.5 else _insert_bytes(rng, data, bom)
    if choice == 3:
        return data.replace(b"\n", rng.choice((b"\r", b"\r\n", b"\r\r\n", "\u2028".encode(), b"\x0b")))
    if choice == 4:
        return _insert_bytes(rng, data, rng.choice((b"\x00", b"\x00" * 100, b"\x1b[31m", b"\x07\x08")))
    bad = rng.choice((b"\xc3\x28", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf4\x90\x80\x80", b"\xff", b"\xe2\x82", b"\x80"))
    return _insert_bytes(rng, data, bad * rng.choice((1, 1, 5, 2000)))


def _insert_bytes(rng: random.Random, data: bytes, insert: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + insert + data[at:]


def _one_line(rng: random.Random, data: bytes) -> bytes:
    if b"\n" not in data:
        raise Skip
    return data.replace(b"\n", rng.choice((b" ", b"", b"\t")))


def mutators() -> dict[str, Mutator]:
    found: dict[str, Mutator] = {
        "text-nest": _nest,
        "text-markup": _markup,
        "text-directive": _directive,
        "text-phrase": _phrase,
        "text-encoding": _encoding,
        "text-one-line": _one_line,
    }
    found.update({f"bytes-{name}": m for name, m in byte_mutators(_MARKUP_TOKENS).items()})
    return found


WEIGHTS: dict[str, int] = {}
ORDER = ("text-nest", "text-markup", "text-directive", "text-phrase", "text-one-line", "bytes-", "text-encoding")
