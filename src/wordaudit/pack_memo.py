"""Rule packs as parsed before, kept in the cache folder as JSON.

Importing PyYAML and parsing the shipped pack take about 14 ms of every run:
a tenth of a rescan that the cache answers. So a parsed pack is kept, under a
name made from its text and from a stamp of the code that parses it (a new
wordaudit or PyYAML, or an edited pack, finds no memo and parses again).
A memo that cannot be read, or holds anything but a pack's document, is
passed over: the pack is parsed as if there were none.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from pathlib import Path
from typing import Any

from wordaudit.cache import make_ignored_folder
from wordaudit.rules import LineMapping

# Raised (and caught here) for a document that JSON cannot hold exactly.
_Unkept = (TypeError, ValueError, RecursionError)
# A memo is this mark and the document: any other JSON is no memo.
_MARK = "wordaudit rule pack, parsed"


class PackMemo:
    def __init__(self, folder: Path, stamp: str) -> None:
        self.folder = folder
        self.stamp = stamp

    def recall(self, text: str, *, shipped: bool) -> Any | None:
        """The document kept for this pack's text, or None."""
        try:
            data = self._path(text, shipped).read_text(encoding="utf-8")
            kept = json.loads(data, object_hook=_mapping)
        except (OSError, UnicodeDecodeError, *_Unkept, KeyError):
            return None
        if isinstance(kept, list) and len(kept) == 2 and kept[0] == _MARK:
            return kept[1]
        return None

    def keep(self, text: str, document: Any, *, shipped: bool) -> None:
        """Keep the document, if JSON holds it exactly; a failure to write
        costs the next run a parse, nothing more."""
        try:
            data = json.dumps([_MARK, _plain(document)], ensure_ascii=False, allow_nan=False)
        except _Unkept:
            return
        import tempfile  # 5 ms of imports: only for the run that writes a memo

        target = self._path(text, shipped)
        try:
            # The memo may be written before the results cache exists (its
            # scan may yet stop at a config error): it ignores itself.
            make_ignored_folder(self.folder)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".pack-", suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    stream.write(data)
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            return

    def _path(self, text: str, shipped: bool) -> Path:
        digest = hashlib.sha256(f"{self.stamp}\0{shipped}\0{text}".encode("utf-8", "surrogatepass"))
        return self.folder / f"{digest.hexdigest()}.json"


def _plain(value: Any) -> Any:
    """The document as JSON data: each mapping an object with its lines and
    its keys in order; a value JSON would change (a date, a set, an infinite
    number) raises TypeError or ValueError."""
    if isinstance(value, LineMapping):
        items = [[key, value.key_lines[key], _plain(item)] for key, item in value.items()]
        return {"line": value.line, "keys": items}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    raise TypeError(f"not kept in a pack memo: {type(value).__name__}")


def _mapping(data: dict[str, Any]) -> LineMapping:
    mapping = LineMapping()
    mapping.line = int(data["line"])
    mapping.key_lines = {}
    for key, line, item in data["keys"]:
        mapping[str(key)] = item
        mapping.key_lines[str(key)] = int(line)
    return mapping
