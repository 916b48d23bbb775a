"""The progress report (voortgangsrapportage) in its three forms: the page, the A4 PDF and the XLSX.

All three are made from the same plain data (projects.queries.progress_report), which is what a
sent report keeps: the board's copy renders exactly what it was told.
"""

import datetime as dt
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from projects.models import BasicTask, DecisionRequest, Status
from stadshart.exports import append_xlsx_row, xlsx_save
from stadshart.pdf import html_to_pdf

EURO = '"€" #,##0.00'
DATE = "DD-MM-YYYY"


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def display(data: dict) -> dict:
    """The data with real dates, amounts and labels, for templates and spreadsheets."""
    statuses = dict(Status.choices)
    answers = dict(DecisionRequest.Answer.choices)
    kinds = dict(BasicTask.Kind.choices)
    projects = []
    for number, project in enumerate(data["projects"], start=1):
        planned, spent = Decimal(project["budget_planned"]), Decimal(project["budget_spent"])
        projects.append(
            {
                **project,
                "number": number,
                "status_label": str(statuses.get(project["status"], project["status"])),
                "start": _date(project["start"]),
                "end": _date(project["end"]),
                "budget_planned": planned,
                "budget_spent": spent,
                "budget_left": planned - spent,
                "milestones": [{**m, "date": _date(m["date"])} for m in project["milestones"]],
            }
        )
    finances = data["finances"]
    return {
        **data,
        "period": {
            **data["period"],
            "start": _date(data["period"]["start"]),
            "end": _date(data["period"]["end"]),
        },
        "projects": projects,
        "basic_tasks": [
            {
                **task,
                "label": str(kinds.get(task["kind"], task["kind"])),
                "budget": Decimal(task["budget"]) if task["budget"] is not None else None,
            }
            for task in data["basic_tasks"]
        ],
        "decisions": [
            {
                **decision,
                "meeting_date": _date(decision["meeting_date"]),
                "answered_on": _date(decision["answered_on"]),
                "answer_label": str(answers.get(decision["answer"], "")),
            }
            for decision in data["decisions"]
        ],
        "finances": {
            "planned": Decimal(finances["planned"]),
            "spent": Decimal(finances["spent"]),
            "left": Decimal(finances["planned"]) - Decimal(finances["spent"]),
            "contributions": [{**c, "amount": Decimal(c["amount"])} for c in finances["contributions"]],
            "contributions_total": Decimal(finances["contributions_total"]),
        },
        "legend": Status.choices,
    }


def render_html(data: dict) -> str:
    """The report's body as HTML (shown in the admin, kept when sent, laid out as the PDF)."""
    return render_to_string("projects/progress_report_body.html", {"report": display(data)})


def render_pdf(data: dict) -> bytes:
    """The A4 PDF: the organisation's name and the period on every page, pages numbered."""
    html = render_to_string(
        "projects/progress_report_pdf.html", {"report": display(data), "body": render_html(data)}
    )
    return html_to_pdf(html)


def render_xlsx(data: dict) -> bytes:
    """The report as a workbook: numbers as numbers, amounts as euros, dates as dates."""
    # openpyxl is imported when a workbook is made, as in stadshart.exports: imported with this
    # module it would sit in every process, the sending workers too (~17 MB each).
    from openpyxl import Workbook
    from openpyxl.styles import Font

    report = display(data)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Projects")[:31]
    _append(sheet, [report["organisation"], report["title"]])
    sheet["A1"].font = sheet["B1"].font = Font(bold=True)
    _append(sheet, [])
    headers = [
        _("Project"),
        _("Year plan"),
        _("Project lead"),
        _("Status"),
        _("Remark"),
        _("Start"),
        _("End"),
        _("Planned budget"),
        _("Spent"),
        _("Left"),
    ]
    _append(sheet, headers)
    for project in report["projects"]:
        _append(
            sheet,
            [
                project["name"],
                project["year"],
                project["lead"],
                project["status_label"],
                project["remark"],
                project["start"],
                project["end"],
                project["budget_planned"],
                project["budget_spent"],
                project["budget_left"],
            ],
        )
    total_row = sheet.max_row + 1
    finances = report["finances"]
    _append(
        sheet,
        [
            _("Total"),
            None,
            None,
            None,
            None,
            None,
            None,
            finances["planned"],
            finances["spent"],
            finances["left"],
        ],
    )
    _style(sheet, header_row=3, euro_columns=(8, 9, 10), date_columns=(6, 7), bold_rows=(total_row,))

    decisions = book.create_sheet(_("Requested decisions")[:31])
    _append(
        decisions,
        [
            _("Project"),
            _("Question"),
            _("Meeting"),
            _("Date"),
            _("Answer"),
            _("Explanation"),
            _("Answered on"),
        ],
    )
    for decision in report["decisions"]:
        _append(
            decisions,
            [
                decision["project"],
                decision["question"],
                decision["meeting_name"],
                decision["meeting_date"],
                decision["answer_label"] or _("Open"),
                decision["answer_text"],
                decision["answered_on"],
            ],
        )
    _style(decisions, header_row=1, euro_columns=(), date_columns=(4, 7))

    money = book.create_sheet(_("Contributions")[:31])
    _append(money, [_("Contributions received"), report["period"]["label"]])
    _append(money, [_("Kind"), _("Received")])
    for contribution in finances["contributions"]:
        _append(money, [contribution["label"], contribution["amount"]])
    _append(money, [_("Total"), finances["contributions_total"]])
    _style(money, header_row=2, euro_columns=(2,), date_columns=(), bold_rows=(money.max_row,))

    return xlsx_save(book)


def _append(sheet, values):
    # Text typed by staff is text in the board's spreadsheet, never a formula (stadshart.exports).
    append_xlsx_row(sheet, values)


def _style(sheet, *, header_row, euro_columns, date_columns, bold_rows=()):
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            if cell.column in euro_columns and cell.value is not None:
                cell.number_format = EURO
            elif cell.column in date_columns and cell.value is not None:
                cell.number_format = DATE
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(cell.value, str))
    for row in bold_rows:
        for cell in sheet[row]:
            cell.font = Font(bold=True)
    for column in range(1, sheet.max_column + 1):
        longest = max(
            (len(str(c.value)) for c in sheet[get_column_letter(column)] if c.value is not None), default=8
        )
        sheet.column_dimensions[get_column_letter(column)].width = min(max(longest + 2, 10), 60)
