"""The workbook reader that runs in its own process, under a memory and CPU cap (SEC-06).

``python -m greenbuild.imports.reader MEMORY_BYTES CPU_SECONDS MAX_ROWS MAX_COLUMNS MAX_CELL_CHARS
MAX_TEXT_BYTES`` reads an .xlsx from standard input and writes JSON lines to standard output::

    {"headers": [...], "total": 1234}     the first row, and the sheet's declared number of data rows
    [2, ["甲", 123, null]]                 one line per row: the row number Excel shows, the cells
    {"end": true}                          the whole sheet was read
    {"error": "too_many_rows", ...}        or: why it stopped (the caller turns it into a message)

The first thing it does is to cap its own address space (``resource.setrlimit(RLIMIT_AS)``) and
CPU time, so a workbook that needs more than the cap ends this process (``MemoryError`` or a kill
by the kernel), never the web or job worker that started it. It imports no Django and nothing of
GreenBuild; the caller (``greenbuild.imports.base.open_rows``) maps its answers to messages in the
user's language. openpyxl reads in read-only (streaming) mode; it still loads the shared-strings
table whole, which the archive limits (``greenbuild.imports.safety``) and this cap bound.
"""

from __future__ import annotations

import io
import json
import sys
from typing import Any

EXIT_REFUSED = 3


def _limit_resources(memory_bytes: int, cpu_seconds: int) -> None:
    try:
        import resource
    except ImportError:  # not a Unix system: the archive limits and row caps still apply
        return
    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    if cpu_seconds > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def _cell(value: Any) -> Any:
    """A cell as JSON: text and numbers as they are, anything else (dates, times) as its text."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _emit(out: Any, payload: Any) -> int:
    line = json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n"
    out.write(line)
    return len(line)


def _refuse(out: Any, code: str, **detail: Any) -> int:
    _emit(out, {"error": code, **detail})
    out.flush()
    return EXIT_REFUSED


def read(data: bytes, out: Any, *, max_rows: int, max_columns: int, max_cell_chars: int, max_text: int) -> int:
    """Write the sheet's lines to ``out``; return the process exit code."""
    # openpyxl imports numpy when it can; numpy's BLAS reserves hundreds of MB of address space
    # for its threads, which the cap would count. openpyxl reads workbooks as well without it.
    sys.modules.setdefault("numpy", None)  # type: ignore[arg-type]
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0] if workbook.worksheets else None
    except MemoryError:
        raise
    except Exception:  # anything openpyxl raises on a damaged or foreign file
        return _refuse(out, "unreadable")
    if sheet is None:
        return _refuse(out, "no_sheet")
    written = 0
    total = None
    number = 0
    try:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = list(values)
            while cells and cells[-1] is None:
                cells.pop()
            if len(cells) > max_columns:
                return _refuse(out, "too_many_columns", limit=max_columns)
            row = [_cell(v) for v in cells]
            for index, cell in enumerate(row):
                if isinstance(cell, str) and len(cell) > max_cell_chars:
                    return _refuse(out, "cell_too_long", row=number, column=index + 1, limit=max_cell_chars)
            if number == 1:
                total = max(0, (sheet.max_row or 1) - 1)
                written += _emit(out, {"headers": row, "total": total})
                continue
            if number - 1 > max_rows:
                return _refuse(out, "too_many_rows", limit=max_rows)
            written += _emit(out, [number, row])
            if written > max_text:
                return _refuse(out, "too_much_text", limit=max_text)
    except MemoryError:
        raise
    except Exception:
        return _refuse(out, "unreadable")
    if total is None:
        return _refuse(out, "empty")
    _emit(out, {"end": True, "rows": number - 1})
    out.flush()
    return 0


def main(argv: list[str]) -> int:
    memory_bytes, cpu_seconds, max_rows, max_columns, max_cell_chars, max_text = (int(a) for a in argv[:6])
    _limit_resources(memory_bytes, cpu_seconds)
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", write_through=False)
    try:
        data = sys.stdin.buffer.read()
        return read(
            data, out, max_rows=max_rows, max_columns=max_columns, max_cell_chars=max_cell_chars, max_text=max_text
        )
    except MemoryError:
        try:
            return _refuse(out, "memory")
        except MemoryError:
            return EXIT_REFUSED + 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
