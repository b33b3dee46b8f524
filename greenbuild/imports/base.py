"""One pattern for spreadsheet imports.

An :class:`Importer` declares its columns (each with the Chinese and English headers it accepts),
cleans one row at a time, checks the rows against each other and the database, and writes them.
:func:`validate` reads the workbook and checks EVERY row before anything is written; the caller
writes only when there is no error, in one transaction. Errors name the row (as Excel numbers it),
the column (as the template heads it) and what is wrong, in the user's language.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from greenbuild.reports.excel import Sheet, build_workbook

HEADER_ROW = 1
MAX_ROWS = 20_000


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # lazy: the template's header in the user's language
    aliases: tuple[str, ...] = ()  # other accepted headers (the other language, common variants)
    required: bool = True
    example: Any = ""
    help: Any = ""

    def accepts(self, header: str) -> bool:
        """Whether ``header`` names this column: its label in either language, key or an alias."""
        names = {normalise_header(self.key), *map(normalise_header, self.aliases)}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names.add(normalise_header(str(self.label)))
        return normalise_header(header) in names


@dataclass(frozen=True)
class RowError:
    row: int  # the row number Excel shows (the header is row 1); 0 for the whole file
    column: str  # the column header, "" for the whole row or file
    message: str

    def as_list(self) -> list[Any]:
        return [self.row, self.column, self.message]


class ImportRefused(Exception):
    """The file as a whole cannot be imported (not a workbook, missing columns, too many rows)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Validation:
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (row number, cleaned values)
    errors: list[RowError] = field(default_factory=list)
    total: int = 0


_SPACES = re.compile(r"[\s\u3000*＊:：]+")
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")


def join_list(items: Sequence[Any]) -> str:
    """Items joined the way the active language lists them (“、” in Chinese, “, ” in English)."""
    return pgettext("list separator", ", ").join(str(i) for i in items)


def normalise_header(text: str) -> str:
    """'统一社会信用代码 *', 'Credit code (18)' → comparable keys: case, spaces, stars, notes dropped."""
    return _SPACES.sub("", _BRACKETED.sub("", str(text or ""))).lower()


def cell_text(value: Any) -> str:
    """A cell as text: None → "", whole floats without ".0", and a leading quote added by our own
    exports (formula-injection escape) dropped again."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


class Importer:
    """Subclass: set ``name``, ``label``, ``columns``; implement ``clean_row`` and ``write``."""

    name: str = ""
    label: Any = ""
    columns: Sequence[Column] = ()

    def clean_row(self, values: dict[str, str]) -> dict[str, Any]:
        """Cleaned values of one row, or raise ``ValidationError({column_key: message})``."""
        raise NotImplementedError

    def check_rows(self, rows: list[tuple[int, dict[str, Any]]]) -> list[RowError]:
        """Errors across rows (duplicates in the file, clashes with the database)."""
        return []

    def write(self, rows: list[dict[str, Any]], *, actor: Any, options: dict[str, Any]) -> int:
        """Write the cleaned rows (the caller holds the transaction). Returns how many were created."""
        raise NotImplementedError

    def label_of(self, key: str) -> str:
        for column in self.columns:
            if column.key == key:
                return str(column.label)
        return ""

    # --- the template --------------------------------------------------------------------------

    def template_workbook(self) -> bytes:
        headers = [str(c.label) + (" *" if c.required else "") for c in self.columns]
        example = [str(c.example) for c in self.columns]
        notes = Sheet(
            title=_("Notes"),
            headers=[_("Column"), _("Required"), _("What to enter")],
            rows=[[str(c.label), _("yes") if c.required else _("no"), str(c.help)] for c in self.columns],
        )
        return build_workbook([Sheet(title=str(self.label), headers=headers, rows=[example]), notes])


def error_workbook(errors: Sequence[Sequence[Any]]) -> bytes:
    return build_workbook(
        [Sheet(title=_("Errors"), headers=[_("Row"), _("Column"), _("Problem")], rows=[list(e) for e in errors])]
    )


# --- reading -------------------------------------------------------------------------------------


def open_rows(data: bytes) -> tuple[list[str], Iterator[tuple[int, list[Any]]], int]:
    """Headers, an iterator of (row number, values) and the number of data rows of the first sheet.

    Raises ``ImportRefused`` when the bytes are not a readable workbook.
    """
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError) as exc:
        raise ImportRefused(_("The file could not be read as an Excel workbook (.xlsx).")) from exc
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        raise ImportRefused(_("The workbook has no sheet."))
    rows = sheet.iter_rows(values_only=True)
    try:
        header = next(rows)
    except StopIteration:
        raise ImportRefused(_("The first sheet is empty: fill in the template's first sheet.")) from None
    headers = [cell_text(h) for h in header]
    total = max(0, (sheet.max_row or 1) - HEADER_ROW)

    def numbered() -> Iterator[tuple[int, list[Any]]]:
        for number, values in enumerate(rows, start=HEADER_ROW + 1):
            yield number, list(values)
        workbook.close()

    return headers, numbered(), total


def map_headers(importer: Importer, headers: list[str]) -> dict[str, int]:
    """Column key → index in the sheet; raises ``ImportRefused`` naming any missing column."""
    mapping: dict[str, int] = {}
    unknown = []
    for index, header in enumerate(headers):
        if not header:
            continue
        column = next((c for c in importer.columns if c.accepts(header)), None)
        if column is None:
            unknown.append(header)
        elif column.key in mapping:
            raise ImportRefused(_("The column “{column}” appears twice.").format(column=header))
        else:
            mapping[column.key] = index
    missing = [str(c.label) for c in importer.columns if c.required and c.key not in mapping]
    if missing:
        raise ImportRefused(
            _("Required columns are missing: {columns}. Start from the template.").format(columns=join_list(missing))
        )
    if unknown:
        raise ImportRefused(
            _("Unknown columns: {columns}. Use the template's headers (Chinese or English).").format(
                columns=join_list(unknown)
            )
        )
    return mapping


def validate(importer: Importer, data: bytes, *, report: Callable[..., None] | None = None) -> Validation:
    """Read and check every row. Nothing is written here."""
    headers, rows, total = open_rows(data)
    if total > MAX_ROWS:
        raise ImportRefused(
            _("The sheet has {count} rows; at most {limit} can be imported at once.").format(
                count=total, limit=MAX_ROWS
            )
        )
    mapping = map_headers(importer, headers)
    result = Validation()
    for position, (number, values) in enumerate(rows, start=1):
        raw = {key: cell_text(values[index]) if index < len(values) else "" for key, index in mapping.items()}
        if not any(raw.values()):
            continue  # blank lines are skipped
        result.total += 1
        try:
            result.rows.append((number, importer.clean_row(raw)))
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                for message in messages:
                    result.errors.append(RowError(number, importer.label_of(key), message))
        if report and position % 100 == 0 and total:
            report(
                5 + int(70 * position / total), _("Checked {done} of {total} rows").format(done=position, total=total)
            )
    if not result.rows and not result.errors:
        raise ImportRefused(_("The sheet has no rows to import."))
    result.errors.extend(importer.check_rows(result.rows))
    result.errors.sort(key=lambda e: (e.row, e.column))
    return result
