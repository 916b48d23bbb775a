"""An approved newsletter stays approved when its editor, open in a tab, saves the form unchanged.

Wagtail's editor autosaves the form it loaded; a tab left open by the author saved it again after
a colleague approved, which made a new revision and undid the approval (seen in CI on 2026-11-27).
A save that changes nothing a reader or the audience would notice keeps it; a real edit does not.
"""

import pytest
from playwright.sync_api import expect

from newsletter.models import NewsletterApproval
from newsletter.review import approved_revision
from tests.builders import colleague, draft_newsletter, make_segment, rich_body
from tests.e2e.conftest import open_page_editor, screenshot, staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_save_of_the_unchanged_form_keeps_the_approval_and_an_edit_does_not(page, live_server):
    base = live_server.url
    lotte, ruben = colleague("lotte"), colleague("ruben")
    # Every kind of block, with a link the editor's form accepts (the builder's points at the test server).
    body = [
        ("button", {"text": "Meld je aan", "page": None, "url": "https://www.veldhaven.example/aanmelden/"})
        if kind == "button"
        else (kind, value)
        for kind, value in rich_body()
    ]
    newsletter = draft_newsletter(owner=lotte, body=body)
    newsletter.segments.add(make_segment("Alle ondernemers"))
    newsletter.save_revision(user=lotte)
    newsletter.get_workflow().start(newsletter, lotte)
    newsletter.refresh_from_db()
    task_state = newsletter.current_workflow_task_state
    task_state.task.specific.on_action(task_state, ruben, "approve")
    approval = NewsletterApproval.objects.get()
    newsletter.refresh_from_db()
    assert approved_revision(newsletter) == approval.revision

    # Lotte's editor saves the form as it loaded it: the blocks, the rich text, the audience.
    staff_login(page, base, "lotte")
    open_page_editor(page, f"{base}/admin/pages/{newsletter.pk}/edit/")
    page.get_by_role("button", name="Bewaar concept").click()
    expect(page.locator(".messages .success")).to_be_visible(timeout=30_000)
    newsletter.refresh_from_db()
    assert newsletter.get_latest_revision() != approval.revision  # a new revision was made…
    assert approved_revision(newsletter) == approval.revision  # …and the approval holds
    page.goto(f"{base}/admin/newsletters/preview/{newsletter.pk}/")
    expect(page.get_by_text("Deze versie is goedgekeurd")).to_be_visible()
    screenshot(page, "newsletter-approval-kept-after-an-unchanged-save")

    # A real edit needs a new approval.
    open_page_editor(page, f"{base}/admin/pages/{newsletter.pk}/edit/")
    page.locator("#id_subject").fill("Koopzondag verschoven naar 21 december")
    page.get_by_role("button", name="Bewaar concept").click()
    expect(page.locator(".messages .success")).to_be_visible(timeout=30_000)
    newsletter.refresh_from_db()
    assert approved_revision(newsletter) is None
    page.goto(f"{base}/admin/newsletters/preview/{newsletter.pk}/")
    expect(page.get_by_text("Deze versie is goedgekeurd")).to_have_count(0)
