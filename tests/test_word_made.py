"""Documents saved by Microsoft Word itself (tests/fixtures/docx/word/, from python-docx's
test files, MIT licence; see the README there), read as they are and with one text run
reworded in place, so that every other byte stays as Word wrote it: Word's run splitting,
rsids, bookmarks, hyperlinks, comments, character styles, nested tables and sections."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.table import Table
from docx.text.paragraph import Paragraph

from conftest import findings_by_file, scan_report
from wordaudit.extract import ExtractOptions
from wordaudit.extract.docx import extract_file

WORD = Path(__file__).parent / "fixtures" / "docx" / "word"
FILES = sorted(WORD.glob("*.docx"))


def test_the_fixtures_were_saved_by_word() -> None:
    assert len(FILES) == 5
    for path in FILES:
        with zipfile.ZipFile(path) as package:
            app = package.read("docProps/app.xml").decode("utf-8")
        assert "<Application>Microsoft Office Word</Application>" in app, path.name


def _python_docx_texts(path: Path) -> list[str]:
    """Every non-empty paragraph of the body, its tables (nested too) and the
    default headers and footers, as python-docx reads them."""
    document = docx.Document(str(path))
    texts: list[str] = []

    def walk(items: list[Paragraph | Table]) -> None:
        for item in items:
            if isinstance(item, Paragraph):
                texts.append(item.text)
                continue
            for row in item.rows:
                for cell in row.cells:
                    walk(list(cell.iter_inner_content()))

    walk(list(document.iter_inner_content()))
    for section in document.sections:
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                walk(list(part.iter_inner_content()))
    return [t for t in texts if t.strip()]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_paragraph_python_docx_reads_is_read(path: Path) -> None:
    read = {block.text for block in extract_file(path, ExtractOptions())}
    missing = [text for text in _python_docx_texts(path) if text not in read]
    assert missing == []


def _reworded(source: Path, target: Path, part: str, old: str, new: str) -> Path:
    """A copy of ``source`` with the text ``old`` of one part replaced, once."""
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in package.infolist():
            data = package.read(item)
            if item.filename == part:
                text = data.decode("utf-8")
                assert text.count(old) == 1, (part, old)
                data = text.replace(old, new).encode("utf-8")
            copy.writestr(item, data)
    return target


# (file, part, Word's text, the new text, the finding: rule, match, location)
REWORDED = [
    # "back " ends a plain run; "office team" is the text of a hyperlink to a bookmark.
    (
        "par-hlink-frags.docx",
        "word/document.xml",
        '<w:t xml:space="preserve">Two with </w:t>',
        '<w:t xml:space="preserve">Two with our back </w:t>',
        "<w:t>link to bookmark</w:t>",
        "<w:t>office team</w:t>",
        ("back-office", "back office", "paragraph 2"),
    ),
    # A comment whose middle run has a character style.
    (
        "comments-rich-para.docx",
        "word/comments.xml",
        "<w:t>character style</w:t>",
        "<w:t>back-office</w:t>",
        None,
        None,
        ("back-office", "back-office", "comment 3"),
    ),
    # The cell of a table nested in a table that follows an empty table.
    (
        "blk-paras-and-tables.docx",
        "word/document.xml",
        "<w:t>Between</w:t>",
        "<w:t>Back line staff</w:t>",
        None,
        None,
        ("back-line", "Back line", "table 2, row 1, cell 1 > table 1, row 2, cell 1"),
    ),
    # A footer laid out as a table.
    (
        "blk-paras-and-tables.docx",
        "word/footer1.xml",
        "<w:t>Copyright</w:t>",
        "<w:t>Non-customer-facing</w:t>",
        None,
        None,
        ("non-customer-facing", "Non-customer-facing", "footer, section 1, table 1, row 1, cell 1"),
    ),
    # A first-page header defined by section 1, which has no "different first page":
    # Word first shows it on the first page of section 2, which links to it and has one.
    (
        "sct-first-page-hdrftr.docx",
        "word/header2.xml",
        "First Page Header",
        "Back Office Header",
        None,
        None,
        ("back-office", "Back Office", "first-page header, section 2"),
    ),
    # A chart's title, rich text in the chart part.
    (
        "chart-Column.docx",
        "word/charts/chart1.xml",
        "<a:t>fruit</a:t>",
        "<a:t>Back office headcount</a:t>",
        None,
        None,
        ("back-office", "Back office", "Chart 1, title, anchored in paragraph 4"),
    ),
]


@pytest.mark.parametrize("case", REWORDED, ids=[f"{c[0]}:{c[1]}" for c in REWORDED])
def test_a_phrase_in_word_made_structure_is_found_where_word_shows_it(
    tmp_path: Path, case: tuple[str, str, str, str, str | None, str | None, tuple[str, str, str]]
) -> None:
    name, part, old, new, second_old, second_new, expected = case
    copy = _reworded(WORD / name, tmp_path / "once.docx", part, old, new)
    if second_old is not None and second_new is not None:
        copy = _reworded(copy, tmp_path / name, part, second_old, second_new)
    else:
        copy = copy.rename(tmp_path / name)
    report = scan_report(str(copy))
    assert report["files"][0]["error"] is None
    assert findings_by_file(report, str(copy)) == [expected]
