"""Line geometry the fast paths of ``pdfium`` and ``pdf_layout`` must keep.

``pdfium._measure_lines`` maps Python string offsets to PDFium's UTF-16 text
indexes, which no LibreOffice fixture exercises; ``pdf_layout`` bands lines by
hand-kept maxima that must survive coordinates from broken files.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import HAVE_PDFIUM
from wordaudit.extract import ExtractOptions, pdf
from wordaudit.extract.pdf_layout import TextLine, join_fragments, layout_page, reading_order

# Maps the code of "Z" to U+1D400 (a mathematical bold A): one character in
# Python, two UTF-16 units in PDFium's text, one glyph on the page.
_TO_ASTRAL = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<00> <FF>
endcodespacerange
1 beginbfchar
<5A> <D835DC00>
endbfchar
endcmap
CMapName currentdict /CMapName exch defineresource pop
end
end"""


def _pdf(content: bytes) -> bytes:
    """One page, Helvetica as F1 (with the map above) and as F2 (without)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
        b" /Resources << /Font << /F1 4 0 R /F2 7 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(_TO_ASTRAL), _TO_ASTRAL),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.mark.skipif(not HAVE_PDFIUM, reason="pypdfium2 is not installed")
def test_characters_outside_the_bmp_do_not_shift_a_pdfium_line(tmp_path: Path) -> None:
    # The same glyphs twice, at the same x: read as U+1D400 on the first line,
    # as "Z" on the second. Were the offsets not mapped to UTF-16 units, the
    # first line's last glyph would be taken three characters early, and its
    # box would end short (and the line would be joined to the next).
    path = tmp_path / "astral.pdf"
    path.write_bytes(
        _pdf(b"BT /F1 12 Tf 72 700 Td (ZZZ back office) Tj ET\nBT /F2 12 Tf 72 680 Td (ZZZ back office) Tj ET")
    )
    from wordaudit.extract import pdfium

    (page,) = pdfium.read_pages(path)
    astral, plain = page
    assert (astral.text, plain.text) == ("\U0001d400" * 3 + " back office", "ZZZ back office")
    assert (astral.left, astral.right, astral.height) == (plain.left, plain.right, plain.height)
    # NFKC makes the bold A a plain one; the lines are 20 pt apart: two boxes.
    blocks = list(pdf.extract_file(path, ExtractOptions(pdf_engine="pdfium")))
    assert [(block.text, block.segments[0].line) for block in blocks] == [
        ("AAA back office", 1),
        ("ZZZ back office", 2),
    ]


_COORDINATE = st.one_of(
    st.floats(min_value=0, max_value=800, allow_nan=False),
    st.sampled_from([math.nan, math.inf, -math.inf, 0.0, 72.0, 700.0]),
)
_LINE = st.builds(
    TextLine,
    st.sampled_from(["•", "1.", "iv)", "back", " office", "team "]),
    _COORDINATE,
    _COORDINATE,
    _COORDINATE,
    _COORDINATE,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, max_size=30), st.integers(min_value=0, max_value=62))
def test_layout_keeps_every_line_whatever_the_coordinates(lines: list[TextLine], depth: int) -> None:
    # NaN and infinite coordinates come from broken files: every line must
    # still come out once, in some order, and nothing may raise.
    assert sorted(map(id, reading_order(lines, depth))) == sorted(map(id, lines))
    assert len(join_fragments(lines)) <= len(lines)
    assert sum(len(box) for box in layout_page(lines)) == len(join_fragments(lines))
