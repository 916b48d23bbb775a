"""Sending from the admin in a real browser: the audience before sending, then the progress."""

import pytest
from playwright.sync_api import expect

from newsletter import tasks
from newsletter.models import Delivery
from tests.builders import audience, make_segment, make_staff, published_newsletter
from tests.e2e.conftest import screenshot, staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_communicatie_sees_the_audience_sends_and_pauses(page, phone, live_server, monkeypatch):
    monkeypatch.setattr(tasks, "start_workers", lambda send_id: None)  # progress stays visible
    make_staff("carla", "Communicatie")
    audience(7)
    newsletter = published_newsletter(segments=[make_segment("Iedereen in het centrum")])
    url = f"/admin/newsletters/send/{newsletter.pk}/"

    staff_login(page, live_server.url, "carla", url)
    assert page.get_by_text("7 ontvangers").is_visible()
    assert page.get_by_text("lezer0@example.nl").is_visible()
    screenshot(page, "newsletter-send-audience")

    page.get_by_role("button", name="Nu verzenden").click()
    page.wait_for_url(f"{live_server.url}{url}")
    assert page.get_by_role("button", name="Pauzeren").is_visible()
    assert page.get_by_text("7 in de wachtrij").is_visible()
    screenshot(page, "newsletter-send-progress")

    # The worker sends three: the figures change in place, the page is not reloaded under Carla.
    page.evaluate("window.stillTheSamePage = true")
    deliveries = Delivery.objects.filter(send__newsletter=newsletter).order_by("pk")
    sent = list(deliveries.values_list("pk", flat=True)[:3])
    Delivery.objects.filter(pk__in=sent).update(status=Delivery.Status.SENT)
    expect(page.locator("[data-count='sent']")).to_have_text("3", timeout=15_000)
    expect(page.locator("[data-count='queued']")).to_have_text("4")
    assert page.evaluate("window.stillTheSamePage === true")

    staff_login(phone, live_server.url, "carla", url)
    screenshot(phone, "newsletter-send-progress-phone")
    phone.get_by_role("button", name="Pauzeren").click()
    phone.wait_for_url(f"{live_server.url}{url}")
    assert phone.get_by_role("button", name="Hervatten").is_visible()
    # Paused on the phone: the desk's screen sees the new state and offers "Hervatten" too.
    expect(page.get_by_role("button", name="Hervatten")).to_be_visible(timeout=15_000)
