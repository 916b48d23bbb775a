"""One public address: SITE_URL decides every absolute address (the Wagtail Site follows it),
calendar UIDs are stable, robots.txt points at the sitemap, the sitemap carries hreflang pairs,
and the search page is noindex."""

import re

import pytest
from icalendar import Calendar
from wagtail.models import Site

from newsletter.models import NewsletterIndexPage
from stadshart.sites import ensure_site
from tests.builders import make_event, make_news

pytestmark = pytest.mark.django_db

PUBLIC = "https://binnenstad.example"


@pytest.fixture
def public_site(settings, portal):
    settings.SITE_URL = PUBLIC
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "binnenstad.example", "intern.example"]
    assert ensure_site()
    return portal


def test_after_migrate_the_site_is_site_url_not_localhost(db):
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("testserver", 80)  # SITE_URL of the tests: http://testserver
    assert site.root_url == "http://testserver"


def test_ensure_site_follows_site_url_once(settings, db):
    settings.SITE_URL = PUBLIC
    assert ensure_site()
    assert not ensure_site()  # already in step: nothing to do
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("binnenstad.example", 443, PUBLIC)


def test_the_mails_web_version_link_says_the_public_address(public_site):
    """ "Bekijk in uw browser" is the newsletter page's full_url (newsletter.sending.prepared)."""
    archive = NewsletterIndexPage.objects.first() or public_site.home
    news = make_news(public_site.news, "Kerstverlichting hangt")

    assert news.full_url == f"{PUBLIC}/nieuws/{news.slug}/"
    assert archive.get_site().root_url == PUBLIC


def test_the_sitemap_lists_public_addresses_with_hreflang_pairs(client, public_site):
    news = make_news(public_site.news, "Kerstverlichting hangt")

    xml = client.get("/sitemap.xml", HTTP_HOST="intern.example").content.decode()

    assert "localhost" not in xml and "intern.example" not in xml
    assert f"<loc>{PUBLIC}/nieuws/{news.slug}/</loc>" in xml
    assert f'hreflang="nl" href="{PUBLIC}/nieuws/{news.slug}/"' in xml
    assert f'hreflang="en" href="{PUBLIC}/en/nieuws/{news.slug}/"' in xml
    assert f'hreflang="x-default" href="{PUBLIC}/nieuws/{news.slug}/"' in xml
    assert xml.count("<url>") == xml.count('hreflang="en"')


def test_the_pages_own_links_say_the_public_address(client, public_site):
    html = client.get("/nieuws/", HTTP_HOST="intern.example").content.decode()

    assert f'<link rel="canonical" href="{PUBLIC}/nieuws/">' in html
    assert f'hreflang="en" href="{PUBLIC}/en/nieuws/"' in html
    assert "intern.example" not in html


def test_an_events_calendar_file_is_the_same_event_through_any_host_name(client, public_site):
    event = make_event(public_site.agenda, "Kerstmarkt", days=3)

    files = [
        Calendar.from_ical(client.get(f"{event.url}ics/", HTTP_HOST=host).content)
        for host in ("binnenstad.example", "intern.example")
    ]

    (first,), (second,) = (calendar.walk("VEVENT") for calendar in files)
    assert str(first["UID"]) == str(second["UID"]) == f"event-{event.pk}@binnenstad.example"
    assert str(first["URL"]) == str(second["URL"]) == f"{PUBLIC}/agenda/{event.slug}/"


def test_robots_txt_points_at_the_sitemap(client, public_site):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in response.content.decode()
    assert re.search(r"^Disallow: /admin/$", response.content.decode(), re.MULTILINE)


@pytest.mark.parametrize("path", ["/zoeken/?q=kerst", "/en/zoeken/", "/zoeken/"])
def test_the_search_page_is_noindex(client, portal, path):
    response = client.get(path)

    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"


def test_other_pages_are_indexable(client, portal):
    response = client.get("/nieuws/")

    assert 'name="robots"' not in response.content.decode()
    assert "X-Robots-Tag" not in response
