"""A board member reads the dashboard in a real browser: the home panel, a custom period, a street,
a chart's table, the XLSX and the PDF; at 1280 and at 360 px."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.builders import colleague
from tests.e2e.conftest import screenshot, staff_login
from tests.insights.conftest import build_centre

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_board_member_reads_the_dashboard_and_takes_it_to_the_meeting(page, live_server):
    build_centre(colleague("sanne"))
    colleague("pieter")
    url = live_server.url

    staff_login(page, url, "pieter")
    panel = page.locator(".insights-home")
    expect(panel).to_contain_text("Het centrum dit kwartaal")
    expect(panel.locator(".insights-figure")).to_have_count(5)
    screenshot(page, "insights-board-home")
    panel.get_by_role("link", name="Alle inzichten").click()
    page.wait_for_url(f"{url}/admin/insights/")
    expect(page.locator("h1")).to_contain_text("Inzichten")

    # The last 60 days, which is when the centre's history happened.
    today = timezone.localdate()
    page.get_by_label("Periode", exact=True).select_option(label="Eigen periode")
    page.get_by_label("Eerste dag").fill((today - dt.timedelta(days=59)).isoformat())
    page.get_by_label("Laatste dag").fill(today.isoformat())
    page.get_by_role("button", name="Tonen").click()
    reach = page.locator("#section-reach")
    expect(reach.locator(".insights-figure").filter(has_text="Openingspercentage")).to_contain_text("25,0 %")
    expect(reach.locator(".insights-figure").filter(has_text="Berichten verzonden")).to_contain_text("8")

    # One street: the figures are the Marktstraat's only.
    page.get_by_label("Straat", exact=True).select_option("Marktstraat")
    page.get_by_role("button", name="Tonen").click()
    expect(page.locator(".insights-about")).to_contain_text("Marktstraat")
    expect(reach.locator(".insights-figure").filter(has_text="Berichten verzonden")).to_contain_text("6")

    # Every chart is drawn, and its table is there for a screen reader or for copying.
    expect(page.locator("canvas[data-drawn=true]").first).to_be_visible()
    screenshot(page, "insights-dashboard")
    assert page.locator("canvas[data-chart]").count() == page.locator("canvas[data-drawn=true]").count()
    coverage = page.locator(".insights-block").filter(has=page.locator("#title-coverage_street"))
    coverage.get_by_text("Als tabel tonen").click()
    expect(coverage.locator("table")).to_contain_text("Marktstraat")
    expect(coverage.locator("table")).to_contain_text("50,0 %")
    screenshot(page, "insights-dashboard-table")

    with page.expect_download() as download:
        page.get_by_role("link", name="Downloaden als XLSX").click()
    assert download.value.suggested_filename.startswith("inzichten-")
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    assert book.sheetnames == ["Bereik", "Contact", "Leden", "Draagvlak", "Jaarplan"]
    with page.expect_download() as download:
        page.get_by_role("link", name="Downloaden als pdf (A4)").click()
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"  # noqa: SIM115

    # On a phone: nothing runs off the side of the screen but inside the scrolling tables.
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    expect(page.locator("canvas[data-drawn=true]").first).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    screenshot(page, "insights-dashboard-phone")
