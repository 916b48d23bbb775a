"""The dashboard taken to the meeting: a workbook (one sheet per section, numbers as numbers) and an
A4 PDF (the organisation's name, the period, each chart drawn as bars and each table).

Both read the same Dashboard as the screen. The PDF is laid out by WeasyPrint, which runs no
JavaScript: its charts are plain HTML bars from the tables' numbers.
"""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from insights.queries import Dashboard
from insights.queries.shapes import DAYS, EURO, PERCENT, TEXT
from projects.queries import organisation_name
from stadshart.exports import append_xlsx_row, sheet_title, xlsx_save
from stadshart.pdf import html_to_pdf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A change of a percentage is in percentage points, shown as such (+2.5), never as a percentage.
POINTS = "points"
FORMATS = {PERCENT: "0.0%", EURO: '"€" #,##0.00', DAYS: "0.0", "count": "#,##0", POINTS: "+0.0;-0.0;0.0"}


def period_label(board: Dashboard) -> str:
    period = board.period
    label = f"{formats.date_format(period.start, 'd-m-Y')} – {formats.date_format(period.end, 'd-m-Y')}"
    return label


def previous_label(board: Dashboard) -> str:
    previous = board.period.previous
    return f"{formats.date_format(previous.start, 'd-m-Y')} – {formats.date_format(previous.end, 'd-m-Y')}"


def filename(board: Dashboard, extension: str) -> str:
    return f"inzichten-{board.period.start.isoformat()}-{board.period.end.isoformat()}.{extension}"


# The workbook ---------------------------------------------------------------------------------


def _cell(value, unit: str):
    """A value as the spreadsheet should hold it: percentages as fractions (stadshart.exports
    keeps text from ever being a formula)."""
    if value is None:
        return None
    if unit == PERCENT:
        return float(value) / 100
    if unit == EURO:
        return Decimal(value)
    if unit == TEXT:
        return str(value)
    return value


def write_workbook(sheets: list[dict]) -> bytes:
    """A workbook from plain sheets: {"title", "rows": [[(value, unit), …], …], "bold": {row numbers}},
    written through the project's one spreadsheet writer, with the dashboard's number formats."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for sheet_data in sheets:
        sheet = book.create_sheet(sheet_title(sheet_data["title"]))
        widths: dict[int, int] = {}
        for number, row in enumerate(sheet_data["rows"], start=1):
            append_xlsx_row(sheet, [_cell(value, unit) for value, unit in row] or [None])
            for column, (value, unit) in enumerate(row, start=1):
                cell = sheet.cell(row=number, column=column)
                if unit in FORMATS and value is not None:
                    cell.number_format = FORMATS[unit]
                if number in sheet_data.get("bold", ()):
                    cell.font = Font(bold=True)
                widths[column] = max(widths.get(column, 8), len(str(value or "")) + 2)
        for column, width in widths.items():
            sheet.column_dimensions[get_column_letter(column)].width = min(width, 60)
    return xlsx_save(book)


def render_xlsx(board: Dashboard) -> bytes:
    sheets = []
    head = [
        [(organisation_name(), TEXT), (_("Insights"), TEXT)],
        [(_("Period"), TEXT), (period_label(board), TEXT)],
        [(_("Compared with"), TEXT), (previous_label(board), TEXT)],
        [(_("Chosen organisations"), TEXT), (board.segment.label(), TEXT)],
    ]
    for section in board.sections:
        rows = [*head, []]
        bold = {1}
        if board.withheld:
            rows.append([(board.withheld, TEXT)])
        if section.figures:
            rows.append(
                [
                    (_("Figure"), TEXT),
                    (_("This period"), TEXT),
                    (_("Previous period"), TEXT),
                    (_("Difference"), TEXT),
                ]
            )
            bold.add(len(rows))
            for figure in section.figures:
                unit = figure.unit
                rows.append(
                    [
                        (figure.label, TEXT),
                        (figure.value, unit),
                        (figure.previous, unit),
                        (figure.change, POINTS if unit == PERCENT else unit),
                    ]
                )
        for note in section.notes:
            rows.append([(note, TEXT)])
        for table in section.tables:
            rows += [[], [(table.title, TEXT)]]
            bold.add(len(rows))
            rows.append([(str(column.label), TEXT) for column in table.columns])
            bold.add(len(rows))
            for row in table.rows:
                rows.append([(value, column.unit) for value, column in zip(row, table.columns, strict=True)])
            if table.note:
                rows.append([(table.note, TEXT)])
        sheets.append({"title": section.title, "rows": rows, "bold": bold})
    return write_workbook(sheets)


# The PDF --------------------------------------------------------------------------------------


def render_pdf(board: Dashboard) -> bytes:
    html = render_to_string(
        "insights/dashboard_pdf.html",
        {
            "board": board,
            "organisation": organisation_name(),
            "period_label": period_label(board),
            "previous_label": previous_label(board),
            "made_at": timezone.localtime(),
        },
    )
    return html_to_pdf(html)
