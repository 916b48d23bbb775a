"""axe-core in a real browser on every back-office screen the roles use: no serious or critical issue.

One page walks every address as the centrummanager (who sees every screen) on the shared demo centre.
"""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import SCREENSHOTS, screenshot, staff_login
from tests.e2e.test_accessibility import WCAG_21_AA, serious
from tests.e2e.test_phone_screens import demo_logins, staff_screens  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(serialized_rollback=True)]

CENTRUMMANAGER = "m.bakker"


def admin_screens() -> dict[str, str]:
    from newsletter.models import Send

    screens = {
        "dashboard": "/admin/",
        **staff_screens(),
        "newsletter-results-index": "/admin/newsletters/results/",
        "year-plans": "/admin/year_plans/",
        "projects": "/admin/projects/",
        "funding-participation": "/admin/funding/participation/",
        "funding-ballots": "/admin/funding/ballots/",
        "social-posts": "/admin/social/posts/",
        "social-week": "/admin/social/week/",
        "export": "/admin/crm/export/",
        "merge": "/admin/crm/merge/",
    }
    send = Send.objects.order_by("-pk").first()
    if send is not None:
        screens["newsletter-results"] = f"/admin/newsletters/results/{send.pk}/"
    return screens


def test_every_back_office_screen_passes_axe(page, demo_site, demo_logins):  # noqa: F811
    axe = Axe()
    problems = {}
    staff_login(page, demo_site.url, CENTRUMMANAGER)
    for name, url in admin_screens().items():
        response = page.goto(f"{demo_site.url}{url}")
        assert response.status == 200, url
        found = serious(axe.run(page, options=WCAG_21_AA).response["violations"])
        if found:
            problems[name] = found
        screenshot(page, f"admin-{name}")
    # Also kept beside the screenshots, to read when a run stops early.
    (SCREENSHOTS / "admin-axe-problems.json").write_text(json.dumps(problems, indent=1))
    assert problems == {}
