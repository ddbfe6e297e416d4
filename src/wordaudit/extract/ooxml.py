"""Office Open XML without trusting it, and the WordprocessingML the Word extractor needs.

Guards, before python-docx sees a byte:

- sniff the first bytes, so a renamed .doc, an encrypted file or a text file gets
  a sentence a person understands instead of "bad zip file";
- refuse zip bombs from what the central directory *declares*, before anything is
  inflated (``zipfile`` never inflates a member past its declared size, it fails
  the CRC check instead, so the declared sizes bound the memory reading uses);
- open the package with python-docx's OPC layer, each part read when first asked
  for (``opc``), and give each failure one line;
- parse XML with entity resolution and network access off, and refuse a DOCTYPE.

Then the WordprocessingML vocabulary the extractor shares: namespaces, on/off
properties, and which paragraph styles make a heading or a list item.

python-docx and lxml are imported inside the functions that need them: importing
this module (and the extractor) costs nothing until a Word file is read.
"""

from __future__ import annotations

import errno
import io
import mmap
import posixpath
import re
import zipfile
import zlib
from pathlib import Path
from typing import IO, TYPE_CHECKING

from wordaudit.errors import CorruptDocx, ExtractError, ResourceLimitExceeded, UnreadableFile, missing_file
from wordaudit.extract.opc import OFFSET_OUTSIDE, Package, Part, is_seek_before_start
from wordaudit.record import record

if TYPE_CHECKING:
    from lxml.etree import XMLSyntaxError
    from lxml.etree import _Element as Element

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
STRICT_W = "{http://purl.oclc.org/ooxml/wordprocessingml/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
W_VAL, W_TYPE, W_PPR = W + "val", W + "type", W + "pPr"

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_STYLES = _REL + "styles"
RT_SETTINGS = _REL + "settings"
RT_FOOTNOTES = _REL + "footnotes"
RT_ENDNOTES = _REL + "endnotes"
RT_COMMENTS = _REL + "comments"

MAX_MEMBERS = 10_000
MAX_RATIO = 200
# Below this size a high ratio is harmless (and common: a few MB of repetitive XML).
RATIO_FLOOR = 4 * 1024 * 1024

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
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
        # Also from the paths that reread the archive to name what is wrong with it.
        raise CorruptDocx("zip archive is damaged (a compressed part cannot be read)") from None
    except FileNotFoundError:
        raise missing_file(path) from None
    except OSError as exc:
        if exc.errno == errno.EINVAL:
            # zipfile seeking to an offset a damaged header gives, before the file's start.
            raise CorruptDocx(OFFSET_OUTSIDE) from None
        raise UnreadableFile(f"cannot be read: {exc.strerror or type(exc).__name__}") from None
    except ValueError as exc:
        # The same seek in a copy in memory (``in_memory``), as the paths that
        # reread the archive to name what is wrong with it read it.
        if is_seek_before_start(exc):
            raise CorruptDocx(OFFSET_OUTSIDE) from None
        raise


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
    file; the names of the streams inside tell them apart. The directory holding
    the names can sit anywhere in the file, so all of it is searched."""
    try:
        with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return _ole_reason(data)
    except (OSError, ValueError):  # no mmap for this file (a pipe, an odd file system)
        stream.seek(0)
        return _ole_reason(stream.read())


def _ole_reason(data: bytes | mmap.mmap) -> str:
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
    except NotImplementedError:
        # zipfile refuses a member that "needs" a zip version it does not know.
        raise CorruptDocx("zip archive is damaged or made by an unsupported zip tool (unknown zip version)") from None
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
        raise ResourceLimitExceeded(f"zip bomb: {len(infos):,} files in the archive (limit {MAX_MEMBERS:,})")
    total = sum(info.file_size for info in infos)
    if total > limit:
        raise ResourceLimitExceeded(f"zip bomb: archive would unpack to {_size(total)} (limit {_size(limit)})")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise ResourceLimitExceeded(
                f"zip bomb: {_member(info.filename)} would unpack to {_size(info.file_size)}"
                f" ({ratio:,.0f}:1, limit {MAX_RATIO}:1)"
            )


def _load(stream: IO[bytes]) -> Package:
    from lxml import etree

    # python-docx raises a grab bag (KeyError, ValueError, zipfile, zlib and lxml
    # errors, its own); each becomes a sentence here.
    try:
        package = Package.open(stream)
        package.main_document_part  # noqa: B018 - raises KeyError when absent
    except KeyError:
        stream.seek(0)
        raise CorruptDocx(_missing_part(stream)) from None
    except etree.XMLSyntaxError as exc:
        stream.seek(0)
        raise _damaged_xml(stream, exc) from None
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise CorruptDocx("zip archive is damaged (a compressed part cannot be read)") from None
    except NotImplementedError:
        raise CorruptDocx("zip archive uses an unsupported compression method") from None
    except (OSError, ExtractError):
        raise
    except Exception as exc:  # python-docx's failures are not a closed set
        raise CorruptDocx(f"not a valid Word document ({type(exc).__name__})") from None
    return package


def _missing_part(stream: IO[bytes]) -> str:
    with zipfile.ZipFile(in_memory(stream)) as archive:
        names = set(archive.namelist())
        rels = archive.read("_rels/.rels") if "_rels/.rels" in names else b""
    if "[Content_Types].xml" not in names:
        return "not a Word document: [Content_Types].xml is missing"
    if b"purl.oclc.org/ooxml/" in rels:
        return "Strict Open XML document: not supported, save it as a standard .docx"
    if "word/document.xml" not in names:
        return "not a Word document: word/document.xml is missing"
    with zipfile.ZipFile(in_memory(stream)) as archive:
        missing = _first_missing_target(archive, names)
    if missing is not None:
        target, source = missing
        return f"not a valid Word document: {target}, which {source} refers to, is missing"
    return "not a valid Word document: a part it refers to is missing"


def _first_missing_target(archive: zipfile.ZipFile, names: set[str]) -> tuple[str, str] | None:
    """The first part a relationship names that the archive lacks, and the part
    that names it: the user can tell which part (a header, the styles) is gone."""
    for rels in sorted(name for name in names if name.endswith(".rels")):
        folder, _, file_name = rels.rpartition("_rels/")
        source = folder + file_name.removesuffix(".rels")
        try:
            root = parse_xml(archive.read(rels), rels)
        except (ExtractError, KeyError, zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
            continue
        for relationship in root:
            target = relationship.get("Target", "")
            if relationship.get("TargetMode") == "External" or not target:
                continue
            resolved = posixpath.normpath(target.lstrip("/") if target.startswith("/") else folder + target)
            if resolved not in names:
                return resolved, source or "the package"
    return None


def _damaged_xml(stream: IO[bytes], error: XMLSyntaxError) -> ExtractError:
    """python-docx does not say which part failed to parse; parse them again to
    name it (only on this error path, and within the size limit checked before)."""
    try:
        with zipfile.ZipFile(in_memory(stream)) as archive:
            for info in archive.infolist():
                if info.filename.endswith((".xml", ".rels")):
                    try:
                        parse_xml(archive.read(info), info.filename)
                    except ExtractError as found:
                        return found
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
        return CorruptDocx("zip archive is damaged (a compressed part cannot be read)")
    return _xml_error("the document", error)


def in_memory(stream: IO[bytes]) -> IO[bytes]:
    """The whole file, to read members from with ``zipfile``.

    zipfile reads a deflated member in pieces as large as what is left of its
    declared compressed size, and a file object makes room for all of a piece
    before it reads: a member whose size was falsified to 4 GB cost a 2 GB
    buffer, past any worker's memory cap, for a 4 KB file. Read from memory,
    a piece is never larger than what is there."""
    stream.seek(0)
    return io.BytesIO(stream.read())


def main_part(package: Package) -> Part:
    part: Part = package.main_document_part
    return part


def related(part: Part | Package, reltype: str | tuple[str, ...]) -> Part | None:
    """The part ``part`` (or the package itself) relates to by ``reltype`` (or
    by one of several spellings of it); None when there is none."""
    wanted = (reltype,) if isinstance(reltype, str) else reltype
    for rel in part.rels.values():
        if rel.reltype in wanted and rel.target is not None:
            return rel.target
    return None


def related_by_id(part: Part, rid: str) -> Part | None:
    rel = part.rels.get(rid)
    return None if rel is None else rel.target


def root_of(part: Part) -> Element:
    """The root element of an XML part, refusing a DOCTYPE."""
    root = part.root()
    # lxml reports any DOCTYPE, with or without an internal subset, as internalDTD.
    if root.getroottree().docinfo.internalDTD is not None:
        raise CorruptDocx(f"refusing {_member(str(part.partname))}: it declares a DOCTYPE (entity attack?)")
    return root


def parse_xml(blob: bytes, name: str, *, drop_blank_text: bool = False) -> Element:
    """A part's XML, with entities and the network off; ``drop_blank_text`` as
    python-docx parses the parts it models (``opc``)."""
    from lxml import etree

    # A parser per call: lxml parsers must not be shared between threads.
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, remove_blank_text=drop_blank_text
    )
    try:
        return etree.fromstring(blob, parser)
    except etree.XMLSyntaxError as exc:
        raise _xml_error(_member(name), exc) from None


def _xml_error(what: str, exc: XMLSyntaxError) -> ExtractError:
    reason = _xml_reason(exc)
    # Without huge_tree libxml2 stops at 256 levels of nesting: a limit, not damage.
    if reason.startswith("Excessive depth"):
        return ResourceLimitExceeded(f"{what} is nested too deeply (over 256 levels)")
    # Likewise a single text of over 10 MB (libxml2 names its own switch, no use to a person).
    if "Text node too long" in reason:
        return ResourceLimitExceeded(f"{what} holds a text over 10 MB long")
    return CorruptDocx(f"damaged XML in {what}: {reason}")


def _xml_reason(exc: XMLSyntaxError) -> str:
    # libxml2's own words, without the position lxml appends: it means little
    # to a person, who cannot open the part in Word anyway.
    reason = str(exc.msg or exc).split(" (<string>", 1)[0]
    return re.sub(r",? line \d+, column \d+$", "", reason)[:120]


# ---------------------------------------------------------------- WordprocessingML

_OFF = frozenset({"0", "false", "off"})
_W_STYLE, _W_STYLE_ID, _W_DEFAULT = W + "style", W + "styleId", W + "default"
_W_NAME, _W_BASED_ON, _W_PSTYLE = W + "name", W + "basedOn", W + "pStyle"
_W_OUTLINE, _W_NUMPR, _W_NUMID = W + "outlineLvl", W + "numPr", W + "numId"
_W_RPR, _W_RSTYLE, _W_VANISH = W + "rPr", W + "rStyle", W + "vanish"
_HEADING_NAME = re.compile(r"(heading [1-9]|title)", re.IGNORECASE)


def child(parent: Element, tag: str) -> Element | None:
    """``parent.find(tag)`` for a tag without a path: lxml's ``find`` parses
    its argument as a path each time, which costs more than twice this C-level
    filter on the calls made for every paragraph and run."""
    return next(parent.iterchildren(tag), None)


def val(element: Element | None) -> str | None:
    return None if element is None else element.get(W_VAL)


def switched_on(element: Element | None) -> bool:
    """An on/off property element (``<w:b/>``, ``<w:vanish w:val="0"/>``): present
    and not switched off."""
    if element is None:
        return False
    value = element.get(W_VAL)
    return value is None or value.lower() not in _OFF


def attribute_on(element: Element, name: str) -> bool:
    """An on/off attribute (``w:default="1"``): absent means off."""
    value = element.get(name)
    return value is not None and value.lower() not in _OFF


def hiding(props: Element | None) -> bool | None:
    """What run properties say about hiding: None when they say nothing, so the
    style or the document default decides. (``w:specVanish`` belongs on a
    paragraph mark, a style separator; on a run the standard lets it be
    ignored, and the run is read.)"""
    if props is None:
        return None
    vanish = child(props, _W_VANISH)
    return None if vanish is None else switched_on(vanish)


@record
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    numbered: bool | None


class Styles:
    """Just enough of styles.xml to tell headings and list items from paragraphs:
    a heading has a "heading N"/"Title" style or an outline level, a list item
    has numbering, each either directly or through the style's basedOn chain;
    and which runs Word hides (``w:vanish``), which a style or the document's
    default run properties (``w:docDefaults``) can do too."""

    def __init__(self, root: Element | None) -> None:
        # Styles are read when a paragraph first uses one: a document defines
        # scores and uses a few, and its paragraphs are labelled one by one.
        self._elements: dict[str, Element] = {}
        self._styles: dict[str, _Style | None] = {}
        self._default: str | None = None
        self._cache: dict[str | None, tuple[bool, bool]] = {}
        self._characters: dict[str, Element] = {}
        self._vanish: dict[tuple[bool, str | None], bool | None] = {}
        # Most documents' styles hide nothing; their runs are then checked for
        # direct formatting only, which keeps the per-run cost of reading down.
        self.may_hide = root is not None and next(root.iter(_W_VANISH), None) is not None
        self._hidden_by_default = bool(hiding(_default_run_props(root))) if self.may_hide else False
        for style in root.iterchildren(_W_STYLE) if root is not None else ():
            if style.get(W_TYPE) == "character":
                self._characters[style.get(_W_STYLE_ID, "")] = style
            if style.get(W_TYPE) != "paragraph":
                continue
            style_id = style.get(_W_STYLE_ID, "")
            self._elements[style_id] = style
            if attribute_on(style, _W_DEFAULT):
                self._default = style_id

    def of(self, paragraph: Element) -> tuple[bool, bool]:
        """(is a heading, is a list item) for a paragraph."""
        props = child(paragraph, W_PPR)
        if props is None:
            return self._resolve(self._default)
        # One pass over the properties for the three that matter; the first of each counts, as with find().
        first: dict[str, Element] = {}
        for item in props.iterchildren(_W_PSTYLE, _W_OUTLINE, _W_NUMPR):
            first.setdefault(item.tag, item)
        heading, listed = self._resolve(val(first.get(_W_PSTYLE)) or self._default)
        outline, numbered = _outline_of(first.get(_W_OUTLINE)), _numbering_of(first.get(_W_NUMPR))
        if outline is not None:
            heading = outline < 9  # 9 is "body text"
        return heading, listed if numbered is None else numbered

    def hidden(self, paragraph: Element, run: Element) -> bool:
        """Whether Word hides a run: the run's own ``w:vanish`` wins, then its
        character style's, then its paragraph style's (a template's hidden
        instructions are often a style, not direct formatting), then the
        document default. An explicit ``w:val="0"`` at any level shows the run
        whatever the levels under it say."""
        props = child(run, _W_RPR)
        direct = hiding(props)
        if direct is not None:
            return direct
        by_style = self._vanish_of(True, val(child(props, _W_RSTYLE)) if props is not None else None)
        if by_style is None:
            paragraph_props = child(paragraph, W_PPR)
            style_id = val(child(paragraph_props, _W_PSTYLE)) if paragraph_props is not None else None
            by_style = self._vanish_of(False, style_id or self._default)
        return self._hidden_by_default if by_style is None else by_style

    def _vanish_of(self, character: bool, style_id: str | None) -> bool | None:
        """A style's ``w:vanish`` through its basedOn chain; None when none says."""
        key = (character, style_id)
        if key not in self._vanish:
            elements = self._characters if character else self._elements
            found: bool | None = None
            seen: set[str] = set()
            while style_id is not None and style_id not in seen and found is None:
                seen.add(style_id)  # basedOn may loop in a damaged file
                style = elements.get(style_id)
                if style is None:
                    break
                found = hiding(child(style, _W_RPR))
                style_id = val(child(style, _W_BASED_ON))
            self._vanish[key] = found
        return self._vanish[key]

    def _resolve(self, style_id: str | None) -> tuple[bool, bool]:
        if style_id not in self._cache:
            self._cache[style_id] = self._walk(style_id)
        return self._cache[style_id]

    def _walk(self, style_id: str | None) -> tuple[bool, bool]:
        heading: bool | None = None
        listed: bool | None = None
        seen: set[str] = set()
        while style_id is not None and style_id not in seen:
            seen.add(style_id)  # basedOn may loop in a damaged file
            style = self._style(style_id)
            if style is None:
                break
            if heading is None and _HEADING_NAME.fullmatch(style.name):
                heading = True
            if heading is None and style.outline is not None:
                heading = style.outline < 9
            if listed is None:
                listed = style.numbered
            style_id = style.based_on
        return bool(heading), bool(listed)

    def _style(self, style_id: str) -> _Style | None:
        if style_id not in self._styles:
            element = self._elements.get(style_id)
            self._styles[style_id] = None if element is None else _read_style(element)
        return self._styles[style_id]


def _default_run_props(root: Element | None) -> Element | None:
    """``w:docDefaults/w:rPrDefault/w:rPr``: what every run has that no style or
    direct formatting says otherwise about."""
    defaults = None if root is None else child(root, W + "docDefaults")
    run_default = None if defaults is None else child(defaults, W + "rPrDefault")
    return None if run_default is None else child(run_default, _W_RPR)


def _read_style(style: Element) -> _Style:
    props = child(style, W_PPR)
    return _Style(
        name=val(child(style, _W_NAME)) or "",
        based_on=val(child(style, _W_BASED_ON)),
        outline=_outline(props),
        numbered=_numbered(props),
    )


def _outline(props: Element | None) -> int | None:
    return _outline_of(child(props, _W_OUTLINE) if props is not None else None)


def _outline_of(level: Element | None) -> int | None:
    value = val(level)
    # isdecimal, not isdigit: int() refuses "²"; and a level is one digit, not 5,000.
    return int(value) if value is not None and value.isdecimal() and len(value) < 4 else None


def _numbered(props: Element | None) -> bool | None:
    """None when the paragraph properties say nothing about numbering."""
    return _numbering_of(child(props, _W_NUMPR) if props is not None else None)


def _numbering_of(numbering: Element | None) -> bool | None:
    if numbering is None:
        return None
    return val(child(numbering, _W_NUMID)) not in (None, "0")


# ---------------------------------------------------------------- messages


def _member(name: str) -> str:
    """A zip member name fit for a one-line message: printable and short."""
    clean = "".join(c if c.isprintable() else "?" for c in name.lstrip("/"))
    return clean if len(clean) <= 60 else clean[:59] + "…"


def _size(n: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:,.1f} {unit}".replace(".0 ", " ")
    return f"{n} bytes"
