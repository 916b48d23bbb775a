"""A board member reads how last month's newsletter did: figures, the chart over time, the links."""

import datetime as dt
import random

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from newsletter import demo
from newsletter.models import Delivery, DeliveryEvent
from stadshart.demo import insert_rows
from tests.builders import make_send, make_staff
from tests.e2e.conftest import screenshot, staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sent_issue():
    sent_at = (timezone.now() - dt.timedelta(days=2)).replace(hour=9, minute=30, second=0, microsecond=0)
    send = make_send("Koopavonden in december", sent_at=sent_at)
    deliveries = Delivery.objects.bulk_create(
        Delivery(
            send=send,
            email=f"ondernemer{n}@example.nl",
            status=Delivery.Status.SENT,
            sent_at=sent_at,
            esp_message_id=f"<e2e.{n}@mg.example>",
        )
        for n in range(300)
    )
    events = demo.reader_events(random.Random(4), send, deliveries, ["koopavonden"], {}, [], "service")
    insert_rows(DeliveryEvent, demo.EVENT_COLUMNS, events)
    return send


def test_board_member_reads_the_results_with_a_chart(page, live_server):
    make_staff("pieter", "Bestuur", first_name="Pieter")
    send = sent_issue()

    staff_login(page, live_server.url, "pieter", "/admin/newsletters/results/")
    expect(page.get_by_role("heading", name="Nieuwsbriefresultaten")).to_be_visible()
    page.get_by_role("link", name="Koopavonden in december").click()

    expect(page.get_by_role("heading", name="Resultaten: Koopavonden in december")).to_be_visible()
    expect(page.get_by_role("list", name="Kerncijfers")).to_contain_text("geopend")
    chart = page.locator("svg[data-results-chart]")
    expect(chart).to_be_visible()
    assert chart.locator("rect.nl-bar--opens").count() > 10
    expect(page.get_by_role("cell", name="https://veldhaven.example/koopavonden/")).to_be_visible()
    assert page.url.endswith(f"/admin/newsletters/results/{send.pk}/")
    screenshot(page, "newsletter-results")


def test_results_fit_a_phone(phone, live_server):
    make_staff("pieter", "Bestuur", first_name="Pieter")
    send = sent_issue()

    staff_login(phone, live_server.url, "pieter", f"/admin/newsletters/results/{send.pk}/")

    expect(phone.locator("svg[data-results-chart]")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "newsletter-results-phone")
