"""Format-blind damage: what a bad disk, a cut download or a careless tool does to any file.

Every mutator takes the case's ``random.Random`` and the bytes so far and
returns new bytes, so a case is reproducible from its seed alone. A mutator
that does not apply to its input (no zip to open, no stream to edit) raises
``Skip`` and the case goes on with the next one.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

Mutator = Callable[[random.Random, bytes], bytes]


class Skip(Exception):
    """This mutator has nothing to work on in this input."""


# Values that sit on the edges parsers get wrong: zero, sign, 16/32/64-bit
# limits, float overflow and the spellings of "not a number".
HOSTILE_NUMBERS: tuple[bytes, ...] = (
    b"0",
    b"-1",
    b"-0",
    b"1",
    b"255",
    b"256",
    b"65535",
    b"65536",
    b"2147483647",
    b"2147483648",
    b"-2147483649",
    b"4294967295",
    b"4294967296",
    b"9223372036854775807",
    b"18446744073709551616",
    b"99999999999999999999999999999999",
    b"1e308",
    b"1e400",
    b"-1e400",
    b"0.000000000000000000000000000001",
    b"NaN",
    b"inf",
    b"--1",
    b"1.2.3",
    b"+",
    b".",
)


def pick_size(rng: random.Random, sizes: Sequence[int] = (1, 2, 8, 64, 512, 4096)) -> int:
    """A length biased towards the small ones, with a few large."""
    return rng.randint(1, rng.choice(sizes))


def flip(rng: random.Random, data: bytes) -> bytes:
    if not data:
        raise Skip
    out = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 4, 16))):
        at = rng.randrange(len(out))
        out[at] = out[at] ^ (1 << rng.randrange(8)) if rng.random() < 0.7 else rng.randrange(256)
    return bytes(out)


def truncate(rng: random.Random, data: bytes) -> bytes:
    if len(data) < 2:
        raise Skip
    return data[: rng.randrange(len(data))]


def insert_run(rng: random.Random, data: bytes, tokens: Sequence[bytes] = ()) -> bytes:
    """Random bytes, one byte repeated, or a token of the format repeated."""
    kind = rng.random()
    if kind < 0.4 or not tokens:
        run = rng.randbytes(pick_size(rng, (4, 64, 512)))
    elif kind < 0.6:
        run = bytes([rng.randrange(256)]) * pick_size(rng)
    else:
        run = rng.choice(tokens) * rng.choice((1, 1, 2, 10, 100, 1000))
    at = rng.randrange(len(data) + 1)
    return data[:at] + run + data[at:]


def delete_span(rng: random.Random, data: bytes) -> bytes:
    if len(data) < 2:
        raise Skip
    start = rng.randrange(len(data))
    return data[:start] + data[start + pick_size(rng) :]


def copy_span(rng: random.Random, data: bytes) -> bytes:
    if len(data) < 2:
        raise Skip
    start = rng.randrange(len(data))
    chunk = data[start : start + pick_size(rng)]
    at = rng.randrange(len(data) + 1)
    return data[:at] + chunk + data[at:]


def byte_mutators(tokens: Sequence[bytes]) -> dict[str, Mutator]:
    """The generic set, with ``insert`` drawing on the format's own tokens."""
    return {
        "flip": flip,
        "truncate": truncate,
        "insert": lambda rng, data: insert_run(rng, data, tokens),
        "delete": delete_span,
        "copy": copy_span,
    }


def replace_nth(data: bytes, old: bytes, new: bytes, index: int) -> bytes:
    """``data`` with its ``index``-th occurrence of ``old`` replaced."""
    at = -1
    for _ in range(index + 1):
        at = data.find(old, at + 1)
        if at < 0:
            raise Skip
    return data[:at] + new + data[at + len(old) :]
