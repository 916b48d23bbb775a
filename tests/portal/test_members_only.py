"""Pages for members only: Wagtail's "logged-in users" privacy, never shown to or listed for visitors."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(db):
    """Fatima Bouzid, owner of the bakery, logged in to the portal (no staff rights)."""
    return get_user_model().objects.create_user(username="fatima", password="een-lang-wachtwoord-42")


def test_a_visitor_is_sent_to_log_in(client, portal):
    response = client.get("/voor-deelnemers/")

    assert response.status_code == 302
    assert "next=/voor-deelnemers/" in response["Location"]
    assert "Geheim verslag" not in response.content.decode()


def test_a_logged_in_member_reads_the_page(client, portal, member):
    client.force_login(member)
    response = client.get("/voor-deelnemers/")
    assert response.status_code == 200
    assert "Geheim verslag van de ledenvergadering." in response.content.decode()


def test_members_only_pages_stay_out_of_menu_search_and_sitemap(client, portal):
    assert "Voor deelnemers" not in client.get("/").content.decode()
    assert "Voor deelnemers" not in client.get("/zoeken/?q=verslagen").content.decode()
    assert "/voor-deelnemers/" not in client.get("/sitemap.xml").content.decode()


def test_a_logged_in_member_finds_the_page_in_the_menu(client, portal, member):
    client.force_login(member)
    assert '<a href="/voor-deelnemers/">Voor deelnemers</a>' in client.get("/").content.decode()
