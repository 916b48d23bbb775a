"""A click on "Bewaar concept" while Wagtail's autosave is still on its way makes one page, not two.

Wagtail creates a new page on the first autosave and only then points the form at it; a submit in
between posted the form to "add" again (a duplicate draft, or a 500 when both took the same slug).
"""

import re

import pytest
from playwright.sync_api import expect

from newsletter.models import NewsletterPage
from tests.builders import colleague, newsletter_index
from tests.e2e.conftest import open_page_editor, staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_submit_during_the_first_autosave_waits_for_it_and_makes_one_newsletter(page, live_server):
    base = live_server.url
    colleague("lotte")
    index = newsletter_index()
    staff_login(page, base, "lotte")

    # Hold the autosave's request to "add" until Lotte has clicked: the slow server of a busy day.
    held = []

    def hold_autosave(route):
        if route.request.resource_type == "fetch" and route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    page.route(re.compile(r"/admin/pages/add/"), hold_autosave)
    open_page_editor(page, f"{base}/admin/pages/add/newsletter/newsletterpage/{index.pk}/")
    page.locator("#id_title").fill("Nieuwsbrief december")
    page.locator("#id_subject").fill("Koopzondag en kerstmarkt")
    # Wagtail notices the edit on its next check, waits for typing to pause and debounces the save:
    # about 1.5 s when idle, several times that on a CI machine busy with the other tests.
    for _ in range(600):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the autosave never went out"

    page.get_by_role("button", name="Bewaar concept").click()
    # The click waits for the save in flight: nothing has been created yet.
    assert not NewsletterPage.objects.filter(title="Nieuwsbrief december").exists()
    held.pop().continue_()

    # Three round trips follow (the autosave, Wagtail's refresh of the editor, the save itself), each
    # slow on a busy machine: wait for the saved page's editor rather than for the default 5 s.
    expect(page.locator(".messages .success")).to_contain_text("Nieuwsbrief december", timeout=30_000)
    assert re.search(r"/admin/pages/\d+/edit/", page.url)
    newsletters = NewsletterPage.objects.filter(title="Nieuwsbrief december")
    assert newsletters.count() == 1
    assert newsletters.get().subject == "Koopzondag en kerstmarkt"
