"""`wordaudit fix` on Word documents: each fix a tracked change a person accepts or rejects.

Every LibreOffice-made fixture is fixed by the library and checked three ways:

- wordaudit scans the fixed copy and finds only what was left for review;
- the XML holds one deletion and one insertion by "wordaudit" per fix, the deletion
  holding exactly the characters the finding matched, the insertion formatted like
  the run the match started in, and every other zip member comes back unchanged;
- LibreOffice reads the copy with the new wording. Its text export shows deleted and
  inserted text both (deletions are only struck through), so the reading with every
  change accepted is taken from its own ODF conversion instead: there, deleted text
  moves out of the paragraphs into the document's list of tracked changes, and what
  stays in the paragraphs is the text as it reads once the changes are accepted.

The fixtures get their findings' first suggestions, and what a fix should read is built
from those, never typed here: a change to the suggestions changes what is expected, not
whether the tests pass.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import wordaudit.fix.docx as fixer
from wordaudit.api import Auditor, scan_source
from wordaudit.config import Config
from wordaudit.extract import ExtractOptions, ooxml
from wordaudit.extract import docx as word
from wordaudit.fix import fix_paths
from wordaudit.fix.model import Applied, Edit, Plan, plan, review_reason
from wordaudit.model import ExitCode, Finding, Severity, Source

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "docx"
# The LibreOffice-made fixtures with findings in every kind of story the extractor reads.
ROUND_TRIPS = ("body", "runs", "tables", "headers", "notes", "textbox")
# Those whose findings are all in the body, which LibreOffice's text export holds.
BODY_ONLY = ("body", "runs", "tables")

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
# How the extractor reads the one-character elements, for reading a deletion back.
CHARACTERS = {W + "tab": "\t", W + "br": "\n", W + "softHyphen": "\u00ad", W + "noBreakHyphen": "-"}

NO_SOFFICE = "LibreOffice (soffice) is not installed; CI installs it (.ci/run)"


# ---------------------------------------------------------------- helpers


def scan(path: Path, auditor: Auditor) -> tuple[Finding, ...]:
    result = scan_source(Source(str(path), path.name, "docx"), auditor)
    assert result.error is None, result.error
    return result.findings


@dataclass(frozen=True)
class Fixed:
    original: Path
    copy: Path
    plan: Plan
    applied: Applied

    @property
    def data(self) -> bytes:
        assert self.applied.data is not None
        return self.applied.data


def fix(name: str, folder: Path, auditor: Auditor, *, track_changes: bool = True) -> Fixed:
    original = FIXTURES / f"{name}.docx"
    planned = plan(scan(original, auditor))
    applied = fixer.apply(original, planned.edits, track_changes=track_changes)
    copy = folder / f"{name}.{'wordaudit' if track_changes else 'plain'}.docx"
    copy.write_bytes(applied.data or b"")
    return Fixed(original, copy, planned, applied)


def paragraphs(path: Path) -> list[word.Paragraph]:
    options = ExtractOptions()
    return list(word.paragraphs(ooxml.open_package(path, options.max_unpacked_bytes), options))


def after_text(paragraph: word.Paragraph, edits: list[Edit]) -> str:
    """The paragraph as it should read with these edits made, built from the findings alone."""
    text = paragraph.text
    for edit in sorted(edits, key=lambda e: e.finding.column, reverse=True):
        f = edit.finding
        text = text[: f.column - 1] + edit.replacement + text[f.end_column - 1 :]
    return text


def edits_by_paragraph(fixed: Fixed) -> Iterator[tuple[word.Paragraph, list[Edit]]]:
    by_line: dict[int, list[Edit]] = {}
    for edit in fixed.applied.done:
        by_line.setdefault(edit.finding.line, []).append(edit)
    for paragraph in paragraphs(fixed.original):
        if paragraph.line in by_line:
            yield paragraph, by_line[paragraph.line]


def members(data: bytes | Path) -> dict[str, bytes]:
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    with zipfile.ZipFile(source) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def changed_parts(fixed: Fixed) -> dict[str, Any]:
    before, after = members(fixed.original), members(fixed.data)
    return {name: etree.fromstring(data) for name, data in after.items() if before[name] != data}


def revisions(fixed: Fixed) -> list[tuple[Any, Any]]:
    """Each deletion in the fixed copy with the element right after it (its insertion,
    when all is well), once there are as many insertions as deletions."""
    roots = changed_parts(fixed).values()
    # A text box's VML copy gets the same changes (test_a_text_box_and_its_vml_copy_get_the_same_change).
    insertions = [element for root in roots for element in root.iter(W + "ins") if not in_vml_copy(element)]
    deletions = [
        (element, element.getnext()) for root in roots for element in root.iter(W + "del") if not in_vml_copy(element)
    ]
    assert len(insertions) == len(deletions)
    return deletions


def in_vml_copy(element: Any) -> bool:
    return next(element.iterancestors(MC + "Fallback"), None) is not None


def read_back(deletion: Any) -> str:
    """A deletion's characters, read the way the extractor reads text."""
    out = []
    for element in deletion.iter():
        if element.tag == W + "delText":
            out.append(element.text or "")
        elif element.tag in CHARACTERS:
            out.append(CHARACTERS[element.tag])
    return "".join(out)


def properties(run: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """A run's formatting, comparable across documents."""
    props = run.find(W + "rPr")
    return [] if props is None else [(e.tag, sorted(e.attrib.items())) for e in props.iter()]


def original_run(paragraph: word.Paragraph, column: int) -> Any:
    """The run holding a paragraph's character at ``column``."""
    offset = 0
    for piece in paragraph.pieces:
        if offset + len(piece.text) >= column:
            return piece.node.getparent()
        offset += len(piece.text)
    raise AssertionError(f"column {column} is not in paragraph {paragraph.line}")


def flat(text: str) -> str:
    """Text compared across readers: no soft hyphens, one kind of hyphen, single spaces."""
    return " ".join(text.replace("\u00ad", "").replace("\u2011", "-").split())


# ---------------------------------------------------------------- round trips through the library


@pytest.fixture(scope="module")
def tracked(tmp_path_factory: pytest.TempPathFactory, auditor: Auditor) -> dict[str, Fixed]:
    folder = tmp_path_factory.mktemp("tracked")
    return {name: fix(name, folder, auditor) for name in ROUND_TRIPS}


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory, auditor: Auditor) -> dict[str, Fixed]:
    folder = tmp_path_factory.mktemp("plain")
    return {name: fix(name, folder, auditor, track_changes=False) for name in ROUND_TRIPS}


@pytest.mark.parametrize("name", ROUND_TRIPS)
@pytest.mark.parametrize("how", ["tracked", "plain"])
def test_the_fixed_copy_has_nothing_left_to_fix(
    name: str, how: str, tracked: dict[str, Fixed], plain: dict[str, Fixed], auditor: Auditor
) -> None:
    fixed = (tracked if how == "tracked" else plain)[name]
    assert fixed.applied.done, "each fixture has something to fix"
    assert fixed.applied.unfixed == ()

    left = scan(fixed.copy, auditor)

    # Only findings a person must review remain, each where it was (paragraphs are not renumbered).
    assert all(review_reason(f) is not None for f in left)
    assert [(f.rule, f.match, f.line, f.location) for f in left] == [
        (u.finding.rule, u.finding.match, u.finding.line, u.finding.location) for u in fixed.plan.unfixed
    ]


@pytest.mark.parametrize("name", ROUND_TRIPS)
def test_each_fix_is_one_deletion_and_one_insertion_by_wordaudit(name: str, tracked: dict[str, Fixed]) -> None:
    fixed = tracked[name]
    pairs = revisions(fixed)

    assert len(pairs) == len(fixed.applied.done)
    for deletion, insertion in pairs:
        assert insertion.tag == W + "ins"
        for change in (deletion, insertion):
            assert change.get(W + "author") == "wordaudit"
            assert DATE.fullmatch(change.get(W + "date"))
        assert len(insertion.findall(W + "r")) == 1
        assert not list(insertion.iter(W + "delText"))
        assert not list(deletion.iter(W + "t"))


@pytest.mark.parametrize("name", ROUND_TRIPS)
def test_deletions_hold_the_matched_text_and_insertions_its_formatting(name: str, tracked: dict[str, Fixed]) -> None:
    """Each (deleted text, inserted text, inserted run's formatting) against what the original
    has at the finding: its characters and the properties of the run the match starts in."""
    fixed = tracked[name]
    expected = Counter(
        (
            paragraph.text[edit.finding.column - 1 : edit.finding.end_column - 1],
            edit.replacement,
            str(properties(original_run(paragraph, edit.finding.column))),
        )
        for paragraph, edits in edits_by_paragraph(fixed)
        for edit in edits
    )

    actual = Counter(
        (read_back(deletion), insertion.findtext(f"{W}r/{W}t"), str(properties(insertion.find(W + "r"))))
        for deletion, insertion in revisions(fixed)
    )

    assert actual == expected


def test_a_phrase_split_over_runs_is_deleted_run_by_run_and_inserted_in_the_first_runs_format(
    tracked: dict[str, Fixed],
) -> None:
    # runs.docx paragraph 1: "Our " + bold "back" + "-office team processes every order."
    root = changed_parts(tracked["runs"])["word/document.xml"]
    first = root.find(f".//{W}body/{W}p")
    deletion = first.find(W + "del")

    assert [(read_back(run), properties(run)) for run in deletion] == [
        ("back", [(W + "rPr", []), (W + "b", [])]),
        ("-office", [(W + "rPr", [])]),
    ]
    inserted = deletion.getnext().find(W + "r")
    assert properties(inserted) == [(W + "rPr", []), (W + "b", [])]
    # The runs around the change keep the text the match did not cover.
    assert "".join(first.itertext()).startswith("Our back-office")
    assert "".join(first.itertext()).endswith(" team processes every order.")


def test_bookmarks_stay_outside_the_deletion(tracked: dict[str, Fixed]) -> None:
    # runs.docx paragraph 2: bold "Back", a bookmark, italic "-", "Office", the bookmark's end.
    root = changed_parts(tracked["runs"])["word/document.xml"]
    second = root.findall(f".//{W}body/{W}p")[1]

    assert [child.tag for child in second][1:] == [
        W + "bookmarkStart", W + "del", W + "ins", W + "bookmarkEnd", W + "r",
    ]  # fmt: skip


@pytest.mark.parametrize("name", ROUND_TRIPS)
def test_ids_are_new_and_unique_in_the_whole_document(name: str, tracked: dict[str, Fixed]) -> None:
    fixed = tracked[name]
    before = [int(v) for root in map(etree.fromstring, _xml_members(fixed.original)) for v in _ids(root)]
    ours = [int(e.get(W + "id")) for pair in revisions(fixed) for e in pair]

    assert len(set(ours)) == len(ours)
    assert min(ours) > max(before, default=0)


def _xml_members(path: Path) -> list[bytes]:
    return [data for name, data in members(path).items() if name.endswith(".xml")]


def _ids(root: Any) -> Iterator[str]:
    return (e.get(W + "id") for e in root.iter() if re.fullmatch(r"-?\d+", e.get(W + "id") or ""))


@pytest.mark.parametrize("name", ROUND_TRIPS)
def test_only_the_parts_with_fixes_change(name: str, tracked: dict[str, Fixed]) -> None:
    fixed = tracked[name]
    lines = {edit.finding.line for edit in fixed.applied.done}
    expected = {str(p.part.partname.membername) for p in paragraphs(fixed.original) if p.line in lines}

    with zipfile.ZipFile(fixed.original) as old, zipfile.ZipFile(io.BytesIO(fixed.data)) as new:
        old_infos, new_infos = old.infolist(), new.infolist()
        assert [i.filename for i in new_infos] == [i.filename for i in old_infos]
        for was, now in zip(old_infos, new_infos, strict=True):
            assert (now.compress_type, now.date_time) == (was.compress_type, was.date_time)
        changed = {i.filename for i in old_infos if old.read(i) != new.read(i.filename)}

    assert changed == expected


@pytest.mark.parametrize("name", ROUND_TRIPS)
def test_without_tracking_the_text_is_replaced_outright(name: str, plain: dict[str, Fixed]) -> None:
    fixed = plain[name]
    after = {p.line: p.text for p in paragraphs(fixed.copy)}

    for paragraph, edits in edits_by_paragraph(fixed):
        assert after[paragraph.line] == after_text(paragraph, edits)
    for root in changed_parts(fixed).values():
        assert root.find(f".//{W}ins") is None
        assert root.find(f".//{W}del") is None


def test_the_diff_shows_one_line_per_paragraph(tracked: dict[str, Fixed]) -> None:
    fixed = tracked["runs"]
    before, after = fixed.applied.before.splitlines(), fixed.applied.after.splitlines()

    assert len(before) == len(after) == len(paragraphs(fixed.original))
    # Paragraph 3 holds a line break (w:br), shown as a space on its one line.
    assert before[2] == "Ask the back office team."
    assert after[2] == f"Ask the {fixed.applied.done[2].replacement} team."


def box_paragraphs(branch: Any) -> list[tuple[str, str, str]]:
    """Each paragraph of the text boxes in one branch of an mc:AlternateContent: its
    text with every change accepted, with every change rejected, and what was inserted."""
    found = []
    for paragraph in branch.iter(W + "p"):
        texts = list(paragraph.iter(W + "t", W + "delText"))
        inserted = [t for t in texts if next(t.iterancestors(W + "ins"), None) is not None]
        accepted = "".join(t.text or "" for t in texts if t.tag == W + "t")
        rejected = "".join(t.text or "" for t in texts if t not in inserted)
        found.append((accepted, rejected, "".join(t.text or "" for t in inserted)))
    return found


def text_boxes(data: bytes) -> list[tuple[Any, Any]]:
    """The DrawingML and VML branches of every text box LibreOffice wrote twice."""
    root = etree.fromstring(members(data)["word/document.xml"])
    pairs = []
    for alternate in root.iter(MC + "AlternateContent"):
        choice, fallback = alternate.find(MC + "Choice"), alternate.find(MC + "Fallback")
        if choice is not None and fallback is not None and next(choice.iter(W + "txbxContent"), None) is not None:
            pairs.append((choice, fallback))
    return pairs


@pytest.mark.parametrize("how", ["tracked", "plain"])
def test_a_text_box_and_its_vml_copy_get_the_same_change(
    how: str, tracked: dict[str, Fixed], plain: dict[str, Fixed]
) -> None:
    # textbox.docx: LibreOffice, as Word, writes each text box twice, a DrawingML box in
    # mc:Choice and its VML copy in mc:Fallback for readers that know only VML.
    fixed = (tracked if how == "tracked" else plain)["textbox"]
    boxes = text_boxes(fixed.data)
    assert len(boxes) == 2

    for choice, fallback in boxes:
        assert box_paragraphs(choice) == box_paragraphs(fallback)
    # Each box's phrase was replaced, in both copies.
    after = [after_text(paragraph, edits) for paragraph, edits in edits_by_paragraph(fixed)]
    assert len(after) == 2
    for (choice, fallback), expected in zip(boxes, after, strict=True):
        for branch in (choice, fallback):
            assert expected in [accepted for accepted, _, _ in box_paragraphs(branch)]
    if how == "tracked":
        # Every deletion and insertion has an id of its own, the copy's too.
        ids = [e.get(W + "id") for e in etree.fromstring(members(fixed.data)["word/document.xml"]).iter()]
        ids = [i for i in ids if i is not None]
        assert len(ids) == len(set(ids))


def test_libreoffice_reading_only_the_vml_copy_reads_the_new_wording(tmp_path: Path, tracked: dict[str, Fixed]) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip(NO_SOFFICE)
    fixed = tracked["textbox"]
    # The fixed copy with its DrawingML boxes taken out: LibreOffice then reads the VML copies.
    vml_only = tmp_path / "vml_only.docx"
    document = etree.fromstring(members(fixed.data)["word/document.xml"])
    for choice in list(document.iter(MC + "Choice")):
        choice.getparent().remove(choice)
    with zipfile.ZipFile(io.BytesIO(fixed.data)) as archive, zipfile.ZipFile(vml_only, "w") as out:
        for info in archive.infolist():
            data = archive.read(info)
            out.writestr(info, etree.tostring(document) if info.filename == "word/document.xml" else data)
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    for target in ("odt", "txt:Text"):
        done = subprocess.run(
            [soffice, profile, "--headless", "--convert-to", target, "--outdir", str(tmp_path), str(vml_only),
             str(fixed.copy)],
            capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    assert (tmp_path / f"{fixed.copy.stem}.txt").read_text(encoding="utf-8-sig").strip()

    shown = odt_paragraphs(tmp_path / "vml_only.odt")

    for paragraph, edits in edits_by_paragraph(fixed):
        assert flat(after_text(paragraph, edits)) in shown
        assert flat(paragraph.text) not in shown


def test_a_phrase_joined_by_a_zero_width_character_is_found_and_fixed(tmp_path: Path, auditor: Auditor) -> None:
    # zerowidth.docx: "Our back?office team." with U+200B, U+200C, U+200D, U+2060 and U+FEFF
    # (LibreOffice writes the last in a run of its own); "back\u200dline staff" shows as "backline".
    fixed = fix("zerowidth", tmp_path, auditor)

    found = [(e.finding.match, e.finding.line, e.finding.column, e.finding.end_column) for e in fixed.plan.edits]
    assert found == [
        (f"back{char}office", line, 5, 16) for line, char in enumerate("\u200b\u200c\u200d\u2060\ufeff", 1)
    ]
    assert len(fixed.applied.done) == 5
    assert fixed.applied.unfixed == ()
    assert scan(fixed.copy, auditor) == ()
    assert [read_back(deletion) for deletion, _ in revisions(fixed)] == [match for match, *_ in found]


def test_a_fixed_copy_fixed_again_is_left_alone(tracked: dict[str, Fixed], auditor: Auditor) -> None:
    fixed = tracked["body"]

    again = fixer.apply(fixed.copy, plan(scan(fixed.copy, auditor)).edits)

    assert again.data is None
    assert again.done == ()


# ---------------------------------------------------------------- findings left for a person


def test_a_phrase_inside_someone_elses_pending_insertion_is_left(auditor: Auditor) -> None:
    # tracked.docx: a reviewer's insertion, not yet accepted, holds "back line employees".
    original = FIXTURES / "tracked.docx"
    (finding,) = (f for f in scan(original, auditor) if f.rule == "back-line")

    applied = fixer.apply(original, [Edit(finding, "customer-impacting")])

    assert applied.data is None
    ((unfixed, reason),) = [(u.finding, u.reason) for u in applied.unfixed]
    assert unfixed == finding
    assert "tracked change nobody has accepted or rejected" in reason


def test_a_phrase_reaching_into_a_field_is_left() -> None:
    # field_results.docx paragraph 1: "Visit the " then a HYPERLINK field whose text is "back office portal".
    finding = _finding(line=1, column=1, match="Visit the back", where="paragraph 1")

    applied = fixer.apply(FIXTURES / "field_results.docx", [Edit(finding, "See the")])

    assert applied.data is None
    assert "holds a field" in applied.unfixed[0].reason


def test_a_phrase_reaching_into_a_computed_result_is_left_for_that_reason() -> None:
    # runs.docx paragraph 7: "Contact: " then a FILLIN field whose result, "Jane Doe", was typed at its prompt.
    finding = _finding(line=7, column=1, match="Contact: Jane", where="paragraph 7")

    applied = fixer.apply(FIXTURES / "runs.docx", [Edit(finding, "Reach Jane")])

    assert applied.data is None
    assert "is the result of a FILLIN field, which Word computes" in applied.unfixed[0].reason


@pytest.mark.parametrize(
    ("name", "left", "fixed"),
    [
        # LibreOffice's fields: a document property, a mail-merge field, a user field, a
        # cross-reference whose cached result is stale; a hyperlink's text and typed text.
        ("fields", [(1, "DOCPROPERTY"), (2, "MERGEFIELD"), (3, "DOCVARIABLE"), (5, "REF")], [6, 7]),
        # Word's: a HYPERLINK field's text is the link's own; a simple MERGEFIELD's result,
        # a HYPERLINK's text inside an IF's result and a USERNAME's are Word's.
        ("field_results", [(2, "MERGEFIELD"), (3, "IF"), (4, "USERNAME")], [1]),
    ],
)
def test_a_result_word_computes_from_a_field_is_left_and_a_links_text_is_fixed(
    tmp_path: Path, auditor: Auditor, name: str, left: list[tuple[int, str]], fixed: list[int]
) -> None:
    result = fix(name, tmp_path, auditor)

    assert [e.finding.line for e in result.applied.done] == fixed
    unfixed = [(u.finding.line, u.reason) for u in result.applied.unfixed]
    assert [line for line, _ in unfixed] == [line for line, _ in left]
    for (_, reason), (_, kind) in zip(unfixed, left, strict=True):
        assert f"is the result of a {kind} field, which Word computes" in reason
        assert "updating fields brings it back" in reason
    # What was left still reads as it did.
    assert [(f.line, f.column) for f in scan(result.copy, auditor)] == [
        (u.finding.line, u.finding.column) for u in result.applied.unfixed
    ]


def test_a_drop_down_form_fields_entry_is_left_for_a_person(tmp_path: Path, auditor: Auditor) -> None:
    result = fix("form_fields", tmp_path, auditor)

    assert result.applied.done == ()
    assert [u.finding.line for u in result.applied.unfixed] == [1, 3]
    assert all(
        "FORMDROPDOWN field, which Word computes from the entry chosen" in u.reason for u in result.applied.unfixed
    )


def test_text_that_no_longer_reads_as_the_match_is_left() -> None:
    finding = _finding(line=3, column=9, match="front office", where="paragraph 3")

    applied = fixer.apply(FIXTURES / "body.docx", [Edit(finding, "operations")])

    assert applied.data is None
    assert 'does not read "front office"' in applied.unfixed[0].reason


def test_a_finding_from_another_place_is_left() -> None:
    finding = _finding(line=3, column=5, match="back-office", where="table 1, row 1, cell 1")

    applied = fixer.apply(FIXTURES / "body.docx", [Edit(finding, "operations")])

    assert applied.data is None
    assert "scan the document again" in applied.unfixed[0].reason


@pytest.mark.parametrize(
    ("name", "kind", "reason"),
    [
        ("comments.docx", "comment", "is in a comment, left to its author"),
        # DrawingML text has no tracked changes: a box is reworded in Word's SmartArt pane.
        ("smartart.docx", "diagram", "is in a SmartArt graphic; edit it by hand"),
        # A chart's labels are redrawn from its worksheet: its cached copy is not the place.
        (
            "chart.docx",
            "chart",
            "is in a chart (edit it on the chart, or its data with Chart Design > Edit Data); edit it by hand",
        ),
    ],
)
def test_comments_and_smartart_are_left_alone(auditor: Auditor, name: str, kind: str, reason: str) -> None:
    original = FIXTURES / name
    findings = scan(original, auditor)
    assert {f.block_kind for f in findings} == {kind}

    applied = fixer.apply(original, plan(findings).edits)

    assert applied.data is None
    assert [u.finding for u in applied.unfixed] == list(findings)
    assert all(reason in u.reason for u in applied.unfixed)


def test_in_paragraphs_word_shows_as_one_a_phrase_in_one_w_p_is_fixed_and_one_across_two_is_left(
    tmp_path: Path, auditor: Auditor
) -> None:
    # joins.docx: a drop cap, a deleted paragraph mark and a style separator each start the
    # next paragraph; a phrase across the two ends on another line, so a person rewords it.
    fixed = fix("joins", tmp_path, auditor)

    # Paragraph 7's phrase lies in one w:p (in a run marked w:specVanish, which is read).
    done = [(e.finding.match, e.finding.line, e.finding.column) for e in fixed.applied.done]
    assert done == [("back-office", 2, 47), ("back office", 7, 5)]
    assert [(u.finding.match, u.finding.line, u.finding.end_line) for u in fixed.plan.unfixed] == [
        ("Back office", 1, 2),
        ("back office", 3, 4),
        ("Back office", 5, 6),
        ("back office", 8, 9),
    ]
    left = [(f.match, f.line, f.column) for f in scan(fixed.copy, auditor)]
    assert left == [("Back office", 1, 1), ("back office", 3, 5), ("Back office", 5, 1), ("back office", 8, 5)]


def test_an_article_before_the_match_is_fitted_inside_the_same_change(tmp_path: Path, auditor: Auditor) -> None:
    path = tmp_path / "article.docx"
    _edit_document(FIXTURES / "body.docx", path, b"Our back-office team", b"Join a back-office team")
    (finding,) = (f for f in scan(path, auditor) if f.match == "back-office")

    applied = fixer.apply(path, [Edit(finding, "operations")])

    root = etree.fromstring(members(applied.data or b"")["word/document.xml"])
    (deletion,) = root.iter(W + "del")
    assert read_back(deletion) == "a back-office"
    assert deletion.getnext().findtext(f"{W}r/{W}t") == "an operations"


@pytest.mark.parametrize("track_changes", [True, False])
def test_a_fitted_article_keeps_its_formatting_and_the_match_keeps_its_own(
    tmp_path: Path, auditor: Auditor, track_changes: bool
) -> None:
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("She is a ")
    paragraph.add_run("back office").bold = True
    paragraph.add_run(" clerk.")
    path = tmp_path / "bold.docx"
    document.save(str(path))
    (finding,) = scan(path, auditor)

    applied = fixer.apply(path, [Edit(finding, "operations")], track_changes=track_changes)

    root = etree.fromstring(members(applied.data or b"")["word/document.xml"])
    runs = root.findall(f".//{W}ins/{W}r") if track_changes else root.findall(f".//{W}p/{W}r")
    shown = [(run.findtext(W + "t"), run.find(f"{W}rPr/{W}b") is not None) for run in runs]
    assert ("an ", False) in shown
    assert ("operations", True) in shown
    assert "".join(text for text, _ in shown).endswith("an operations" + ("" if track_changes else " clerk."))


def _finding(*, line: int, column: int, match: str, where: str) -> Finding:
    return Finding(
        path="x.docx", rule="back-office", severity=Severity.WARNING, match=match, message="",
        suggestions=("operations",), line=line, column=column, end_line=line,
        end_column=column + len(match), page=None, location=where, context="",
    )  # fmt: skip


def _edit_document(source: Path, target: Path, old: bytes, new: bytes) -> None:
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename == "word/document.xml":
                assert old in data
                data = data.replace(old, new)
            out.writestr(info, data)


# ---------------------------------------------------------------- LibreOffice reads the result


@dataclass(frozen=True)
class Converted:
    odt: dict[str, Path]  # tracked copies in LibreOffice's own format
    txt: dict[tuple[str, str], str]  # (name, "tracked" | "plain") → text export


@pytest.fixture(scope="module")
def libreoffice(
    tmp_path_factory: pytest.TempPathFactory, tracked: dict[str, Fixed], plain: dict[str, Fixed]
) -> Converted:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip(NO_SOFFICE)
    out = tmp_path_factory.mktemp("libreoffice")
    # A profile of its own: a LibreOffice already running (a person's, another test
    # run's) would otherwise take the job over, or refuse it.
    profile = f"-env:UserInstallation={tmp_path_factory.mktemp('lo-profile').as_uri()}"

    def convert(target: str, files: list[Path]) -> None:
        done = subprocess.run(
            [soffice, profile, "--headless", "--convert-to", target, "--outdir", str(out), *map(str, files)],
            capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr

    convert("odt", [tracked[n].copy for n in ROUND_TRIPS])
    body = [tracked[n].copy for n in BODY_ONLY] + [plain[n].copy for n in BODY_ONLY]
    convert("txt:Text", body)
    return Converted(
        odt={n: out / f"{tracked[n].copy.stem}.odt" for n in ROUND_TRIPS},
        txt={
            (n, how): (out / f"{fixed[n].copy.stem}.txt").read_text(encoding="utf-8-sig")
            for n in BODY_ONLY
            for how, fixed in (("tracked", tracked), ("plain", plain))
        },
    )


def odt_paragraphs(path: Path) -> list[str]:
    """Every paragraph LibreOffice shows (body, tables, notes, text boxes, headers and
    footers), as it reads with all tracked changes accepted."""
    texts = []
    for name in ("content.xml", "styles.xml"):
        root = etree.fromstring(members(path)[name])
        for paragraph in root.iter(TEXT + "p", TEXT + "h"):
            if not any(a.tag == TEXT + "tracked-changes" for a in paragraph.iterancestors()):
                texts.append(flat(_odt_text(paragraph)))
    return texts


def _odt_text(element: Any) -> str:
    out = [element.text or ""]
    for child in element:
        if child.tag == TEXT + "tab":
            out.append("\t")
        elif child.tag == TEXT + "line-break":
            out.append("\n")
        elif child.tag == TEXT + "s":
            out.append(" " * int(child.get(TEXT + "c", "1")))
        elif child.tag not in (TEXT + "note", OFFICE + "annotation", DRAW + "frame"):  # stories of their own
            out.append(_odt_text(child))
        out.append(child.tail or "")
    return "".join(out)


def odt_changes(path: Path) -> list[tuple[str, str, str]]:
    """(kind, author, deleted text) of every tracked change LibreOffice found."""
    found = []
    for name in ("content.xml", "styles.xml"):
        root = etree.fromstring(members(path)[name])
        for region in root.iter(TEXT + "changed-region"):
            (change,) = [c for c in region if c.tag in (TEXT + "deletion", TEXT + "insertion")]
            deleted = " ".join(_odt_text(p) for p in change.iter(TEXT + "p", TEXT + "h"))
            found.append((etree.QName(change).localname, change.findtext(f".//{DC_CREATOR}"), flat(deleted)))
    return found


@pytest.mark.parametrize("name", ROUND_TRIPS)
def test_libreoffice_finds_each_fix_as_a_change_by_wordaudit(
    name: str, tracked: dict[str, Fixed], libreoffice: Converted
) -> None:
    fixed = tracked[name]
    matched = [
        flat(paragraph.text[e.finding.column - 1 : e.finding.end_column - 1])
        for paragraph, edits in edits_by_paragraph(fixed)
        for e in edits
    ]

    changes = odt_changes(libreoffice.odt[name])

    assert sorted(changes) == sorted(
        [("deletion", "wordaudit", text) for text in matched] + [("insertion", "wordaudit", "")] * len(matched)
    )


@pytest.mark.parametrize("name", ROUND_TRIPS)
def test_libreoffice_reads_the_new_wording_once_changes_are_accepted(
    name: str, tracked: dict[str, Fixed], libreoffice: Converted
) -> None:
    shown = odt_paragraphs(libreoffice.odt[name])

    for paragraph, edits in edits_by_paragraph(tracked[name]):
        assert flat(after_text(paragraph, edits)) in shown
        assert flat(paragraph.text) not in shown


@pytest.mark.parametrize("name", BODY_ONLY)
def test_libreoffice_text_export_of_a_plain_fix_reads_the_new_wording(
    name: str, plain: dict[str, Fixed], libreoffice: Converted
) -> None:
    # A line break inside a paragraph ends a line of the export too: compare the flattened text.
    shown = flat(libreoffice.txt[name, "plain"])

    for paragraph, edits in edits_by_paragraph(plain[name]):
        assert flat(after_text(paragraph, edits)) in shown


@pytest.mark.parametrize("name", BODY_ONLY)
def test_libreoffice_text_export_shows_deleted_and_inserted_text_both(
    name: str, tracked: dict[str, Fixed], libreoffice: Converted
) -> None:
    """Why the accepted reading comes from ODF: the text export keeps struck-out text,
    deletion first, right before the insertion that replaces it."""
    shown = flat(libreoffice.txt[name, "tracked"])

    for paragraph, edits in edits_by_paragraph(tracked[name]):
        both = [
            Edit(e.finding, paragraph.text[e.finding.column - 1 : e.finding.end_column - 1] + e.replacement)
            for e in edits
        ]
        assert flat(after_text(paragraph, both)) in shown


# ---------------------------------------------------------------- through the framework and the command line


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wordaudit", "fix", *args],
        cwd=cwd, capture_output=True, text=True, encoding="utf-8",
        env={**os.environ, "NO_COLOR": "1"}, timeout=300, check=False,
    )  # fmt: skip


def test_cli_diff_previews_word_fixes_paragraph_by_paragraph(tmp_path: Path, auditor: Auditor) -> None:
    path = tmp_path / "job.docx"
    shutil.copyfile(FIXTURES / "runs.docx", path)
    edits = plan(scan(path, auditor)).edits

    done = run_cli("--diff", "job.docx", cwd=tmp_path)

    assert done.returncode == ExitCode.FINDINGS, done.stderr  # a fix not yet written is something left
    assert done.stdout.startswith("--- job.docx\n+++ job.docx\n@@ -1,8 +1,8 @@\n-Our back-office team")
    assert "\n-Ask the back office team.\n" in done.stdout
    assert f"\n+Ask the {edits[2].replacement} team.\n" in done.stdout
    assert f"Would fix {len(edits)} findings in 1 file." in done.stderr
    assert path.read_bytes() == (FIXTURES / "runs.docx").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job.docx"]


def test_cli_writes_a_tracked_copy_beside_the_original(tmp_path: Path, auditor: Auditor) -> None:
    path = tmp_path / "job.docx"
    shutil.copyfile(FIXTURES / "runs.docx", path)

    done = run_cli("job.docx", cwd=tmp_path)

    assert done.returncode == ExitCode.OK, done.stderr
    assert "Fixed 8 findings in 1 file." in done.stderr
    assert path.read_bytes() == (FIXTURES / "runs.docx").read_bytes()
    copy = tmp_path / "job.wordaudit.docx"
    assert scan(copy, auditor) == ()
    assert len(list(etree.fromstring(members(copy)["word/document.xml"]).iter(W + "ins"))) == 8


def test_a_copy_an_earlier_fix_wrote_is_never_written_over(tmp_path: Path) -> None:
    path = tmp_path / "job.docx"
    shutil.copyfile(FIXTURES / "runs.docx", path)
    assert run_cli("job.docx", cwd=tmp_path).returncode == ExitCode.OK
    reviewed = tmp_path / "job.wordaudit.docx"  # a reviewer may have worked in it since
    before = reviewed.read_bytes()

    again = run_cli("job.docx", cwd=tmp_path)

    assert again.returncode == ExitCode.FINDINGS
    assert "job.wordaudit.docx is already there" in again.stderr
    assert reviewed.read_bytes() == before
    # With nothing to fix, the copy is no matter; with --diff nothing is written.
    assert run_cli("--diff", "job.docx", cwd=tmp_path).returncode == ExitCode.FINDINGS
    assert reviewed.read_bytes() == before


def test_cli_no_track_changes_replaces_the_text_in_the_copy(tmp_path: Path, auditor: Auditor) -> None:
    path = tmp_path / "job.docx"
    shutil.copyfile(FIXTURES / "body.docx", path)

    done = run_cli("--no-track-changes", "job.docx", cwd=tmp_path)

    assert done.returncode == ExitCode.FINDINGS, done.stderr  # "back line" is left for review
    document = members(tmp_path / "job.wordaudit.docx")["word/document.xml"]
    assert b"<w:ins " not in document
    assert b"<w:del " not in document
    assert [f.rule for f in scan(tmp_path / "job.wordaudit.docx", auditor)] == ["back-line"]


def test_in_place_writes_over_the_original(tmp_path: Path, auditor: Auditor) -> None:
    path = tmp_path / "job.docx"
    shutil.copyfile(FIXTURES / "tables.docx", path)

    report = fix_paths([path], Config(), in_place=True)

    assert [len(f.fixed) for f in report.files] == [2]
    assert [f.rule for f in scan(path, auditor)] == ["back-line"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job.docx"]


def test_a_failed_rename_in_place_leaves_the_original_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "job.docx"
    shutil.copyfile(FIXTURES / "runs.docx", path)

    def fail(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    report = fix_paths([path], Config(), in_place=True)

    assert path.read_bytes() == (FIXTURES / "runs.docx").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job.docx"]
    assert report.files[0].error == "not changed: No space left on device"
    assert report.exit_code == ExitCode.FINDINGS


def test_a_damaged_document_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "job.docx"
    shutil.copyfile(FIXTURES / "truncated.docx", path)

    report = fix_paths([path], Config())

    assert path.read_bytes() == (FIXTURES / "truncated.docx").read_bytes()
    assert report.files[0].error is not None
    assert "truncated" in report.files[0].error
