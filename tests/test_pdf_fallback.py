"""When PDFium fails on a file (it is native code: it crashes or needs gigabytes),
the default engine ("auto") reads the file again with pdfminer, in a fresh worker.

The file: a page whose text sits inside 20,000 nested marked-content sections.
PDFium keeps a copy of the marked-content stack per level (quadratic memory:
about 2.4 GB here) and dies at the worker's memory cap; pdfminer reads it.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from conftest import pdf_file

pytestmark = pytest.mark.skipif(importlib.util.find_spec("pypdfium2") is None, reason="needs pypdfium2")


def _nested_marked_content(path: Path, depth: int) -> None:
    text = b"BT /F1 12 Tf 72 720 Td (Thanks to the back office team.) Tj ET "
    content = zlib.compress(b"/P <</MCID 0>> BDC " * depth + text + b"EMC " * depth, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    path.write_bytes(pdf_file(objects))


def _scan(folder: Path, engine: str) -> dict[str, object]:
    config = folder.parent / "wordaudit.toml"
    config.write_text("memory-limit-mb = 500\n", encoding="utf-8")
    options = ["--config", str(config), "--pdf-engine", engine, "--no-cache", "--format", "json", "--jobs", "2"]
    done = subprocess.run(
        [sys.executable, "-m", "wordaudit", "scan", str(folder), *options],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    report: dict[str, object] = json.loads(done.stdout)
    return report


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fallback") / "pdfs"
    root.mkdir()
    _nested_marked_content(root / "nested.pdf", 20_000)
    _nested_marked_content(root / "plain.pdf", 1)
    return root


def test_auto_reads_with_pdfminer_what_pdfium_cannot(folder: Path) -> None:
    report = _scan(folder, "auto")
    files = {f["path"]: f for f in report["files"]}  # type: ignore[attr-defined]
    assert files["nested.pdf"]["error"] is None
    assert files["nested.pdf"]["findings"] == 1
    assert files["plain.pdf"]["findings"] == 1
    assert report["warnings"] == ["nested.pdf: PDFium failed on this file; read with pdfminer"]
    found = [(f["path"], f["rule"], f["line"]) for f in report["findings"]]  # type: ignore[attr-defined]
    assert ("nested.pdf", "back-office", 1) in found


def test_an_engine_asked_for_by_name_is_not_replaced(folder: Path) -> None:
    report = _scan(folder, "pdfium")
    files = {f["path"]: f for f in report["files"]}  # type: ignore[attr-defined]
    error = files["nested.pdf"]["error"]
    assert error is not None
    assert error.startswith(("the reader crashed on this file", "exceeded the 500 MB memory limit"))
    assert files["plain.pdf"]["findings"] == 1
    assert report["warnings"] == []
