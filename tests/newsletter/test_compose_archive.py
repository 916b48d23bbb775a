"""The public web archive: only sent issues, newest first, each shown exactly as sent."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsletter.models import Send
from tests.builders import draft_newsletter, newsletter_index

pytestmark = pytest.mark.django_db


def publish(page):
    page.get_latest_revision().publish()
    page.refresh_from_db()
    return page


def mark_sent(page, *, days_ago: int = 1) -> Send:
    when = timezone.now() - dt.timedelta(days=days_ago)
    return Send.objects.create(
        newsletter=page,
        revision=page.get_latest_revision(),
        status=Send.Status.SENT,
        subject=page.subject,
        from_email="Stadshart <nieuws@stadshart.example>",
        started_at=when,
        finished_at=when,
    )


def archive_url() -> str:
    return newsletter_index().url


def test_a_published_but_unsent_newsletter_is_neither_listed_nor_reachable(client):
    page = publish(draft_newsletter("Nog niet verstuurd"))
    assert page.live
    response = client.get(archive_url())
    assert response.status_code == 200
    assert "Nog niet verstuurd" not in response.content.decode()
    assert "Er is nog geen nieuwsbrief verzonden." in response.content.decode()
    assert client.get(page.url).status_code == 404


def test_sent_issues_are_listed_newest_first(client):
    older = publish(draft_newsletter("Nieuwsbrief oktober"))
    newer = publish(draft_newsletter("Nieuwsbrief november"))
    mark_sent(older, days_ago=30)
    mark_sent(newer, days_ago=2)
    publish(draft_newsletter("Concept december"))
    content = client.get(archive_url()).content.decode()
    assert content.index("Nieuwsbrief november") < content.index("Nieuwsbrief oktober")
    assert "Concept december" not in content


def test_the_web_version_greets_everyone_alike_and_has_no_personal_links(client):
    page = publish(draft_newsletter("Nieuwsbrief november"))
    mark_sent(page)
    response = client.get(page.url)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Beste ondernemer," in content
    assert "%%" not in content
    assert "afmelden" not in content.lower()
    assert "Koopzondag in december" in content


def test_the_web_version_shows_what_was_sent_not_later_edits(client):
    page = publish(draft_newsletter("Nieuwsbrief november"))
    mark_sent(page)
    page.body = [("heading", {"text": "Een latere wijziging"})]
    publish_revision = page.save_revision()
    publish_revision.publish()
    content = client.get(page.url).content.decode()
    assert "Koopzondag in december" in content
    assert "Een latere wijziging" not in content


def test_the_archive_is_paginated_with_a_fixed_number_of_queries(client):
    for number in range(3):
        mark_sent(publish(draft_newsletter(f"Nummer {number}")), days_ago=number + 1)
    client.get(archive_url())  # the first visit creates the site's settings rows once
    with CaptureQueriesContext(connection) as few:
        assert client.get(archive_url()).status_code == 200
    for number in range(3, 30):
        mark_sent(publish(draft_newsletter(f"Nummer {number}")), days_ago=number + 1)
    with CaptureQueriesContext(connection) as many:
        response = client.get(archive_url())
    assert len(many) == len(few) <= 14
    content = response.content.decode()
    assert content.count('class="card"') == 12
    assert "Nummer 0" in content and "Nummer 12" not in content
    second = client.get(archive_url() + "?pagina=3").content.decode()
    assert "Nummer 29" in second


def test_only_sent_issues_are_in_the_sitemap(client):
    sent = publish(draft_newsletter("Verstuurd", slug="verstuurd"))
    mark_sent(sent)
    publish(draft_newsletter("Goedgekeurd maar niet verstuurd", slug="nog-niet"))
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/verstuurd/" in sitemap
    assert "/nog-niet/" not in sitemap


def test_site_search_finds_sent_issues_only():
    from portal.queries import search_pages

    publish(draft_newsletter("Nieuwsbrief Zeppelinfeest"))
    sent = publish(draft_newsletter("Nieuwsbrief Ballonfeest"))
    mark_sent(sent)

    assert [page.title for page in search_pages("Zeppelinfeest")] == []
    assert [page.title for page in search_pages("Ballonfeest")] == ["Nieuwsbrief Ballonfeest"]
