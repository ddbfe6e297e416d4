"""The title in a PDF's document properties: the Title of its Info dictionary.

A viewer shows it in its title bar or tab, and a search engine as the
result's heading; Word and LibreOffice export a document's own title there,
a browser's "Save as PDF" the page's <title>. So it is prose the
organisation publishes ("Back Office Administrator"), read as a Word
document's title is (``docx_described``): one block, placed as
``document properties: title``, with no page.

Each engine decodes the PDF string its own way (``read_pages``); this module
decides what of it is read, so that both give the same block. XMP metadata
(the same title again, as XML) is not read.
"""

from __future__ import annotations

import re

from wordaudit.extract.pdf_fields import MAX_TEXT
from wordaudit.model import Block, Segment

WHERE = "document properties: title"

# The most bytes of a title an engine decodes: MAX_TEXT characters take at
# most four bytes each. A hostile file's title of megabytes is cut unread.
MAX_BYTES = 4 * MAX_TEXT

# A producer with no title to give writes the file's name instead: Word's PDF
# printer "Microsoft Word - role.docx", Chromium "page.html". That names the
# file, not the document: no one wrote it as a title, and it changes only by
# renaming the file, which no report of the document's prose asks for.
_FILE_NAME = re.compile(
    r"\S\.(?:docx?|docm|dotx?|odt|ott|rtf|pdf|txt|text|md|markdown|html?|xlsx?|pptx?|pages|wpd)\Z",
    re.IGNORECASE,
)
# A title is one line: a line break, a tab or a stray control character from a
# damaged string reads as the space between two words.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# A lone surrogate (half of a character, from a damaged UTF-16 string) could
# not be written out in a report.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def title_block(title: str) -> Block | None:
    """The title as a block; None when it says nothing or only names a file."""
    text = " ".join(_CONTROL.sub(" ", _SURROGATE.sub("", title[:MAX_TEXT])).split())
    if not text or names_a_file(text):
        return None
    return Block(kind="front-matter", text=text, segments=(Segment(0, 1, 1, where=WHERE),))


def names_a_file(title: str) -> bool:
    """Whether the title is a file's name (or path), ending in a document's suffix."""
    return _FILE_NAME.search(title) is not None
