"""Site search over the live public pages, and the sitemap for search engines."""

import pytest

from tests.builders import make_event, make_listed, make_news

pytestmark = pytest.mark.django_db


def test_search_finds_news_events_and_pages_by_their_words(client, portal):
    make_news(portal.news, "Kerstverlichting hangt", intro="Zuinige lichtlijnen in de winkelstraten.")
    make_event(portal.agenda, "Kerstmarkt", days=5)
    make_news(portal.news, "Fietsenrekken", intro="Tweehonderd rekken.")

    by_title = client.get("/zoeken/?q=kerstmarkt").content.decode()
    by_intro = client.get("/zoeken/?q=lichtlijnen").content.decode()

    assert "Kerstmarkt" in by_title and "Fietsenrekken" not in by_title
    assert "Resultaten voor “kerstmarkt”: 1" in by_title
    assert "Kerstverlichting hangt" in by_intro


def test_an_empty_search_shows_the_form_only(client, portal):
    response = client.get("/zoeken/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()
    assert "Resultaten" not in response.content.decode()


def test_a_search_for_nothing_that_exists_says_so(client, portal):
    assert "Resultaten voor “zeppelin”: 0" in client.get("/zoeken/?q=zeppelin").content.decode()


def test_the_sitemap_lists_public_pages_and_listed_businesses(client, portal):
    item = make_news(portal.news, "Kerstverlichting hangt")
    bakery = make_listed("Bakkerij De Korenschoof")

    xml = client.get("/sitemap.xml").content.decode()

    for path in ["/nieuws/", "/agenda/", "/bedrijvengids/", "/over-ons/", item.url]:
        assert f"<loc>http://testserver{path}</loc>" in xml
    assert f"<loc>http://testserver/bedrijvengids/{bakery.pk}/bakkerij-de-korenschoof/</loc>" in xml
