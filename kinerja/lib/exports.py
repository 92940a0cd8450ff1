"""Every Excel and CSV file the project writes goes through here.

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
read by spreadsheet programs as a formula (CSV/formula injection: names, award
bases and survey comments come from people). `safe_cell` prefixes such text
with an apostrophe, the form Excel and LibreOffice show as plain text; numbers,
dates and empty values pass unchanged, so sums still work.
"""

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet must store it: text never starts a formula."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if not isinstance(value, str) and hasattr(value, "isoformat"):
        return value  # date, datetime, time
    if not isinstance(value, str):
        from decimal import Decimal

        if isinstance(value, Decimal):
            return value
        value = str(value)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


def csv_text(header: Iterable[Any], rows: Iterable[Iterable[Any]], *, delimiter: str = ";") -> str:
    """A CSV document that opens in Excel as written: UTF-8 with a byte-order
    mark, semicolon-separated by default (the Indonesian locale's list
    separator), every cell through `safe_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))
    return "\ufeff" + buffer.getvalue()


def append(sheet: Any, values: Iterable[Any]) -> None:
    """`sheet.append(values)` for an openpyxl sheet, every cell made safe."""
    sheet.append(safe_row(values))
