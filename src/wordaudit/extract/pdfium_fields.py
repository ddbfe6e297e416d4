"""The PDFium engine's reading of form fields and FreeText boxes (``pdf_fields``),
and of comments (``pdf_comments``), from the page's annotations.

Most fields keep their type and value in their own widget dictionary, read
directly. A field whose value its parent holds (a name with dots, "Job.Title",
or one field shown in two places), and the labels of a choice field's
selected options, need PDFium's form environment, which is made when first
needed: building it reads every field of the document, in time that grows
with the square of their number (20,000 fields: 4 s; 60,000: 41 s). So it is
made only for a form of at most ``_MAX_FORM_FIELDS`` fields, as estimated from
the first page that has any; a larger form's own-dictionary values are still
read. The pages are loaded without PDFium's form view of them (pdfium.py).
"""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped, unused-ignore]

from wordaudit.extract import pdf_comments, pdf_fields
from wordaudit.record import record

_MAX_FORM_FIELDS = 5000
_CHOICES = frozenset({pdfium_c.FPDF_FORMFIELD_COMBOBOX, pdfium_c.FPDF_FORMFIELD_LISTBOX})
_FIELD_TYPES = frozenset({pdfium_c.FPDF_FORMFIELD_TEXTFIELD, *_CHOICES})
_WIDGET, _FREE_TEXT = pdfium_c.FPDF_ANNOT_WIDGET, pdfium_c.FPDF_ANNOT_FREETEXT
_COMMENTS = frozenset(getattr(pdfium_c, f"FPDF_ANNOT_{name.upper()}") for name in pdf_comments.KINDS)
_MAX_OPTIONS = 1000


class Forms:
    """A document's form environment, made when a field first needs it."""

    def __init__(self, document: Any, pages: int) -> None:
        self._document = document
        self._pages = pages
        self._possible = pdfium_c.FPDF_GetFormType(document.raw) != pdfium_c.FORMTYPE_NONE
        self._handle: Any = None
        self.budget = pdf_fields.Budget()

    def handle(self, widgets_on_page: int) -> Any:
        """The environment's handle, or None: no form, or too large a one."""
        if self._possible and self._handle is None:
            self._possible = False  # decided once
            if widgets_on_page * self._pages <= _MAX_FORM_FIELDS:
                _init_forms(self._document)
                self._handle = self._document.formenv.raw
        return self._handle


def page_annotations(page: Any, forms: Forms, comments: list[Note] | None = None) -> list[pdf_fields.Shown]:
    """The text of the page's visible form fields and FreeText boxes; the
    page's comments are added to ``comments`` when given a list."""
    count = forms.budget.take(pdfium_c.FPDFPage_GetAnnotCount(page))
    handles = [pdfium_c.FPDFPage_GetAnnot(page, index) for index in range(count)]
    try:
        kinds = [pdfium_c.FPDFAnnot_GetSubtype(handle) if handle else None for handle in handles]
        if comments is not None:
            comments.extend(_notes(handle) for handle, kind in zip(handles, kinds, strict=True) if kind in _COMMENTS)
        widgets = kinds.count(_WIDGET)
        rect = pdfium_c.FS_RECTF()
        return pdf_fields.distinct(
            _shown(handle, kind == _WIDGET, rect, lambda: forms.handle(widgets))
            for handle, kind in zip(handles, kinds, strict=True)
            if kind in (_WIDGET, _FREE_TEXT)
        )
    finally:
        for handle in handles:
            if handle:
                pdfium_c.FPDFPage_CloseAnnot(handle)


@record
class Note:
    """A comment's text and where it starts on the page (``pdf_comments.Comment``)."""

    text: str
    top: float
    left: float


def _notes(annotation: Any) -> Note:
    """A reviewer's note; its text is "" when hidden or empty."""
    if pdfium_c.FPDFAnnot_GetFlags(annotation) & pdf_fields.HIDDEN_FLAGS:
        return Note("", 0.0, 0.0)
    rect = pdfium_c.FS_RECTF()
    placed = pdfium_c.FPDFAnnot_GetRect(annotation, rect)
    top, left = (max(rect.top, rect.bottom), min(rect.left, rect.right)) if placed else (0.0, 0.0)
    return Note(string_value(annotation, b"Contents"), top, left)


def _shown(annotation: Any, widget: bool, rect: Any, form: Callable[[], Any]) -> pdf_fields.Shown | None:
    if pdfium_c.FPDFAnnot_GetFlags(annotation) & pdf_fields.HIDDEN_FLAGS or not pdfium_c.FPDFAnnot_GetRect(
        annotation, rect
    ):
        return None
    box = (
        min(rect.left, rect.right),
        min(rect.bottom, rect.top),
        max(rect.left, rect.right),
        max(rect.bottom, rect.top),
    )
    if not widget:
        text = string_value(annotation, b"Contents")
        size = pdf_fields.font_size(string_value(annotation, b"DA"))
        return pdf_fields.Shown(text, box, size, multiline=True) if text.strip() else None
    own_type, own_value = string_value(annotation, b"FT"), string_value(annotation, b"V")
    if own_type == "Tx" and own_value:
        flags = _number_value(annotation, b"Ff")
        size = pdf_fields.font_size(string_value(annotation, b"DA"))
        return _field(own_value, box, size, flags)
    handle = form()
    if handle is None:
        # No environment: a choice's own value (its export value, where it has one).
        if own_type == "Ch" and own_value.strip():
            return pdf_fields.Shown(own_value, box, pdf_fields.font_size(string_value(annotation, b"DA")), False)
        return None
    field_type = pdfium_c.FPDFAnnot_GetFormFieldType(handle, annotation)
    if field_type not in _FIELD_TYPES:
        return None
    text = _selected_labels(handle, annotation) if field_type in _CHOICES else ""
    if not text:
        text = _utf16(lambda buffer, size: pdfium_c.FPDFAnnot_GetFormFieldValue(handle, annotation, buffer, size))
    flags = pdfium_c.FPDFAnnot_GetFormFieldFlags(handle, annotation) if field_type not in _CHOICES else 0
    font = ctypes.c_float(0.0)
    if not pdfium_c.FPDFAnnot_GetFontSize(handle, annotation, ctypes.byref(font)):
        font.value = 0.0
    return _field(text, box, float(font.value), flags)


def _field(text: str, box: tuple[float, float, float, float], size: float, flags: int) -> pdf_fields.Shown | None:
    if not text.strip() or flags & pdf_fields.PASSWORD:
        return None
    return pdf_fields.Shown(text, box, size, bool(flags & pdf_fields.MULTILINE))


def _selected_labels(handle: Any, annotation: Any) -> str:
    """The labels a choice field shows for its selected options ("Back Office"
    for the export value "BO"), every one of a multiple selection."""
    count = min(pdfium_c.FPDFAnnot_GetOptionCount(handle, annotation), _MAX_OPTIONS)
    labels = []
    for index in range(max(count, 0)):
        if pdfium_c.FPDFAnnot_IsOptionSelected(handle, annotation, index):
            label = _utf16(partial(pdfium_c.FPDFAnnot_GetOptionLabel, handle, annotation, index))
            if label:
                labels.append(label)
    return ", ".join(labels)


def string_value(annotation: Any, key: bytes) -> str:
    """A string (or name) entry of the annotation's own dictionary; "" when absent."""
    return _utf16(lambda buffer, size: pdfium_c.FPDFAnnot_GetStringValue(annotation, key, buffer, size))


def _number_value(annotation: Any, key: bytes) -> int:
    value = ctypes.c_float(0.0)
    return int(value.value) if pdfium_c.FPDFAnnot_GetNumberValue(annotation, key, ctypes.byref(value)) else 0


def _utf16(read: Callable[[Any, int], int]) -> str:
    """A string PDFium writes as UTF-16LE with a terminating NUL: asked for its
    length with no buffer first."""
    length = int(read(None, 0))
    if length <= 2:
        return ""
    buffer = ctypes.create_string_buffer(length)
    read(ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), length)
    return buffer.raw[: length - 2].decode("utf-16-le", errors="replace")


def _init_forms(document: Any) -> None:
    """PDFium's form environment for ``document``. pypdfium2 logs a warning
    for a form made with Adobe's XFA, which its PDFium cannot run; the
    AcroForm fields such a form also has are what is read, so the user's
    terminal is spared the warning."""
    log = logging.getLogger("pypdfium2")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        document.init_forms()
    finally:
        log.setLevel(level)
