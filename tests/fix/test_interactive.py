"""`wordaudit fix --interactive`, driven as a person would: in a pseudo-terminal.

The pty tests run the real command (stdin is a terminal there, as the
command requires); the reviewer tests feed answers to the same class
directly, for the keys the pty tests do not press.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest
from rich.console import Console

from conftest import Script
from wordaudit.config import Config
from wordaudit.fix import fix_paths
from wordaudit.fix.interactive import TerminalReviewer
from wordaudit.model import ExitCode

pexpect = pytest.importorskip("pexpect")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

NOTE = """\
Our back-office team answers every order.
The non-customer-facing desk opens at nine.
Thanks to the behind-the-scenes staff.
"""


def spawn(*args: str, cwd: Path) -> pexpect.spawn:
    # TERM=dumb: rich then writes plain text, so what is expected is what is seen.
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "200"}
    return pexpect.spawn(
        sys.executable,
        ["-m", "wordaudit", "fix", "--interactive", *args],
        cwd=str(cwd),
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 200),
    )


def answer(child: pexpect.spawn, heading: str, key: str) -> None:
    child.expect_exact(heading)
    child.expect_exact("> ")
    child.sendline(key)


def finish(child: pexpect.spawn) -> tuple[int, str]:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before


def test_accept_one_skip_one_quit(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(NOTE, encoding="utf-8")
    child = spawn("note.md", cwd=tmp_path)

    child.expect_exact("[1/3] note.md:1:5  back-office")
    child.expect_exact("2) customer-impacting")
    answer(child, "q: quit", "2")
    answer(child, "[2/3] note.md:2:5  non-customer-facing", "s")
    answer(child, "[3/3] note.md:3:15  behind-the-scenes", "q")
    status, tail = finish(child)

    assert path.read_text(encoding="utf-8") == NOTE.replace("back-office team", "customer-impacting team")
    assert status == ExitCode.FINDINGS
    assert "Fixed 1 finding in 1 file." in tail


def test_typed_wording_and_skipping_a_rule(tmp_path: Path) -> None:
    path = tmp_path / "jobs.txt"
    path.write_text(
        "We need a staff recruiter.\nThe back office is busy.\nAsk the back office.\nA food service clerk helps.\n",
        encoding="utf-8",
    )
    child = spawn("jobs.txt", cwd=tmp_path)

    answer(child, "[1/4] jobs.txt:1:11  role-titles", "e")
    child.expect_exact("New wording (empty to go back): ")
    child.sendline("people partner")
    answer(child, "[2/4] jobs.txt:2:5  back-office", "r")  # and so the back office of line 3 too
    answer(child, "[4/4] jobs.txt:4:3  role-titles", "9")  # no such suggestion: asked again
    child.expect_exact("Type 1-1, e, s, r or q.")
    child.expect_exact("> ")
    child.sendline("1")
    status, _ = finish(child)

    # Typed wording keeps the writer's article; a suggestion gets the one it needs.
    assert path.read_text(encoding="utf-8") == (
        "We need a people partner.\nThe back office is busy.\nAsk the back office.\nA barista helps.\n"
    )
    assert status == ExitCode.FINDINGS


def test_quitting_in_the_first_file_leaves_the_next_unreviewed(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("The back office.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("The back office.\n", encoding="utf-8")
    child = spawn(".", cwd=tmp_path)

    answer(child, "[1/1] a.md:1:5  back-office", "1")
    child.expect_exact("[1/1] b.md:1:5  back-office")
    child.expect_exact("> ")
    child.sendeof()  # Ctrl-D: like q
    status, tail = finish(child)

    assert (tmp_path / "a.md").read_text(encoding="utf-8") == "The operations team.\n"
    assert (tmp_path / "b.md").read_text(encoding="utf-8") == "The back office.\n"
    assert status == ExitCode.FINDINGS
    assert "not reviewed" in tail


def review(tmp_path: Path, text: str, *answers: str) -> tuple[str, str]:
    path = tmp_path / "doc.md"
    path.write_text(text, encoding="utf-8")
    shown = io.StringIO()
    reviewer = TerminalReviewer(Console(file=shown, width=120, color_system=None), Script(*answers))
    fix_paths([path], Config(), reviewer=reviewer)
    return path.read_text(encoding="utf-8"), shown.getvalue()


def test_reviewer_shows_place_context_suggestions_and_keys(tmp_path: Path) -> None:
    _, shown = review(tmp_path, "He has been working in the back line for years.\n", "s")

    assert "[1/1] " in shown
    assert "doc.md:1:28  back-line" in shown
    assert "He has been working in the back line for years." in shown
    assert "needs review: the better wording depends on the sentence" in shown
    assert "1) customer-impacting teams" in shown
    assert "e: type other wording" in shown


def test_on_a_narrow_terminal_wrapped_lines_keep_their_indent(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text("He has been working in the back line for years, answering every call.\n", encoding="utf-8")
    shown = io.StringIO()
    reviewer = TerminalReviewer(Console(file=shown, width=40, color_system=None), Script("s"))
    fix_paths([path], Config(), reviewer=reviewer)

    output = shown.getvalue()
    body = output[output.index("  He has been") :].splitlines()
    lines = [line for line in body if line.strip() and not line.startswith(">")]
    assert len(lines) > 8  # the message, the reason and the keys wrapped
    assert all(line.startswith("  ") and len(line.rstrip()) <= 40 for line in lines), lines
    assert " ".join(lines).count("q: quit") == 1


def test_reviewer_empty_wording_goes_back_to_the_question(tmp_path: Path) -> None:
    text, _ = review(tmp_path, "The back office.\n", "e", "  ", "3")

    assert text == "The customer operations.\n"


def test_reviewer_end_of_input_keeps_what_was_accepted(tmp_path: Path) -> None:
    text, _ = review(tmp_path, "The back office.\nOur back-office team.\n", "1")

    assert text == "The operations team.\nOur back-office team.\n"


def test_the_occurrence_under_review_is_the_one_highlighted(tmp_path: Path) -> None:
    # A line holding the phrase twice: the second question shows the second.
    path = tmp_path / "doc.md"
    path.write_text("The back office and our back office team.\n", encoding="utf-8")
    shown = io.StringIO()
    console = Console(file=shown, width=200, force_terminal=True, color_system="standard")
    fix_paths([path], Config(), reviewer=TerminalReviewer(console, Script("s", "s")))

    reverse = "\x1b[1;7m"  # bold reverse, as rich writes it
    questions = shown.getvalue().split("[2/2]")
    assert f"The {reverse}back office" in questions[0]
    assert f"our {reverse}back office" in questions[1]
