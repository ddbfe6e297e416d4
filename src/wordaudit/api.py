"""The pipeline: discover → extract → prefilter → match → suppress → findings.

This module is the one per-file error boundary: whatever goes wrong inside one
file becomes that file's one-line ``error`` and the scan goes on.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from wordaudit import extract, lost_memory
from wordaudit.config import Config, place_in_file
from wordaudit.errors import ConfigError, ExtractError, UnsupportedFile
from wordaudit.extract import ExtractOptions
from wordaudit.match import RuleMatcher
from wordaudit.model import Block, ExitCode, FileResult, Finding, PendingFile, Rule, ScanResult, Severity, Source
from wordaudit.page_screen import PageScreen
from wordaudit.prefilter import SUPPRESSION_MARKER, TextScreen
from wordaudit.record import record, replace
from wordaudit.rules import load_rules, pack_paths

if TYPE_CHECKING:
    from wordaudit.pack_memo import PackMemo

Progress = Callable[[int, int, str, int], None]


@record
class Auditor:
    """Everything a scan needs, built once per run (and once per worker)."""

    rules: tuple[Rule, ...]
    rulesets: tuple[str, ...]
    matcher: RuleMatcher
    options: ExtractOptions
    inline_suppressions: bool = True
    report_unused_suppressions: bool = False
    max_findings_per_file: int = 0  # 0: no limit


def build_auditor(
    config: Config | None = None,
    *,
    inline_suppressions: bool = True,
    report_unused_suppressions: bool = False,
    pack_memo: PackMemo | None = None,
) -> Auditor:
    config = config or Config()
    if config.pdf_engine == "pdfium":
        import importlib.util

        if importlib.util.find_spec("pypdfium2") is None:
            raise ConfigError('pdf engine "pdfium" needs pypdfium2: pip install "wordaudit[pdfium]"')
    if config.spacy_model and not _model_installed(config.spacy_model):
        # Found now, not by each file that reaches spaCy: one usage error, not one per file.
        model = config.spacy_model
        raise ConfigError(f"spaCy model '{model}' is not installed (python -m spacy download {model})")
    rules, packs = load_rules(pack_paths(config.rules), pack_memo)
    rules = _selected(rules, config)
    matcher = RuleMatcher(rules, config.allow, model=config.spacy_model)
    options = ExtractOptions(
        docx_comments=config.docx_comments,
        pdf_comments=config.pdf_comments,
        pdf_engine=config.pdf_engine,
        page_screen=PageScreen(rules, english=not config.spacy_model),
        text_screen=TextScreen(matcher.prefilter_if_used),
    )
    return Auditor(
        rules, packs, matcher, options, inline_suppressions, report_unused_suppressions, config.max_findings_per_file
    )


def _model_installed(model: str) -> bool:
    """Whether spaCy could load ``model``: a package of that name, or a folder
    (as ``spacy.load`` takes either), found without importing spaCy."""
    import importlib.util

    if Path(model).exists():
        return True
    try:
        return importlib.util.find_spec(model) is not None
    except (ImportError, ValueError):  # not a module name at all
        return False


def _selected(rules: tuple[Rule, ...], config: Config) -> tuple[Rule, ...]:
    known = {rule.id for rule in rules}
    per_file = tuple(rule for rules in config.per_file_ignores.values() for rule in rules)
    labelled = (
        ("select", config.select),
        ("ignore", config.ignore),
        ("severity", tuple(config.severity)),
        ("per-file-ignores", per_file),
    )
    for label, ids in labelled:
        for rule_id in ids:
            if rule_id not in known:
                place = place_in_file(config.source, rule_id)
                names = ", ".join(sorted(known))
                raise ConfigError(f"{place}{label}: unknown rule '{rule_id}' (known rules: {names})")
    chosen = [r for r in rules if (not config.select or r.id in config.select) and r.id not in config.ignore]
    return tuple(r.with_severity(config.severity[r.id]) if r.id in config.severity else r for r in chosen)


def audit_text(
    text: str,
    *,
    format: str = "markdown",
    path: str = "<text>",
    config: Config | None = None,
    auditor: Auditor | None = None,
) -> list[Finding]:
    """Find rule matches in a string of markdown or plain text."""
    auditor = auditor or build_auditor(config)
    reader = extract.text_extractor(format)
    if reader is None:
        raise ValueError(f"audit_text reads text formats only, not {format!r}")
    if not auditor.matcher.raw_may_match(text) and SUPPRESSION_MARKER not in text:
        return []
    return _findings(reader.extract_text(text, auditor.options), path, auditor, text_based=True)[0]


def audit_paths(paths: Sequence[str | Path], config: Config | None = None, *, jobs: int = 1) -> ScanResult:
    """Scan files and folders; the result lists every file, read or not."""
    return audit_paths_with(paths, config or Config(), jobs=jobs)


def audit_paths_with(
    paths: Sequence[str | Path],
    config: Config,
    *,
    inline_suppressions: bool = True,
    report_unused_suppressions: bool = False,
    jobs: int = 1,
    use_cache: bool = False,
    progress: Progress | None = None,
    only: set[Path] | None = None,
) -> ScanResult:
    """The scan the command line runs: discovery, cache, workers, limits."""
    from wordaudit import __version__, schedule
    from wordaudit.cache import code_stamps, default_folder, may_hold_results, settings_key
    from wordaudit.discover import discover
    from wordaudit.pack_memo import PackMemo
    from wordaudit.per_file import per_file_ignores
    from wordaudit.resources import Limits

    cache_folder = default_folder(config.source) if use_cache else None
    stamps = code_stamps() if use_cache else []
    # With no cache to answer and the whole walk to scan, the walk may start
    # the worker server (``schedule.ServerAhead``): it comes first.
    fresh = cache_folder is None or not may_hold_results(cache_folder)
    ahead = schedule.ServerAhead(jobs, pdf_engine=config.pdf_engine, enabled=only is None and fresh)
    try:
        found = discover(
            [str(p) for p in paths] or ["."],
            exclude=config.exclude,
            exclude_base=config.exclude_base(),
            use_gitignore=config.respect_gitignore,
            formats=config.formats,
            on_source=ahead.found,
        )
        ahead.walked()
        auditor = build_auditor(
            config,
            inline_suppressions=inline_suppressions,
            report_unused_suppressions=report_unused_suppressions,
            pack_memo=PackMemo(cache_folder / "packs", settings_key([__version__, stamps])) if cache_folder else None,
        )
        if only is not None:
            found.sources = [s for s in found.sources if s.path.resolve() in only]
            found.missing = []
        options = schedule.RunOptions(
            jobs=jobs,
            cache_folder=cache_folder,
            limits=Limits(timeout=config.timeout, memory_bytes=config.memory_limit_mb << 20),
            server_ahead=ahead.started,
        )
        key = settings_key(
            [
                __version__,
                inline_suppressions,
                report_unused_suppressions,
                auditor.options,
                config.allow,
                config.spacy_model,
                sorted(config.formats.items()),
            ]
            + [(r.id, r.severity.value, r.origin) for r in auditor.rules]
            + [path.read_bytes() for path in pack_paths(config.rules)]
            + stamps
        )
        results, warnings = schedule.run(found.sources, auditor, config, options, progress, key)
    except BaseException:
        ahead.stop()  # a bad rule pack, or Ctrl-C: no server loading spaCy left behind
        raise
    ignores = per_file_ignores(config)
    if ignores is not None:
        results = [ignores.apply(r, r.fs_path or r.path) for r in results]
    results.extend(FileResult(s.display, s.format, error=why, fs_path=s.fs_path) for s, why in found.missing)
    return ScanResult(tuple(results), auditor.rules, auditor.rulesets, (*found.warnings, *warnings))


def audit_stdin(
    data: bytes,
    filename: str | None,
    config: Config,
    *,
    inline_suppressions: bool = True,
    report_unused_suppressions: bool = False,
) -> ScanResult:
    """Scan a document read from standard input; ``filename`` names its format
    (markdown when none is given) and is the path shown in reports."""
    import tempfile

    from wordaudit import schedule
    from wordaudit.per_file import per_file_ignores
    from wordaudit.resources import Limits

    display = filename or "<stdin>"
    fmt = extract.format_for(filename, config.formats) if filename else "markdown"
    auditor = build_auditor(
        config, inline_suppressions=inline_suppressions, report_unused_suppressions=report_unused_suppressions
    )
    if fmt is None:
        result = FileResult(display, "unknown", error=extract.unsupported(display))
        return ScanResult((result,), auditor.rules, auditor.rulesets)
    with tempfile.TemporaryDirectory(prefix="wordaudit-stdin-") as folder:
        # Every reader takes a file; a private temporary copy keeps one code path.
        copy = Path(folder) / f"stdin{Path(display).suffix or '.md'}"
        copy.write_bytes(data)
        options = schedule.RunOptions(limits=Limits(timeout=config.timeout, memory_bytes=config.memory_limit_mb << 20))
        results, warnings = schedule.run([Source(str(copy), display, fmt, explicit=True)], auditor, config, options)
    results = [replace(r, fs_path=filename or "") for r in results]
    ignores = per_file_ignores(config)
    if ignores is not None and filename:
        results = [ignores.apply(r, filename) for r in results]
    return ScanResult(tuple(results), auditor.rules, auditor.rulesets, tuple(warnings))


def scan_source(source: Source, auditor: Auditor) -> FileResult:
    """Scan one file; never raises for anything wrong with the file."""
    result = _guarded(source, lambda: _scan(source, auditor))
    assert result is not None
    return result


def read_source(source: Source, auditor: Auditor) -> FileResult | PendingFile:
    """Scan one file as ``scan_source`` does, except that when its candidate
    blocks would need spaCy and this process has not loaded it, they are handed
    back unmatched (``finish_pending`` matches them)."""
    result = _guarded(source, lambda: _read(source, auditor))
    assert result is not None
    return result


def pending_source(source: Source, auditor: Auditor) -> FileResult | PendingFile:
    """Read one file and hand its candidate blocks back unmatched, however many
    there are: for a process that sends them to a worker with spaCy loaded,
    and never loads it itself. A file without candidates gets its result."""
    result = _guarded(source, lambda: _read(source, auditor, match_here=False))
    assert result is not None
    return result


def finish_pending(pending: PendingFile, auditor: Auditor) -> FileResult:
    """The result of a file a worker read: its candidate blocks matched here."""
    result = _guarded(pending.source, lambda: _result(pending.source, pending.blocks, auditor))
    assert result is not None
    return result


def screen_source(source: Source, auditor: Auditor, size: int | None = None) -> FileResult | None:
    """The result of a markdown or text file that cannot hold a finding, or
    cannot be read, found without the parser or spaCy; None when the file
    needs them (``scan_source``). ``size``: the file's, when the caller has it."""
    return _guarded(source, lambda: _screen(source, auditor, size))


_Read = TypeVar("_Read", FileResult, FileResult | None, FileResult | PendingFile)


def _debug(message: str, *args: object) -> None:
    # logging is imported only when a file fails: a rescan from the cache never needs it.
    import logging

    logging.getLogger("wordaudit").debug(message, *args, exc_info=True)


def _guarded(source: Source, scan: Callable[[], _Read]) -> _Read | FileResult:
    try:
        return scan()
    except ExtractError as exc:
        _debug("%s: %s", source.display, exc)
        return FileResult(source.display, source.format, error=str(exc))
    except RecursionError:
        _debug("%s: recursion", source.display)
        return FileResult(source.display, source.format, error="document nests too deeply to read")
    except MemoryError:
        return FileResult(source.display, source.format, error=lost_memory.OUT_OF_MEMORY)
    except Exception as exc:  # the boundary: one bad file must not end the scan
        if lost_memory.lost():  # the error a MemoryError Python could not raise left behind
            return FileResult(source.display, source.format, error=lost_memory.OUT_OF_MEMORY)
        _debug("%s: internal error", source.display)
        reason = str(ExtractError(f"internal error: {type(exc).__name__}: {exc}"))
        return FileResult(source.display, source.format, error=reason)


def _scan(source: Source, auditor: Auditor) -> FileResult:
    return _result(source, _blocks(source, auditor), auditor)


def _read(source: Source, auditor: Auditor, *, match_here: bool = True) -> FileResult | PendingFile:
    matcher = auditor.matcher
    kept: list[Block] = []
    candidate_chars = 0
    for block in _blocks(source, auditor):
        if block.kind == "directive":
            kept.append(block)
        elif matcher.needs_pipeline(block):
            kept.append(block)
            candidate_chars += len(block.text)
    # Blocks without a candidate cannot match, and suppressions need only the
    # directives and the findings, so the kept blocks give the same result.
    if not candidate_chars or (match_here and (matcher.pipeline_loaded or candidate_chars > _PENDING_CHARS)):
        return _result(source, kept, auditor)
    return PendingFile(source, tuple(kept))


# A file with more candidate text than this is matched where it was read,
# under the worker's memory cap and deadline, not handed back: a file full of
# phrases is hostile more often than not.
_PENDING_CHARS = 1 << 20


def _result(source: Source, blocks: Iterable[Block], auditor: Auditor) -> FileResult:
    text_based = source.format in ("markdown", "text")
    findings, suppressed, notes = _findings(blocks, source.display, auditor, text_based=text_based)
    result = FileResult(source.display, source.format, tuple(findings), suppressed=suppressed, notes=notes)
    # A part of a file is limited once its parts are put together.
    return result if source.part is not None else limit_findings(result, auditor.max_findings_per_file)


def limit_findings(result: FileResult, limit: int) -> FileResult:
    """At most ``limit`` findings (0: all), and a note counting the rest."""
    if not limit or len(result.findings) <= limit:
        return result
    more = len(result.findings) - limit
    note = f"{result.path}: {more:,} more findings not listed (max-findings-per-file = {limit:,})"
    return replace(result, findings=result.findings[:limit], notes=(*result.notes, note))


def _screen(source: Source, auditor: Auditor, size: int | None) -> FileResult | None:
    if extract.text_extractor(source.format) is None or source.part is not None:
        return None
    if _streamed(source, size):
        if source.format != "markdown" or _markdown_may_hold(source, auditor):
            return None
    else:
        from wordaudit import textio

        if _may_hold_findings(textio.read_text(source.path), auditor):
            return None
    return FileResult(source.display, source.format)


def _markdown_may_hold(source: Source, auditor: Auditor) -> bool:
    """``_markdown_text_may_hold`` over a large markdown file, read in pieces
    of a few MB that end after a blank line (no block crosses one, nor does a
    phrase), or, with none, that overlap."""
    from wordaudit import textio

    carried = ""
    for chunk in textio.stream_text(source.path):
        text = carried + chunk
        if len(text) < _PIECE:
            carried = text
            continue
        end = text.rfind("\n\n") + 2
        if end < 2:
            end = len(text) - _OVERLAP
        if _markdown_text_may_hold(text[:end], auditor):
            return True
        carried = text[end:]
    return _markdown_text_may_hold(carried, auditor)


_PIECE = 4 << 20
_OVERLAP = 4 << 10


def _may_hold_findings(text: str, auditor: Auditor) -> bool:
    return auditor.matcher.raw_may_match(text) or SUPPRESSION_MARKER in text


def _streamed(source: Source, size: int | None = None) -> bool:
    """Whether the file is read in pieces, never whole (``size``: the file's, if known)."""
    if source.format not in ("markdown", "text"):
        return False
    size = _size(source.path) if size is None else size
    return size > (_READ_IN_PARTS_ABOVE if source.format == "markdown" else _STREAM_ABOVE)


def _blocks(source: Source, auditor: Auditor) -> Iterator[Block]:
    if source.format == "unknown":
        raise UnsupportedFile(extract.unsupported(source.path))
    reader = extract.text_extractor(source.format)
    if reader is not None:
        from wordaudit import textio

        if source.part is not None:
            part = source.part
            chunks = textio.stream_text(source.path, byte_range=(part.start, part.end))
            if source.format == "markdown":
                return _markdown_part("".join(chunks), source, auditor)
            from wordaudit.extract.plaintext import extract_chunks

            return extract_chunks(chunks, auditor.options, part.first_line)
        if _streamed(source):
            if source.format == "text":
                from wordaudit.extract.plaintext import extract_chunks

                return extract_chunks(textio.stream_text(source.path), auditor.options)
            from wordaudit.split import split

            parts = split(source, _size(source.path))
            if parts is not None:  # one after the other, in bounded memory
                return itertools.chain.from_iterable(_blocks(part, auditor) for part in parts)
        text = textio.read_text(source.path)
        if not _may_hold_findings(text, auditor):
            return iter(())
        return reader.extract_text(text, auditor.options)
    return extract.file_extractor(source.format).extract_file(source.path, auditor.options)


# Plain text larger than this is read in pieces, never whole (bounded memory).
_STREAM_ABOVE = 16 << 20
# Markdown larger than this is read a part at a time, where it can be cut
# (``split``): parsing takes about 25 MB of memory a MB (1.3 GB for 50 MB).
_READ_IN_PARTS_ABOVE = 8 << 20


def _markdown_text_may_hold(text: str, auditor: Auditor) -> bool:
    """The whole file's phrase check, and, where markup may split a phrase
    ("ba**ck** office", "[back][r] office"), the same check of the words as
    rendered: a part with no other phrase would not be read for it. (Across the
    2,035 benchmark files, each checked whole, this second check cost a second
    and let no file through; a part is parsed at about a second a megabyte.)"""
    from wordaudit.extract.markdown import markup_in_word, rendered_words

    if _may_hold_findings(text, auditor):
        return True
    return markup_in_word(text) and auditor.matcher.raw_may_match(rendered_words(text))


def _markdown_part(text: str, source: Source, auditor: Auditor) -> Iterator[Block]:
    from wordaudit import textio
    from wordaudit.extract.markdown import extract_part

    part = source.part
    assert part is not None
    if not _markdown_text_may_hold(text, auditor):
        return iter(())
    codec = textio.codec_of(source.path)
    definitions = [
        (offset < part.start, lines.decode(codec, errors="replace").replace("\r\n", "\n"))
        for offset, lines in part.definitions
        if not part.start <= offset < part.end
    ]
    return extract_part(text, auditor.options, part.first_line, definitions)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _findings(
    blocks: Iterable[Block], path: str, auditor: Auditor, *, text_based: bool = False
) -> tuple[list[Finding], int, tuple[str, ...]]:
    # Imported by the first file read: a rescan the cache answers needs neither.
    from wordaudit.finding import to_finding
    from wordaudit.suppress import Suppressions

    suppressions = Suppressions(auditor.rules) if auditor.inline_suppressions else None
    findings: list[Finding] = []
    for block in blocks:
        if block.kind == "directive":
            if suppressions is not None:
                suppressions.add_directive(block)
            continue
        findings.extend(to_finding(m, path) for m in auditor.matcher.find_in_block(block))
    if text_based:
        # Blocks come in the parser's order, and a link's title is read after
        # its paragraph: a person reads a text file by line and column.
        findings.sort(key=lambda finding: (finding.line, finding.column))
    if suppressions is None:
        return _in_page_order(findings), 0, ()
    kept = suppressions.filter(findings)
    suppressed = len(findings) - len(kept)
    if auditor.report_unused_suppressions:
        kept = sorted([*kept, *suppressions.unused(path)], key=lambda f: (f.line, f.column))
    notes = tuple(f"{path}: {note}" for note in suppressions.notes)
    return _in_page_order(kept), suppressed, notes


def _in_page_order(findings: list[Finding]) -> list[Finding]:
    """The findings in a PDF's page text put in page order, in the places they hold
    among the others (a comment or the title, read after the pages, stays there).
    Blocks come in reading order, but a paragraph that runs on to the next page
    is read before the footer of the page it starts on."""
    places = [i for i, f in enumerate(findings) if f.page is not None and f.location.startswith("page ")]
    if len(places) < 2:
        return findings
    ordered = list(findings)
    by_page = sorted((findings[i] for i in places), key=lambda f: (f.page or 0, f.line, f.column))
    for place, finding in zip(places, by_page, strict=True):
        ordered[place] = finding
    return ordered


def exit_code(result: ScanResult, fail_on: str = "warning", *, ignore_unreadable: bool = False) -> ExitCode:
    """0 when nothing reaches the threshold, 1 when a finding (or an unread file) does."""
    if not ignore_unreadable and any(f.error for f in result.files):
        return ExitCode.FINDINGS
    if fail_on == "never":
        return ExitCode.OK
    threshold = Severity(fail_on).rank
    if any(f.severity.rank >= threshold for f in result.findings):
        return ExitCode.FINDINGS
    return ExitCode.OK
