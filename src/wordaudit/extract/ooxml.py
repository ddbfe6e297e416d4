"""Opening an Office Open XML package without trusting it.

The Word extractor's guards live here, apart from its reading logic:

- sniff the first bytes, so a renamed .doc, an encrypted file or a text file gets
  a sentence a person understands instead of "bad zip file";
- refuse zip bombs from what the central directory *declares*, before anything is
  inflated (``zipfile`` never inflates a member past its declared size, it fails
  the CRC check instead, so the declared sizes bound the memory python-docx uses);
- open the package with python-docx's OPC layer and give each failure one line;
- parse XML with entity resolution and network access off, and refuse a DOCTYPE.

python-docx and lxml are imported here and nowhere else outside this package's
Word extractor, so a scan without .docx files never loads them.
"""

from __future__ import annotations

import mmap
import zipfile
import zlib
from pathlib import Path
from typing import IO

from docx.opc.part import Part, XmlPart
from docx.package import Package
from lxml import etree

from wordaudit.errors import CorruptDocx, ResourceLimitExceeded, UnreadableFile

MAX_MEMBERS = 10_000
MAX_RATIO = 200
# Below this size a high ratio is harmless (and common: a few MB of repetitive XML).
RATIO_FLOOR = 4 * 1024 * 1024

RT_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_STYLES = _REL + "styles"
RT_SETTINGS = _REL + "settings"
RT_FOOTNOTES = _REL + "footnotes"
RT_ENDNOTES = _REL + "endnotes"
RT_COMMENTS = _REL + "comments"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK"
# Stream names inside an OLE compound file are stored as UTF-16LE.
_OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_OLE_WORD = "WordDocument".encode("utf-16-le")

# Other formats people save under a .docx name, recognised by their first bytes.
_FOREIGN_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"{\\rtf", "rich text (RTF) file, not a .docx"),
    (b"%PDF", "PDF file, not a .docx"),
)
# ...and zip-based formats, recognised by a member only they have.
_FOREIGN_MEMBERS: tuple[tuple[str, str], ...] = (
    ("xl/workbook.xml", "Excel workbook, not a Word document"),
    ("ppt/presentation.xml", "PowerPoint presentation, not a Word document"),
    ("content.xml", "OpenDocument file (.odt), not a .docx"),
)


def open_package(path: Path, max_unpacked_bytes: int) -> Package:
    """The package of a Word file, or an ``ExtractError`` saying why not."""
    try:
        with path.open("rb") as stream:
            _sniff(stream)
            _check_archive(stream, max_unpacked_bytes)
            stream.seek(0)
            return _load(stream)
    except OSError as exc:
        raise UnreadableFile(f"cannot be read: {exc.strerror or type(exc).__name__}") from None


def _sniff(stream: IO[bytes]) -> None:
    head = stream.read(8)
    if not head:
        raise CorruptDocx("file is empty")
    if head.startswith(_OLE_MAGIC):
        raise CorruptDocx(_ole_kind(stream))
    for magic, reason in _FOREIGN_MAGIC:
        if head.startswith(magic):
            raise CorruptDocx(reason)


def _ole_kind(stream: IO[bytes]) -> str:
    """Office writes both an encrypted .docx and an old .doc as an OLE compound
    file; the names of the streams inside tell them apart. The directory that
    holds the names can sit anywhere in the file, so all of it is searched."""
    with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data.find(_OLE_ENCRYPTED) >= 0:
            return "Word document is password-protected (encrypted)"
        if data.find(_OLE_WORD) >= 0:
            return "old binary Word .doc format, not .docx (save it as .docx)"
    return "OLE compound file (old Office format), not a .docx"


def _check_archive(stream: IO[bytes], limit: int) -> None:
    stream.seek(0)
    starts_like_zip = stream.read(2) == _ZIP_MAGIC
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, EOFError, ValueError):
        if starts_like_zip:
            reason = "zip archive is damaged or incomplete (truncated download?)"
            raise CorruptDocx(reason) from None
        raise CorruptDocx("not a Word document: file is not a zip archive") from None
    with archive:
        infos = archive.infolist()
        check_declared_sizes(infos, limit)
        names = {info.filename for info in infos}
    for member, reason in _FOREIGN_MEMBERS:
        if member in names and "word/document.xml" not in names:
            raise CorruptDocx(reason)
    if any(info.flag_bits & 0x1 for info in infos):
        raise CorruptDocx("zip archive is password-protected")


def check_declared_sizes(infos: list[zipfile.ZipInfo], limit: int) -> None:
    """Refuse an archive whose central directory promises too much."""
    if len(infos) > MAX_MEMBERS:
        raise ResourceLimitExceeded(
            f"zip bomb: {len(infos):,} files in the archive (limit {MAX_MEMBERS:,})"
        )
    total = sum(info.file_size for info in infos)
    if total > limit:
        raise ResourceLimitExceeded(
            f"zip bomb: archive would unpack to {_size(total)} (limit {_size(limit)})"
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise ResourceLimitExceeded(
                f"zip bomb: {_member(info.filename)} would unpack to {_size(info.file_size)}"
                f" ({ratio:,.0f}:1, limit {MAX_RATIO}:1)"
            )


def _load(stream: IO[bytes]) -> Package:
    # python-docx raises a grab bag (KeyError, ValueError, zipfile, zlib and lxml
    # errors, its own); each becomes a sentence here.
    try:
        package = Package.open(stream)
        package.main_document_part  # noqa: B018 - raises KeyError when absent
    except KeyError:
        stream.seek(0)
        raise CorruptDocx(_missing_part(stream)) from None
    except etree.XMLSyntaxError as exc:
        raise CorruptDocx(f"damaged XML inside the document: {_xml_reason(exc)}") from None
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise CorruptDocx("zip archive is damaged (a compressed part cannot be read)") from None
    except NotImplementedError:
        raise CorruptDocx("zip archive uses an unsupported compression method") from None
    except Exception as exc:  # python-docx's failures are not a closed set
        raise CorruptDocx(f"not a valid Word document ({type(exc).__name__})") from None
    return package


def _missing_part(stream: IO[bytes]) -> str:
    with zipfile.ZipFile(stream) as archive:
        names = set(archive.namelist())
        rels = archive.read("_rels/.rels") if "_rels/.rels" in names else b""
    if "[Content_Types].xml" not in names:
        return "not a Word document: [Content_Types].xml is missing"
    if b"purl.oclc.org/ooxml/" in rels:
        return "Strict Open XML document: not supported, save it as a standard .docx"
    if "word/document.xml" not in names:
        return "not a Word document: word/document.xml is missing"
    return "not a valid Word document: a part it refers to is missing"


def main_part(package: Package) -> Part:
    part: Part = package.main_document_part
    return part


def related(part: Part, reltype: str) -> Part | None:
    """The part ``part`` relates to by ``reltype``; None when there is none."""
    for rel in part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            target: Part = rel.target_part
            return target
    return None


def related_by_id(part: Part, rid: str) -> Part | None:
    rel = part.rels.get(rid)
    if rel is None or rel.is_external:
        return None
    target: Part = rel.target_part
    return target


def root_of(part: Part) -> etree._Element:
    """The root element of an XML part, refusing a DOCTYPE.

    python-docx has already parsed the parts it models (with entity resolution
    off); the others (footnotes, endnotes) are parsed here the same way.
    """
    if isinstance(part, XmlPart):
        root: etree._Element = part.element
    else:
        root = parse_xml(part.blob, str(part.partname))
    # lxml reports any DOCTYPE, with or without an internal subset, as internalDTD.
    if root.getroottree().docinfo.internalDTD is not None:
        raise CorruptDocx(
            f"refusing {_member(str(part.partname))}: it declares a DOCTYPE (entity attack?)"
        )
    return root


def parse_xml(blob: bytes, name: str) -> etree._Element:
    # A parser per call: lxml parsers must not be shared between threads.
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    try:
        return etree.fromstring(blob, parser)
    except etree.XMLSyntaxError as exc:
        raise CorruptDocx(f"damaged XML in {_member(name)}: {_xml_reason(exc)}") from None


def _xml_reason(exc: etree.XMLSyntaxError) -> str:
    # lxml appends "(<string>, line N)"; the message before it is the useful part.
    return str(exc.msg or exc).split(" (<string>", 1)[0][:120]


def _member(name: str) -> str:
    """A zip member name fit for a one-line message: printable and short."""
    clean = "".join(c if c.isprintable() else "?" for c in name.lstrip("/"))
    return clean if len(clean) <= 60 else clean[:59] + "…"


def _size(n: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:,.1f} {unit}".replace(".0 ", " ")
    return f"{n} bytes"
