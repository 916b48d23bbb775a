"""The page cache serves visitors without a session and never lets a member's page through."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import make_news

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.PORTAL_CACHE_SECONDS = 300


@pytest.fixture
def member(db):
    return get_user_model().objects.create_user(username="fatima", password="een-lang-wachtwoord-42")


def test_a_second_visitor_gets_the_page_from_the_cache(client, portal, django_assert_num_queries):
    first = client.get("/nieuws/")
    with django_assert_num_queries(0):
        second = client.get("/nieuws/")
    assert second.content == first.content


def test_publishing_news_shows_at_once(client, portal):
    client.get("/")
    client.get("/nieuws/")
    make_news(portal.news, "Kerstverlichting hangt")

    assert "Kerstverlichting hangt" in client.get("/nieuws/").content.decode()
    assert "Kerstverlichting hangt" in client.get("/").content.decode()


def test_a_members_only_page_is_never_served_from_the_cache(client, portal, member):
    client.force_login(member)
    assert "Geheim verslag" in client.get("/voor-deelnemers/").content.decode()
    client.logout()
    client.cookies.clear()

    response = client.get("/voor-deelnemers/")

    assert response.status_code == 302
    assert "Geheim verslag" not in response.content.decode()


def test_what_a_logged_in_person_sees_is_not_stored_for_others(client, portal, member):
    staff = get_user_model().objects.create_superuser(username="lotte", password="een-lang-wachtwoord-42")
    client.force_login(staff)
    assert "wagtail-userbar" in client.get("/").content.decode()
    client.logout()
    client.cookies.clear()

    assert "wagtail-userbar" not in client.get("/").content.decode()


def test_a_logged_in_member_is_never_served_the_visitors_copy(client, portal, member):
    client.get("/over-ons/")  # a visitor's copy is now stored
    client.force_login(member)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/over-ons/")
    assert len(queries) > 0


def test_search_results_are_not_stored(client, portal):
    client.get("/zoeken/?q=ons")
    with CaptureQueriesContext(connection) as queries:
        client.get("/zoeken/?q=ons")
    assert len(queries) > 0


def test_a_new_directory_listing_shows_at_once(client, portal):
    from tests.builders import make_listed

    client.get("/bedrijvengids/")
    make_listed("Bakkerij De Korenschoof")
    assert "Bakkerij De Korenschoof" in client.get("/bedrijvengids/").content.decode()


def test_a_visitor_with_any_other_cookie_gets_a_fresh_page(client, portal):
    client.get("/over-ons/")
    client.cookies["sessionid"] = "not-a-real-session"

    with CaptureQueriesContext(connection) as queries:
        client.get("/over-ons/")

    assert len(queries) > 0
