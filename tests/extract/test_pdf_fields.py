"""Annotation text placed as lines (pdf_fields), and which annotations the
pdfminer engine takes text from. The PDFium engine's reading is checked on real
files in test_pdf.py (form-fields.pdf, freetext-pdfjs.pdf)."""

from __future__ import annotations

import itertools

from pdfminer.psparser import LIT

from wordaudit.extract.pdf_fields import Shown, font_size, lines_of
from wordaudit.extract.pdf_pdfminer import _shown


def test_font_size_from_a_default_appearance() -> None:
    assert font_size("/Helv 10 Tf 0 g") == 10.0
    assert font_size("0 g /Cour 8.5 Tf") == 8.5
    assert font_size("/Helv 0 Tf 0 g") == 0.0  # auto: the viewer fits it
    assert font_size(None) == 0.0


def test_a_one_line_field_sits_on_the_foot_of_its_box() -> None:
    # An 18 pt box on a label's line: the value is read level with the label,
    # its line breaks (a one-line field shows none) as spaces.
    (line,) = lines_of(Shown("Back  Office\r\nClerk", (100.0, 500.0, 300.0, 518.0), 10.0, multiline=False))
    assert (line.text, line.bottom, line.height) == ("Back Office Clerk", 500.0, 10.0)
    assert line.left > 100.0
    assert line.right < 300.0


def test_a_tall_box_is_filled_from_its_top_and_its_text_wrapped() -> None:
    text = "Works with the back-office team on every payment run.\nAnswers supplier questions."
    lines = lines_of(Shown(text, (100.0, 300.0, 220.0, 400.0), 10.0, multiline=False))
    # 116 points at half an em (5 points) a character: 23 characters a row.
    assert [line.text for line in lines] == [
        "Works with the",
        "back-office team on",
        "every payment run.",
        "Answers supplier",
        "questions.",
    ]
    assert lines[0].top < 400.0
    assert all(a.bottom > b.top for a, b in itertools.pairwise(lines))


def test_an_auto_sized_one_line_field_fits_its_box() -> None:
    (line,) = lines_of(Shown("Back office", (0.0, 0.0, 200.0, 10.0), 0.0, multiline=False))
    assert line.height == 7.0


def test_a_turned_page_turns_the_box() -> None:
    # On a page whose text runs up (90), x along the text is the page's y.
    (line,) = lines_of(Shown("Back office", (100.0, 500.0, 120.0, 700.0), 10.0, multiline=False), quadrant=90)
    assert line.left > 500.0
    assert line.right < 700.0


def widget(**entries: object) -> dict[str, object]:
    return {"Subtype": LIT("Widget"), "Rect": [100, 500, 300, 520], **entries}


def test_pdfminer_reads_text_fields_choices_and_free_text_boxes() -> None:
    assert _shown(widget(FT=LIT("Tx"), V=b"Back Office Clerk"), "") is not None
    choice = _shown(widget(FT=LIT("Ch"), V=[b"Back line", b"\xfe\xff\x00S\x00u\x00p\x00p\x00o\x00r\x00t"]), "")
    assert choice is not None
    assert choice.text == "Back line, Support"
    free = _shown({"Subtype": LIT("FreeText"), "Rect": [0, 0, 50, 50], "Contents": b"Back office"}, "/Helv 9 Tf")
    assert free is not None
    assert (free.text, free.size, free.multiline) == ("Back office", 9.0, True)


def test_pdfminer_takes_a_widgets_value_and_type_from_its_parent_field() -> None:
    parent = {"FT": LIT("Tx"), "V": b"Back office", "Ff": 1 << 12, "DA": b"/Helv 11 Tf 0 g"}
    shown = _shown(widget(Parent=parent), "/Helv 0 Tf")
    assert shown is not None
    assert (shown.text, shown.size, shown.multiline) == ("Back office", 11.0, True)


def test_pdfminer_leaves_hidden_fields_buttons_and_empty_values() -> None:
    assert _shown(widget(FT=LIT("Tx"), V=b"Back office", F=2), "") is None  # Hidden
    assert _shown(widget(FT=LIT("Tx"), V=b"Back office", F=1 << 5), "") is None  # NoView
    assert _shown(widget(FT=LIT("Tx"), V=b"Back office", Ff=1 << 13), "") is None  # a password: asterisks
    assert _shown(widget(FT=LIT("Btn"), V=LIT("Yes")), "") is None  # a check box
    assert _shown(widget(FT=LIT("Sig")), "") is None
    assert _shown(widget(FT=LIT("Tx"), V=b"  "), "") is None
    assert _shown(widget(FT=LIT("Tx"), V=b"Back office", Rect=[1, 2]), "") is None  # a damaged box
    assert _shown({"Subtype": LIT("Link"), "Rect": [0, 0, 1, 1], "Contents": b"Back office"}, "") is None
