"""Word-file damage at three depths: the zip's own records, its members, and the XML inside.

Member-level edits repack the archive with valid CRCs, so the damage reaches
python-docx and lxml instead of stopping at ``zipfile``'s checks; record-level
edits (falsified sizes, methods, offsets) are made afterwards on the packed
bytes, because that is where a hostile archive lies.
"""

from __future__ import annotations

import io
import random
import re
import struct
import warnings
import zipfile
from dataclasses import dataclass

from fuzzing.damage import HOSTILE_NUMBERS, Mutator, Skip, byte_mutators, pick_size

CANARY = "zqxcanary"

_W = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_DATE = (1980, 1, 1, 0, 0, 0)
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
# Parts that every reader touches: damage there is worth more than in docProps.
_KEY_PARTS = (
    "word/document.xml",
    "[Content_Types].xml",
    "_rels/.rels",
    "word/_rels/document.xml.rels",
    "word/styles.xml",
    "word/footnotes.xml",
    "word/comments.xml",
)


@dataclass(slots=True)
class _Member:
    name: str
    data: bytes
    method: int = zipfile.ZIP_DEFLATED
    level: int | None = None


def _unpack(data: bytes) -> list[_Member]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [_Member(info.filename, archive.read(info)) for info in archive.infolist()]
    except Exception as exc:  # any failure means an earlier step broke the archive
        raise Skip from exc


def _pack(members: list[_Member]) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w") as archive:
        warnings.simplefilter("ignore")  # duplicate names are the point of some cases
        for member in members:
            info = zipfile.ZipInfo(member.name, date_time=_DATE)
            info.compress_type = member.method
            archive.writestr(info, member.data, compress_type=member.method, compresslevel=member.level)
    return out.getvalue()


def _pick(rng: random.Random, members: list[_Member], xml_only: bool = False) -> _Member:
    pool = [m for m in members if not xml_only or m.name.endswith((".xml", ".rels"))]
    if not pool:
        raise Skip
    key = [m for m in pool if m.name in _KEY_PARTS]
    return rng.choice(key if key and rng.random() < 0.6 else pool)


def _swap(rng: random.Random, data: bytes) -> bytes:
    members = _unpack(data)
    if len(members) < 2:
        raise Skip
    a, b = rng.sample(members, 2)
    a.data, b.data = b.data, a.data
    return _pack(members)


def _recompress(rng: random.Random, data: bytes) -> bytes:
    members = _unpack(data)
    member = _pick(rng, members)
    member.method = rng.choice(_METHODS)
    if member.method in (zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2):
        member.level = rng.randint(1, 9) if member.method == zipfile.ZIP_BZIP2 else rng.randint(0, 9)
    return _pack(members)


def _remove(rng: random.Random, data: bytes) -> bytes:
    members = _unpack(data)
    members.remove(_pick(rng, members))
    return _pack(members)


def _duplicate(rng: random.Random, data: bytes) -> bytes:
    members = _unpack(data)
    original = _pick(rng, members)
    # The same name twice, either with the same bytes or with another part's.
    body = original.data if rng.random() < 0.5 else rng.choice(members).data
    members.insert(rng.randrange(len(members) + 1), _Member(original.name, body))
    return _pack(members)


def _rename(rng: random.Random, data: bytes) -> bytes:
    members = _unpack(data)
    member = _pick(rng, members)
    member.name = rng.choice(
        (
            member.name.upper(),
            "/" + member.name,
            "../" + member.name,
            member.name.replace("/", "\\"),
            member.name + " ",
            member.name + "\x00x",
            "word/" + "a/" * 200 + "document.xml",
            "",
        )
    )
    return _pack(members)


def _add_large(rng: random.Random, data: bytes) -> bytes:
    """A big, very compressible member: the ratio and size guards' territory."""
    members = _unpack(data)
    size = rng.choice((1 << 20, 5 << 20, 40 << 20))
    members.append(_Member(rng.choice(("word/media/pad.bin", "word/document.xml")), b"\0" * size, level=9))
    return _pack(members)


def _many_members(rng: random.Random, data: bytes) -> bytes:
    members = _unpack(data)
    count = rng.choice((100, 2000, 10_001))
    members.extend(_Member(f"word/media/m{n}.bin", b"", zipfile.ZIP_STORED) for n in range(count))
    return _pack(members)


# -- the XML inside a member ---------------------------------------------------


def _tag_starts(text: bytes) -> list[int]:
    return [m.start() for m in re.finditer(rb"<[^?!]", text)]


def xml_cut(rng: random.Random, text: bytes) -> bytes:
    """Cut inside or across tags: lose a '<', a '>', a closing tag or a span."""
    starts = _tag_starts(text)
    if not starts:
        raise Skip
    at = rng.choice(starts)
    choice = rng.random()
    if choice < 0.3:
        end = text.find(b">", at)
        return text[:at] + text[at + 1 :] if end < 0 else text[:end] + text[end + 1 :]
    if choice < 0.6:
        closing = list(re.finditer(rb"</[^>]+>", text))
        if not closing:
            raise Skip
        found = rng.choice(closing)
        return text[: found.start()] + text[found.end() :]
    return text[:at] + text[at + pick_size(rng, (8, 64, 1024)) :]


def xml_entity(rng: random.Random, text: bytes) -> bytes:
    """A DOCTYPE, of the kinds attackers send: an entity whose expansion would
    show as the canary, a billion-laughs chain, an external file, a remote DTD."""
    laughs = b"".join(
        b'<!ENTITY l%d "%s">' % (n, b"".join(b"&l%d;" % (n - 1) for _ in range(10)) if n else b"lol") for n in range(10)
    )
    doctype, reference = rng.choice(
        (
            (b'<!DOCTYPE d [<!ENTITY wa "back office ' + CANARY.encode() + b'">]>', b"&wa;"),
            (b"<!DOCTYPE d [" + laughs + b"]>", b"&l9;"),
            (b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>', b"&x;"),
            (b'<!DOCTYPE d SYSTEM "http://127.0.0.1:9/evil.dtd">', b""),
            (b'<!DOCTYPE d [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>', b""),
            (b"<!DOCTYPE d>", b""),
        )
    )
    declaration = re.match(rb"\s*<\?xml[^>]*\?>", text)
    head = declaration.end() if declaration else 0
    text = text[:head] + doctype + text[head:]
    if reference:
        run_text = text.find(b"<w:t>")
        if run_text < 0:
            run_text = text.find(b"<w:t ")
        if run_text >= 0:
            close = text.find(b">", run_text) + 1
            text = text[:close] + reference + text[close:]
    return text


def xml_nest(rng: random.Random, text: bytes) -> bytes:
    """Elements nested deeper than any document needs, around a phrase, just
    inside the body or a paragraph (or anywhere)."""
    wrappers = (
        (b"<w:tbl><w:tr><w:tc>", b"<w:p/></w:tc></w:tr></w:tbl>"),
        (b"<w:sdt><w:sdtContent>", b"</w:sdtContent></w:sdt>"),
        (b"<w:ins>", b"</w:ins>"),
        (b"<w:hyperlink>", b"</w:hyperlink>"),
        (b"<w:smartTag>", b"</w:smartTag>"),
        (b"<w:customXml>", b"</w:customXml>"),
        (b"<w:r><w:pict><w:txbxContent>", b"</w:txbxContent></w:pict></w:r>"),
        (b"<x>", b"</x>"),
    )
    opening, closing = rng.choice(wrappers)
    depth = rng.choice((10, 50, 120, 255, 300, 2000, 10_000))
    core = b"<w:p><w:r><w:t>back office</w:t></w:r></w:p>"
    nested = opening * depth + core + closing * depth
    anchors = [m.end() for m in re.finditer(rb"<w:body>|<w:p>|<w:p [^>]*[^/]>|<w:tc>", text)] or _tag_starts(text)
    if not anchors:
        raise Skip
    at = rng.choice(anchors)
    return text[:at] + nested + text[at:]


def xml_duplicate(rng: random.Random, text: bytes) -> bytes:
    elements = list(re.finditer(rb"<(w:(?:p|r|tbl|tr|tc|t|footnote|comment|sectPr))[ >].*?</\1>", text, re.DOTALL))
    if not elements:
        raise Skip
    found = rng.choice(elements)
    times = rng.choice((1, 2, 100, 5000))
    return text[: found.end()] + found.group() * times + text[found.end() :]


def xml_attribute(rng: random.Random, text: bytes) -> bytes:
    values = list(re.finditer(rb'="([^"]*)"', text))
    if not values:
        raise Skip
    found = rng.choice(values)
    hostile = rng.choice(
        (*HOSTILE_NUMBERS, b"", b"rId999", b"../../../../etc/passwd", b"&#0;", b"&#xD800;", b"x" * 100_000)
    )
    return text[: found.start(1)] + hostile + text[found.end(1) :]


def xml_encoding(rng: random.Random, text: bytes) -> bytes:
    choice = rng.random()
    if choice < 0.5:
        name = rng.choice((b"UTF-16", b"ISO-8859-1", b"EBCDIC-US", b"x-unknown", b"UTF-32", b""))
        swapped, count = re.subn(rb'encoding="[^"]*"', b'encoding="' + name + b'"', text, count=1)
        if not count:
            raise Skip
        return swapped
    if choice < 0.75:
        return rng.choice((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00")) + text
    return text.decode("utf-8", "replace").encode(rng.choice(("utf-16", "utf-16-be", "utf-32")))


def xml_namespace(rng: random.Random, text: bytes) -> bytes:
    if _W not in text:
        raise Skip
    other = rng.choice((b"http://purl.oclc.org/ooxml/wordprocessingml/main", b"urn:x", b""))
    return text.replace(_W, other, 1 if rng.random() < 0.5 else -1)


def xml_text(rng: random.Random, text: bytes) -> bytes:
    runs = list(re.finditer(rb"<w:t(?: [^>]*)?>([^<]*)</w:t>", text))
    if not runs:
        raise Skip
    found = rng.choice(runs)
    hostile = rng.choice(
        (
            b"back office " * rng.choice((1, 100, 20_000)),
            b"back" + b"-" * rng.choice((1, 1000, 100_000)) + b"office",
            b"&#1;",
            b"&#xFFFE;",
            b"back\xc2\xadoffice",
            b"back\xe2\x80\x8boffice",
            b"\xe2\x80\xae back office",
            b"(" * 2000 + b"back office",
            b"x" * 1_000_000,
            b"&amp;&lt;&gt;",
            b"]]>",
        )
    )
    return text[: found.start(1)] + hostile + text[found.end(1) :]


_TARGETS = (
    b"missing.xml",
    b"document.xml",
    b"",
    b"../../../../etc/passwd",
    b"/",
    b"C:\\x.xml",
    b"http://127.0.0.1:9/x",
    b"%2e%2e/x.xml",
)
_REL_TYPES = (b"styles", b"officeDocument", b"footnotes", b"comments", b"header", b"x")


def xml_relationship(rng: random.Random, text: bytes) -> bytes:
    """Relationships that point nowhere, at themselves, outside the package, or twice."""
    if b"<Relationship " not in text:
        raise Skip
    edits = (
        (rb'Target="[^"]*"', b'Target="' + rng.choice(_TARGETS) + b'"'),
        (rb'Type="[^"]*"', b'Type="' + _REL.encode() + rng.choice(_REL_TYPES) + b'"'),
        (rb'Id="[^"]*"', b'Id="rId1"'),
        (rb"/>", b' TargetMode="External"/>'),
    )
    pattern, replacement = rng.choice(edits)
    matches = list(re.finditer(pattern, text))
    if not matches:
        raise Skip
    found = rng.choice(matches)
    return text[: found.start()] + replacement + text[found.end() :]


def _xml_edits() -> dict[str, Mutator]:
    edits: dict[str, Mutator] = {
        "cut": xml_cut,
        "entity": xml_entity,
        "nest": xml_nest,
        "duplicate": xml_duplicate,
        "attribute": xml_attribute,
        "encoding": xml_encoding,
        "namespace": xml_namespace,
        "text": xml_text,
        "relationship": xml_relationship,
    }
    edits.update({f"bytes-{name}": m for name, m in byte_mutators((b"<", b">", b"&", b"/>", b"</")).items()})
    return edits


XML_EDITS = _xml_edits()


def _xml_mutator(edit: Mutator) -> Mutator:
    def mutate(rng: random.Random, data: bytes) -> bytes:
        members = _unpack(data)
        # Not every edit fits every part (no w:t in styles.xml): try a few.
        for _ in range(3):
            member = _pick(rng, members, xml_only=True)
            try:
                member.data = edit(rng, member.data)
            except Skip:
                continue
            return _pack(members)
        raise Skip

    return mutate


# -- the zip's own records, after packing ---------------------------------------

_CENTRAL = b"PK\x01\x02"
_LOCAL = b"PK\x03\x04"
_END = b"PK\x05\x06"
# Field offsets from the start of each record (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16).
_CENTRAL_FIELDS = {"flags": (8, "H"), "method": (10, "H"), "crc": (16, "I"), "csize": (20, "I"),
                   "usize": (24, "I"), "name_length": (28, "H"), "offset": (42, "I")}  # fmt: skip
_LOCAL_FIELDS = {"flags": (6, "H"), "method": (8, "H"), "crc": (14, "I"), "csize": (18, "I"),
                 "usize": (22, "I"), "name_length": (26, "H")}  # fmt: skip
_END_FIELDS = {"entries_disk": (8, "H"), "entries": (10, "H"), "cd_size": (12, "I"), "cd_offset": (16, "I"),
               "comment_length": (20, "H")}  # fmt: skip


def _falsify(rng: random.Random, data: bytes) -> bytes:
    """Lie in a size, CRC, method, flag or offset of a central, local or end record."""
    signature, fields = rng.choice(((_CENTRAL, _CENTRAL_FIELDS), (_LOCAL, _LOCAL_FIELDS), (_END, _END_FIELDS)))
    records = [m.start() for m in re.finditer(re.escape(signature), data)]
    if not records:
        raise Skip
    record = rng.choice(records)
    field = rng.choice(sorted(fields))
    offset, kind = fields[field]
    where = record + offset
    width = struct.calcsize("<" + kind)
    if where + width > len(data):
        raise Skip
    (old,) = struct.unpack_from("<" + kind, data, where)
    top = (1 << (8 * width)) - 1
    if field == "method":
        new = rng.choice((0, 1, 6, 9, 12, 14, 93, 99, top))
    elif field == "flags":
        new = old ^ rng.choice((0x1, 0x8, 0x40, 0x800, 0x2000))
    else:
        new = rng.choice((0, 1, old - 1, old + 1, old * 2, old * 1000, top, top - 1, rng.randrange(top)))
    out = bytearray(data)
    struct.pack_into("<" + kind, out, where, max(0, min(new, top)))
    return bytes(out)


def _wrap(rng: random.Random, data: bytes) -> bytes:
    """Junk before the archive (a self-extractor), after it, or a second archive."""
    junk = rng.randbytes(pick_size(rng, (16, 4096)))
    return rng.choice((junk + data, data + junk, data + data, data[: len(data) // 2] + data))


def mutators() -> dict[str, Mutator]:
    found: dict[str, Mutator] = {
        "zip-swap": _swap,
        "zip-recompress": _recompress,
        "zip-remove": _remove,
        "zip-duplicate": _duplicate,
        "zip-rename": _rename,
        "zip-large-member": _add_large,
        "zip-many-members": _many_members,
        "raw-falsify": _falsify,
        "raw-wrap": _wrap,
    }
    found.update({f"xml-{name}": _xml_mutator(edit) for name, edit in XML_EDITS.items()})
    found.update({f"bytes-{name}": m for name, m in byte_mutators((_LOCAL, _CENTRAL, _END, b"<w:p>")).items()})
    return found


# Repacking mutators read the archive, so they run before the ones that break it.
ORDER = ("zip-", "xml-", "raw-", "bytes-")
# Damage inside the XML reaches the most code (python-docx, lxml, the reader).
WEIGHTS = {f"xml-{name}": 2 for name in XML_EDITS}
