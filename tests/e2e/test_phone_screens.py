"""Every screen a role uses in the field works at 360 px: nothing scrolls sideways, nothing sticks out.

One phone page walks every address (staff as an accountmanager, then the portal as a visitor), on
the shared demo centre; each screen is saved as a screenshot to look at.
"""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from tests.builders import STAFF_PASSWORD
from tests.e2e.conftest import SCREENSHOTS, screenshot, staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(serialized_rollback=True)]

# Elements reaching past the right edge, leaving out what sits in a box that scrolls on purpose
# (a wide table in its own scroller) and what is hidden; and headings cut off by their box.
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const inScroller = (element) => {
        for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
            const style = getComputedStyle(node);
            if (['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)) return true;
        }
        return false;
    };
    const describe = (element) => element.tagName.toLowerCase()
        + (element.id ? '#' + element.id : '')
        + (element.className && typeof element.className === 'string'
            ? '.' + element.className.trim().split(/\\s+/).slice(0, 2).join('.') : '');
    const problems = [];
    if (document.scrollingElement.scrollWidth > window.innerWidth) {
        problems.push('page ' + document.scrollingElement.scrollWidth + ' px wide');
    }
    for (const element of document.body.querySelectorAll('*')) {
        const box = element.getBoundingClientRect();
        const style = getComputedStyle(element);
        if (box.width < 2 || box.height < 2) continue;
        if (style.visibility === 'hidden' || style.position === 'fixed') continue;
        if (box.right > width + 1 && !inScroller(element)) {
            problems.push(describe(element) + ' reaches ' + Math.round(box.right) + ' px');
        }
    }
    for (const heading of document.querySelectorAll('h1')) {
        // The title's text must end inside the box that clips it ('Or' for 'Organisaties').
        let clip = heading;
        while (clip.parentElement && getComputedStyle(clip).overflowX === 'visible') {
            clip = clip.parentElement;
        }
        const text = document.createRange();
        text.selectNodeContents(heading);
        if (text.getBoundingClientRect().right > Math.min(clip.getBoundingClientRect().right, width) + 1) {
            problems.push('h1 cut off: ' + heading.textContent.trim());
        }
    }
    return problems.slice(0, 8);
}"""

ACCOUNTMANAGER = "s.devries"


@pytest.fixture(scope="module")
def demo_logins(_demo_site, django_db_blocker):
    """The demo's staff get the tests' password, committed with the demo centre (emptied after its tests)."""
    with django_db_blocker.unblock():
        get_user_model().objects.filter(is_staff=True).update(password=make_password(STAFF_PASSWORD))


def staff_screens() -> dict[str, str]:
    from crm.models import Organisation, Person

    organisation = Organisation.objects.filter(kind="ondernemer").order_by("-last_contact_at").first()
    person = Person.objects.filter(roles__organisation=organisation).first()
    return {
        # The first screen after logging in: the admin's home with her "Mijn werk" panel.
        "home": "/admin/",
        "organisations": "/admin/crm/organisations/",
        "organisations-searched": "/admin/crm/organisations/?q=cafe",
        "organisation": f"/admin/crm/organisations/{organisation.pk}/",
        "person": f"/admin/crm/people/{person.pk}/",
        "people": "/admin/crm/people/",
        "log-visit": "/admin/crm/log-visit/",
        "search": "/admin/crm/search/?q=gouden+leeuw",
        "my-work": "/admin/crm/my-work/",
        "stakeholder-map": "/admin/crm/stakeholders/",
        "segments": "/admin/crm/segments/",
        "reports": "/admin/members/reports/",
    }


PORTAL_SCREENS = {"home": "/", "directory": "/bedrijvengids/", "directory-searched": "/bedrijvengids/?q=cafe"}


def test_every_field_screen_fits_a_phone(phone, demo_site, demo_logins):
    problems = {}

    def check(name: str) -> None:
        found = phone.evaluate(OVERFLOW)
        if found:
            problems[name] = found
        screenshot(phone, f"phone-{name}")

    staff_login(phone, demo_site.url, ACCOUNTMANAGER)
    for name, url in staff_screens().items():
        response = phone.goto(f"{demo_site.url}{url}")
        assert response.status == 200, url
        check(name)

    # The visit lookup: its box and the businesses it offers while she types.
    phone.goto(f"{demo_site.url}/admin/crm/log-visit/")
    phone.locator("#organisation-search").press_sequentially("kafe kroon", delay=30)
    phone.locator("#organisation-results").get_by_text("Café De Kroon").first.wait_for()
    check("visit-lookup")

    phone.context.clear_cookies()
    for name, url in PORTAL_SCREENS.items():
        phone.goto(f"{demo_site.url}{url}")
        check(f"portal-{name}")
    # The portal's first screen shows content, not only the menu and the filters.
    phone.goto(f"{demo_site.url}/bedrijvengids/")
    first_card = phone.locator(".cards .card").first.bounding_box()
    assert first_card is not None and first_card["y"] < 740, "the first business is below the fold"

    # Also kept beside the screenshots, to read when a run stops early.
    (SCREENSHOTS / "phone-problems.json").write_text(json.dumps(problems, indent=1))
    assert problems == {}
