"""axe-core in a real browser on every page type of the portal: no serious or critical WCAG 2.1 AA issue."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import screenshot

# They only read the demo centre: one committed copy serves them all (see tests/e2e/conftest.py).
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(serialized_rollback=True)]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def page_types() -> dict[str, str]:
    """One address per page type of the demo portal (the newsletter archive when it is there)."""
    from crm.queries import directory as business_directory
    from newsletter.models import NewsletterIndexPage
    from portal import queries
    from portal.models import DirectoryPage, NewsPage, StandardPage

    directory = DirectoryPage.objects.live().get()
    business = business_directory.entries().first()
    urls = {
        "home": "/",
        "news-index": "/nieuws/",
        "news-page": NewsPage.objects.live().public().order_by("-date").first().url,
        "event-index": "/agenda/",
        "event-page": queries.upcoming_events(1)[0].url,
        "project-index": "/projecten/",
        "directory": directory.url,
        "directory-filtered": directory.url + "?sector=horeca",
        "directory-entry": directory.entry_url(business),
        "standard-page": StandardPage.objects.live().public().get(slug="over-ons").url,
        "search-results": "/zoeken/?q=kerstmarkt",
        "english-home": "/en/",
    }
    archive = NewsletterIndexPage.objects.live().public().first()
    if archive is not None:
        urls["newsletter-archive"] = archive.url
    return urls


def serious(violations: list[dict]) -> list[str]:
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in violations
        if violation["impact"] in ("serious", "critical")
    ]


def test_every_page_type_passes_axe_on_a_desktop(page, demo_site):
    axe = Axe()
    problems = {}
    for name, url in page_types().items():
        response = page.goto(f"{demo_site.url}{url}")
        assert response.status == 200, url
        found = serious(axe.run(page, options=WCAG_21_AA).response["violations"])
        if found:
            problems[name] = found
        screenshot(page, f"portal-{name}")
    assert problems == {}


def test_every_page_type_reads_on_a_phone_without_sideways_scrolling(phone, demo_site):
    axe = Axe()
    problems = {}
    for name, url in page_types().items():
        phone.goto(f"{demo_site.url}{url}")
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            problems[name] = [f"{width} px wide"]
        found = serious(axe.run(phone, options=WCAG_21_AA).response["violations"])
        if found:
            problems.setdefault(name, []).extend(found)
        screenshot(phone, f"portal-{name}-phone")
    assert problems == {}
