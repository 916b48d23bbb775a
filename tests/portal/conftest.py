"""A small portal for the tests: home, news, agenda, projects, directory and standard pages."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from portal.models import (
    DirectoryPage,
    EventIndexPage,
    EventPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    Organisation,
    ProjectIndexPage,
    StandardPage,
)
from tests.crm.conftest import make_organisation, make_staff  # noqa: F401 - shared builders


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_news(index, title: str, *, days_ago: int = 1, intro: str = "", **fields) -> NewsPage:
    return publish(
        index,
        NewsPage(
            title=title,
            date=timezone.localdate() - dt.timedelta(days=days_ago),
            intro=intro or f"Over {title.lower()}.",
            **fields,
        ),
    )


def make_event(index, title: str, *, days: float = 7, hours: float = 2, **fields) -> EventPage:
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=days)
    defaults = {"location": "Kerkplein", "intro": f"{title} in de binnenstad."}
    defaults.update(fields)
    return publish(
        index, EventPage(title=title, start=start, end=start + dt.timedelta(hours=hours), **defaults)
    )


def make_listed(name: str, **fields):
    """A business that chose to be in the directory, with its public profile."""
    defaults = {
        "in_directory": True,
        "opening_hours": "di–za 9.30–18.00",
        "website": "https://www.example.com",
        "description": f"{name}: al jaren in de binnenstad.",
    }
    defaults.update(fields)
    return make_organisation(name, **defaults)


@dataclass
class Portal:
    home: HomePage
    news: NewsIndexPage
    agenda: EventIndexPage
    projects: ProjectIndexPage
    directory: DirectoryPage
    about: StandardPage
    members_only: StandardPage


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def portal(db) -> Portal:
    home = HomePage.objects.get(depth=2)
    Organisation.for_site(Site.objects.get(is_default_site=True))  # created once, as on a running site
    home.title = "Binnenstad Veldhaven"
    home.join_heading = "Doe mee"
    home.join_text = "Meld u aan als deelnemer."
    home.search_description = "De binnenstad van Veldhaven."
    home.save_revision().publish()
    news = publish(home, NewsIndexPage(title="Nieuws", slug="nieuws", show_in_menus=True, intro="Nieuws."))
    agenda = publish(home, EventIndexPage(title="Agenda", slug="agenda", show_in_menus=True))
    projects = publish(home, ProjectIndexPage(title="Projecten", slug="projecten", show_in_menus=True))
    directory = publish(home, DirectoryPage(title="Bedrijvengids", slug="bedrijvengids", show_in_menus=True))
    about = publish(
        home,
        StandardPage(
            title="Over ons",
            slug="over-ons",
            show_in_menus=True,
            intro="Wie wij zijn.",
            body=[("paragraph", "<p>Een stichting van ondernemers en gemeente.</p>")],
        ),
    )
    members_only = publish(
        home,
        StandardPage(
            title="Voor deelnemers",
            slug="voor-deelnemers",
            show_in_menus=True,
            intro="Verslagen van de stuurgroep.",
            body=[("paragraph", "<p>Geheim verslag van de ledenvergadering.</p>")],
        ),
    )
    PageViewRestriction.objects.create(page=members_only, restriction_type=PageViewRestriction.LOGIN)
    return Portal(home, news, agenda, projects, directory, about, members_only)
