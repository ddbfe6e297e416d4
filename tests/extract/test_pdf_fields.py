"""Annotation text placed as lines (pdf_fields), and which annotations the
pdfminer engine takes text from. The PDFium engine's reading is checked on real
files in test_pdf.py (form-fields.pdf, freetext-pdfjs.pdf)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from pdfminer.psparser import LIT

from wordaudit.extract.pdf_fields import Budget, Shown, distinct, font_size, lines_of
from wordaudit.extract.pdf_layout import TextLine
from wordaudit.extract.pdf_pdfminer import _shown


def test_font_size_from_a_default_appearance() -> None:
    assert font_size("/Helv 10 Tf 0 g") == 10.0
    assert font_size("0 g /Cour 8.5 Tf") == 8.5
    assert font_size("/Helv 0 Tf 0 g") == 0.0  # auto: the viewer fits it
    assert font_size(None) == 0.0


def test_a_one_line_field_is_read_level_with_its_label_however_far_the_label_column() -> None:
    # Acrobat's habit: a 10 pt value in a 28 pt box, the label 60 points to its left.
    label = TextLine("Title:", 72.0, 508.0, 98.0, 518.0)
    other_row = TextLine("Team:", 72.0, 478.0, 97.0, 488.0)
    shown = Shown("Back  Office\r\nClerk", (158.0, 499.0, 400.0, 527.0), 10.0, multiline=False)
    (line,) = lines_of(shown, page=[other_row, label])
    # Its line breaks (a one-line field shows none) as spaces; across the box.
    assert (line.text, line.bottom, line.top) == ("Back Office Clerk", 508.0, 518.0)
    assert (line.left, line.right) == (160.0, 398.0)


def test_a_field_set_in_a_sentence_is_level_with_it() -> None:
    before = TextLine("The postholder works with the", 57.0, 697.8, 203.1, 708.8)
    after = TextLine("staff of the bank every day.", 270.0, 697.8, 402.1, 708.8)
    (line,) = lines_of(Shown("back-end", (212.0, 697.0, 266.0, 711.0), 0.0, multiline=False), page=[before, after])
    assert (line.bottom, line.top) == (697.8, 708.8)


def test_a_one_line_field_alone_is_centred_in_its_box() -> None:
    (line,) = lines_of(Shown("Back office", (100.0, 500.0, 300.0, 520.0), 10.0, multiline=False))
    assert (line.bottom, line.top) == (505.0, 515.0)


def test_a_box_with_no_area_draws_nothing() -> None:
    assert lines_of(Shown("Back office", (0.0, 0.0, 0.0, 0.0), 10.0, multiline=False)) == []
    assert lines_of(Shown("Back office", (10.0, 50.0, 200.0, 50.0), 10.0, multiline=True)) == []


def test_a_widget_listed_twice_is_read_once_and_a_document_looks_at_a_bounded_number() -> None:
    one = Shown("Back Office Clerk", (1.0, 2.0, 3.0, 4.0), 10.0, multiline=False)
    other = Shown("Back Office Clerk", (1.0, 20.0, 3.0, 40.0), 10.0, multiline=False)
    assert distinct([one, None, one, other]) == [one, other]
    budget = Budget()
    assert budget.take(5000) == 2000  # a page's share
    assert sum(budget.take(1000) for _ in range(30)) == 18_000  # then the document's runs out


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
    # A text box has its own appearance or none: the form's default is for fields.
    free = _shown({"Subtype": LIT("FreeText"), "Rect": [0, 0, 50, 50], "Contents": b"Back office"}, "/Helv 9 Tf")
    assert free is not None
    assert (free.text, free.size, free.multiline) == ("Back office", 0.0, True)


def test_pdfminer_shows_a_choices_labels_not_its_export_values() -> None:
    options = [[b"BO", b"Back Office"], [b"FO", b"Front Office"], b"Payments"]
    combo = _shown(widget(FT=LIT("Ch"), V=b"BO", Opt=options), "")
    assert combo is not None
    assert combo.text == "Back Office"
    several = _shown(widget(FT=LIT("Ch"), V=[b"Payments", b"BO"], Opt=options), "")
    assert several is not None
    assert several.text == "Payments, Back Office"
    typed = _shown(widget(FT=LIT("Ch"), V=b"Back line", Opt=options), "")  # an editable combo's own text
    assert typed is not None
    assert typed.text == "Back line"


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


def test_pdfium_makes_a_form_environment_only_for_a_form_it_reads_in_time() -> None:
    # Building PDFium's form reads every field, in time growing with the square
    # of their number: estimated from the first page with any (x the pages).
    pdfium = pytest.importorskip("pypdfium2")
    from wordaudit.extract.pdfium_fields import Forms

    path = Path(__file__).parent.parent / "fixtures" / "pdf" / "form-fields.pdf"
    large, small = pdfium.PdfDocument(str(path)), pdfium.PdfDocument(str(path))
    try:
        assert Forms(large, len(large)).handle(widgets_on_page=3000) is None  # 6,000 fields over 2 pages
        forms = Forms(small, len(small))
        assert forms.handle(widgets_on_page=3) is not None
    finally:
        small.close()
        large.close()
