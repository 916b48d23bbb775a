"""Export by segment in a real browser: from the segment's screen straight to its spreadsheet."""

import io

import openpyxl
import pytest

from crm.models import Organisation
from tests.builders import make_organisation, make_segment, make_staff
from tests.e2e.conftest import screenshot, staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_segment_is_exported_from_its_own_screen(page, phone, live_server):
    make_staff("sanne", "Accountmanager")
    make_organisation("Café Het Hoekje", sector=Organisation.Sector.HORECA, phone="+31 40 123 4567")
    make_organisation("Bakkerij De Korenschoof", sector=Organisation.Sector.RETAIL_DAILY)
    horeca = make_segment("Horeca", sectors=["horeca"])
    segment_url = f"/admin/crm/segments/edit/{horeca.pk}/"

    staff_login(page, live_server.url, "sanne", segment_url)
    screenshot(page, "crm-segment-export-buttons")
    with page.expect_download() as download:
        page.get_by_role("link", name="Organisaties exporteren").click()
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == ["Café Het Hoekje"]
    assert "+31 40 123 4567" in rows[0]  # as typed: no quote in front

    page.goto(f"{live_server.url}/admin/crm/export/?segment={horeca.pk}&list=people")
    assert page.get_by_label("Segment").input_value() == str(horeca.pk)
    screenshot(page, "crm-export-segment")
    staff_login(phone, live_server.url, "sanne", f"/admin/crm/export/?segment={horeca.pk}")
    screenshot(phone, "crm-export-segment-phone")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
