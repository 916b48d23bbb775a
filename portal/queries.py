"""Read paths of the portal shared by its pages and by other apps (the newsletter's news and events blocks).

Each runs a fixed number of queries whatever the number of pages or businesses.
"""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Page

from portal.models.articles import EventPage, NewsPage


def latest_news(limit: int) -> list:
    """The newest live, public news items, newest first (each with title, date, intro, full_url)."""
    return list(NewsPage.objects.live().public().order_by("-date", "-pk")[:limit])


def upcoming_events(limit: int, *, now: dt.datetime | None = None) -> list:
    """Live, public events that have not started yet, soonest first (title, start, end, location, intro)."""
    now = now or timezone.now()
    return list(EventPage.objects.live().public().filter(start__gte=now).order_by("start", "pk")[:limit])


def news_in(index_page) -> QuerySet:
    return NewsPage.objects.child_of(index_page).live().public().order_by("-date", "-pk")


def events_in(index_page, *, now: dt.datetime | None = None) -> tuple[list, list]:
    """The agenda: events to come or going on (soonest first), then the last past ones (newest first)."""
    now = now or timezone.now()
    events = EventPage.objects.child_of(index_page).live().public()
    still_on = Q(end__gte=now) | Q(end__isnull=True, start__gte=now)
    upcoming = list(events.filter(still_on).order_by("start", "pk")[:100])
    past = list(events.exclude(still_on).order_by("-start", "-pk")[:12])
    return upcoming, past


def search_pages(query: str) -> QuerySet:
    """Site search over live, public pages (Wagtail's search backend), best match first.

    Other apps keep pages out of search through the `exclude_from_site_search` hook (a function
    returning page ids), so the portal needs no knowledge of them: a newsletter is live once approved
    but public only after it was sent.
    """
    pages = Page.objects.live().public()
    for hidden in hooks.get_hooks("exclude_from_site_search"):
        pages = pages.exclude(pk__in=hidden())  # a subquery, not a list fetched first
    return pages.specific().search(query)
