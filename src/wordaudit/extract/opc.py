"""A Word package whose parts are read when asked for: python-docx's OPC reading, on demand.

python-docx's ``Package.open`` inflates every part the relationships reach, images
included, and parses every XML part it models, before anything asks for one: on the
benchmark's Word files that is two fifths of reading one, spent largely on parts the
extractor never reads (numbering, the theme, pictures). Here the package is walked
as python-docx walks it, with python-docx's own content-type map, relationship
reader and part names, so a package python-docx refuses is refused with the same
error (a missing part, a part with no content type, no main document); but a part's
bytes are inflated and parsed only when the extractor first asks for its root, and
once. The parts python-docx models are parsed as it parses them (blank text between
elements dropped), the others as before, so the trees are those python-docx gave.
"""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from typing import IO, TYPE_CHECKING, NamedTuple

from wordaudit.errors import CorruptDocx

if TYPE_CHECKING:
    from docx.opc.packuri import PackURI
    from lxml.etree import _Element as Element

# A package part holding something else (a zip tool swapped two parts' contents).
_NOT_A_LIST = "%s is not the list it should be (its parts are mixed up)"
_RT_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


OFFSET_OUTSIDE = "zip archive is damaged (a part's offset points outside the file)"


def is_seek_before_start(exc: ValueError) -> bool:
    """Whether this is zipfile seeking, in an ``io.BytesIO``, to an offset a
    damaged header gives (a file gives ``EINVAL`` instead)."""
    return str(exc).startswith("negative seek")


def read_member(archive: zipfile.ZipFile, member: str | zipfile.ZipInfo) -> bytes:
    """A member's bytes, from an archive read into memory; a member that cannot
    be inflated is a one-line error, whenever it is first asked for."""
    try:
        return archive.read(member)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, lzma.LZMAError):
        # OSError and LZMAError: the bzip2 and LZMA decompressors' words for
        # damaged data (the bytes are in memory: no read can fail).
        raise CorruptDocx("zip archive is damaged (a compressed part cannot be read)") from None
    except NotImplementedError:
        raise CorruptDocx("zip archive uses an unsupported compression method") from None
    except ValueError as exc:
        if is_seek_before_start(exc):
            raise CorruptDocx(OFFSET_OUTSIDE) from None
        raise


class Relationship(NamedTuple):
    reltype: str
    target: Part | None  # None for an external target (a web address)


class Part:
    """One part of the package: its name, its relationships, and its XML once read."""

    __slots__ = ("_package", "_root", "content_type", "partname", "rels")

    def __init__(self, package: Package, partname: PackURI, content_type: str) -> None:
        self._package = package
        self._root: Element | None = None
        self.partname = partname
        self.content_type = content_type
        self.rels: dict[str, Relationship] = {}

    @property
    def blob(self) -> bytes:
        return self._package.read(self.partname)

    def root(self) -> Element:
        """The part's XML, parsed on the first call (``ooxml.root_of`` checks it)."""
        if self._root is None:
            from wordaudit.extract.ooxml import parse_xml

            drop_blanks = self._package.modelled(self)
            self._root = parse_xml(self.blob, str(self.partname), drop_blank_text=drop_blanks)
        return self._root

    def __repr__(self) -> str:
        return f"<Part {self.partname}>"


class Package:
    """The parts of a Word file that its relationships reach, none of them read yet."""

    def __init__(self, data: bytes) -> None:
        from docx.opc.packuri import PACKAGE_URI
        from docx.opc.pkgreader import _ContentTypeMap

        self._archive = zipfile.ZipFile(io.BytesIO(data))
        content_types_xml = self._read("[Content_Types].xml")
        try:
            self._content_types = _ContentTypeMap.from_xml(content_types_xml)  # type: ignore[no-untyped-call]
        except AttributeError:  # python-docx's reading of another root element than Types
            raise CorruptDocx(f"not a valid Word document: {_NOT_A_LIST % '[Content_Types].xml'}") from None
        self._parts: dict[str, Part] = {}
        self._first_reltype: dict[Part, str] = {}
        self.rels = self._relationships(PACKAGE_URI)

    @classmethod
    def open(cls, stream: IO[bytes]) -> Package:
        return cls(stream.read())

    @property
    def main_document_part(self) -> Part:
        """As python-docx finds it: KeyError when there is none, ValueError when
        there are several or it is outside the package."""
        found = [rel for rel in self.rels.values() if rel.reltype == _RT_OFFICE_DOCUMENT]
        if not found:
            raise KeyError("no relationship of type officeDocument")
        if len(found) > 1 or found[0].target is None:
            raise ValueError("no single main document part in the package")
        return found[0].target

    def read(self, partname: PackURI) -> bytes:
        return self._read(partname.membername)

    def _read(self, member: str) -> bytes:
        return read_member(self._archive, member)

    def modelled(self, part: Part) -> bool:
        """Whether python-docx would have parsed this part itself (as an ``XmlPart``)."""
        from docx.opc.part import PartFactory, XmlPart

        selector = PartFactory.part_class_selector
        chosen = selector(part.content_type, self._first_reltype.get(part, "")) if selector else None
        part_class = chosen or PartFactory.part_type_for.get(part.content_type)
        return part_class is not None and issubclass(part_class, XmlPart)

    def _relationships(self, source: PackURI) -> dict[str, Relationship]:
        """The relationships of a part (or the package), reaching the parts they
        target, which are walked in turn (depth first, as python-docx does)."""
        from docx.opc.pkgreader import _SerializedRelationships

        try:
            rels_xml: bytes | None = self._read(source.rels_uri.membername)
        except KeyError:
            rels_xml = None
        try:
            listed = _SerializedRelationships.load_from_xml(source.baseURI, rels_xml)  # type: ignore[no-untyped-call]
        except AttributeError:  # another root element than Relationships
            raise CorruptDocx(f"not a valid Word document: {_NOT_A_LIST % source.rels_uri.membername}") from None
        relationships: dict[str, Relationship] = {}
        for rel in listed:
            if rel.is_external:
                relationships[rel.rId] = Relationship(rel.reltype, None)
                continue
            partname = rel.target_partname
            target = self._parts.get(partname)
            if target is None:
                target = self._add_part(partname, rel.reltype)
            relationships[rel.rId] = Relationship(rel.reltype, target)
        return relationships

    def _add_part(self, partname: PackURI, reltype: str) -> Part:
        content_type = self._content_types[partname]  # KeyError, as in python-docx
        self._archive.getinfo(partname.membername)  # KeyError when the part is missing
        part = self._parts[partname] = Part(self, partname, content_type)
        self._first_reltype[part] = reltype
        part.rels = self._relationships(partname)
        return part
