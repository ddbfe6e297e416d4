"""The results cache: warm scans read nothing, and never give a wrong answer."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

from wordaudit import cache, textio
from wordaudit.api import audit_paths_with
from wordaudit.config import Config
from wordaudit.model import FileResult, Source


def _scan(root: Path) -> list[tuple[str, str, int]]:
    result = audit_paths_with([root], Config(source=root / "wordaudit.toml"), use_cache=True)
    return [(f.path, f.rule, f.line) for f in result.findings]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "wordaudit.toml").write_text("", encoding="utf-8")
    (tmp_path / "a.md").write_text("The back office.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Clean text.\n", encoding="utf-8")
    return tmp_path


def test_warm_scan_reads_no_file_and_gives_the_same_findings(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cold = _scan(tree)
    assert (tree / ".wordaudit_cache" / "cache.sqlite3").exists()
    reads: list[Path] = []
    original = textio.read_bytes
    monkeypatch.setattr(textio, "read_bytes", lambda p: reads.append(p) or original(p))
    assert _scan(tree) == cold == [("a.md", "back-office", 1)]
    assert reads == []


def test_a_changed_file_is_read_again(tree: Path) -> None:
    _scan(tree)
    (tree / "b.txt").write_text("Now a back line team.\n", encoding="utf-8")
    assert _scan(tree) == [("a.md", "back-office", 1), ("b.txt", "back-line", 1)]


def test_other_rules_do_not_reuse_results(tree: Path) -> None:
    _scan(tree)
    result = audit_paths_with([tree], Config(source=tree / "wordaudit.toml", ignore=("back-office",)), use_cache=True)
    assert result.findings == ()


def test_changed_code_does_not_reuse_results(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An editable install (or a build from a branch) changes wordaudit's code
    # without a new version number; so may an upgrade of spaCy. Results stored
    # by other code are not reused: the file is read again.
    _scan(tree)
    reads: list[Path] = []
    original = textio.read_bytes
    monkeypatch.setattr(textio, "read_bytes", lambda p: reads.append(p) or original(p))
    stamps = cache.code_stamps()
    monkeypatch.setattr(cache, "code_stamps", lambda: [*stamps[:-1], (stamps[-1][0], stamps[-1][1] + 1, 0)])
    assert _scan(tree) == [("a.md", "back-office", 1)]
    assert tree / "a.md" in reads


def test_code_stamps_cover_wordaudit_and_the_libraries_it_reads_with() -> None:
    names = [name for name, _, _ in cache.code_stamps()]
    assert "/match.py" in names
    assert os.path.join("/extract", "pdf_layout.py") in names
    assert "spacy" in names


def test_a_corrupt_cache_is_ignored_with_a_warning(tree: Path) -> None:
    _scan(tree)
    database = tree / ".wordaudit_cache" / "cache.sqlite3"
    for suffix in ("-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)
    database.write_bytes(b"this is not a database" * 100)
    result = audit_paths_with([tree], Config(source=tree / "wordaudit.toml"), use_cache=True)
    assert [(f.path, f.rule) for f in result.findings] == [("a.md", "back-office")]
    assert any("cache disabled" in w for w in result.warnings)


def test_cache_clear_command(tree: Path) -> None:
    import subprocess
    import sys

    _scan(tree)
    assert list((tree / ".wordaudit_cache" / "packs").glob("*.json"))
    done = subprocess.run(
        [sys.executable, "-m", "wordaudit", "cache", "clear"], cwd=tree, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert not (tree / ".wordaudit_cache" / "cache.sqlite3").exists()
    assert not (tree / ".wordaudit_cache" / "packs").exists()


def test_files_with_the_same_cached_result_keep_their_own_paths(tree: Path) -> None:
    # Two contents, one stored result: the warm scan decodes it once and must
    # still give each file its own findings.
    (tree / "c.md").write_text("The back office.\n\n", encoding="utf-8")
    cold = _scan(tree)
    assert _scan(tree) == cold == [("a.md", "back-office", 1), ("c.md", "back-office", 1)]


def test_a_file_touched_but_unchanged_keeps_its_findings(tree: Path) -> None:
    import os

    _scan(tree)
    stat = (tree / "a.md").stat()
    os.utime(tree / "a.md", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert _scan(tree) == [("a.md", "back-office", 1)]


def test_a_file_rewritten_with_its_size_and_modification_time_kept_is_read_again(tree: Path) -> None:
    # touch -r, an archive tool or a sync may set a changed file's modification
    # time back; its change time (ctime) moves on all the same.
    import os

    path = tree / "a.md"
    _scan(tree)
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("back", "fron"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    assert _scan(tree) == []


def test_the_same_bytes_read_as_another_format_are_not_given_its_result(tmp_path: Path) -> None:
    # A code span hides the phrase in markdown, not in plain text.
    (tmp_path / "wordaudit.toml").write_text("", encoding="utf-8")
    text = "Code `back office` here.\n"
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    for order in ([tmp_path / "a.md", tmp_path / "a.txt"], [tmp_path / "a.txt", tmp_path / "a.md"]):
        for _ in range(2):  # cold, then warm
            result = audit_paths_with(order, Config(source=tmp_path / "wordaudit.toml"), use_cache=True)
            assert [(Path(f.path).name, f.rule) for f in result.findings] == [("a.txt", "back-office")]


def test_an_unsupported_file_with_the_bytes_of_a_scanned_one_is_still_refused(tree: Path) -> None:
    (tree / "a.rst").write_bytes((tree / "a.md").read_bytes())
    _scan(tree)
    result = audit_paths_with([tree / "a.rst"], Config(source=tree / "wordaudit.toml"), use_cache=True)
    assert result.findings == ()
    [only] = result.files
    assert only.error is not None
    assert "unsupported" in only.error


def test_a_cache_of_the_previous_schema_is_emptied_and_used(tree: Path) -> None:
    import sqlite3

    _scan(tree)
    database = tree / ".wordaudit_cache" / "cache.sqlite3"
    with contextlib.closing(sqlite3.connect(database)) as old:
        old.executescript(
            "DROP TABLE files; CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER,"
            " inode INTEGER, hash TEXT); UPDATE meta SET value='4' WHERE name='schema';"
        )
    result = audit_paths_with([tree], Config(source=tree / "wordaudit.toml"), use_cache=True)
    assert result.warnings == ()
    assert [(f.path, f.rule) for f in result.findings] == [("a.md", "back-office")]
    assert _rows(tree)["files"] >= 1


def test_a_file_changed_back_finds_the_result_stored_for_its_old_content(tree: Path) -> None:
    (tree / "b.txt").write_text("Now a back line team.\n", encoding="utf-8")
    _scan(tree)
    (tree / "b.txt").write_text("Clean text.\n", encoding="utf-8")
    assert _scan(tree) == [("a.md", "back-office", 1)]
    (tree / "b.txt").write_text("Now a back line team.\n", encoding="utf-8")
    assert _scan(tree) == [("a.md", "back-office", 1), ("b.txt", "back-line", 1)]


def _rows(root: Path) -> dict[str, int]:
    import sqlite3

    db = sqlite3.connect(root / ".wordaudit_cache" / "cache.sqlite3")
    try:
        return {
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ("files", "results", "used")
        }
    finally:
        db.close()


def _scan_at(root: Path, seconds: float, monkeypatch: pytest.MonkeyPatch, **settings: object) -> None:
    monkeypatch.setattr("wordaudit.cache.time.time", lambda: seconds)
    audit_paths_with([root], Config(source=root / "wordaudit.toml", **settings), use_cache=True)  # type: ignore[arg-type]


def test_results_no_scan_used_for_thirty_days_are_deleted(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    day = 86400.0
    start = 1_800_000_000.0
    _scan_at(tree, start, monkeypatch, ignore=("back-line",))
    _scan_at(tree, start + 1, monkeypatch)
    assert _rows(tree) == {"files": 2, "results": 4, "used": 2}
    # Only the other set is used for a month and more: the first goes.
    (tree / "c.md").write_text("Our back line.\n", encoding="utf-8")
    _scan_at(tree, start + 20 * day, monkeypatch)
    _scan_at(tree, start + 31 * day, monkeypatch)
    assert _rows(tree) == {"files": 3, "results": 3, "used": 1}
    assert _scan(tree) == [("a.md", "back-office", 1), ("c.md", "back-line", 1)]
    # A file gone from the tree is forgotten by the next upkeep; its content's
    # result goes with its set.
    (tree / "c.md").unlink()
    _scan_at(tree, start + 40 * day, monkeypatch)
    assert _rows(tree) == {"files": 2, "results": 3, "used": 1}
    _scan_at(tree, start + 71 * day, monkeypatch, ignore=("back-line",))
    assert _rows(tree) == {"files": 2, "results": 2, "used": 1}


def test_the_rows_of_files_gone_from_the_tree_are_deleted_within_the_hour(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Deleted and renamed files must not grow the cache for ever, and no
    # file that is still there, scanned this time or not, loses its row.
    start = 1_800_000_000.0
    (tree / "docs").mkdir()
    (tree / "docs" / "kept.md").write_text("Kept.\n", encoding="utf-8")
    (tree / "old.md").write_text("Our back office.\n", encoding="utf-8")
    _scan_at(tree, start, monkeypatch)
    assert _rows(tree)["files"] == 4
    (tree / "old.md").rename(tree / "new.md")
    _scan_at(tree, start + 60, monkeypatch)
    assert _rows(tree)["files"] == 5  # a rescan within the hour deletes nothing
    monkeypatch.setattr("wordaudit.cache.time.time", lambda: start + 7200)
    audit_paths_with([tree / "a.md", tree / "b.txt"], Config(source=tree / "wordaudit.toml"), use_cache=True)
    assert _rows(tree)["files"] == 4
    assert _scan(tree) == [("a.md", "back-office", 1), ("new.md", "back-office", 1)]
    assert _paths(tree) == sorted(str(tree / name) for name in ("a.md", "b.txt", "docs/kept.md", "new.md"))


def test_the_rows_of_a_tree_no_scan_looks_at_again_are_deleted_in_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A CI job checks out at a new path each run and keeps the cache folder:
    # the old checkouts' rows lie outside every folder scanned after them.
    shared = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared))
    monkeypatch.setattr(cache, "_SWEPT_ELSEWHERE", 3)
    runs = []
    for number in range(3):
        checkout = tmp_path / f"run-{number}"
        checkout.mkdir()
        for name in ("a.md", "b.md", "c.md"):
            (checkout / name).write_text(f"Our back office, {name}.\n", encoding="utf-8")
        runs.append(checkout)
    kept = tmp_path / "elsewhere" / "kept.md"
    kept.parent.mkdir()
    kept.write_text("Kept.\n", encoding="utf-8")
    start = 1_800_000_000.0
    for offset, root in enumerate([kept.parent, *runs]):
        monkeypatch.setattr("wordaudit.cache.time.time", lambda at=start + offset: at)
        audit_paths_with([root], Config(), use_cache=True)
    database = shared / "wordaudit" / "cache.sqlite3"
    assert len(_paths_in(database)) == 10
    for root in runs[:2]:
        for child in root.iterdir():
            child.unlink()
        root.rmdir()
    # Each hourly upkeep of a scan of the last checkout checks the next three
    # rows in key order ("elsewhere" first), and starts again after the last.
    seen = []
    for hour in range(1, 5):
        monkeypatch.setattr("wordaudit.cache.time.time", lambda at=start + hour * 3600: at)
        audit_paths_with([runs[2]], Config(), use_cache=True)
        seen.append(len(_paths_in(database)))
    assert seen == [8, 5, 4, 4]
    assert _paths_in(database) == sorted([str(kept), *(str(runs[2] / n) for n in ("a.md", "b.md", "c.md"))])


def _paths_in(database: Path) -> list[str]:
    import sqlite3

    db = sqlite3.connect(database)
    try:
        return sorted(str(row[0]) for row in db.execute("SELECT path FROM files"))
    finally:
        db.close()


def _paths(root: Path) -> list[str]:
    import sqlite3

    db = sqlite3.connect(root / ".wordaudit_cache" / "cache.sqlite3")
    try:
        return sorted(str(row[0]) for row in db.execute("SELECT path FROM files"))
    finally:
        db.close()


def test_a_warm_rescan_within_the_hour_writes_nothing(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _scan_at(tree, 1_800_000_000.0, monkeypatch)
    database = tree / ".wordaudit_cache" / "cache.sqlite3"
    before = [(p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(database.parent.glob("cache.sqlite3*"))]
    _scan_at(tree, 1_800_000_000.0 + 3000, monkeypatch)
    after = [(p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(database.parent.glob("cache.sqlite3*"))]
    assert after == before


def test_a_scan_whose_upkeep_fails_saves_none_of_its_rows(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A scan's rows go in one transaction: a failure part of the way (the
    # disk full, a lock held too long) leaves the cache as it was, with
    # a warning, and the next scan reads the files again.
    import sqlite3

    def failing(db: sqlite3.Connection, before: int) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(cache, "_forget_unused", failing)
    result = audit_paths_with([tree], Config(source=tree / "wordaudit.toml"), use_cache=True)
    assert [(f.path, f.rule) for f in result.findings] == [("a.md", "back-office")]
    assert result.warnings == ("cache not saved: database or disk is full",)
    assert _paths(tree) == []
    monkeypatch.undo()
    assert _scan(tree) == [("a.md", "back-office", 1)]
    assert len(_paths(tree)) == 2


@pytest.mark.parametrize(
    "path",
    [
        "a.md",
        "docs/a.md",
        "./a.md",
        "docs/../a.md",
        "/abs/a.md",
        "/abs//a.md",
        "//net/a.md",
        "///a.md",
        "/a/./b.md",
        "/a/b/..",
        "/a/b/.",
        "a/",
        "/a/.../b.md",
        "/a/.x/b.md",
        "/a/x./b.md",
        ".",
        "..",
    ],
)
def test_the_path_a_file_is_kept_under_is_its_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    # Worked out without abspath's getcwd call per file: it must still agree.
    monkeypatch.chdir(tmp_path)
    kept = cache.Cache(tmp_path / "cache", "key")
    assert kept._absolute(path) == os.path.abspath(path)


def _add_rows_of_other_files(folder: Path, count: int, below: str) -> None:
    """Rows a cache shared by other trees holds: files this scan never looks up."""
    import sqlite3

    db = sqlite3.connect(folder / "cache.sqlite3")
    with db:
        db.executemany(
            "INSERT INTO files VALUES (?,?,?,?,?)",
            ((f"{below}/other-{n:05}.md", 1, 1, 1, "0" * 64) for n in range(count)),
        )
    db.close()


def test_a_scan_reads_the_rows_of_its_own_files_only(tmp_path: Path) -> None:
    # The user cache dir holds the rows of every tree scanned without a config:
    # a scan of three files must not read a hundred thousand others.
    folder = tmp_path / "cache"
    docs = tmp_path / "docs"
    docs.mkdir()
    paths = []
    for n in range(3):
        (docs / f"{n}.md").write_text(f"Page {n}.\n", encoding="utf-8")
        paths.append(str(docs / f"{n}.md"))
    first = cache.Cache(folder, "key")
    first.expect(paths)
    for path in paths:
        result, content_hash = first.lookup(Source(path, path, "markdown"))
        assert result is None
        first.store(content_hash, FileResult(path, "markdown"))
    first.close()
    _add_rows_of_other_files(folder, 5000, str(tmp_path / "elsewhere"))
    _add_rows_of_other_files(folder, 5000, str(docs / "old"))

    again = cache.Cache(folder, "key")
    again.expect(paths)
    assert sorted(again._known_files) == paths
    assert all(again.lookup(Source(path, path, "markdown"))[0] is not None for path in paths)


@pytest.mark.parametrize("others", [0, 300, 20000])
def test_a_folder_full_of_other_rows_still_answers_every_file(tmp_path: Path, others: int) -> None:
    # Past some number of files their rows are read in one pass over their
    # folder, given up for one query per batch of files when the folder holds
    # many more rows than the scan needs: the answer must be the same.
    root = tmp_path / "tree"
    (root / "sub").mkdir(parents=True)
    (root / "wordaudit.toml").write_text("", encoding="utf-8")
    for n in range(150):
        (root / ("sub" if n % 2 else "") / f"page-{n:03}.md").write_text(f"Page {n}.\n", encoding="utf-8")
    (root / "sub" / "hit.md").write_text("The back office.\n", encoding="utf-8")
    cold = _scan(root)
    _add_rows_of_other_files(root / ".wordaudit_cache", others, str(root / "sub"))
    reads: list[Path] = []
    original = textio.read_bytes
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(textio, "read_bytes", lambda p: reads.append(p) or original(p))
        assert _scan(root) == cold == [("sub/hit.md", "back-office", 1)]
    assert reads == []


def test_a_file_not_announced_still_finds_its_row(tree: Path) -> None:
    _scan(tree)
    kept = cache.Cache(tree / ".wordaudit_cache", _settings_of(tree))
    found, _ = kept.lookup(Source(str(tree / "a.md"), "a.md", "markdown"))
    assert found is not None
    assert [f.rule for f in found.findings] == ["back-office"]


def _settings_of(tree: Path) -> str:
    import sqlite3

    db = sqlite3.connect(tree / ".wordaudit_cache" / "cache.sqlite3")
    (key,) = db.execute("SELECT settings FROM used").fetchone()
    db.close()
    return str(key)


@pytest.mark.parametrize(
    ("paths", "folder"),
    [
        ({"/a/b/c.md", "/a/b/d.md"}, "/a/b/"),
        ({"/a/bc.md", "/a/bd.md"}, "/a/"),
        ({"/a/b/c.md", "/a/b/c/d.md"}, "/a/b/"),
        ({"/a/b.md"}, "/a/"),
        ({"/x.md", "/y.md"}, ""),
        (set(), ""),
    ],
)
def test_the_common_folder_of_a_scan(paths: set[str], folder: str) -> None:
    assert cache._common_folder(paths) == folder


def test_a_link_to_nothing_is_its_own_error_and_the_cache_serves_the_rest(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A link whose target is gone failed the cache's stat: the cache was then
    # disabled for every other file of the run, with a warning about the link.
    os.symlink(tree / "gone.md", tree / "link.md")
    _scan(tree)
    reads: list[Path] = []
    original = textio.read_bytes
    monkeypatch.setattr(textio, "read_bytes", lambda p: reads.append(p) or original(p))
    result = audit_paths_with([tree], Config(source=tree / "wordaudit.toml"), use_cache=True)
    assert [(f.path, f.rule) for f in result.findings] == [("a.md", "back-office")]
    assert [(f.path, f.error) for f in result.files if f.error] == [("link.md", "a broken symbolic link")]
    assert result.warnings == ()
    assert tree / "a.md" not in reads
    assert tree / "b.txt" not in reads
