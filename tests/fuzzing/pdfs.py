"""PDF damage, from the file's skeleton (objects, xref, trailer) down to the
drawing operators inside page content.

A PDF reader finds objects through the xref table, so an edit that moves bytes
would mostly test the reader's xref recovery. Edits aimed deeper (content,
filters, page tree) therefore rebuild a consistent xref afterwards; edits
aimed at the skeleton keep it broken on purpose.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Iterator

from fuzzing.damage import HOSTILE_NUMBERS, Mutator, Skip, byte_mutators, pick_size, replace_nth

_OBJECT = re.compile(rb"(?<![\d.])(\d{1,7})\s+(\d{1,5})\s+obj\b")
_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_NUMBER = re.compile(rb"(?<![\w./#])-?\d+(?:\.\d+)?(?![\w.])")
# PostScript-like tokens: strings, hex strings, dict and array brackets, names, the rest.
_TOKEN = re.compile(rb"\((?:\\.|[^\\()])*\)|<[0-9A-Fa-f\s]*>|<<|>>|\[|\]|/[^\s/\[\]()<>{}%]*|[^\s/\[\]()<>{}%]+", re.S)
_LENGTH = re.compile(rb"/Length\s+\d+(?:\s+\d+\s+R)?")
_MAX_OBJECTS = 100_000


# -- structure helpers ----------------------------------------------------------


def _dict_end(data: bytes, start: int) -> int:
    """Where the dictionary opening at ``start`` closes (``<<``/``>>`` counted)."""
    depth = 0
    at = start
    while at < len(data) - 1:
        pair = data[at : at + 2]
        if pair == b"<<":
            depth += 1
            at += 2
            continue
        if pair == b">>":
            depth -= 1
            at += 2
            if depth == 0:
                return at
            continue
        at += 1
    raise Skip


def rebuild_xref(data: bytes) -> bytes:
    """Replace the last xref table and trailer with ones that match where the
    objects now are, so a reader reaches the damage instead of its recovery."""
    trailer_at = data.rfind(b"trailer")
    if trailer_at < 0:
        raise Skip
    opening = data.find(b"<<", trailer_at)
    if opening < 0:
        raise Skip
    trailer = data[opening : _dict_end(data, opening)]
    offsets = {int(m.group(1)): (m.start(), int(m.group(2))) for m in _OBJECT.finditer(data, 0, trailer_at)}
    if not offsets or max(offsets) > _MAX_OBJECTS:
        raise Skip
    size = max(offsets) + 1
    table_at = data.rfind(b"xref", 0, trailer_at)
    cut = table_at if table_at >= 0 and data[table_at - 5 : table_at] != b"start" else trailer_at
    rows = [b"%010d %05d n \n" % offsets[n] if n in offsets else b"0000000000 00000 f \n" for n in range(1, size)]
    table = b"xref\n0 %d\n0000000000 65535 f \n" % size + b"".join(rows)
    trailer = re.sub(rb"/Size\s+\d+", b"/Size %d" % size, trailer)
    return data[:cut] + table + b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % cut


def _streams(data: bytes) -> Iterator[tuple[int, int, int]]:
    """(start of the object's dictionary area, body start, body end) of each stream."""
    for found in _STREAM.finditer(data):
        end = data.find(b"endstream", found.end())
        if end < 0:
            continue
        body_end = end - 2 if data[end - 2 : end] == b"\r\n" else end - 1 if data[end - 1 : end] in b"\r\n" else end
        head = data.rfind(b"obj", 0, found.start())
        yield max(head, 0), found.end(), max(body_end, found.end())


def _set_body(data: bytes, stream: tuple[int, int, int], body: bytes) -> bytes:
    head, start, end = stream
    dictionary = _LENGTH.sub(b"/Length %d" % len(body), data[head:start], count=1)
    return data[:head] + dictionary + body + data[end:]


def _inflated(data: bytes) -> list[tuple[tuple[int, int, int], bytes]]:
    found = []
    for stream in _streams(data):
        try:
            found.append((stream, zlib.decompress(data[stream[1] : stream[2]])))
        except zlib.error:
            continue
    if not found:
        raise Skip
    return found


# -- inside streams -------------------------------------------------------------


def _operators(rng: random.Random) -> bytes:
    """Drawing operators that stress a content interpreter: deep state stacks,
    singular and huge matrices, missing fonts, huge inline images, long runs."""
    n = rng.choice((1, 10, 100, 1000, 20_000))
    return rng.choice(
        (
            b"q " * n,
            b"Q " * n,
            b"BT " * min(n, 1000),
            b"ET ",
            b"1e30 0 0 1e30 0 0 cm ",
            b"0 0 0 0 0 0 cm ",
            b"BT 0 0 0 0 0 0 Tm (back office) Tj ET ",
            b"BT /F1 0 Tf (back office) Tj ET ",
            b"BT /F1 1e30 Tf (back office) Tj ET ",
            b"BT /Missing 12 Tf (back office) Tj ET ",
            b"BT /F1 12 Tf 0 1 -1 0 300 300 Tm (back office) Tj ET ",
            b"BT /F1 12 Tf " + b"(back office) Tj " * min(n, 2000) + b"ET ",
            b"BT /F1 12 Tf " + b"[" * n + b"(back office)" + b"]" * n + b" TJ ET ",
            b"BT /F1 12 Tf (back office " * 3,
            b"BT /F1 12 Tf <4A4 Tj ET ",
            b"BI /W 100000 /H 100000 /BPC 8 /CS /RGB ID " + rng.randbytes(64) + b" EI ",
            b"/Im0 Do /F1 Do ",
            b"100000 Tz -1e38 TL T* 1e38 Tc 7 Tr ",
            b"1 0 0 1 0 0 cm " * min(n, 1000),
            b"/P <</MCID 0>> BDC " * n,
            b"EMC " * n,
            b"d0 d1 sh BX EX ",
        )
    )


def _tokens(rng: random.Random, text: bytes) -> bytes:
    tokens = list(_TOKEN.finditer(text))
    if not tokens:
        raise Skip
    found = rng.choice(tokens)
    choice = rng.random()
    if choice < 0.3 and _NUMBER.fullmatch(found.group()):
        new = rng.choice(HOSTILE_NUMBERS) + b" "
    elif choice < 0.45:
        new = b""
    elif choice < 0.6:
        new = found.group() * rng.choice((2, 100, 10_000))
    else:
        new = found.group() + b" " + _operators(rng)
    return text[: found.start()] + new + text[found.end() :]


def _stream_inflated(rng: random.Random, data: bytes) -> bytes:
    """Decompress a stream (content, CMap, font), damage it, compress it again:
    the filter is intact, so the damage reaches the interpreter or font parser."""
    stream, body = rng.choice(_inflated(data))
    textual = body[:200].isascii() and not body.startswith(b"\0")
    if textual and rng.random() < 0.8:
        for _ in range(rng.choice((1, 1, 2, 5))):
            body = _tokens(rng, body)
    else:
        body = rng.choice(list(byte_mutators(()).values()))(rng, body)
    return rebuild_xref(_set_body(data, stream, zlib.compress(body)))


def _stream_raw(rng: random.Random, data: bytes) -> bytes:
    """Damage the compressed bytes themselves: the decoder's error paths."""
    streams = list(_streams(data))
    if not streams:
        raise Skip
    _, start, end = rng.choice(streams)
    body = rng.choice(list(byte_mutators(()).values()))(rng, data[start:end])
    return data[:start] + body + data[end:]


# -- the skeleton ---------------------------------------------------------------


def _keyword(rng: random.Random, data: bytes) -> bytes:
    word = rng.choice((b" obj", b"endobj", b"stream", b"endstream", b"xref", b"trailer", b"startxref", b"%%EOF", b" R"))
    count = data.count(word)
    if not count:
        raise Skip
    new = rng.choice((b"", word[:-1], word + word, word.upper(), word[:-1] + b"k"))
    return replace_nth(data, word, new, rng.randrange(count))


def _length(rng: random.Random, data: bytes) -> bytes:
    """A stream's /Length, direct or in the object it refers to, made wrong."""
    places = [m.span(1) for m in re.finditer(rb"/Length\s+(\d+)(?!\s+\d+\s+R)", data)]
    places += [m.span(1) for m in re.finditer(rb"\bobj\s+(\d+)\s+endobj", data)]
    if not places:
        raise Skip
    start, end = rng.choice(places)
    old = int(data[start:end])
    new = rng.choice((*HOSTILE_NUMBERS, b"%d" % (old + rng.randint(-16, 16)), b"%d" % (old * 2)))
    return data[:start] + new + data[end:]


def _xref(rng: random.Random, data: bytes) -> bytes:
    rows = list(re.finditer(rb"(\d{10}) (\d{5}) ([nf])", data))
    sections = list(re.finditer(rb"xref\s+(\d+) (\d+)", data))
    if not rows:
        raise Skip
    if sections and rng.random() < 0.2:
        found = rng.choice(sections)
        group = rng.choice((1, 2))
        return data[: found.start(group)] + rng.choice(HOSTILE_NUMBERS) + data[found.end(group) :]
    out = data
    for _ in range(rng.choice((1, 1, 3, len(rows)))):
        found = rng.choice(rows)
        group = rng.choice((1, 1, 2, 3))
        new = b"%d" % rng.randrange(len(data) * 2) if group == 1 else rng.choice((b"65535", b"99999", b"x", b"n", b"f"))
        new = new.rjust(found.end(group) - found.start(group), b"0")[: found.end(group) - found.start(group)]
        out = out[: found.start(group)] + new + out[found.end(group) :]
    return out


def _startxref(rng: random.Random, data: bytes) -> bytes:
    found = list(re.finditer(rb"startxref\s+(\d+)", data))
    if not found:
        raise Skip
    place = found[-1]
    new = rng.choice((*HOSTILE_NUMBERS, b"%d" % rng.randrange(len(data))))
    return data[: place.start(1)] + new + data[place.end(1) :]


def _root(rng: random.Random, data: bytes) -> bytes:
    edits = (
        (rb"/Root", b"/Xoot"),
        (rb"/Root\s+\d+\s+\d+\s+R", b"/Root 99999 0 R"),
        (rb"/Root\s+\d+\s+\d+\s+R", b"/Root 1 0 R"),
        (rb"/Root\s+\d+\s+\d+\s+R", b"/Root null"),
        (rb"/Type\s*/Catalog", b""),
        (rb"/Pages\s+\d+\s+\d+\s+R", b"/Pages 99999 0 R"),
        (rb"/Pages\s+\d+\s+\d+\s+R", b"/Pages (x)"),
    )
    pattern, new = rng.choice(edits)
    out, count = re.subn(pattern, new, data, count=1)
    if not count:
        raise Skip
    return rebuild_xref(out) if rng.random() < 0.5 else out


def _trailer(rng: random.Random, data: bytes) -> bytes:
    at = data.rfind(b"trailer")
    if at < 0:
        raise Skip
    if rng.random() < 0.5:
        return data[:at]
    end = data.find(b"startxref", at)
    return data[:at] + (data[end:] if end >= 0 else b"")


def _number(rng: random.Random, data: bytes) -> bytes:
    # Numbers outside streams: the object syntax, not compressed bytes.
    zones = [(0, len(data))]
    for _, start, end in _streams(data):
        zones[-1] = (zones[-1][0], start)
        zones.append((end, len(data)))
    numbers = [m.span() for lo, hi in zones for m in _NUMBER.finditer(data, lo, hi)]
    if not numbers:
        raise Skip
    start, end = rng.choice(numbers)
    out = data[:start] + rng.choice(HOSTILE_NUMBERS) + data[end:]
    return rebuild_xref(out) if rng.random() < 0.5 else out


def _filter(rng: random.Random, data: bytes) -> bytes:
    if b"/FlateDecode" not in data:
        raise Skip
    new = rng.choice(
        (
            b"/LZWDecode",
            b"/ASCII85Decode",
            b"/ASCIIHexDecode",
            b"/RunLengthDecode",
            b"/CCITTFaxDecode",
            b"/DCTDecode",
            b"/JBIG2Decode",
            b"/JPXDecode",
            b"/Crypt",
            b"/Nope",
            b"[/FlateDecode /FlateDecode]",
            b"[/ASCIIHexDecode /FlateDecode]",
            b"/FlateDecode/DecodeParms<</Predictor 12/Columns 100000000/Colors 255/BitsPerComponent 16>>",
            b"/FlateDecode/DecodeParms<</Predictor 2/Columns 0>>",
            b"/FlateDecode/DecodeParms<</Predictor -1>>",
        )
    )
    out = replace_nth(data, b"/FlateDecode", new, rng.randrange(data.count(b"/FlateDecode")))
    return rebuild_xref(out)


def _nest(rng: random.Random, data: bytes) -> bytes:
    openings = [m.end() for m in re.finditer(rb"<<", data)]
    if not openings:
        raise Skip
    depth = rng.choice((100, 1000, 100_000))
    inner = rng.choice(
        (
            b"/K " + b"[" * depth + b"]" * depth + b" ",
            b"/K " + b"<</K " * depth + b">>" * depth + b" ",
            b"/K " + b"[" * depth + b" ",
            b"/K " + b"(" * depth + b" ",
        )
    )
    at = rng.choice(openings)
    return rebuild_xref(data[:at] + inner + data[at:])


def _page_tree(rng: random.Random, data: bytes) -> bytes:
    """Reference cycles and amplification in the page tree and resources."""
    pages = re.search(rb"(\d+)\s+0\s+obj\s*<<\s*/Type\s*/Pages", data)
    page = re.search(rb"(\d+)\s+0\s+obj\s*<<\s*/Type\s*/Page\b(?!s)", data)
    if pages is None or page is None:
        raise Skip
    tree, leaf = pages.group(1), page.group(1)
    edits = (
        (rb"/Kids\s*\[[^\]]*\]", b"/Kids[" + tree + b" 0 R]"),
        (rb"/Kids\s*\[[^\]]*\]", b"/Kids[" + (leaf + b" 0 R ") * rng.choice((2, 50, 300)) + b"]"),
        (rb"/Kids\s*\[[^\]]*\]", b"/Kids[99999 0 R null (x) 1]"),
        (rb"/Parent\s+\d+\s+0\s+R", b"/Parent " + leaf + b" 0 R"),
        (rb"/Contents\s+\d+\s+0\s+R", b"/Contents[" + tree + b" 0 R]"),
        (rb"/Contents\s+(\d+)\s+0\s+R", b"/Contents[" + b"\\1 0 R " * rng.choice((2, 100, 1000)) + b"]"),
        (rb"/Resources\s+\d+\s+0\s+R", b"/Resources " + leaf + b" 0 R"),
        (rb"/Count\s+\d+", b"/Count " + rng.choice(HOSTILE_NUMBERS)),
        (rb"/MediaBox\s*\[[^\]]*\]", b"/MediaBox[0 0 0 0]"),
        (rb"/MediaBox\s*\[[^\]]*\]", b"/MediaBox[0 0 1e30 -1e30]"),
        (rb"/Rotate\s+\d+|/Type\s*/Page\b(?!s)", b"/Type/Page/Rotate " + rng.choice((b"45", b"-90", b"1e30", b"x"))),
    )
    pattern, new = rng.choice(edits)
    out, count = re.subn(pattern, new, data, count=1)
    if not count:
        raise Skip
    return rebuild_xref(out)


def _encrypt(rng: random.Random, data: bytes) -> bytes:
    at = data.rfind(b"trailer")
    opening = data.find(b"<<", at) if at >= 0 else -1
    if opening < 0:
        raise Skip
    value = rng.choice(
        (
            b"<</Filter/Standard/V 99/R 99/O<00>/U<00>/P -1>>",
            b"<</Filter/Standard/V 1/R 2/O<>/U<>/P 0>>",
            b"<</Filter/Nope>>",
            b"99999 0 R",
            b"1 0 R",
        )
    )
    return data[: opening + 2] + b"/Encrypt " + value + data[opening + 2 :]


def _truncate_after(rng: random.Random, data: bytes) -> bytes:
    """Cut at a structural boundary rather than a random byte: a partial download."""
    cuts = [m.end() for m in re.finditer(rb"endobj|endstream|stream|xref|trailer", data)]
    if not cuts:
        raise Skip
    return data[: rng.choice(cuts) + rng.randint(0, pick_size(rng, (1, 16)))]


def compact(data: bytes) -> bytes:
    """The same document as PDF 1.5 writers save it: objects packed into an
    object stream, found through a compressed xref stream. Readers take a
    different path for these, and Word's own PDFs look like this."""
    trailer_at = data.rfind(b"trailer")
    opening = data.find(b"<<", trailer_at) if trailer_at >= 0 else -1
    if opening < 0 or b"/Encrypt" in data[trailer_at:]:
        raise Skip  # strings inside an object stream are not encrypted one by one
    keys = re.sub(rb"/Size\s+\d+|/Prev\s+\d+", b"", data[opening + 2 : _dict_end(data, opening) - 2])
    bodies: dict[int, bytes] = {}
    for found in _OBJECT.finditer(data, 0, trailer_at):
        end = data.find(b"endobj", found.end())
        if end > 0:
            bodies[int(found.group(1))] = data[found.end() : end].strip()
    if not bodies or max(bodies) > _MAX_OBJECTS:
        raise Skip
    packed = sorted(n for n, body in bodies.items() if b"stream" not in body)
    pack_number, xref_number = max(bodies) + 1, max(bodies) + 2
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    rows: dict[int, tuple[int, int, int]] = {}
    for number, body in sorted(bodies.items()):
        if number not in packed:
            rows[number] = (1, len(out), 0)
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    index, contents = [], b""
    for position, number in enumerate(packed):
        index.append(b"%d %d" % (number, len(contents)))
        contents += bodies[number] + b"\n"
        rows[number] = (2, pack_number, position)
    head = b" ".join(index) + b"\n"
    pack = zlib.compress(head + contents)
    rows[pack_number] = (1, len(out), 0)
    out += b"%d 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>stream\n" % (
        pack_number, len(packed), len(head), len(pack))  # fmt: skip
    out += pack + b"\nendstream\nendobj\n"
    rows[xref_number] = (1, len(out), 0)
    # Each row: type (0 free, 1 at an offset, 2 inside the object stream), then two fields, /W[1 4 2].
    table = b"".join(
        bytes([kind]) + first.to_bytes(4, "big") + second.to_bytes(2, "big")
        for kind, first, second in (rows.get(n, (0, 0, 0)) for n in range(xref_number + 1))
    )
    xref = zlib.compress(table)
    at = len(out)
    out += b"%d 0 obj\n<</Type/XRef/Size %d/W[1 4 2]%s/Filter/FlateDecode/Length %d>>stream\n" % (
        xref_number, xref_number + 1, keys, len(xref))  # fmt: skip
    out += xref + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % at
    return bytes(out)


def _xref_stream(rng: random.Random, data: bytes) -> bytes:
    """Compact the file, then (mostly) lie in what the xref or object stream declares."""
    out = compact(data)
    if rng.random() < 0.3:
        return out
    pattern, new = rng.choice(
        (
            (rb"/W\[1 4 2\]", rng.choice((b"/W[0 0 0]", b"/W[1 4]", b"/W[9 9 9]", b"/W[1 99999 2]", b"/W[-1 4 2]"))),
            (rb"/Type/XRef/Size \d+", b"/Type/XRef/Size " + rng.choice(HOSTILE_NUMBERS)),
            (rb"/Type/XRef", b"/Type/XRef/Index[0 " + rng.choice(HOSTILE_NUMBERS) + b"]"),
            (rb"/Type/XRef", b"/Type/XRef/Prev " + rng.choice(HOSTILE_NUMBERS)),
            (rb"/N \d+", b"/N " + rng.choice(HOSTILE_NUMBERS)),
            (rb"/First \d+", b"/First " + rng.choice(HOSTILE_NUMBERS)),
            (rb"/Type/ObjStm", b"/Type/ObjStm/Extends %d 0 R" % rng.randint(1, 40)),
        )
    )
    out, count = re.subn(pattern, new, out, count=1)
    if not count:
        raise Skip
    return out


def mutators() -> dict[str, Mutator]:
    found: dict[str, Mutator] = {
        "pdf-stream-inflated": _stream_inflated,
        "pdf-stream-raw": _stream_raw,
        "pdf-keyword": _keyword,
        "pdf-length": _length,
        "pdf-xref": _xref,
        "pdf-startxref": _startxref,
        "pdf-root": _root,
        "pdf-trailer": _trailer,
        "pdf-number": _number,
        "pdf-filter": _filter,
        "pdf-nest": _nest,
        "pdf-page-tree": _page_tree,
        "pdf-encrypt": _encrypt,
        "pdf-truncate": _truncate_after,
        "pdf-xref-stream": _xref_stream,
    }
    tokens = (b" obj", b"endobj", b"stream", b"endstream", b"<<", b">>", b"[", b"(", b" 0 R", b"xref", b"%%EOF")
    found.update({f"bytes-{name}": m for name, m in byte_mutators(tokens).items()})
    return found


# Content edits are the only ones that reach the text and layout code with a
# readable file: give them more of the cases.
WEIGHTS = {"pdf-stream-inflated": 4, "pdf-xref-stream": 2}


ORDER = ("pdf-stream", "pdf-page", "pdf-filter", "pdf-nest", "pdf-xref-stream", "pdf-", "bytes-")
