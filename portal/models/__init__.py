"""Pages of the member portal (the centre's own settings are stadshart.CentreSettings).

The page tree: HomePage → NewsIndexPage → NewsPage, EventIndexPage → EventPage, ProjectIndexPage,
DirectoryPage, StandardPage (and the newsletter app's NewsletterIndexPage). Pages for members only
use Wagtail's page privacy ("Private, accessible to logged-in users"), which sends a visitor to the
members' login (settings.LOGIN_URL).

The modules: ``base`` (PortalPage, list helpers), ``articles`` (NewsPage, EventPage: what
portal.queries lists) and ``pages`` (the home and index pages, which read through portal.queries).
"""

from portal.models.articles import EventPage, NewsPage
from portal.models.base import PortalPage
from portal.models.pages import (
    DirectoryPage,
    EventIndexPage,
    HomePage,
    NewsIndexPage,
    ProjectIndexPage,
    StandardPage,
)

__all__ = [
    "DirectoryPage",
    "EventIndexPage",
    "EventPage",
    "HomePage",
    "NewsIndexPage",
    "NewsPage",
    "PortalPage",
    "ProjectIndexPage",
    "StandardPage",
]
