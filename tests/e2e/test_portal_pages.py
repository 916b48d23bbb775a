"""A visitor finds a business, reads the agenda and searches the portal, in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot

# They only read the demo centre: one committed copy serves them all (see tests/e2e/conftest.py).
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(serialized_rollback=True)]


def test_a_visitor_filters_the_directory_and_opens_a_business(page, demo_site):
    page.goto(f"{demo_site.url}/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Bedrijvengids").click()
    page.get_by_label("Sector").select_option(label="Horeca")
    page.get_by_role("button", name="Tonen", exact=True).click()

    expect(page).to_have_url(f"{demo_site.url}/bedrijvengids/?q=&sector=horeca&street=")
    first = page.locator(".cards.directory .card-title a").first
    name = first.inner_text()
    first.click()

    expect(page.locator("h1")).to_have_text(name)
    expect(page.locator(".facts")).to_contain_text("Horeca")
    expect(page.locator(".facts")).to_contain_text("Openingstijden")
    screenshot(page, "portal-directory-entry-visit")


def test_a_visitor_downloads_an_event_for_the_calendar(page, demo_site):
    page.goto(f"{demo_site.url}/agenda/")
    page.locator(".event-card .card-title a").first.click()

    with page.expect_download() as download:
        page.get_by_role("link", name="Zet in mijn agenda").click()

    assert download.value.suggested_filename.endswith(".ics")
    assert "BEGIN:VEVENT" in open(download.value.path(), encoding="utf-8").read()


def test_a_visitor_searches_the_site_and_switches_to_english(phone, demo_site):
    phone.goto(f"{demo_site.url}/")
    phone.get_by_role("link", name="Zoeken").click()
    phone.get_by_label("Zoek op de site").fill("kerstmarkt")
    phone.get_by_role("button", name="Zoeken").click()

    expect(phone.locator(".search-results")).to_contain_text("Kerstmarkt")
    screenshot(phone, "portal-search-phone")
    phone.get_by_role("link", name="English").click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Search")
