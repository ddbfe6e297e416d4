"""Results cache: SQLite, keyed by content hash, format, rules, version and code.

A file whose size, change time and inode are as last seen is not read
again: its stored content hash finds its stored findings. The same bytes read
as another format are another result (`a.md` and `a.txt` alike: the markdown
one has code spans). The change time
(ctime), not the modification time: ``touch -r`` or an archive tool can set a
changed file's modification time back, and nothing can set its change time. Anything odd (a
corrupt database, a locked one, a version mismatch) turns the cache off for
the run instead of risking a wrong answer; errors are never cached, because a
timeout or a memory limit is no property of the file.

Every upgrade of wordaudit or of a library it reads with, and every change of
the rules, starts a new set of results; a cache kept between CI runs would
grow by a whole tree's results each time. So each set records when a scan
last used it, and a set unused for ``_KEEP_DAYS`` is deleted, with the files'
rows that no set needs any more. The same hourly upkeep deletes the rows of
files gone from the folder a scan covered.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from wordaudit.model import FileResult, Finding, Severity, Source
from wordaudit.record import as_dict, fields

_SCHEMA = 5
_FILES_COLUMNS = "path TEXT PRIMARY KEY, size INTEGER, ctime INTEGER, inode INTEGER, hash TEXT"
# A set of results no scan has used for this long is deleted.
_KEEP_DAYS = 30
# When a scan last used its set is written at most this often: a warm rescan
# writes nothing.
_USE_RECORDED_EVERY = 3600
_DATABASE = "cache.sqlite3"
_FINDING_FIELDS = tuple(described.name for described in fields(Finding))


def default_folder(config_source: Path | None) -> Path:
    if config_source is not None:
        return config_source.parent / ".wordaudit_cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wordaudit"


def may_hold_results(folder: Path) -> bool:
    """Whether a cache in ``folder`` may answer for some file: its database is there."""
    return (folder / _DATABASE).exists()


def make_ignored_folder(folder: Path) -> None:
    """Create ``folder`` (if need be) with a .gitignore that ignores all of it:
    a cache beside the config must never show in ``git status``."""
    folder.mkdir(parents=True, exist_ok=True)
    gitignore = folder / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("*\n", encoding="utf-8")


def settings_key(parts: Iterable[object]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


# The libraries whose reading or tokenising a result depends on (and PyYAML,
# which reads the rule packs).
_LIBRARIES = ("spacy", "docx", "pdfminer", "pypdfium2", "markdown_it", "lxml", "yaml")


def code_stamps() -> list[tuple[str, int, int]]:
    """What results depend on besides the settings: wordaudit's own modules
    (an editable install, or a build from a branch, changes without a new
    version number) and the libraries that read and tokenise (an upgrade of
    spaCy may split words otherwise), each by its files' size and
    modification time. About a hundred stat calls: a rescan stays cheap."""
    package = Path(__file__).parent
    stamps = []
    for folder, folders, names in os.walk(package):
        folders[:] = [name for name in folders if name != "__pycache__"]
        for name in names:
            if name.endswith(".py"):
                stat = os.stat(os.path.join(folder, name))
                stamps.append((os.path.join(folder, name)[len(str(package)) :], stat.st_size, stat.st_mtime_ns))
    for library in _LIBRARIES:
        try:
            spec = importlib.util.find_spec(library)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None else None
        if origin and os.path.exists(origin):
            stat = os.stat(origin)
            stamps.append((library, stat.st_size, stat.st_mtime_ns))
        else:
            stamps.append((library, -1, -1))
    return sorted(stamps)


class Cache:
    def __init__(self, folder: Path, key: str) -> None:
        self.key = key
        self.broken: str | None = None
        self._pending: list[tuple[Any, ...]] = []
        self._cwd: str | None = None
        try:
            make_ignored_folder(folder)
            self.db = sqlite3.connect(folder / _DATABASE, timeout=10, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(
                f"""
                CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT);
                CREATE TABLE IF NOT EXISTS files ({_FILES_COLUMNS});
                CREATE TABLE IF NOT EXISTS results (
                    hash TEXT, settings TEXT, payload TEXT, PRIMARY KEY (hash, settings));
                CREATE TABLE IF NOT EXISTS used (settings TEXT PRIMARY KEY, seconds INTEGER);
                """
            )
            row = self.db.execute("SELECT value FROM meta WHERE name='schema'").fetchone()
            used = self.db.execute("SELECT seconds FROM used WHERE settings=?", (key,)).fetchone()
            self._used: int | None = used[0] if used is not None and isinstance(used[0], int) else None
            self._known_files: dict[str, _FileRow] = {}
            # Each expected file's path, and its absolute path (the key of its row).
            self._expected: dict[str, str] = {}
            self._known_results: dict[str, str] | None = None
            self._asked = 0
            self._decoded: dict[str, Any] = {}
            if row is None:
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(_SCHEMA),))
            elif row[0] != str(_SCHEMA):
                # The files' columns may have changed too (schema 4: ctime for mtime).
                self.db.executescript(
                    f"DROP TABLE files; CREATE TABLE files ({_FILES_COLUMNS}); DELETE FROM results; DELETE FROM used;"
                )
                self._used = None
                self.db.execute("UPDATE meta SET value=? WHERE name='schema'", (str(_SCHEMA),))
        except (OSError, sqlite3.Error) as exc:
            self.broken = f"cache disabled: {exc}"

    def expect(self, fs_paths: Sequence[str]) -> None:
        """Read what is stored for the files this run will look up, in one
        query or a few: a warm scan of thousands of files must not cost a
        query per file. Only these files' rows are read: the user cache dir
        is shared by every tree scanned without a config, and a scan of three
        files must not read the rows of a hundred thousand others."""
        if self.broken:
            return
        try:
            absolutes = {path: self._absolute(path) for path in fs_paths if _storable(path)}
            self._known_files.update(self._rows(set(absolutes.values())))
            self._expected.update(absolutes)
        except sqlite3.Error as exc:
            self.broken = f"cache disabled: {exc}"

    def lookup(self, source: Source) -> tuple[FileResult | None, str | None]:
        """The stored result, or None and the key to store one under."""
        if self.broken:
            return None, None
        path = source.fs_path
        if not _storable(path):
            return None, None
        try:
            stat = os.stat(path)
        except OSError:
            # The file's own trouble (gone since the walk, a link to nothing): reading
            # it reports that, and the cache goes on serving the other files.
            return None, None
        try:
            absolute = self._expected.get(path)
            if absolute is None:  # a file not announced by ``expect``: its own row
                absolute = self._expected[path] = self._absolute(path)
                self._known_files.update(self._rows({absolute}))
            row = self._known_files.get(absolute)
            if row is not None and row[:3] == (stat.st_size, stat.st_ctime_ns, stat.st_ino):
                content_hash = row[3]
            else:
                try:
                    content_hash = _hash_file(path)
                except OSError:
                    return None, None  # unreadable: as for a failed stat above
                self._pending.append(("files", absolute, stat.st_size, stat.st_ctime_ns, stat.st_ino, content_hash))
            key = f"{content_hash}:{source.format}"
            payload = self._result(key)
            if payload is None:
                return None, key
            return _decode(self._parsed(payload), source), key
        except (OSError, sqlite3.Error, ValueError, KeyError, TypeError) as exc:
            self.broken = f"cache disabled: {exc}"
            return None, None

    def _absolute(self, path: str) -> str:
        """``os.path.abspath(path)``, without its ``getcwd`` call and its
        normalising for the paths a walk makes (already normal): a warm scan
        must cost a stat per file, and not a realpath walk either."""
        if self._cwd is None:
            self._cwd = os.getcwd()
        joined = path if os.path.isabs(path) else os.path.join(self._cwd, path)
        return os.path.normpath(joined) if _may_not_be_normal(joined) else joined

    def _rows(self, wanted: set[str]) -> dict[str, _FileRow]:
        """The stored rows of these files (absolute paths)."""
        rows: dict[str, _FileRow] = {}
        folder = _common_folder(wanted)
        if folder and len(wanted) >= _RANGE_FROM:
            # One pass over the folder's rows, in key order, is the cheapest
            # read; given up if the folder turns out to hold many more files
            # than this run looks up (another tree's rows below it).
            cursor = self.db.execute(_FILE_ROWS + " WHERE path >= ? AND path < ?", _key_range(folder))
            limit = 4 * len(wanted) + 1000
            for count, row in enumerate(cursor):
                if count > limit:
                    cursor.close()
                    break
                if row[0] in wanted:
                    rows[row[0]] = _file_row(row)
            else:
                return rows
        ordered = sorted(wanted - rows.keys())
        for start in range(0, len(ordered), _PATHS_PER_QUERY):
            chunk = ordered[start : start + _PATHS_PER_QUERY]
            marks = ",".join("?" * len(chunk))
            cursor = self.db.execute(f"{_FILE_ROWS} WHERE path IN ({marks})", chunk)
            rows.update((row[0], _file_row(row)) for row in cursor)
        return rows

    def _result(self, key: str) -> str | None:
        """The result stored under ``key`` (content and format) with these
        settings. The first few are asked for one by one; past that (a
        rescan of a tree, a cold scan) all of the settings' results are read
        in one query, which costs less than joining them to the files' rows."""
        if self._known_results is None and self._asked < _RESULTS_ASKED_ONE_BY_ONE:
            self._asked += 1
            row = self.db.execute("SELECT payload FROM results WHERE hash=? AND settings=?", (key, self.key)).fetchone()
            return None if row is None else str(row[0])
        if self._known_results is None:
            rows = self.db.execute("SELECT hash, payload FROM results WHERE settings=?", (self.key,))
            self._known_results = {str(r[0]): str(r[1]) for r in rows}
        return self._known_results.get(key)

    def _parsed(self, payload: str) -> Any:
        """A stored result as JSON data, decoded once however many files share
        it (most files of a tree have the same result: no findings). Nothing
        changes the data afterwards, so sharing it is safe."""
        if payload not in self._decoded:
            self._decoded[payload] = json.loads(payload)
        return self._decoded[payload]

    def store(self, key: str | None, result: FileResult) -> None:
        """Store ``result`` under the key ``lookup`` gave."""
        if self.broken or key is None or result.error is not None:
            return
        self._pending.append(("results", key, self.key, _encode(result)))

    def commit(self) -> None:
        now = int(time.time())
        record_use = self._used is None or not 0 <= now - self._used < _USE_RECORDED_EVERY
        if self.broken or not (self._pending or record_use):
            return
        try:
            with _transaction(self.db):
                files = [row[1:] for row in self._pending if row[0] == "files"]
                results = [row[1:] for row in self._pending if row[0] == "results"]
                self.db.executemany("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?)", files)
                self.db.executemany("INSERT OR REPLACE INTO results VALUES (?,?,?)", results)
                if record_use:
                    self.db.execute("INSERT OR REPLACE INTO used VALUES (?,?)", (self.key, now))
                    _forget_unused(self.db, now - _KEEP_DAYS * 86400)
                    self._forget_gone_files()
                    self._sweep_elsewhere()
            if record_use:
                self._used = now
            self._pending.clear()
        except sqlite3.Error as exc:
            self.broken = f"cache not saved: {exc}"

    def _forget_gone_files(self) -> None:
        """Delete the rows of files gone from the folder this run scanned
        (deleted, renamed, a branch switched): a tree's churn must not grow
        the cache for ever. Part of the hourly upkeep, and bounded: at most
        ``_GONE_CHECKED`` rows are looked at, a ``stat`` each."""
        expected = set(self._expected.values())
        folder = _common_folder(expected)
        if not folder:
            return
        rows = self.db.execute(
            "SELECT path FROM files WHERE path >= ? AND path < ? LIMIT ?",
            (*_key_range(folder), len(expected) + _GONE_CHECKED),
        ).fetchall()
        gone = [row for row in rows if row[0] not in expected and not os.path.lexists(str(row[0]))]
        self.db.executemany("DELETE FROM files WHERE path = ?", gone)

    def _sweep_elsewhere(self) -> None:
        """Delete the rows of gone files anywhere in the cache, a few thousand
        an upkeep, in key order from where the last upkeep stopped. A tree no
        scan looks below again leaves its rows behind: a CI job's checkout at a
        new path each run, with the cache folder kept between runs, or a
        project moved or deleted. A file still there keeps its row."""
        row = self.db.execute("SELECT value FROM meta WHERE name='swept'").fetchone()
        after = row[0] if row is not None and isinstance(row[0], str) else ""
        paths = [
            found[0]
            for found in self.db.execute(
                "SELECT path FROM files WHERE path > ? ORDER BY path LIMIT ?", (after, _SWEPT_ELSEWHERE)
            )
        ]
        expected = set(self._expected.values())
        # Rows come a folder at a time: one look at a folder that is gone
        # answers for every file that was in it.
        folders: dict[str, bool] = {}
        gone = []
        for path in paths:
            if path in expected or not isinstance(path, str):
                continue
            folder = os.path.dirname(path)
            there = folders.get(folder)
            if there is None:
                there = folders[folder] = os.path.isdir(folder)
            if not there or not os.path.lexists(path):
                gone.append((path,))
        self.db.executemany("DELETE FROM files WHERE path = ?", gone)
        # Past the last row, the next upkeep starts again from the first.
        cursor = str(paths[-1]) if len(paths) == _SWEPT_ELSEWHERE else ""
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('swept', ?)", (cursor,))

    def close(self) -> None:
        if not self.broken:
            self.commit()
            self.db.close()


# A file's size, change time, inode and content hash.
_FileRow = tuple[int, int, int, str]
_FILE_ROWS = "SELECT path, size, ctime, inode, hash FROM files"
# Paths per "IN (...)" query: under SQLite's old limit of 999 parameters.
_PATHS_PER_QUERY = 500
# From this many files on, the rows below their common folder are read in one pass.
_RANGE_FROM = 64
_RESULTS_ASKED_ONE_BY_ONE = 64
# Rows of other files below a scanned folder the upkeep checks, beyond its own.
_GONE_CHECKED = 5000
# Rows anywhere in the cache the upkeep checks in turn (_sweep_elsewhere).
_SWEPT_ELSEWHERE = 5000


def _file_row(row: Any) -> _FileRow:
    # The columns' types as SQLite returns them, unconverted: a row a damaged
    # database gives other types never equals a file's stat, and the file is
    # read again.
    return (row[1], row[2], row[3], row[4])


def _common_folder(paths: set[str]) -> str:
    """The deepest folder holding all these absolute paths, ending in "/";
    "" when that is the root. The lowest and highest in sort order share the
    prefix every path shares."""
    if not paths:
        return ""
    # Character by character on purpose: the prefix is cut back to a "/" next.
    prefix = os.path.commonprefix([min(paths), max(paths)])  # noqa: RUF071
    folder = prefix[: prefix.rfind("/") + 1]
    return folder if len(folder) > 1 else ""


def _key_range(folder: str) -> tuple[str, str]:
    """The bounds of the paths below ``folder`` (which ends in "/") in key
    order: "0" is the character after "/"."""
    return folder, folder[:-1] + "0"


def _may_not_be_normal(path: str) -> bool:
    """Whether ``os.path.normpath`` might change this absolute POSIX path: a
    "//", a "." or ".." part, a trailing "/". A hidden name ("/.git") passes
    too, and is normalised for nothing; three substring tests cost less than
    a regex search per file."""
    return "//" in path or "/." in path or path.endswith("/")


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """All of the block's writes or none of them, in one transaction.

    The connection is in autocommit mode (``isolation_level=None``), where
    ``with db:`` opens no transaction: each statement was its own, committed
    to the write-ahead log one by one (a cold scan of the 2,034-file markdown
    benchmark spent 0.3 s in 4,000 of them). IMMEDIATE takes the write lock
    at once, so two scans writing at the same time wait for each other (the
    connection's timeout) rather than fail halfway.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


def _forget_unused(db: sqlite3.Connection, before: int) -> None:
    """Delete the sets of results last used before ``before`` (seconds), and
    the rows of files whose content no set holds a result for."""
    stale = [row[0] for row in db.execute("SELECT settings FROM used WHERE seconds < ?", (before,))]
    if not stale:
        return
    for settings in stale:
        db.execute("DELETE FROM results WHERE settings=?", (settings,))
        db.execute("DELETE FROM used WHERE settings=?", (settings,))
    # A result's key is its content hash (64 hex digits), ":" and the format.
    db.execute("DELETE FROM files WHERE hash NOT IN (SELECT substr(hash, 1, 64) FROM results)")


def clear(folder: Path) -> bool:
    """Delete the results and the parsed rule packs (``pack_memo``)."""
    import shutil

    database = folder / _DATABASE
    packs = folder / "packs"
    existed = database.exists() or packs.exists()
    for suffix in ("", "-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)
    shutil.rmtree(packs, ignore_errors=True)
    return existed


def _storable(path: str) -> bool:
    """Whether SQLite can hold the path: a file name that is not valid UTF-8 comes
    from the file system with lone surrogates standing for its bytes, which SQLite
    refuses. Such a file is read each time, as with ``--no-cache``."""
    if path.isascii():
        return True
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _hash_file(path: str) -> str:
    # The walk's string path: a Path object a file cost as much as the hashing of a short one.
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _encode(result: FileResult) -> str:
    findings = []
    for finding in result.findings:
        row = as_dict(finding)
        row["severity"] = finding.severity.value
        row["suggestions"] = list(finding.suggestions)
        del row["path"]
        findings.append(row)
    return json.dumps({"findings": findings, "suppressed": result.suppressed, "notes": list(result.notes)})


def _decode(data: Any, source: Source) -> FileResult:
    findings = []
    for row in data["findings"]:
        row = {**row, "path": source.display, "severity": Severity(row["severity"])}
        row["suggestions"] = tuple(row["suggestions"])
        findings.append(Finding(**{name: row[name] for name in _FINDING_FIELDS}))
    notes = tuple(data.get("notes", ()))
    return FileResult(
        source.display,
        source.format,
        tuple(findings),
        suppressed=data["suppressed"],
        notes=notes,
        fs_path=source.fs_path,
    )
