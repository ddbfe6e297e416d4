from __future__ import annotations

from wordaudit.extract import ExtractOptions
from wordaudit.extract.plaintext import extract_text


def test_paragraphs_split_on_blank_lines_with_line_numbers() -> None:
    text = "First line\nsecond line\n\n   \nThird back\noffice para\n"
    blocks = list(extract_text(text, ExtractOptions()))
    assert [b.text for b in blocks] == ["First line\nsecond line", "Third back\noffice para"]
    third = blocks[1]
    assert third.position(third.text.index("office")).line == 6
    assert third.position(third.text.index("office")).column == 1
    assert third.position(third.text.index("back")).column == 7


def test_trailing_marker_is_a_directive() -> None:
    blocks = list(extract_text("We have a back office. wordaudit: ignore[back-office]\n", ExtractOptions()))
    directive = next(b for b in blocks if b.kind == "directive")
    assert directive.text == "wordaudit-ignore-line back-office"
    assert directive.position(0).line == 1
