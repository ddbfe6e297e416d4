from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wordaudit.discover import discover


def _tree(root: Path, files: list[str]) -> None:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("back office\n", encoding="utf-8")


def test_walk_picks_known_suffixes_sorted_and_skips_hidden_vendored_and_venvs(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        [
            "b.md",
            "a.txt",
            "sub/c.markdown",
            "sub/d.py",
            ".hidden/e.md",
            "node_modules/f.md",
            "venv/g.md",
            "myenv/pyvenv.cfg",
            "myenv/h.md",
            "Z.MD",
            "report.pdf",
            "job.docx",
        ],
    )
    found = discover([str(tmp_path)])
    assert [s.display for s in found.sources] == ["Z.MD", "a.txt", "b.md", "job.docx", "report.pdf", "sub/c.markdown"]
    assert [s.format for s in found.sources] == ["markdown", "text", "markdown", "docx", "pdf", "markdown"]
    assert found.warnings == []  # source code is no document: passed over unsaid


def test_documents_in_formats_not_read_are_counted_in_one_warning(tmp_path: Path) -> None:
    # An HR folder holds old .doc files beside .docx: not audited, and said so.
    _tree(
        tmp_path,
        ["jobs/clerk.doc", "jobs/cook.doc", "jobs/old/lead.DOC", "jobs/terms.rtf", "jobs/plan.odt", "jobs/ok.docx"],
    )
    (tmp_path / ".gitignore").write_text("old/\n", encoding="utf-8")
    found = discover([str(tmp_path)], exclude=["*.odt"])
    root = tmp_path.as_posix()
    assert [s.display for s in found.sources] == ["jobs/ok.docx"]
    assert found.warnings == [
        "3 documents not audited, in formats wordaudit does not read: 2 old binary Word documents (.doc),"
        f" 1 rich text document (.rtf) (first: {root}/jobs/clerk.doc); save as .docx or PDF to audit"
    ]


def test_text_formats_not_read_are_named_with_the_mapping_that_reads_them(tmp_path: Path) -> None:
    # A policy repository in reStructuredText or AsciiDoc must not pass a
    # check unaudited and unsaid.
    _tree(tmp_path, ["docs/index.rst", "docs/roles.rst", "docs/team.adoc", "site/page.html", "jobs/clerk.doc"])
    found = discover([str(tmp_path)])
    assert found.sources == []
    assert found.warnings == [
        "5 documents not audited, in formats wordaudit does not read: 1 AsciiDoc file (.adoc),"
        " 1 HTML page (.html), 1 old binary Word document (.doc), 2 reStructuredText files (.rst)"
        f" (first: {tmp_path.as_posix()}/docs/index.rst); save as .docx or PDF, or map text formats under"
        ' [formats] in wordaudit.toml (adoc = "text", html = "markdown", rst = "text") to audit'
    ]
    mapped = discover([str(tmp_path)], formats={".rst": "text", ".adoc": "text", ".html": "markdown"})
    assert sorted(s.display for s in mapped.sources) == [
        "docs/index.rst",
        "docs/roles.rst",
        "docs/team.adoc",
        "site/page.html",
    ]
    assert mapped.warnings[0].startswith("1 document not audited")


def test_gitignore_honoured_unless_disabled(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("drafts/\n*.txt\n!keep.txt\n", encoding="utf-8")
    _tree(tmp_path, ["docs/a.md", "docs/drafts/b.md", "docs/c.txt", "docs/keep.txt", "docs/sub/.gitignore"])
    (tmp_path / "docs/sub/.gitignore").write_text("x.md\n", encoding="utf-8")
    _tree(tmp_path, ["docs/sub/x.md", "docs/sub/y.md"])
    found = discover([str(tmp_path / "docs")])
    assert [s.display for s in found.sources] == ["a.md", "keep.txt", "sub/y.md"]
    everything = discover([str(tmp_path / "docs")], use_gitignore=False)
    assert len(everything.sources) == 6


def test_exclude_globs(tmp_path: Path) -> None:
    _tree(tmp_path, ["a.md", "archive/old.md", "b.txt"])
    found = discover([str(tmp_path)], exclude=["archive/", "*.txt"])
    assert [s.display for s in found.sources] == ["a.md"]


def test_exclude_patterns_are_relative_to_their_base_whichever_folder_is_walked(tmp_path: Path) -> None:
    _tree(tmp_path, ["docs/a.md", "docs/archive/old.md", "docs/sub/archive/deep.md", "other/archive/x.md"])
    anchored = ["docs/archive/"]
    for named in (tmp_path, tmp_path / "docs"):
        found = discover([str(named)], exclude=anchored, exclude_base=tmp_path)
        assert not any("old.md" in s.display for s in found.sources), named
        assert any("deep.md" in s.display for s in found.sources)
    # The same pattern is no match below another base; a bare name is one at any depth.
    found = discover([str(tmp_path / "docs")], exclude=anchored, exclude_base=tmp_path / "other")
    assert [s.display for s in found.sources] == ["a.md", "archive/old.md", "sub/archive/deep.md"]
    found = discover([str(tmp_path / "docs")], exclude=["archive/"], exclude_base=tmp_path / "other")
    assert [s.display for s in found.sources] == ["a.md"]


def test_the_configuration_excludes_apply_from_a_subfolder_and_command_line_ones_from_here(tmp_path: Path) -> None:
    _tree(tmp_path, ["docs/a.md", "docs/archive/old.md", "drafts/d.md"])
    (tmp_path / "wordaudit.toml").write_text('exclude = ["docs/archive/"]\n', encoding="utf-8")
    scanned = [
        _scanned(["docs"], tmp_path),
        _scanned(["."], tmp_path / "docs"),
        _scanned([str(tmp_path / "docs")], tmp_path / "drafts"),
    ]
    assert scanned == [["a.md"]] * 3  # paths are relative to the folder named
    # --exclude is relative to the current folder (and replaces the file's list).
    assert _scanned(["docs", "--exclude", "docs/a.md"], tmp_path) == ["archive/old.md"]
    assert _scanned([".", "--exclude", "archive/old.md"], tmp_path / "docs") == ["a.md"]


def _scanned(arguments: list[str], cwd: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "wordaudit", "scan", "--format", "json", "--no-cache", *arguments],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return [file["path"] for file in json.loads(done.stdout)["files"]]


def test_named_file_is_scanned_as_named_even_if_it_would_be_skipped(tmp_path: Path) -> None:
    _tree(tmp_path, [".hidden/e.md", "notes.rst"])
    found = discover([str(tmp_path / ".hidden/e.md"), str(tmp_path / "notes.rst")])
    assert [(s.display, s.format) for s in found.sources] == [
        (str(tmp_path / ".hidden/e.md"), "markdown"),
        (str(tmp_path / "notes.rst"), "unknown"),
    ]


def test_missing_path_is_reported_not_fatal(tmp_path: Path) -> None:
    _tree(tmp_path, ["a.md"])
    found = discover([str(tmp_path / "nope.md"), str(tmp_path)])
    assert [s.display for s in found.sources] == ["a.md"]
    assert found.warnings == []  # listed once, as the file's error
    assert [(s.display, why) for s, why in found.missing] == [(f"{tmp_path}/nope.md", "no such file or folder")]


def test_symlink_loop_is_a_warning(tmp_path: Path) -> None:
    _tree(tmp_path, ["docs/a.md"])
    os.symlink(tmp_path / "docs", tmp_path / "docs" / "loop")
    found = discover([str(tmp_path / "docs")])
    assert [s.display for s in found.sources] == ["a.md"]
    assert any("symbolic link loop" in w for w in found.warnings)


def test_a_loop_through_two_links_is_a_warning_and_a_link_elsewhere_is_walked(tmp_path: Path) -> None:
    # a/to-b -> b, b/to-a -> a: the loop is met two links down. A link to a
    # folder outside the walk is walked like any folder.
    _tree(tmp_path, ["root/a/one.md", "root/b/two.md", "shared/three.md"])
    os.symlink(tmp_path / "root" / "b", tmp_path / "root" / "a" / "to-b")
    os.symlink(tmp_path / "root" / "a", tmp_path / "root" / "b" / "to-a")
    os.symlink(tmp_path / "shared", tmp_path / "root" / "shared")
    found = discover([str(tmp_path / "root")])
    assert [s.display for s in found.sources] == [
        "a/one.md",
        "a/to-b/two.md",
        "b/to-a/one.md",
        "b/two.md",
        "shared/three.md",
    ]
    assert sorted(w.split(":")[0] for w in found.warnings) == [
        f"{tmp_path}/root/a/to-b/to-a",
        f"{tmp_path}/root/b/to-a/to-b",
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_unreadable_folder_is_a_warning(tmp_path: Path) -> None:
    _tree(tmp_path, ["ok.md", "locked/x.md"])
    (tmp_path / "locked").chmod(0)
    try:
        found = discover([str(tmp_path)])
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert [s.display for s in found.sources] == ["ok.md"]
    assert any("permission denied" in w for w in found.warnings)


def test_a_folder_is_a_virtual_environment_only_if_its_pyvenv_cfg_exists(tmp_path: Path) -> None:
    _tree(tmp_path, ["real/x.md", "linked/y.md"])
    (tmp_path / "real" / "pyvenv.cfg").write_text("", encoding="utf-8")
    os.symlink(tmp_path / "missing.cfg", tmp_path / "linked" / "pyvenv.cfg")
    assert [s.display for s in discover([str(tmp_path)]).sources] == ["linked/y.md"]
    # A folder named on the command line is scanned even if it is one.
    assert [s.display for s in discover([str(tmp_path / "real")]).sources] == ["x.md"]


def test_a_gitignore_in_a_subfolder_applies_below_it_only(tmp_path: Path) -> None:
    _tree(tmp_path, ["a.md", "sub/a.md", "sub/deeper/a.md", "other/a.md"])
    (tmp_path / "sub" / ".gitignore").write_text("deeper/\n", encoding="utf-8")
    (tmp_path / "other" / ".gitignore").mkdir()  # a folder, not an ignore file
    found = discover([str(tmp_path)])
    assert [s.display for s in found.sources] == ["a.md", "other/a.md", "sub/a.md"]
    assert found.warnings == []


def test_paths_walked_from_the_current_folder_are_given_as_a_path_names_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "docs/a.md", not "./docs/a.md": reports and CI annotations name the file as git does.
    _tree(tmp_path, ["docs/a.md", "b.md"])
    monkeypatch.chdir(tmp_path)
    found = discover(["."])
    assert [(s.fs_path, s.display) for s in found.sources] == [("b.md", "b.md"), ("docs/a.md", "docs/a.md")]
    found = discover(["./docs/"])
    assert [s.fs_path for s in found.sources] == ["docs/a.md"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_a_named_pipe_in_a_tree_is_passed_over_with_a_warning_never_opened(tmp_path: Path) -> None:
    # Opening a named pipe waits for a writer: the scan hung for ever.
    _tree(tmp_path, ["a.md"])
    os.mkfifo(tmp_path / "pipe.md")
    os.mkfifo(tmp_path / "pipe.log")  # not a format wordaudit reads: passed over unsaid
    found = discover([str(tmp_path)])
    assert [s.display for s in found.sources] == ["a.md"]
    assert found.warnings == [f"{tmp_path}/pipe.md: not a regular file (a named pipe), not read"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_a_named_pipe_named_on_the_command_line_is_its_own_error(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    os.symlink(tmp_path / "pipe.md", tmp_path / "link.md")
    found = discover([str(tmp_path / "pipe.md"), str(tmp_path / "link.md")])
    assert found.sources == []
    assert [why for _, why in found.missing] == ["not a regular file (a named pipe)"] * 2


def test_a_name_that_cannot_be_printed_is_shown_escaped_and_still_read(tmp_path: Path) -> None:
    # A byte that is not UTF-8 (a name from an old Windows share) crashed the cache
    # (SQLite refuses lone surrogates), the fingerprints and the Excel report; a line
    # break in a name split the line format's line in two.
    names = [b"caf\xe9 menu.md", b"new\nline.md", "r\u00e9sum\u00e9.md".encode()]
    for name in names:
        (Path(os.fsdecode(bytes(tmp_path)) + "/" + os.fsdecode(name))).write_text("The back office.\n")
    found = discover([str(tmp_path)])
    assert [s.display.split("/")[-1] for s in found.sources] == [
        "caf\\xe9 menu.md",
        "new\\nline.md",
        "r\u00e9sum\u00e9.md",
    ]
    assert all(os.path.exists(s.fs_path) for s in found.sources)

    for form in ("json", "line", "sarif", "gitlab", "xlsx"):
        done = subprocess.run(
            [sys.executable, "-m", "wordaudit", "scan", ".", "--format", form],
            capture_output=True,
            cwd=tmp_path,
            env={**os.environ, "LC_ALL": "C.UTF-8", "PYTHONUTF8": "0"},
            check=False,
        )
        assert done.returncode == 1, (form, done.stderr.decode(errors="replace")[-1500:])
        assert b"Traceback" not in done.stderr
        if form == "line":
            assert sorted(done.stdout.decode().splitlines())[0].startswith("caf\\xe9 menu.md:1:5: warning back-office")
            assert len(done.stdout.decode().splitlines()) == 3
        if form == "json":
            assert sorted(f["path"] for f in json.loads(done.stdout)["findings"]) == [
                "caf\\xe9 menu.md",
                "new\\nline.md",
                "r\u00e9sum\u00e9.md",
            ]
    # The cache holds the other files' answers: a second scan reads only the one it cannot hold.
    again = subprocess.run(
        [sys.executable, "-m", "wordaudit", "scan", ".", "--format", "json"], capture_output=True, cwd=tmp_path
    )
    assert json.loads(again.stdout)["warnings"] == []


def test_a_link_to_nothing_in_a_folder_is_named_as_one_whatever_its_format(tmp_path: Path) -> None:
    from wordaudit.api import audit_paths

    for name in ("gone.md", "gone.docx", "gone.pdf"):
        os.symlink(tmp_path / "nowhere" / name, tmp_path / name)
    (tmp_path / "ok.md").write_text("All clear.\n", encoding="utf-8")
    result = audit_paths([tmp_path])
    errors = {f.path: f.error for f in result.files}
    assert errors == {
        "gone.docx": "a broken symbolic link",
        "gone.md": "a broken symbolic link",
        "gone.pdf": "a broken symbolic link",
        "ok.md": None,
    }
