"""Importing the municipality's levy list (BIZ levy or ondernemersfonds) into the ledger.

Same rules as the CRM import (crm/importing.py), whose file reading is reused as it is: CSV (any
delimiter, UTF-8 or Windows-1252) or XLSX, size limit, headings recognised whatever their case or
punctuation. Then per row:
- it is matched on KvK number (validated with the CRM's validator), or on vestigingsnummer when a
  KvK number has several branches in the CRM; a row that matches no organisation, or more than
  one, is not taken. The levy list never creates organisations: it bills those we know.
- an organisation that has a line of this kind and year already keeps it (no double billing);
- every row not taken is reported with its line number and reason; a dry run writes nothing;
- everything one import added can be undone as a whole (the lines point to their import).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.importing import ImportFileError, Table, file_sha256, load_table, normalise_header
from crm.models import Organisation
from crm.validators import normalise_digits, validate_branch_number, validate_kvk_number
from funding.models import Contribution, ContributionKind, LevyImport
from stadshart.storage import private_storage

_ALIASES = {
    "kvk_number": ("kvk", "kvk nummer", "kvknummer", "kvk nr", "kvk number", "coc"),
    "branch_number": ("vestigingsnummer", "vestigingsnr", "vestiging", "branch number"),
    "name": ("naam", "bedrijfsnaam", "handelsnaam", "belastingplichtige", "name"),
    "amount": (
        "bedrag", "aanslag", "bedrag aanslag", "aanslagbedrag", "heffing", "bijdrage", "biz bijdrage",
        "amount",
    ),
    "year": ("jaar", "belastingjaar", "heffingsjaar", "year"),
    "invoiced_on": ("aanslagdatum", "dagtekening", "factuurdatum", "gefactureerd", "invoiced"),
    "paid_amount": ("betaald", "betaald bedrag", "ontvangen", "paid"),
    "paid_on": ("betaaldatum", "datum betaling", "betaald op", "paid on"),
}  # fmt: skip
HEADINGS = {normalise_header(alias): key for key, aliases in _ALIASES.items() for alias in aliases}


class RowRejected(Exception):
    pass


def parse_amount(value: str) -> Decimal:
    """'€ 1.234,56', '1234,56', '1234.56', '250' -> Decimal; RowRejected otherwise."""
    text = value.replace("€", "").replace("EUR", "").replace("\xa0", "").replace(" ", "").strip()
    if "," in text:
        # Dutch: dots group thousands, the comma is the decimal mark.
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")  # "1.250" is twelve hundred and fifty in a Dutch list
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise RowRejected(_("Amount “%(value)s” is not an amount.") % {"value": value[:40]}) from None
    if not amount.is_finite():
        raise RowRejected(_("Amount “%(value)s” is not an amount.") % {"value": value[:40]})
    if amount < 0:
        raise RowRejected(_("Amount “%(value)s” is negative.") % {"value": value[:40]})
    if amount >= Decimal("100000000"):
        raise RowRejected(_("Amount “%(value)s” is too large.") % {"value": value[:40]})
    return amount.quantize(Decimal("0.01"))


def parse_date(value: str, label: str) -> dt.date:
    for pattern in ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%y"):
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise RowRejected(
        _("%(field)s “%(value)s” is not a date like 23-11-2026.") % {"field": label, "value": value[:30]}
    )


def find_columns(headers: list[str]) -> dict[str, int]:
    """Field -> column index for the headings we recognise; ImportFileError when KvK or amount lacks."""
    columns: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = HEADINGS.get(normalise_header(header))
        if key and key not in columns:
            columns[key] = index
    missing = [label for key, label in (("kvk_number", "KvK"), ("amount", _("amount"))) if key not in columns]
    if missing:
        raise ImportFileError(
            _("The file has no column for %(missing)s. Columns found: %(headers)s.")
            % {"missing": " and ".join(missing), "headers": ", ".join(h for h in headers if h) or "–"}
        )
    return columns


@dataclass
class LevyPlan:
    total_rows: int = 0
    new_lines: list[Contribution] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    # (line, organisation name, amount) of the first rows taken, for the dry run's screen.
    sample: list[tuple[int, str, Decimal]] = field(default_factory=list)


def plan_levy(table: Table, *, year: int, kind: str) -> LevyPlan:
    """Check and match every row; what would be written, without writing anything. Two queries."""
    columns = find_columns(table.headers)
    by_kvk: dict[str, list[tuple[int, str, str]]] = {}
    for pk, kvk, branch, name in Organisation.objects.exclude(kvk_number="").values_list(
        "pk", "kvk_number", "branch_number", "name"
    ):
        by_kvk.setdefault(kvk, []).append((pk, branch, name))
    billed = set(Contribution.objects.filter(year=year, kind=kind).values_list("organisation_id", flat=True))
    kind_label = ContributionKind(kind).label
    plan = LevyPlan(total_rows=len(table.rows))
    taken: dict[int, int] = {}  # organisation id -> line that took it in this file

    def cell(cells: list[str], key: str) -> str:
        index = columns.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for line, cells in table.rows:
        try:
            kvk = normalise_digits(cell(cells, "kvk_number"))
            if not kvk:
                raise RowRejected(_("The KvK number is empty."))
            try:
                validate_kvk_number(kvk)
            except ValidationError as error:
                raise RowRejected(" ".join(error.messages)) from None
            branch = normalise_digits(cell(cells, "branch_number"))
            if branch:
                try:
                    validate_branch_number(branch)
                except ValidationError as error:
                    raise RowRejected(" ".join(error.messages)) from None
            row_year = cell(cells, "year")
            if row_year and row_year != str(year):
                raise RowRejected(
                    _("The row is for %(row)s, the import for %(year)s.")
                    % {"row": row_year[:10], "year": year}
                )
            raw_amount = cell(cells, "amount")
            if not raw_amount:
                raise RowRejected(_("The amount is empty."))
            amount = parse_amount(raw_amount)
            invoiced = cell(cells, "invoiced_on")
            paid_on = cell(cells, "paid_on")
            paid_amount = cell(cells, "paid_amount")
            candidates = by_kvk.get(kvk, [])
            if branch:
                candidates = [c for c in candidates if c[1] == branch] or [c for c in candidates if not c[1]]
            if not candidates:
                raise RowRejected(
                    _("No organisation in the CRM has KvK number %(kvk)s%(branch)s.")
                    % {"kvk": kvk, "branch": f" / {branch}" if branch else ""}
                )
            if len(candidates) > 1:
                raise RowRejected(
                    _(
                        "KvK number %(kvk)s belongs to %(count)s organisations in the CRM; "
                        "add the vestigingsnummer to the row."
                    )
                    % {"kvk": kvk, "count": len(candidates)}
                )
            organisation_id, _branch, name = candidates[0]
            if organisation_id in billed:
                raise RowRejected(
                    _("%(name)s has a %(kind)s for %(year)s already; it was not added twice.")
                    % {"name": name, "kind": kind_label, "year": year}
                )
            if organisation_id in taken:
                raise RowRejected(
                    _("%(name)s is on line %(line)s of this file already.")
                    % {"name": name, "line": taken[organisation_id]}
                )
            contribution = Contribution(
                organisation_id=organisation_id,
                year=year,
                kind=kind,
                amount=amount,
                invoiced_on=parse_date(invoiced, _("Invoice date")) if invoiced else None,
                paid_on=parse_date(paid_on, _("Payment date")) if paid_on else None,
                paid_amount=parse_amount(paid_amount) if paid_amount else None,
            )
        except RowRejected as rejection:
            plan.rejected.append({"line": line, "reason": str(rejection)})
            continue
        taken[organisation_id] = line
        plan.new_lines.append(contribution)
        if len(plan.sample) < 25:
            plan.sample.append((line, name, amount))
    return plan


UPLOAD_FOLDER = "funding-levy"


def stored_path(levy_import: LevyImport) -> str:
    extension = ".xlsx" if levy_import.filename.lower().endswith((".xlsx", ".xlsm")) else ".csv"
    return f"{UPLOAD_FOLDER}/{levy_import.file_sha256}{extension}"


def start_import(
    *, data: bytes, filename: str, year: int, kind: str, user, dry_run: bool = False
) -> LevyImport:
    """Keep the upload and create the import the worker will run (see funding.tasks).

    With `dry_run` the worker only reads and checks it (check_levy_list); the import waits for
    import_checked, so the same stored file is imported without uploading it again.
    """
    levy_import = LevyImport.objects.create(
        filename=filename[:255],
        file_sha256=file_sha256(data),
        year=year,
        kind=kind,
        status=LevyImport.Status.CHECKING if dry_run else LevyImport.Status.RUNNING,
        created_by=user if getattr(user, "pk", None) else None,
    )
    path = stored_path(levy_import)
    if not private_storage().exists(path):
        private_storage().save(path, ContentFile(data))
    return levy_import


def import_levy_list(
    *, data: bytes, filename: str, year: int, kind: str, user, dry_run: bool = False, levy_import=None
) -> tuple[LevyImport, LevyPlan]:
    """Import a levy list; with `dry_run` nothing is written and an unsaved LevyImport is returned.

    Raises ImportFileError when the file as a whole cannot be read (nothing is stored then).
    """
    _data, table = load_table(file=data, filename=filename)
    plan = plan_levy(table, year=year, kind=kind)
    if levy_import is None:
        levy_import = LevyImport(
            filename=filename[:255],
            file_sha256=file_sha256(data),
            year=year,
            kind=kind,
            created_by=user if getattr(user, "pk", None) else None,
        )
    levy_import.total_rows = plan.total_rows
    levy_import.created_count = len(plan.new_lines)
    levy_import.rejected_count = len(plan.rejected)
    levy_import.rejected_rows = plan.rejected
    if dry_run:
        return levy_import, plan
    with transaction.atomic(), set_actor(user):
        if levy_import.pk:
            # A task delivered twice must not import twice.
            locked = LevyImport.objects.select_for_update().get(pk=levy_import.pk)
            if locked.status != LevyImport.Status.RUNNING:
                levy_import.refresh_from_db()
                return levy_import, plan
        levy_import.status = LevyImport.Status.DONE
        levy_import.finished_at = timezone.now()
        levy_import.save()
        for line in plan.new_lines:
            line.levy_import = levy_import
        # One INSERT per line keeps each in the audit trail (a municipality's list is hundreds of
        # rows, not hundreds of thousands); bulk_create would bypass auditlog's signals.
        for line in plan.new_lines:
            line.save()
    return levy_import, plan


def check_levy_list(*, levy_import: LevyImport, data: bytes | None) -> LevyImport:
    """The dry run, in the worker: store what the import would do, or why the file is refused.

    `data` None means the stored file is gone. Only an import still being checked changes, so a
    second delivery of the task does nothing.
    """
    try:
        if data is None:
            raise ImportFileError(_("The uploaded file is no longer there; upload it again."))
        levy_import, plan = import_levy_list(
            data=data,
            filename=levy_import.filename,
            year=levy_import.year,
            kind=levy_import.kind,
            user=levy_import.created_by,
            dry_run=True,
            levy_import=levy_import,
        )
    except ImportFileError as error:
        LevyImport.objects.filter(pk=levy_import.pk, status=LevyImport.Status.CHECKING).update(
            status=LevyImport.Status.FAILED, rejected_rows=[{"line": None, "reason": str(error)}]
        )
        private_storage().delete(stored_path(levy_import))  # refused: nobody needs it (AVG)
    else:
        report = {
            "total_rows": plan.total_rows,
            "would_add": len(plan.new_lines),
            "rejected": plan.rejected,
            "sample": [[line, name, str(amount)] for line, name, amount in plan.sample],
        }
        # The counts of the import itself stay 0 until it runs: the report is only what it would do.
        LevyImport.objects.filter(pk=levy_import.pk, status=LevyImport.Status.CHECKING).update(
            status=LevyImport.Status.CHECKED, dry_run_report=report
        )
    levy_import.refresh_from_db()
    return levy_import


def import_checked(*, levy_import: LevyImport, user) -> bool:
    """Start the real import of a checked file; False when it is no longer waiting (clicked twice)."""
    with transaction.atomic(), set_actor(user):
        started = LevyImport.objects.filter(pk=levy_import.pk, status=LevyImport.Status.CHECKED).update(
            status=LevyImport.Status.RUNNING, created_by=user if getattr(user, "pk", None) else None
        )
    return bool(started)


class LevyUndoError(Exception):
    pass


def undo_levy_import(*, levy_import: LevyImport, user) -> int:
    """Delete every ledger line the import added and mark it undone; returns how many."""
    with transaction.atomic(), set_actor(user):
        levy_import = LevyImport.objects.select_for_update().get(pk=levy_import.pk)
        if levy_import.status != LevyImport.Status.DONE:
            raise LevyUndoError(
                _("Only a finished import can be undone; this one is “%(status)s”.")
                % {"status": levy_import.get_status_display()}
            )
        lines = list(levy_import.contributions.all())
        for line in lines:
            line.delete()  # one by one: each deletion in the audit trail
        levy_import.status = LevyImport.Status.UNDONE
        levy_import.undone_at = timezone.now()
        levy_import.save(update_fields=["status", "undone_at"])
    return len(lines)
