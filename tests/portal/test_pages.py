"""Every page type renders for a visitor, in Dutch and English, with its description for search engines."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import make_event, make_listed, make_news

pytestmark = pytest.mark.django_db


def test_home_page_shows_latest_news_coming_events_and_an_invitation_to_join(client, portal):
    make_news(portal.news, "Kerstverlichting hangt", days_ago=2)
    make_event(portal.agenda, "Kerstmarkt", days=10)
    make_event(portal.agenda, "Braderie van vorig jaar", days=-300)

    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Kerstverlichting hangt" in html
    assert "Kerstmarkt" in html
    assert "Braderie van vorig jaar" not in html
    assert "Doe mee" in html and "Meld u aan als deelnemer." in html
    assert '<meta name="description" content="De binnenstad van Veldhaven.">' in html


def test_the_menu_links_the_sections_but_not_the_members_only_page(client, portal):
    html = client.get("/").content.decode()

    for title, url in [("Nieuws", "/nieuws/"), ("Agenda", "/agenda/"), ("Bedrijvengids", "/bedrijvengids/")]:
        assert f'<a href="{url}">{title}</a>' in html
    assert "/voor-deelnemers/" not in html
    assert 'href="/zoeken/"' in html


def test_news_index_lists_news_newest_first_and_pages_through_them(client, portal):
    for number in range(14):
        make_news(portal.news, f"Bericht {number:02d}", days_ago=number + 1)

    first = client.get("/nieuws/").content.decode()
    second = client.get("/nieuws/?pagina=2").content.decode()

    assert first.index("Bericht 00") < first.index("Bericht 11")
    assert "Bericht 12" not in first
    assert "Bericht 13" in second and "Pagina 2 van 2" in second


def test_news_page_shows_date_intro_and_body(client, portal):
    item = make_news(
        portal.news,
        "Pop-upwinkels",
        intro="Lege panden vullen zich.",
        body=[("paragraph", "<p>Twee eigenaren.</p>")],
    )

    html = client.get(item.url).content.decode()

    assert "<h1>Pop-upwinkels</h1>" in html
    assert "Lege panden vullen zich." in html and "Twee eigenaren." in html
    assert '<meta name="description" content="Lege panden vullen zich.">' in html
    assert '<meta property="og:type" content="article">' in html


def test_standard_page_renders_its_content(client, portal):
    html = client.get("/over-ons/").content.decode()
    assert "Een stichting van ondernemers en gemeente." in html


def test_the_english_version_has_an_english_interface_at_en(client, portal):
    dutch = client.get("/").content.decode()
    english = client.get("/en/").content.decode()

    assert '<html lang="nl">' in dutch and "Naar de inhoud" in dutch
    assert '<html lang="en">' in english and "Skip to content" in english
    assert 'href="/en/nieuws/"' in english
    assert 'hreflang="en" href="http://testserver/en/"' in dutch


def test_the_language_switch_links_to_the_same_page_in_the_other_language(client, portal):
    html = client.get("/nieuws/").content.decode()
    assert 'href="/en/nieuws/"' in html and 'href="/nieuws/"' in html


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add(portal, start: int, stop: int) -> None:
    for number in range(start, stop):
        make_news(portal.news, f"Bericht {number}", days_ago=number + 1)
        make_event(portal.agenda, f"Activiteit {number}", days=number + 1)
        make_listed(f"Winkel {number}")


def test_lists_run_a_fixed_number_of_queries_whatever_their_length(client, portal):
    urls = ["/", "/nieuws/", "/agenda/", "/bedrijvengids/", "/projecten/"]
    _add(portal, 0, 2)
    client.get("/")  # settings and site root paths are cached after the first request
    few = {url: _queries(client, url) for url in urls}
    _add(portal, 2, 14)
    client.get("/")

    many = {url: _queries(client, url) for url in urls}

    assert many == few
    assert max(many.values()) <= 25
