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


# ---------------------------------------------------------------- the text screen

SCREENED_TEXTS = [
    # Paragraphs with no rule's first word before a finding: only counted.
    "office\n\nthe team\n\nmore words\nback office\n",
    # The word before a phrase, on the line above ("the" / "back line"): the
    # paragraph is read from its first line.
    "Nothing here.\n\nWe thank the\nback line.\n\nAnd the\nteam.\n",
    # A marker in a paragraph of its own, and one that follows a finding.
    "Clean.\n\n<!-- wordaudit: ignore back-office -->\nOur back office.\n\nBack office. wordaudit: ignore\n",
    # A soft hyphen, a line of spaces between paragraphs, CRLF line ends.
    "Plain\r\n   \r\nthe back\u00adline staff\r\n\r\nend\r\n",
    # A last line without its line end.
    "one\n\ntwo\n\nthe back office",
]


def _findings_of(chunks: list[str], screened: bool) -> list[tuple[str, int, int, int, int]]:
    from wordaudit.api import _findings, build_auditor
    from wordaudit.extract.plaintext import extract_chunks

    auditor = build_auditor()
    options = auditor.options if screened else ExtractOptions()
    findings = _findings(extract_chunks(chunks, options), "x.txt", auditor)[0]
    return [(f.rule, f.line, f.column, f.end_line, f.end_column) for f in findings]


def test_the_text_screen_reads_only_what_may_hold_a_finding_and_finds_the_same() -> None:
    from wordaudit.api import build_auditor
    from wordaudit.extract.plaintext import extract_chunks

    text = "Nothing here.\n\nWe thank the\nback line.\n\nAnd the\nteam.\n\nLast.\n"
    read = [b.text for b in extract_chunks([text], build_auditor().options)]
    # No rule's first word in "Nothing here." nor in "And the / team."; the last
    # paragraph is read in any case (the next piece of a file might carry it on).
    assert read == ["We thank the\nback line.", "Last."]
    for text in SCREENED_TEXTS:
        expected = _findings_of([text], screened=False)
        assert expected, text
        for size in (1, 2, 3, 5, 8, 13, 21, len(text)):
            chunks = [text[i : i + size] for i in range(0, len(text), size)]
            assert _findings_of(chunks, screened=True) == expected, (text, size)
