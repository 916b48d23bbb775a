"""The results screens in the admin: who may see them, what they show, the CSV and the suppression list."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from newsletter.models import DeliveryEvent, Suppression
from tests.builders import make_delivery, make_send, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_issue():
    sent_at = timezone.now() - dt.timedelta(hours=5)
    send = make_send("Kerstmarkt en koopzondagen", sent_at=sent_at)
    deliveries = [make_delivery(send, f"lezer{i}@example.nl", sent_at=sent_at) for i in range(4)]
    DeliveryEvent.objects.bulk_create(
        [
            DeliveryEvent(
                delivery=d,
                send=send,
                esp="Mailgun",
                event_id=f"e{i}-{kind}",
                event_type=kind,
                timestamp=sent_at + dt.timedelta(minutes=20 + i),
                recipient=d.email,
                url="https://stadshart.example/kerstmarkt/" if kind == "clicked" else "",
            )
            for i, d in enumerate(deliveries)
            for kind in ("delivered", "opened", "clicked")[: 3 - i % 2]
        ]
    )
    return send


def test_board_member_sees_the_results_of_a_newsletter(client, sent_issue):
    client.force_login(make_staff("pieter", "Bestuur"))

    overview = client.get("/admin/newsletters/results/")
    report = client.get(f"/admin/newsletters/results/{sent_issue.pk}/")

    assert overview.status_code == 200
    assert "Kerstmarkt en koopzondagen" in overview.text
    assert report.status_code == 200
    assert "data-results-chart" in report.text
    assert "https://stadshart.example/kerstmarkt/" in report.text
    assert "/admin/newsletters/results/" in client.get("/admin/").text  # the menu item


def test_accountmanager_may_not_see_results(client, sent_issue):
    client.force_login(make_staff("sanne", "Accountmanager"))

    # Wagtail's admin answers a refused screen with a redirect to the dashboard and a message.
    for url in (
        f"/admin/newsletters/results/{sent_issue.pk}/",
        f"/admin/newsletters/results/{sent_issue.pk}/csv/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url == "/admin/"


def test_results_download_as_semicolon_csv(client, sent_issue):
    client.force_login(make_staff("lotte", "Communicatie"))

    response = client.get(f"/admin/newsletters/results/{sent_issue.pk}/csv/")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert response["Content-Type"].startswith("text/csv")
    assert ["Verzonden", "4", ""] in rows
    assert ["https://stadshart.example/kerstmarkt/", "2", "2"] in rows


def test_overview_takes_a_fixed_number_of_queries(client, sent_issue, django_assert_max_num_queries):
    client.force_login(make_staff("lotte", "Communicatie"))
    for n in range(5):
        make_send(f"Extra {n}", sent_at=timezone.now() - dt.timedelta(days=n + 1))

    with django_assert_max_num_queries(25):
        response = client.get("/admin/newsletters/results/")
    assert response.text.count("/admin/newsletters/results/") >= 6


def test_staff_add_and_remove_a_blocked_address(client):
    client.force_login(make_staff("lotte", "Communicatie"))

    response = client.post(
        "/admin/suppressions/new/",
        {"email": "wil-niets@example.nl", "reason": "manual", "note": "Telefonisch gevraagd"},
    )

    assert response.status_code == 302
    suppression = Suppression.objects.get(email="wil-niets@example.nl")
    assert "wil-niets@example.nl" in client.get("/admin/suppressions/").text
    client.post(f"/admin/suppressions/delete/{suppression.pk}/")
    assert not Suppression.objects.exists()


def test_a_newsletter_page_links_to_its_newest_results(client, sent_issue):
    client.force_login(make_staff("lotte", "Communicatie"))

    response = client.get(f"/admin/newsletters/results/page/{sent_issue.newsletter.pk}/")
    listing = client.get(f"/admin/pages/{sent_issue.newsletter.get_parent().pk}/")

    assert response.status_code == 302 and response.url == f"/admin/newsletters/results/{sent_issue.pk}/"
    assert f"/admin/newsletters/results/page/{sent_issue.newsletter.pk}/" in listing.text
