"""One pattern for spreadsheet imports.

An :class:`Importer` declares its columns (each with the Chinese and English headers it accepts),
cleans one row at a time, checks the rows against each other and the database, and writes them.
:func:`validate` reads the workbook and checks EVERY row before anything is written; the caller
writes only when there is no error, in one transaction. Errors name the row (as Excel numbers it),
the column (as the template heads it) and what is wrong, in the user's language.
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess  # noqa: S404 - our own reader (reader.py), an argument list, no shell
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from greenbuild.reports.excel import Sheet, build_workbook

HEADER_ROW = 1
MAX_ROWS = 20_000
MAX_COLUMNS = 100
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell


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


def error_workbook(
    errors: Sequence[Sequence[Any]], original: tuple[list[str], Iterable[tuple[int, list[Any]]]] | None = None
) -> bytes:
    """The error report (SEC-18): the original sheet, every row as it was uploaded at its own row
    number, with a first column naming that row's problems; then the list of problems (row, column,
    problem). Fixed and uploaded again, the first sheet imports as it is: the problems column is
    ignored. Without ``original`` (a file that could not be read) only the list."""
    listing = Sheet(title=_("Errors"), headers=[_("Row"), _("Column"), _("Problem")], rows=[list(e) for e in errors])
    if original is None:
        return build_workbook([listing])
    headers, rows = original
    keep = [i for i, header in enumerate(headers) if not is_error_column(header)]
    problems: dict[int, list[str]] = {}
    for row, column, message in errors:
        if row:
            problems.setdefault(int(row), []).append(
                pgettext("import error: column and problem", "{column}: {problem}").format(
                    column=column, problem=message
                )
                if column
                else str(message)
            )

    def sheet_rows() -> Iterator[list[Any]]:
        expected = HEADER_ROW + 1
        for number, values in rows:
            while expected < number:  # rows the reader skipped stay where they were
                yield []
                expected += 1
            yield [
                pgettext("list separator", "; ").join(problems.get(number, [])) or None,
                *(values[i] if i < len(values) else None for i in keep),
            ]
            expected = number + 1

    original_sheet = Sheet(
        title=_("Rows as uploaded"), headers=[error_column_label(), *(headers[i] for i in keep)], rows=sheet_rows()
    )
    return build_workbook([original_sheet, listing])


# --- reading -------------------------------------------------------------------------------------


#: Headers of the extra column our error report adds; ignored when the report comes back fixed.
ERROR_COLUMN_KEY = "__errors__"


def error_column_label() -> str:
    return _("Problems in this row")


def is_error_column(header: str) -> bool:
    names = set()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            names.add(normalise_header(error_column_label()))
    return normalise_header(header) in names


@dataclass(frozen=True)
class ParseLimits:
    """What the reader process may use (settings; docs/jobs-reports-imports.md)."""

    memory_bytes: int
    cpu_seconds: int
    max_rows: int
    max_columns: int
    max_cell_chars: int
    max_text_bytes: int

    @classmethod
    def from_settings(cls) -> ParseLimits:
        from django.conf import settings

        return cls(
            memory_bytes=int(getattr(settings, "IMPORT_PARSE_MEMORY_BYTES", 512 * 1024 * 1024)),
            cpu_seconds=int(getattr(settings, "IMPORT_PARSE_CPU_SECONDS", 60)),
            max_rows=MAX_ROWS,
            max_columns=MAX_COLUMNS,
            max_cell_chars=MAX_CELL_CHARS,
            max_text_bytes=int(getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", 128 * 1024 * 1024)),
        )


def _reader_message(answer: dict[str, Any]) -> str:
    code = answer.get("error")
    limit = answer.get("limit")
    if code == "no_sheet":
        return _("The workbook has no sheet.")
    if code == "empty":
        return _("The first sheet is empty: fill in the template's first sheet.")
    if code == "too_many_rows":
        return _("The sheet has more than {limit} rows; at most {limit} can be imported at once.").format(limit=limit)
    if code == "too_many_columns":
        return _("The sheet has more than {limit} columns: use the template's columns.").format(limit=limit)
    if code == "cell_too_long":
        return _("Row {row}, column {column}: the cell holds more than {limit} characters.").format(
            row=answer.get("row"), column=answer.get("column"), limit=limit
        )
    if code in ("too_much_text", "memory", "killed"):
        return _(
            "The workbook needs more memory or time than an import may use. Split it into smaller files, "
            "or remove pictures and unused sheets."
        )
    return _("The file could not be read as an Excel workbook (.xlsx).")


class _Reader:
    """The reader process (``greenbuild.imports.reader``) and its answers, one line at a time."""

    def __init__(self, data: bytes, limits: ParseLimits) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-I",
                str(Path(__file__).with_name("reader.py")),
                *(
                    str(v)
                    for v in (
                        limits.memory_bytes,
                        limits.cpu_seconds,
                        limits.max_rows,
                        limits.max_columns,
                        limits.max_cell_chars,
                        limits.max_text_bytes,
                    )
                ),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.max_line = limits.max_columns * (limits.max_cell_chars + 8) * 4 + 64
        assert self.process.stdin is not None and self.process.stdout is not None  # noqa: S101
        try:
            self.process.stdin.write(data)  # the reader reads all its input before it writes anything
            self.process.stdin.close()
        except BrokenPipeError:
            pass

    def next(self) -> Any:
        """The next answer; raises ``ImportRefused`` when the reader refused or died."""
        assert self.process.stdout is not None  # noqa: S101
        line = self.process.stdout.readline(self.max_line)
        if not line or not line.endswith(b"\n"):  # it ended without a word, or a line beyond any real row
            if not line:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(timeout=5)
            self.close()
            code = self.process.returncode
            raise ImportRefused(_reader_message({"error": "killed" if code or line else "unreadable"}))
        answer = json.loads(line)
        if isinstance(answer, dict) and "error" in answer:
            self.close()
            raise ImportRefused(_reader_message(answer))
        return answer

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def open_rows(data: bytes) -> tuple[list[str], _Rows, int]:
    """Headers, an iterator of (row number, values) and the declared number of data rows of the
    first sheet, read by a separate process under a memory and CPU cap (``reader.py``).

    Raises ``ImportRefused`` when the bytes are not a readable workbook within the limits; the
    iterator raises it too when the reader stops part-way. Check the archive first
    (``safety.check_workbook_archive``): this does not.
    """
    reader = _Reader(data, ParseLimits.from_settings())
    try:
        first = reader.next()
    except BaseException:
        reader.close()
        raise
    headers = [cell_text(h) for h in first["headers"]]
    return headers, _Rows(reader), int(first["total"])


class _Rows(Iterator[tuple[int, list[Any]]]):
    """(row number, values) from the reader; ``close()`` (also at the end) ends its process."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.done = False

    def __next__(self) -> tuple[int, list[Any]]:
        if self.done:
            raise StopIteration
        try:
            answer = self.reader.next()
        except BaseException:
            self.close()
            raise
        if isinstance(answer, dict):  # {"end": true}
            self.close()
            raise StopIteration
        number, values = answer
        return int(number), list(values)

    def close(self) -> None:
        self.done = True
        self.reader.close()


def map_headers(importer: Importer, headers: list[str]) -> dict[str, int]:
    """Column key → index in the sheet; raises ``ImportRefused`` naming any missing column."""
    mapping: dict[str, int] = {}
    unknown = []
    for index, header in enumerate(headers):
        if not header or is_error_column(header):  # empty, or the problems column of our error report
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
    try:
        return _validate_rows(importer, headers, rows, total, report)
    finally:
        rows.close()


def _validate_rows(
    importer: Importer, headers: list[str], rows: Iterator[tuple[int, list[Any]]], total: int, report: Any
) -> Validation:
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
