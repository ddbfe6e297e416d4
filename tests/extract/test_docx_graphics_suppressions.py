"""A Word suppression comment on a chart or a SmartArt graphic covers the
graphic's text, read as paragraphs of its own after every story (as an image's
alt text is: see test_docx_described_suppressions.py).

The commented copies are made here from chart.docx and smartart.docx (see
tests/fixtures/docx/README.md), as Word anchors a comment on a selected graphic:
``w:commentRangeStart`` before the drawing's run, ``w:commentRangeEnd`` after it,
then a run holding the ``w:commentReference``, and the comments part related to
the document, with its content type."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from wordaudit.api import audit_paths_with
from wordaudit.config import Config

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"


def commented(source: Path, target: Path, comment: str, *, on_graphic: bool = True) -> Path:
    """``source`` with a comment reading ``comment`` on its first graphic's run, or
    (``on_graphic`` false) on the first run of the paragraph before it."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = (
                old.read(info).decode("utf-8")
                if info.filename.endswith(".xml") or info.filename.endswith(".rels")
                else None
            )
            if info.filename == "word/document.xml":
                assert data is not None
                data = _anchor(data, on_graphic)
            elif info.filename == "word/_rels/document.xml.rels":
                assert data is not None
                rel = f'<Relationship Id="rIdWordaudit1" Type="{COMMENTS_REL}" Target="comments.xml"/>'
                data = data.replace("</Relationships>", rel + "</Relationships>")
            elif info.filename == "[Content_Types].xml":
                assert data is not None
                override = f'<Override PartName="/word/comments.xml" ContentType="{COMMENTS_TYPE}"/>'
                data = data.replace("</Types>", override + "</Types>")
            new.writestr(info, data.encode("utf-8") if data is not None else old.read(info))
        new.writestr(
            "word/comments.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments xmlns:w="{W}">'
            f'<w:comment w:id="0" w:author="HR" w:date="2024-03-01T09:00:00Z" w:initials="HR">'
            f"<w:p><w:r><w:t>{comment}</w:t></w:r></w:p></w:comment></w:comments>",
        )
    return target


def _anchor(document: str, on_graphic: bool) -> str:
    drawing = document.index("<w:drawing>")
    if on_graphic:
        start = _last(document, ("<w:r>", "<w:r "), drawing)
        end = document.index("</w:r>", drawing) + len("</w:r>")
    else:  # the first run of the paragraph before the graphic's
        paragraph = _last(document, ("<w:p>", "<w:p "), drawing)
        before = _last(document, ("<w:p>", "<w:p "), paragraph)
        start = document.index("<w:r", before)
        end = document.index("</w:r>", start) + len("</w:r>")
    reference = '<w:r><w:commentReference w:id="0"/></w:r>'
    return (
        document[:start]
        + '<w:commentRangeStart w:id="0"/>'
        + document[start:end]
        + '<w:commentRangeEnd w:id="0"/>'
        + reference
        + document[end:]
    )


def _last(document: str, openings: tuple[str, ...], before: int) -> int:
    """Where the last element opened by one of ``openings`` starts before ``before``."""
    found = max(document.rfind(opening, 0, before) for opening in openings)
    assert found >= 0
    return found


def findings(path: Path, *, inline: bool = True, unused: bool = False) -> list[tuple[str, int, str]]:
    result = audit_paths_with([path], Config(), inline_suppressions=inline, report_unused_suppressions=unused)
    return [(f.rule, f.line, f.location) for f in result.findings]


@pytest.mark.parametrize("name", ["chart.docx", "smartart.docx"])
def test_a_comment_on_the_graphic_covers_its_text(tmp_path: Path, name: str) -> None:
    every = findings(FIXTURES / name)
    assert every
    assert all(rule == "back-office" for rule, _, _ in every)
    copy = commented(FIXTURES / name, tmp_path / name, "wordaudit: ignore back-office")
    assert findings(copy) == []
    assert findings(copy, unused=True) == []  # the comment is used
    assert findings(copy, inline=False) == every


@pytest.mark.parametrize("name", ["chart.docx", "smartart.docx"])
def test_a_comment_naming_another_rule_covers_nothing_and_is_unused(tmp_path: Path, name: str) -> None:
    every = findings(FIXTURES / name)
    copy = commented(FIXTURES / name, tmp_path / name, "wordaudit: ignore back-line")
    assert findings(copy) == every
    assert [rule for rule, _, _ in findings(copy, unused=True)].count("unused-suppression") == 1


@pytest.mark.parametrize("name", ["chart.docx", "smartart.docx"])
def test_a_comment_in_the_paragraph_before_does_not_reach_the_graphic(tmp_path: Path, name: str) -> None:
    every = findings(FIXTURES / name)
    copy = commented(FIXTURES / name, tmp_path / name, "wordaudit: ignore back-office", on_graphic=False)
    assert findings(copy) == every
    unused = [(rule, line) for rule, line, _ in findings(copy, unused=True) if rule == "unused-suppression"]
    assert len(unused) == 1
    assert unused[0][1] < min(line for _, line, _ in every)  # in the story, before the graphic's text
