"""Markup compatibility (ECMA-376 Part 3): which branch of an
``mc:AlternateContent`` a Word reader takes.

Word writes newer markup in a ``mc:Choice`` that names the namespaces it
``Requires``, and the same content for older readers in a ``mc:Fallback``. A
reader takes the first Choice whose namespaces it understands, else the
Fallback: reading one branch alone keeps a text box (DrawingML Choice, VML
Fallback) from being read twice, and keeps the character of an emoji, which
Word 2016 writes as ``w16se:symEx`` in the Choice and as text in the Fallback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wordaudit.extract.ooxml import MC, W

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

MC_CHOICE, MC_FALLBACK = MC + "Choice", MC + "Fallback"
MC_REQUIRES = "Requires"

# Namespaces whose markup this reader reads, or knowingly passes over on the way to
# the text in it (drawings hold text boxes). A mc:Choice needing any other is not
# for this reader, which takes the next Choice or the Fallback (ECMA-376 Part 3):
# Word's emoji (w16se:symEx) keep their character only in the Fallback.
_UNDERSTOOD = frozenset(
    {
        W[1:-1],
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "http://schemas.microsoft.com/office/word/2010/wordml",  # w14
        "http://schemas.microsoft.com/office/word/2012/wordml",  # w15
        "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",  # wp
        "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing",  # wp14
        "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",  # wps
        "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",  # wpg
        "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas",  # wpc
        "http://schemas.openxmlformats.org/drawingml/2006/main",  # a
        "http://schemas.openxmlformats.org/drawingml/2006/picture",  # pic
        "http://schemas.openxmlformats.org/drawingml/2006/diagram",  # dgm: SmartArt
        "urn:schemas-microsoft-com:vml",  # v
        "urn:schemas-microsoft-com:office:office",  # o
        "urn:schemas-microsoft-com:office:word",  # w10
    }
)
# DrawingML extensions (a14, charts as chartex cx1-cx8, ink...): drawings, whose
# text this reader does not read outside text boxes: their Choice is taken.
_DRAWING_EXTENSIONS = "http://schemas.microsoft.com/office/drawing/"


def chosen_branch(alternate: Element) -> Element | None:
    """The branch of mc:AlternateContent a reader of what this one reads takes: the
    first Choice all of whose ``Requires`` prefixes name namespaces it understands,
    else the Fallback, else nothing. A text box's Choice (wps) and Fallback (VML)
    carry the same box, so reading one branch alone keeps it from being doubled."""
    for branch in alternate.iterchildren(MC_CHOICE, MC_FALLBACK):
        if branch.tag == MC_FALLBACK or _understood(branch):
            return branch
    return None


def _understood(choice: Element) -> bool:
    prefixes = (choice.get(MC_REQUIRES) or "").split()
    namespaces = [choice.nsmap.get(prefix) for prefix in prefixes]
    # No Requires is a damaged Choice; an undeclared prefix names nothing this reader knows.
    return bool(prefixes) and all(
        namespace is not None and (namespace in _UNDERSTOOD or namespace.startswith(_DRAWING_EXTENSIONS))
        for namespace in namespaces
    )
