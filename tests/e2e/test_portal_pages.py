"""A visitor finds a business, reads the agenda and searches the portal, in a real browser."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_visitor_filters_the_directory_and_opens_a_business(page, live_server):
    call_command("seed_demo", verbosity=0)
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Bedrijvengids").click()
    page.get_by_label("Sector").select_option(label="Horeca")
    page.get_by_role("button", name="Tonen", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/bedrijvengids/?q=&sector=horeca&street=")
    first = page.locator(".cards.directory .card-title a").first
    name = first.inner_text()
    first.click()

    expect(page.locator("h1")).to_have_text(name)
    expect(page.locator(".facts")).to_contain_text("Horeca")
    expect(page.locator(".facts")).to_contain_text("Openingstijden")
    screenshot(page, "portal-directory-entry-visit")


def test_a_visitor_downloads_an_event_for_the_calendar(page, live_server):
    call_command("seed_demo", verbosity=0)
    page.goto(f"{live_server.url}/agenda/")
    page.locator(".event-card .card-title a").first.click()

    with page.expect_download() as download:
        page.get_by_role("link", name="Zet in mijn agenda").click()

    assert download.value.suggested_filename.endswith(".ics")
    assert "BEGIN:VEVENT" in open(download.value.path(), encoding="utf-8").read()


def test_a_visitor_searches_the_site_and_switches_to_english(phone, live_server):
    call_command("seed_demo", verbosity=0)
    phone.goto(f"{live_server.url}/")
    phone.get_by_role("link", name="Zoeken").click()
    phone.get_by_label("Zoek op de site").fill("kerstmarkt")
    phone.get_by_role("button", name="Zoeken").click()

    expect(phone.locator(".search-results")).to_contain_text("Kerstmarkt")
    screenshot(phone, "portal-search-phone")
    phone.get_by_role("link", name="English").click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Search")
