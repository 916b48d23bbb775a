"""The one writer of every CSV and XLSX file the project hands out.

Whoever opens an export trusts it, so a cell must never become a command in their spreadsheet
(CSV injection, OWASP "CSV Injection"):

- CSV has no types: a text cell that a spreadsheet would evaluate (it starts with = + - @, a tab or
  a carriage return, also behind leading spaces, quotes or line breaks, as in `" =cmd"` or
  `"\\n=cmd"`) gets a leading single quote, and every cell is quoted. Numbers and dates are written
  as numbers and dates, the Dutch way (`12,5`, `23-11-2026`), so they are not touched.
- XLSX has types: a string cell is stored as a string and is never a formula, whatever it starts
  with, so it is written as typed (no quote: a `+31` phone number shows as `+31 ...`). Numbers
  stay numbers, dates are real dates shown as dd-mm-yyyy, amounts keep their Decimal value.

Callers give rows of Python values; only this module knows about csv and openpyxl's cell types.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils import timezone

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
DATE_FORMAT = "DD-MM-YYYY"
DATETIME_FORMAT = "DD-MM-YYYY HH:MM"

# A formula trigger as the first character a spreadsheet sees once it has skipped what it ignores.
_TRIGGER = re.compile(r"^[\s\"']*[=+\-@]|^[\t\r]")
# Characters XML 1.0 cannot hold; openpyxl refuses them, so they are dropped (they are never text).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value) -> str:
    """A text cell for CSV: a quote before anything a spreadsheet would run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if _TRIGGER.match(text) else text


def is_neutralised(text: str) -> bool:
    """Whether `text` is a cell `neutralise` guarded (so an importer can take the quote off again)."""
    return text[:1] == "'" and bool(_TRIGGER.match(text[1:]))


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")  # Dutch Excel reads 12,5 as a number
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return neutralise(value)


def csv_bytes(rows: Iterable[Sequence]) -> bytes:
    """Rows as CSV that Dutch Excel opens with a double click: semicolons, CRLF and a UTF-8 BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_value(value):
    """The value and number format of an XLSX cell."""
    if value is None:
        return None, None
    if isinstance(value, bool | int | float | Decimal):
        return value, None
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(timezone.localtime(value))  # XLSX has no time zones
        return value, DATETIME_FORMAT
    if isinstance(value, dt.date):
        return value, DATE_FORMAT
    return _ILLEGAL_XML.sub("", str(value)), None


def xlsx_cell(sheet, value):
    """A cell for `sheet` (write-only or not): strings stay strings, never formulas."""
    from openpyxl.cell import WriteOnlyCell

    value, number_format = _xlsx_value(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl reads a string starting with "=" as a formula; this one is text, always.
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    return cell


def append_xlsx_row(sheet, values: Sequence) -> None:
    """Append one row to an openpyxl sheet the safe way (for workbooks that style their cells)."""
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    if isinstance(sheet, WriteOnlyWorksheet):
        sheet.append([xlsx_cell(sheet, value) for value in values])
        return
    converted = [_xlsx_value(value) for value in values]
    sheet.append([value for value, _format in converted])
    row = sheet.max_row
    for column, (value, number_format) in enumerate(converted, start=1):
        if value is None:
            continue
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            cell.data_type = "s"
        if number_format:
            cell.number_format = number_format


def xlsx_bytes(sheets: Iterable[tuple[str, Iterable[Sequence]]]) -> bytes:
    """A workbook with one sheet per (title, rows); streamed, so memory stays flat for long lists."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(sheet_title(title))
        for row in rows:
            sheet.append([xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_title(title: str) -> str:
    # Excel allows 31 characters and none of []:*?/\ in a sheet's name.
    return re.sub(r"[\[\]:*?/\\]", " ", str(title))[:31] or "Sheet"
