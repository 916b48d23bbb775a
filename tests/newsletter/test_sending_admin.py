"""The send screen in the admin: who may send, the audience before sending, progress, pause and cancel."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsletter import services, tasks
from newsletter.models import Delivery, Send
from newsletter.queries.sending import progress
from tests.builders import audience, make_segment, make_staff, published_newsletter


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr(tasks, "start_workers", lambda send_id: None)


@pytest.fixture
def page(db):
    audience(12)
    return published_newsletter(segments=[make_segment()])


def url(page):
    return f"/admin/newsletters/send/{page.pk}/"


def test_only_communicatie_and_the_centre_manager_may_send(client, page):
    client.force_login(make_staff("anna", "Accountmanager"))
    # Wagtail's admin answers a refused permission by sending the user back to the dashboard.
    for response in (client.get(url(page)), client.post(url(page), {"action": "now"})):
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not Send.objects.exists()
    client.force_login(make_staff("carla", "Communicatie"))
    assert client.get(url(page)).status_code == 200
    client.force_login(make_staff("marloes", "Centrummanager"))
    assert client.get(url(page)).status_code == 200


def test_the_screen_shows_the_audience_then_progress_and_pause_and_cancel_work(client, page):
    client.force_login(make_staff("carla", "Communicatie"))
    content = client.get(url(page)).content.decode()
    assert "12 ontvangers" in content
    assert "lezer0@example.nl" in content
    assert "Nu verzenden" in content

    response = client.post(url(page), {"action": "now"}, follow=True)
    content = response.content.decode()
    send = Send.objects.get()
    assert send.queued_by.username == "carla"
    # The figures update in place while it runs; without JavaScript the page refreshes itself.
    assert f'data-send-progress="{url(page)}progress/"' in content
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in content
    assert "De cijfers worden elke 5 seconden bijgewerkt." in content
    assert '<strong data-count="total">12</strong> in totaal' in content
    assert '<strong data-count="queued">12</strong> in de wachtrij' in content

    client.post(url(page), {"action": "pause"})
    send.refresh_from_db()
    assert send.status == Send.Status.PAUSED
    assert "Hervatten" in client.get(url(page)).content.decode()
    asked = client.post(url(page), {"action": "cancel"}).content.decode()
    send.refresh_from_db()
    assert send.status == Send.Status.PAUSED  # one tap only asks
    assert "De 12 berichten die nog niet zijn verzonden, gaan niet meer uit" in asked
    client.post(url(page), {"action": "cancel", "confirmed": "1"})
    send.refresh_from_db()
    assert send.status == Send.Status.CANCELLED
    assert progress(send)["cancelled"] == 12


def test_a_schedule_in_the_past_is_refused_in_dutch_and_keeps_what_was_typed(client, page):
    client.force_login(make_staff("carla", "Communicatie"))
    response = client.post(url(page), {"action": "schedule", "at": "2001-01-01T09:00"})
    content = response.content.decode()
    assert "in de toekomst" in content
    assert 'value="2001-01-01T09:00"' in content
    assert not Send.objects.exists()
    client.post(url(page), {"action": "schedule", "at": "2099-01-01T09:00"})
    assert Send.objects.get().status == Send.Status.SCHEDULED


def test_the_page_header_has_a_send_button_for_senders(client, page):
    client.force_login(make_staff("carla", "Communicatie"))
    content = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert url(page) in content


def test_the_progress_figures_are_read_by_those_who_may_send_in_one_fixed_number_of_queries(client, page):
    progress_url = f"{url(page)}progress/"
    carla = make_staff("carla", "Communicatie")
    client.force_login(carla)
    assert client.get(progress_url).status_code == 404  # nothing sent yet

    send = services.queue_send(page, user=carla)
    five = list(Delivery.objects.filter(send=send).order_by("pk").values_list("pk", flat=True)[:5])
    Delivery.objects.filter(pk__in=five).update(status=Delivery.Status.SENT)
    response = client.get(progress_url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["status"] == "queued" and data["running"] is True
    assert (data["counts"]["total"], data["counts"]["sent"], data["counts"]["queued"]) == (12, 5, 7)
    with CaptureQueriesContext(connection) as small:
        client.get(progress_url)

    audience(40, domain="groot.example.nl")
    bigger = services.queue_send(published_newsletter(segments=[make_segment("Groot")]), user=carla)
    with CaptureQueriesContext(connection) as large:
        data = client.get(f"/admin/newsletters/send/{bigger.newsletter_id}/progress/").json()
    assert data["counts"]["total"] == 52
    assert len(large) == len(small)

    services.pause_send(send)
    assert client.get(progress_url).json() | {"counts": None} == {
        "status": "paused",
        "running": False,
        "counts": None,
    }

    # The other roles get no figures: Wagtail sends them back to the dashboard.
    for role in ("Accountmanager", "Bestuur", "Facilitair"):
        client.force_login(make_staff(f"x-{role}", role))
        response = client.get(progress_url)
        assert response.status_code == 302 and response["Location"] == "/admin/", role
    client.logout()
    response = client.get(progress_url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
