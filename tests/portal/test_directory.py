"""The business directory: only businesses that chose to be listed, with filter, search and a page each."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from crm.models import Organisation
from tests.builders import make_listed, make_organisation

pytestmark = pytest.mark.django_db


def test_only_listed_active_businesses_appear(client, portal):
    make_listed("Bakkerij De Korenschoof")
    make_organisation("Slagerij Niet Vermeld")
    make_listed("Gesloten Boekhandel", lifecycle=Organisation.Lifecycle.LEFT)

    html = client.get("/bedrijvengids/").content.decode()

    assert "Bakkerij De Korenschoof" in html
    assert "Slagerij Niet Vermeld" not in html
    assert "Gesloten Boekhandel" not in html
    assert "Gevonden bedrijven: 1" in html


def test_filter_by_sector_and_street_and_search_by_name(client, portal):
    make_listed("Bakkerij De Korenschoof", sector=Organisation.Sector.RETAIL_DAILY, street="Marktstraat")
    make_listed("Café De Gouden Leeuw", sector=Organisation.Sector.HORECA, street="Vismarkt")
    make_listed("Eetcafé Het Anker", sector=Organisation.Sector.HORECA, street="Havenkade")

    by_sector = client.get("/bedrijvengids/?sector=horeca").content.decode()
    by_street = client.get("/bedrijvengids/?sector=horeca&street=Vismarkt").content.decode()
    by_name = client.get("/bedrijvengids/?q=anker").content.decode()

    assert "Café De Gouden Leeuw" in by_sector and "Eetcafé Het Anker" in by_sector
    assert "Bakkerij De Korenschoof" not in by_sector
    assert "Café De Gouden Leeuw" in by_street and "Eetcafé Het Anker" not in by_street
    assert "Eetcafé Het Anker" in by_name and "Café De Gouden Leeuw" not in by_name


def test_the_street_filter_offers_only_streets_of_listed_businesses(client, portal):
    make_listed("Bakkerij De Korenschoof", street="Marktstraat")
    make_organisation("Slagerij Niet Vermeld", street="Torenstraat")

    html = client.get("/bedrijvengids/").content.decode()

    assert '<option value="Marktstraat">' in html
    assert "Torenstraat" not in html


def test_a_choice_that_does_not_exist_gets_a_dutch_error_and_keeps_the_typed_name(client, portal):
    make_listed("Bakkerij De Korenschoof")

    html = client.get("/bedrijvengids/?sector=bestaat-niet&q=bakker").content.decode()

    assert "Controleer de zoekopdracht hieronder." in html
    assert "Selecteer een geldige keuze." in html
    assert 'value="bakker"' in html


def test_the_directory_pages_through_businesses(client, portal):
    for number in range(30):
        make_listed(f"Winkel {number:02d}")

    first = client.get("/bedrijvengids/?sector=retail_dagelijks").content.decode()
    second = client.get("/bedrijvengids/?sector=retail_dagelijks&pagina=2").content.decode()

    assert "Winkel 23" in first and "Winkel 24" not in first
    assert "Winkel 24" in second and "Winkel 29" in second
    assert 'href="?sector=retail_dagelijks&amp;pagina=2"' in first


def test_a_business_has_its_own_page_with_sector_address_hours_and_website(client, portal):
    bakery = make_listed(
        "Bakkerij De Korenschoof",
        street="Marktstraat",
        house_number="7",
        opening_hours="di–za 8.00–17.00",
        website="https://www.korenschoof.example",
    )

    html = client.get("/bedrijvengids/").content.decode()
    assert f'href="/bedrijvengids/{bakery.pk}/bakkerij-de-korenschoof/"' in html
    page = client.get(f"/bedrijvengids/{bakery.pk}/bakkerij-de-korenschoof/").content.decode()

    assert "<h1>Bakkerij De Korenschoof</h1>" in page
    with translation.override("nl"):
        assert bakery.get_sector_display() in page
    assert "Marktstraat 7, 4811 AB Veldhaven" in page
    assert "di–za 8.00–17.00" in page
    assert 'href="https://www.korenschoof.example"' in page
    assert "<title>Bakkerij De Korenschoof ·" in page


def test_an_old_or_short_address_of_a_business_redirects_to_its_current_one(client, portal):
    bakery = make_listed("Bakkerij De Korenschoof")

    response = client.get(f"/bedrijvengids/{bakery.pk}/oude-naam/")

    assert response.status_code == 301
    assert response["Location"].endswith(f"/bedrijvengids/{bakery.pk}/bakkerij-de-korenschoof/")


def test_a_business_that_is_not_listed_has_no_page(client, portal):
    hidden = make_organisation("Slagerij Niet Vermeld")
    assert client.get(f"/bedrijvengids/{hidden.pk}/slagerij-niet-vermeld/").status_code == 404


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_listing_costs_the_same_queries_for_5_or_25_businesses(client, portal):
    for number in range(5):
        make_listed(f"Winkel {number:02d}", street=f"Straat {number}")
    client.get("/bedrijvengids/")
    five = _queries(client, "/bedrijvengids/")
    for number in range(5, 25):
        make_listed(f"Winkel {number:02d}", street=f"Straat {number}")
    client.get("/bedrijvengids/")

    assert _queries(client, "/bedrijvengids/") == five
    assert five < 25
