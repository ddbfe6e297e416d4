"""`wordaudit fix` on markdown and text: only the matched characters change.

Each round trip writes a real document in some encoding and line-ending
style, fixes it (through the library and through the command line), and
compares the file's bytes with the expected text built by hand and encoded
the same way: anything else that moved (a BOM, a CRLF, an accented letter,
the file mode) fails the comparison.
"""

from __future__ import annotations

import codecs
import difflib
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import wordaudit.fix
from conftest import fix_command
from wordaudit.api import audit_paths
from wordaudit.config import Config
from wordaudit.fix import FixReport, fix_paths, summary
from wordaudit.fix.model import COORDINATED, SPANS_LINES, fitted_article
from wordaudit.model import ExitCode

ROOT = Path(__file__).resolve().parents[2]

MARKDOWN = """\
---
title: Back Office Lead
back_office: true
---

# The Back-Office Team

Our back-office team answers every order. You will join a back-office unit,
and our non-revenue-producing desk.

Inline code `back_office` and `back office` stay as they are.

```
back office in a fenced block
```

<!-- wordaudit-disable-next-line back-office -->
"Back Office" is the name of the vendor’s product.

| Role | Team |
| --- | --- |
| Transaction processor | non-customer-facing |

He has been working in the back line for years. Café “quoted” text.
"""

# The same document as a person would fix it: each replacement by hand.
MARKDOWN_FIXED = (
    MARKDOWN.replace("title: Back Office Lead", "title: Operations Lead")
    .replace("# The Back-Office Team", "# The Operations Team")
    .replace("Our back-office team", "Our operations team")
    .replace("join a back-office unit", "join an operations unit")
    .replace("our non-revenue-producing desk", "our revenue-enabling desk")
    .replace("| Transaction processor | non-customer-facing |", "| Service specialist | customer-impacting |")
)

TEXT = """\
Thanks to our behind-the-scenes staff and the back-end team.
"Back Office" is quoted from the 1998 chart. wordaudit: ignore[back-office]
Back line employees agree their days with their manager.
"""
TEXT_FIXED = TEXT.replace("behind-the-scenes staff", "customer-impacting staff").replace(
    "back-end team", "operations team"
)


def _mixed(text: str) -> str:
    """CRLF and LF on alternate lines, as after a paste between editors."""
    lines = text.split("\n")
    return "".join(line + ("\r\n" if n % 2 else "\n") for n, line in enumerate(lines[:-1])) + lines[-1]


Encode = Callable[[str], bytes]
VARIANTS: dict[str, Encode] = {
    "utf8-lf": lambda t: t.encode("utf-8"),
    "utf8-crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "utf8-cr": lambda t: t.replace("\n", "\r").encode("utf-8"),
    "utf8-mixed": lambda t: _mixed(t).encode("utf-8"),
    "utf8-bom": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "cp1252": lambda t: t.encode("cp1252"),
    "utf16-le-bom": lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    "utf16-be-bom-crlf": lambda t: codecs.BOM_UTF16_BE + t.replace("\n", "\r\n").encode("utf-16-be"),
}
CLI_VARIANTS = ("utf8-lf", "utf8-mixed", "cp1252", "utf16-be-bom-crlf")


def fix_with(how: str, path: Path) -> None:
    if how == "library":
        report = fix_paths([path], Config())
        assert report.exit_code == ExitCode.FINDINGS  # the back-line finding is left for review
    else:
        done = fix_command(path.name, cwd=path.parent)
        assert done.returncode == ExitCode.FINDINGS, done.stderr
        assert done.stdout == ""
        assert "back-line" in done.stderr
        assert "needs review" in done.stderr


def rules_left(path: Path) -> list[str]:
    result = audit_paths([path])
    assert not any(f.error for f in result.files)
    return [f.rule for f in result.findings]


ROUND_TRIPS = [
    pytest.param(variant, how, id=f"{variant}-{how}")
    for variant in VARIANTS
    for how in ("library", "cli")
    if how == "library" or variant in CLI_VARIANTS
]


@pytest.mark.parametrize(("variant", "how"), ROUND_TRIPS)
def test_markdown_round_trip_changes_only_the_matches(tmp_path: Path, variant: str, how: str) -> None:
    encode = VARIANTS[variant]
    path = tmp_path / "role.md"
    path.write_bytes(encode(MARKDOWN))
    path.chmod(0o640)

    fix_with(how, path)

    assert path.read_bytes() == encode(MARKDOWN_FIXED)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert rules_left(path) == ["back-line"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["role.md"]  # no temporary file left behind


@pytest.mark.parametrize("variant", ["utf8-lf", "utf8-crlf", "cp1252", "utf16-le-bom"])
def test_text_round_trip_changes_only_the_matches(tmp_path: Path, variant: str) -> None:
    encode = VARIANTS[variant]
    path = tmp_path / "thanks.txt"
    path.write_bytes(encode(TEXT))

    fix_with("library", path)

    assert path.read_bytes() == encode(TEXT_FIXED)
    assert rules_left(path) == ["back-line"]


def test_diff_prints_a_unified_diff_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "role.md"
    original = VARIANTS["utf8-crlf"](MARKDOWN)
    path.write_bytes(original)

    done = fix_command("--diff", "role.md", cwd=tmp_path)

    expected = "".join(
        difflib.unified_diff(
            MARKDOWN.splitlines(keepends=True), MARKDOWN_FIXED.splitlines(keepends=True), "role.md", "role.md"
        )
    )
    assert done.stdout == expected
    assert path.read_bytes() == original
    assert done.returncode == ExitCode.FINDINGS
    assert "Would fix 7 findings in 1 file." in done.stderr


def test_diff_of_a_clean_file_is_empty_and_exits_0(tmp_path: Path) -> None:
    (tmp_path / "clean.md").write_text("Our operations team answers every order.\n", encoding="utf-8")

    done = fix_command("--diff", "clean.md", cwd=tmp_path)

    assert (done.returncode, done.stdout) == (ExitCode.OK, "")


def test_everything_fixed_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("Thanks to the Back-Office Team.\n", encoding="utf-8")

    report = fix_paths([path], Config())

    assert report.exit_code == ExitCode.OK
    assert path.read_text(encoding="utf-8") == "Thanks to the Operations Team.\n"
    assert summary(report) == ["Fixed 1 finding in 1 file."]


def test_select_and_ignore_limit_the_rules_fixed(tmp_path: Path) -> None:
    path = tmp_path / "thanks.txt"
    path.write_text(TEXT, encoding="utf-8")

    done = fix_command("--select", "back-end-staff,back-line", "--ignore", "back-line", "thanks.txt", cwd=tmp_path)

    assert done.returncode == ExitCode.OK, done.stderr
    assert path.read_text(encoding="utf-8") == TEXT.replace("back-end team", "operations team")


def test_an_interrupted_write_leaves_the_original_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "role.md"
    original = VARIANTS["utf8-bom"](MARKDOWN)
    path.write_bytes(original)

    def fail(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    report = fix_paths([path], Config())

    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["role.md"]
    assert report.files[0].error == "not changed: No space left on device"
    assert report.exit_code == ExitCode.FINDINGS


def test_a_symbolic_link_stays_a_link_to_the_fixed_file(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("Our back-office team.\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)

    fix_paths([link], Config())

    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "Our operations team.\n"


def test_a_match_broken_over_two_lines_is_left_for_review(tmp_path: Path) -> None:
    text = "Thanks to the back-\noffice staff and the back office.\n"
    path = tmp_path / "wrap.txt"
    path.write_text(text, encoding="utf-8")

    report = fix_paths([path], Config())

    assert path.read_text(encoding="utf-8") == text.replace("the back office.", "the operations team.")
    assert [(u.finding.match, u.reason) for u in report.files[0].unfixed] == [("back-office", SPANS_LINES)]


def test_a_phrase_sharing_its_words_with_the_words_before_it_is_left_for_review(tmp_path: Path) -> None:
    text = (
        "Front- and back-office staff meet.\n"
        "Front and back office teams meet.\n"
        "The front/back office split.\n"
        "Sales and back-office staff meet.\n"
    )
    path = tmp_path / "pairs.txt"
    path.write_text(text, encoding="utf-8")

    report = fix_paths([path], Config())

    assert [(u.finding.line, u.reason) for u in report.files[0].unfixed] == [
        (1, COORDINATED),
        (2, COORDINATED),
        (3, COORDINATED),
    ]
    assert path.read_text(encoding="utf-8").splitlines()[3] == "Sales and operations staff meet."


def test_markup_inside_a_match_is_reported_not_guessed(tmp_path: Path) -> None:
    text = "Our **back**-office team and the back office.\n"
    path = tmp_path / "bold.md"
    path.write_text(text, encoding="utf-8")

    report = fix_paths([path], Config())

    assert path.read_text(encoding="utf-8") == "Our **back**-office team and the operations team.\n"
    (unfixed,) = report.files[0].unfixed
    assert unfixed.finding.match == "back-office"
    assert "does not read" in unfixed.reason


def test_a_file_that_cannot_be_written_back_byte_for_byte_is_left_alone(tmp_path: Path) -> None:
    # One stray cp1252 byte in UTF-8: read with a replacement character, which
    # would replace the byte if the text were written back.
    data = "Our back-office team \u201cnow\u201d.\n".encode().replace("\u201d".encode(), b"\x94")
    path = tmp_path / "stray.txt"
    path.write_bytes(data)

    report = fix_paths([path], Config())

    assert path.read_bytes() == data
    assert report.files[0].error is not None
    assert report.files[0].error == "not changed: cannot be written back byte for byte: some of its bytes are not UTF-8"


def test_a_short_latin1_file_is_fixed_in_latin1(tmp_path: Path) -> None:
    # One accented letter and nothing else outside ASCII: once read as UTF-8
    # with a replacement character, and so refused.
    path = tmp_path / "note.txt"
    path.write_bytes("Our naïve back office team.\n".encode("latin-1"))

    report = fix_paths([path], Config())

    assert report.files[0].error is None
    assert path.read_bytes() == "Our naïve operations team.\n".encode("latin-1")


def test_pdf_and_docx_files_are_named_once_in_the_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # As if no Word applier were registered, whatever the registry holds today.
    monkeypatch.setattr(wordaudit.fix, "_APPLIERS", {"markdown": "text", "text": "text"})
    pdfs = ROOT / "tests" / "fixtures" / "pdf"
    shutil.copyfile(pdfs / "freetext-pdfjs.pdf", tmp_path / "a.pdf")  # no finding
    shutil.copyfile(pdfs / "page-break-contact.pdf", tmp_path / "b.pdf")  # no finding
    (tmp_path / "c.docx").write_bytes(b"not read")
    (tmp_path / "d.md").write_text("The back office.\n", encoding="utf-8")

    report = fix_paths([tmp_path], Config())

    assert summary(report) == [
        "Fixed 1 finding in 1 file.",
        "docx fixing is not available yet; 1 docx file left unchanged.",
        "2 PDF files cannot be fixed; edit their source documents.",
    ]
    assert (tmp_path / "a.pdf").read_bytes() == (pdfs / "freetext-pdfjs.pdf").read_bytes()
    assert report.exit_code == ExitCode.OK


def test_a_pdfs_findings_are_listed_to_be_fixed_in_its_source(tmp_path: Path) -> None:
    pdf = ROOT / "tests" / "fixtures" / "pdf" / "column-break.pdf"
    shutil.copyfile(pdf, tmp_path / "role.pdf")

    report = fix_paths([tmp_path / "role.pdf"], Config())

    assert report.exit_code == ExitCode.FINDINGS  # something is left to fix
    assert summary(report) == [
        "Fixed 0 findings in 0 files.",
        "Left 1 finding unchanged:",
        f'  {tmp_path / "role.pdf"} (page 1, line 6): back-line "back line": cannot be fixed in a PDF: change the'
        " document it was made from",
        "1 PDF file cannot be fixed; edit their source documents.",
    ]
    assert (tmp_path / "role.pdf").read_bytes() == pdf.read_bytes()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("The back office.\n", encoding="utf-8")

    unknown_rule = fix_command("--select", "no-such-rule", "a.md", cwd=tmp_path)
    no_terminal = subprocess.run(
        [sys.executable, "-m", "wordaudit", "fix", "--interactive", "a.md"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )

    assert unknown_rule.returncode == ExitCode.USAGE
    assert "unknown rule 'no-such-rule'" in unknown_rule.stderr
    assert no_terminal.returncode == ExitCode.USAGE
    assert "--interactive needs a terminal" in no_terminal.stderr
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == "The back office.\n"


@pytest.mark.parametrize(
    ("article", "replacement", "expected"),
    [
        ("a", "operations", "an"),
        ("A", "Operations", "An"),
        ("A", "OPERATIONS", "AN"),
        ("an", "customer-impacting", "a"),
        ("An", "Service specialist", "A"),
        ("a", "customer-impacting", "a"),
        ("a", "user-facing", "a"),  # the sound decides, so leave it
        ("an", "hour-long", "an"),
        ("a", "one-stop", "a"),
    ],
)
def test_fitted_article(article: str, replacement: str, expected: str) -> None:
    assert fitted_article(article, replacement) == expected


def test_an_article_that_is_a_name_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "teams.md"
    path.write_text(
        "Team A back-office staff and a back-office role.\n\n# Roles\nA back-office role.\n", encoding="utf-8"
    )

    fix_paths([path], Config())

    assert path.read_text(encoding="utf-8") == (
        "Team A operations staff and an operations role.\n\n# Roles\nAn operations role.\n"
    )


def test_report_exit_code_counts_pending_changes_under_diff() -> None:
    assert FixReport((), written=False).exit_code == ExitCode.OK


def test_titles_of_links_and_references_are_fixed_in_place(tmp_path: Path) -> None:
    path = tmp_path / "links.md"
    path.write_text(
        'See [the team](https://x.example "Our back office\n  team") and [roles][r].\n\n'
        '[r]: https://backoffice.example "The \\"back-office\\" roles"\n',
        encoding="utf-8",
    )
    report = fix_paths([path], Config())
    assert report.exit_code == ExitCode.OK
    assert path.read_text(encoding="utf-8") == (
        'See [the team](https://x.example "Our operations\n  team") and [roles][r].\n\n'
        '[r]: https://backoffice.example "The \\"operations\\" roles"\n'
    )


# Characters that show nothing, between a phrase's words.
ZERO_WIDTH = {"zwsp": "\u200b", "zwnj": "\u200c", "zwj": "\u200d", "word-joiner": "\u2060", "zwnbsp": "\ufeff"}


@pytest.mark.parametrize("fmt", ["txt", "md"])
@pytest.mark.parametrize("char", list(ZERO_WIDTH.values()), ids=list(ZERO_WIDTH))
def test_a_zero_width_character_between_the_words_hides_nothing(tmp_path: Path, char: str, fmt: str) -> None:
    path = tmp_path / f"team.{fmt}"
    path.write_text(f"Thanks to\nour back{char}office team.\n", encoding="utf-8")

    (finding,) = audit_paths([path]).findings

    # The report points at the characters as they are, the invisible one included.
    assert (finding.rule, finding.line, finding.column, finding.end_column) == ("back-office", 2, 5, 16)
    assert finding.match == f"back{char}office"
    fix_paths([path], Config())
    assert path.read_text(encoding="utf-8") == "Thanks to\nour operations team.\n"


def test_toml_front_matter_is_fixed_inside_its_values_only(tmp_path: Path) -> None:
    path = tmp_path / "hugo.md"
    path.write_text(
        '+++\ntitle = "Back Office Lead"\n# back office comment\n[extra]\nback-office = "value"\n'
        "tags = ['our back office']\n+++\n\nBody.\n",
        encoding="utf-8",
    )

    report = fix_paths([path], Config())

    assert report.exit_code == ExitCode.OK
    assert path.read_text(encoding="utf-8") == (
        '+++\ntitle = "Operations Lead"\n# back office comment\n[extra]\nback-office = "value"\n'
        "tags = ['our operations team']\n+++\n\nBody.\n"
    )


def test_a_cell_with_an_escaped_pipe_is_fixed_in_place(tmp_path: Path) -> None:
    path = tmp_path / "table.md"
    path.write_text(
        "| h | i |\n|---|---|\n| x \\| y back office | z |\n| back office \\| more | z |\n", encoding="utf-8"
    )

    report = fix_paths([path], Config())

    assert report.exit_code == ExitCode.OK
    assert path.read_text(encoding="utf-8") == (
        "| h | i |\n|---|---|\n| x \\| y operations team | z |\n| operations team \\| more | z |\n"
    )


def test_a_wrapped_yaml_value_is_fixed_on_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text(
        "---\ndescription: >\n  We thank our\n  back-office staff.\nplain: a back office\n  role\n---\n",
        encoding="utf-8",
    )

    report = fix_paths([path], Config())

    assert report.exit_code == ExitCode.OK
    assert path.read_text(encoding="utf-8") == (
        "---\ndescription: >\n  We thank our\n  operations staff.\nplain: an operations\n  role\n---\n"
    )


def test_the_article_is_fitted_across_markup_and_a_line_break(tmp_path: Path) -> None:
    path = tmp_path / "articles.md"
    path.write_bytes(
        b"Here is a *back office* role, a <b>back office</b> role and a [back office](/ops) role.\n\n"
        b"We need a\r\nback office role.\n\n"
        b"Not a\n\nback office paragraph, nor a*back office* word, nor <a>back office</a>.\n"
    )

    report = fix_paths([path], Config())

    assert report.exit_code == ExitCode.OK
    assert path.read_bytes() == (
        b"Here is an *operations* role, an <b>operations</b> role and an [operations](/ops) role.\n\n"
        b"We need an\r\noperations role.\n\n"
        b"Not a\n\noperations team paragraph, nor a*back office* word, nor <a>operations team</a>.\n"
    )
