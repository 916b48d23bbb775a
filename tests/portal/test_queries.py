"""The portal's read contract for the newsletter: latest_news and upcoming_events."""

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from portal import queries
from tests.builders import make_event, make_news

pytestmark = pytest.mark.django_db


def test_latest_news_is_newest_first_limited_and_only_live_public_items(portal):
    old = make_news(portal.news, "Oud bericht", days_ago=30)
    new = make_news(portal.news, "Nieuw bericht", days_ago=1)
    middle = make_news(portal.news, "Middelste bericht", days_ago=10)
    draft = make_news(portal.news, "Concept", days_ago=0)
    draft.unpublish()
    private = make_news(portal.news, "Alleen leden", days_ago=0)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    news = queries.latest_news(3)

    assert news == [new, middle, old]
    assert queries.latest_news(1)[0].date == new.date
    assert news[0].full_url == "http://testserver/nieuws/nieuw-bericht/"  # SITE_URL in the tests
    assert isinstance(news[0].intro, str)


def test_upcoming_events_are_soonest_first_and_never_past(portal):
    later = make_event(portal.agenda, "Braderie", days=20)
    soon = make_event(portal.agenda, "Kerstmarkt", days=2)
    make_event(portal.agenda, "Zomerfestival", days=-100)

    events = queries.upcoming_events(5)

    assert events == [soon, later]
    assert events[0].start.tzinfo is not None and events[0].location == "Kerkplein"


def test_upcoming_events_take_the_moment_to_look_from(portal):
    make_event(portal.agenda, "Kerstmarkt", days=2)
    in_a_week = timezone.now() + dt.timedelta(days=7)
    assert queries.upcoming_events(5, now=in_a_week) == []


def test_the_contract_costs_two_queries_each(portal, django_assert_num_queries):
    for number in range(5):
        make_news(portal.news, f"Bericht {number}")
        make_event(portal.agenda, f"Activiteit {number}")
    # One for the view restrictions (Wagtail's public()), one for the pages.
    with django_assert_num_queries(2):
        queries.latest_news(5)
    with django_assert_num_queries(2):
        queries.upcoming_events(5)
