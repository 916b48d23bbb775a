"""The dashboard as each role meets it: who may read it, the filter's errors, the board's home
panel, and the same figures as XLSX and A4 PDF."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader
from wagtail.models import Site

from stadshart.models import CentreSettings
from stadshart.roles import ROLES
from tests.builders import make_member, make_organisation, make_staff

READERS = {"Beheerder", "Centrummanager", "Bestuur"}
URL = "/admin/insights/"


@pytest.fixture
def staff(db):
    return {role: make_staff(f"user-{role.lower()}", role, first_name=role) for role in ROLES}


def test_the_board_centre_manager_and_beheerder_read_it_and_the_other_roles_are_refused(client, staff):
    assert reverse("insights_dashboard") == URL
    for role, user in staff.items():
        client.force_login(user)
        page = client.get(URL)
        home = client.get(reverse("wagtailadmin_home"))
        if role in READERS:
            assert page.status_code == 200, role
            assert "Inzichten" in page.content.decode()
            # The menu entry and the five headline figures on the home page.
            assert f'href="{URL}"' in home.content.decode(), role
            assert "Het centrum dit kwartaal" in home.content.decode(), role
        else:
            # Wagtail answers a refused admin screen by sending the user home with a message.
            for response in (page, client.get(URL, {"format": "xlsx"}), client.get(URL, {"format": "pdf"})):
                assert response.status_code in (302, 403), role
                assert response.status_code == 403 or response.url == reverse("wagtailadmin_home"), role
                assert "Content-Disposition" not in response, role
            assert f'href="{URL}"' not in home.content.decode(), role
            assert "Het centrum dit kwartaal" not in home.content.decode(), role


def test_a_member_or_a_stranger_never_sees_it(client, db):
    assert client.get(URL).status_code == 302  # to the login
    member = make_member(make_organisation())
    client.force_login(member.user)
    assert client.get(URL).status_code in (302, 403)
    assert b"Inzichten" not in client.get(URL, follow=True).content


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"period": "custom"}, "Een eigen periode heeft een eerste en een laatste dag nodig."),
        (
            {"period": "custom", "start": "2026-03-10", "end": "2026-03-01"},
            "De laatste dag valt vóór de eerste dag.",
        ),
        (
            {"period": "custom", "start": "2020-01-01", "end": "2026-01-01"},
            "Kies een periode van hoogstens drie jaar.",
        ),
        ({"period": "month", "at": "2999-01-01"}, "De periode begint in de toekomst"),
        ({"period": "decade"}, "Selecteer een geldige keuze"),
        ({"period": "month", "at": "31-31-2026"}, "Voer een geldige datum in"),
        ({"period": "month", "street": "Nergensstraat"}, "Selecteer een geldige keuze"),
    ],
)
def test_bad_filters_get_a_clear_message(client, staff, query, message):
    client.force_login(staff["Bestuur"])
    response = client.get(URL, query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_screen_shows_each_chart_with_its_table(client, staff, centre):
    client.force_login(staff["Bestuur"])
    start, end = centre.start.isoformat(), centre.end.isoformat()
    html = client.get(URL, {"period": "custom", "start": start, "end": end}).content.decode()
    for title in ("Bereik", "Contact", "Leden", "Draagvlak", "Jaarplan"):
        assert f">{title}</h2>" in html
    assert html.count("<canvas data-chart=") == html.count('<script id="chart-')
    assert html.count("Als tabel tonen") == html.count("<canvas data-chart=")
    assert "insights/vendor/chartjs/chart.umd.min.js" in html
    assert "25,0 %" in html  # the open rate, in Dutch
    assert "Groepen van minder dan 5 worden niet apart getoond" in html


def test_the_xlsx_has_a_sheet_per_section_with_numbers_as_numbers(client, staff, centre):
    client.force_login(staff["Bestuur"])
    response = client.get(
        URL,
        {
            "period": "custom",
            "start": centre.start.isoformat(),
            "end": centre.end.isoformat(),
            "format": "xlsx",
        },
    )
    assert response["Content-Disposition"].startswith('attachment; filename="inzichten-')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Bereik", "Contact", "Leden", "Draagvlak", "Jaarplan"]
    reach = {row[0]: row[1:] for row in book["Bereik"].iter_rows(values_only=True) if row and row[0]}
    assert reach["Openingspercentage"][0] == 0.25
    assert reach["Berichten verzonden"][:2] == (8, 0)
    open_rate_cell = next(c for c in book["Bereik"]["B"] if c.value == 0.25)
    assert open_rate_cell.number_format == "0.0%"


def test_the_pdf_is_a4_with_the_organisation_period_charts_and_tables(client, staff, centre):
    settings = CentreSettings.for_site(Site.objects.get(is_default_site=True))
    settings.name = "Centrummanagement Veldhaven"
    settings.save()
    client.force_login(staff["Bestuur"])
    response = client.get(
        URL,
        {
            "period": "custom",
            "start": centre.start.isoformat(),
            "end": centre.end.isoformat(),
            "format": "pdf",
        },
    )
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert centre.start.strftime("%d-%m-%Y") in text
    for title in ("Bereik", "Contact", "Leden", "Draagvlak", "Jaarplan", "Contactdekking per straat"):
        assert title in text
    assert "25,0 %" in text
    assert "Centrummanagement Veldhaven" in text
