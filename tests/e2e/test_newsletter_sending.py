"""Sending from the admin in a real browser: the audience before sending, then the progress."""

import pytest

from newsletter import tasks
from tests.crm.conftest import make_staff
from tests.e2e.conftest import screenshot
from tests.newsletter.sending_fixtures import audience, make_newsletter, make_segment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, live_server, next_url):
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("input[name=username]", "carla")
    page.fill("input[name=password]", "een-lang-wachtwoord-42")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{next_url}")


def test_communicatie_sees_the_audience_sends_and_pauses(page, phone, live_server, monkeypatch):
    monkeypatch.setattr(tasks, "start_workers", lambda send_id: None)  # progress stays visible
    make_staff("carla", "Communicatie")
    audience(7)
    newsletter = make_newsletter(segments=[make_segment("Iedereen in het centrum")])
    url = f"/admin/newsletters/send/{newsletter.pk}/"

    log_in(page, live_server, url)
    assert page.get_by_text("7 ontvangers").is_visible()
    assert page.get_by_text("lezer0@example.nl").is_visible()
    screenshot(page, "newsletter-send-audience")

    page.get_by_role("button", name="Nu verzenden").click()
    page.wait_for_url(f"{live_server.url}{url}")
    assert page.get_by_role("button", name="Pauzeren").is_visible()
    assert page.get_by_text("7 in de wachtrij").is_visible()
    screenshot(page, "newsletter-send-progress")

    log_in(phone, live_server, url)
    screenshot(phone, "newsletter-send-progress-phone")
    phone.get_by_role("button", name="Pauzeren").click()
    phone.wait_for_url(f"{live_server.url}{url}")
    assert phone.get_by_role("button", name="Hervatten").is_visible()
