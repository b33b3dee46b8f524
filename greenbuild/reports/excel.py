"""Workbooks out: one way to turn rows into an .xlsx file (openpyxl), safe to open in Excel.

Every text cell is escaped against formula injection (CSV/Excel injection, OWASP): a text that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, so
Excel shows it as text instead of running it. Numbers, dates and booleans are written as values.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_HEADER_FILL = PatternFill("solid", fgColor="DCEFE4")


def safe_cell(value: Any) -> Any:
    """The value to write into a cell: text escaped, numbers and dates kept as values."""
    if value is None:
        return None
    if isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        # Excel has no time zones: write the local wall-clock time.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, dt.date):
        return value
    text = str(value) if isinstance(value, Promise) else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


@dataclass
class Sheet:
    title: str
    headers: Sequence[Any]
    rows: Iterable[Sequence[Any]] = field(default_factory=list)
    widths: Sequence[int] | None = None


def build_workbook(sheets: Sequence[Sheet]) -> bytes:
    """The .xlsx bytes of ``sheets``: a bold header row, frozen, then the rows (all escaped)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        ws = workbook.create_sheet(title=_sheet_title(sheet.title))
        ws.append([safe_cell(h) for h in sheet.headers])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(vertical="center")
        ws.freeze_panes = "A2"
        lengths = [len(str(h)) * 2 for h in sheet.headers]
        for row in sheet.rows:
            values = [safe_cell(v) for v in row]
            ws.append(values)
            for i, value in enumerate(values[: len(lengths)]):
                lengths[i] = max(lengths[i], len(str(value)) if value is not None else 0)
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever openpyxl guesses
        for i, width in enumerate(sheet.widths or [min(60, max(8, n + 2)) for n in lengths], start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: Any) -> str:
    text = str(title)
    for char in "[]:*?/\\":
        text = text.replace(char, " ")
    return text[:31] or "Sheet"


def workbook_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """An HTTP download of ``sheets`` as ``filename`` (UTF-8 names survive: RFC 6266)."""
    return xlsx_response(build_workbook(sheets), filename)


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """An HTTP download of the workbook bytes ``data`` as ``filename``."""
    from django.utils.http import content_disposition_header

    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
