"""Exporting lists of the CRM to CSV and XLSX.

The cells are written by stadshart.exports, the one writer of every export: no cell becomes a
formula in the spreadsheet of whoever opens the list (CSV injection, OWASP).

The column headings are the ones the importer recognises, so an exported list can be imported
again (and then matches every row instead of creating anything).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import Organisation, Person, Role
from stadshart import exports

FORMATS = ("csv", "xlsx")
# Rows fetched per query while exporting; prefetches run per chunk, so memory stays flat.
CHUNK_SIZE = 2000


class ExportError(Exception):
    pass


@dataclass
class ExportFile:
    content: bytes
    content_type: str
    filename: str


Column = tuple[str, Callable[[object], object]]


def _write(rows: Iterable[list], headers: list[str], fmt: str, stem: str) -> ExportFile:
    filename = f"{stem}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    table = itertools.chain([headers], rows)
    if fmt == "csv":
        return ExportFile(exports.csv_bytes(table), exports.CSV_CONTENT_TYPE, filename)
    if fmt == "xlsx":
        return ExportFile(exports.xlsx_bytes([(stem, table)]), exports.XLSX_CONTENT_TYPE, filename)
    raise ExportError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


def _primary_contact(organisation: Organisation) -> Person | None:
    roles = organisation.primary_roles
    return roles[0].person if roles else None


def _first(items) -> str:
    items = list(items)
    return str(items[0]) if items else ""


def _organisation_columns() -> list[Column]:
    def contact(attribute):
        def value(organisation):
            person = _primary_contact(organisation)
            return attribute(person) if person else ""

        return value

    return [
        (_("Name"), lambda o: o.name),
        (_("Kind"), lambda o: o.get_kind_display()),
        (_("Sector"), lambda o: o.get_sector_display() if o.sector else ""),
        (_("KvK number"), lambda o: o.kvk_number),
        (_("Branch number"), lambda o: o.branch_number),
        (_("Street"), lambda o: o.street),
        (_("House number"), lambda o: o.house_number),
        (_("Addition"), lambda o: o.house_number_addition),
        (_("Postcode"), lambda o: o.postcode),
        (_("Town"), lambda o: o.town),
        (_("Email"), lambda o: o.email),
        (_("Phone"), lambda o: o.phone),
        (_("Website"), lambda o: o.website),
        (_("Lifecycle"), lambda o: o.get_lifecycle_display()),
        (_("Fund status"), lambda o: o.get_fund_status_display()),
        (_("Contact first name"), contact(lambda p: p.first_name)),
        (_("Contact last name"), contact(lambda p: p.last_name)),
        (_("Contact email"), contact(lambda p: _first(p.emails.all()))),
        (_("Contact phone"), contact(lambda p: _first(p.phones.all()))),
        (_("Title"), lambda o: o.primary_roles[0].title if o.primary_roles else ""),
    ]


def export_organisations(queryset: QuerySet[Organisation], fmt: str) -> ExportFile:
    """The organisations of `queryset` (already filtered by the caller) with their primary contact.

    A fixed number of queries per chunk of rows, whatever the size of the list.
    """
    contacts = Role.objects.filter(is_primary_contact=True).select_related("person")
    queryset = queryset.prefetch_related(
        Prefetch("roles", queryset=contacts, to_attr="primary_roles"),
        "primary_roles__person__emails",
        "primary_roles__person__phones",
    )
    columns = _organisation_columns()
    rows = ([value(o) for _header, value in columns] for o in queryset.iterator(chunk_size=CHUNK_SIZE))
    return _write(rows, [header for header, _value in columns], fmt, _("organisations"))


def export_people(queryset: QuerySet[Person], fmt: str) -> ExportFile:
    """The people of `queryset` with their primary email, phone and organisations.

    Consent is deliberately not exported: a list on someone's laptop is no place to decide who
    may be mailed; the newsletter checks consent itself when it sends.
    """
    queryset = queryset.prefetch_related(
        "emails", "phones", Prefetch("roles", queryset=Role.objects.select_related("organisation"))
    )
    columns: list[Column] = [
        (_("First name"), lambda p: p.first_name),
        (_("Last name"), lambda p: p.last_name),
        (_("Email"), lambda p: _first(p.emails.all())),
        (_("Phone"), lambda p: _first(p.phones.all())),
        (_("Organisations"), lambda p: ", ".join(role.organisation.name for role in p.roles.all())),
        (_("Title"), lambda p: ", ".join(role.title for role in p.roles.all() if role.title)),
        (_("Language"), lambda p: p.get_preferred_language_display()),
    ]
    rows = ([value(p) for _header, value in columns] for p in queryset.iterator(chunk_size=CHUNK_SIZE))
    return _write(rows, [header for header, _value in columns], fmt, _("people"))
