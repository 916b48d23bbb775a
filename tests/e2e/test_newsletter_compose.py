"""Writing a newsletter in the admin, the editorial review by a colleague, and the preview on a phone."""

import pytest
from playwright.sync_api import expect

from newsletter.models import NewsletterApproval, NewsletterPage
from newsletter.review import approved_revision
from tests.builders import (
    colleague,
    draft_newsletter,
    make_image,
    newsletter_index,
    rich_body,
)
from tests.e2e.conftest import open_page_editor, screenshot, staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def add_block(page, label: str):
    page.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name=label).click()


@pytest.fixture
def office(db):
    lotte = colleague("lotte")
    ruben = colleague("ruben")
    return {"lotte": lotte, "ruben": ruben, "index": newsletter_index()}


def test_a_newsletter_is_written_reviewed_by_a_colleague_and_previewed_on_a_phone(
    page, phone, browser, live_server, office
):
    base = live_server.url
    # Lotte writes the newsletter: subject, a greeting, a heading and a paragraph.
    staff_login(page, base, "lotte")
    open_page_editor(page, f"{base}/admin/pages/add/newsletter/newsletterpage/{office['index'].pk}/")
    page.locator("#id_title").fill("Nieuwsbrief december")
    page.locator("#id_subject").fill("Koopzondag en kerstmarkt")
    page.locator("#id_preheader").fill("Alles over de feestdagen in de binnenstad")
    add_block(page, "Persoonlijke aanhef")
    add_block(page, "Kop")
    page.locator("input[name$='-value-text']").last.fill("Koopzondag op 20 december")
    add_block(page, "Tekst")
    editor = page.locator(".public-DraftEditor-content").last
    editor.click()
    editor.type("Alle winkels in de binnenstad zijn open van 12 tot 17 uur.")
    add_block(page, "Scheidingslijn")
    screenshot(page, "newsletter-compose-editor")

    # No "publish" for a newsletter: it goes to the editorial review.
    page.locator(
        ".footer__container button.dropdown-toggle, footer [data-w-dropdown-target='toggle']"
    ).first.click()
    screenshot(page, "newsletter-compose-actions")
    expect(page.get_by_role("button", name="Publiceren")).to_have_count(0)
    page.get_by_role("button", name="Redactie").click()
    expect(page.locator(".messages")).to_contain_text("Nieuwsbrief december")
    newsletter = NewsletterPage.objects.get(title="Nieuwsbrief december")
    assert newsletter.workflow_in_progress
    assert [block.block_type for block in newsletter.get_latest_revision_as_object().body] == [
        "greeting",
        "heading",
        "paragraph",
        "divider",
    ]

    # Lotte cannot approve her own newsletter.
    page.goto(f"{base}/admin/pages/{newsletter.pk}/edit/")
    expect(page.get_by_text("Koopzondag op 20 december").first).to_be_attached()
    expect(page.locator("[data-workflow-action-name='approve']")).to_have_count(0)
    # She leaves the editor: on a slow machine its first snapshot can be taken before the editor has
    # settled, and an autosave from her open tab after Ruben's approval would make a new revision
    # (found in CI on 2026-11-27; the approval rule itself is what this test is about).
    page.goto(f"{base}/admin/")

    # Ruben, her colleague, reviews and approves it.
    reviewer = browser.new_context(viewport={"width": 1280, "height": 860}, locale="nl-NL").new_page()
    staff_login(reviewer, base, "ruben")
    reviewer.goto(f"{base}/admin/pages/{newsletter.pk}/edit/")
    reviewer.locator(
        "footer [data-w-dropdown-target='toggle'], .footer__container button.dropdown-toggle"
    ).first.click()
    screenshot(reviewer, "newsletter-compose-review")
    expect(reviewer.locator("[data-workflow-action-name='approve']")).to_have_count(2)
    reviewer.get_by_role("button", name="Goedkeuren voor verzending", exact=True).click()
    expect(reviewer.locator(".messages .success")).to_be_visible()
    approval = NewsletterApproval.objects.get()
    assert approval.approved_by == office["ruben"]
    newsletter.refresh_from_db()
    assert approved_revision(newsletter) == approval.revision

    # The preview on a phone: the mail as a recipient without a name gets it.
    staff_login(phone, base, "lotte")
    phone.goto(f"{base}/admin/newsletters/preview/{newsletter.pk}/")
    expect(phone.get_by_text("Deze versie is goedgekeurd")).to_be_visible()
    screenshot(phone, "newsletter-compose-preview-phone")
    phone.goto(f"{base}/admin/newsletters/preview/{newsletter.pk}/mail/")
    expect(phone.get_by_text("Beste ondernemer,")).to_be_visible()
    expect(phone.get_by_role("heading", name="Koopzondag op 20 december")).to_be_visible()
    width = phone.evaluate("document.querySelector('table.container').getBoundingClientRect().width")
    assert width <= 360
    screenshot(phone, "newsletter-compose-mail-phone")
    page.goto(f"{base}/admin/newsletters/preview/{newsletter.pk}/mail/")
    assert page.evaluate("document.querySelector('table.container').getBoundingClientRect().width") == 600
    screenshot(page, "newsletter-compose-mail-desktop")


def test_every_block_reads_well_in_the_mail_on_desktop_and_phone(page, phone, live_server, office):
    newsletter = draft_newsletter(owner=office["lotte"], body=rich_body(make_image()))
    for viewer, name in ((page, "desktop"), (phone, "phone")):
        staff_login(viewer, live_server.url, "lotte")
        viewer.goto(f"{live_server.url}/admin/newsletters/preview/{newsletter.pk}/mail/")
        expect(viewer.get_by_role("link", name="Meld je aan")).to_be_visible()
        screenshot(viewer, f"newsletter-mail-all-blocks-{name}")
    # On a phone the two columns stack: the right one starts below the left one.
    left = phone.locator("td.column-left").bounding_box()
    right = phone.locator("td.column-right").bounding_box()
    assert right["y"] >= left["y"] + left["height"] - 1
    assert left["width"] > 300
    left = page.locator("td.column-left").bounding_box()
    right = page.locator("td.column-right").bounding_box()
    assert right["x"] > left["x"] and abs(right["y"] - left["y"]) < 2
    image = phone.locator("img.image").bounding_box()
    assert image["width"] <= 360
    # Apple Mail and others in dark mode: our own dark colours, text still readable.
    phone.emulate_media(color_scheme="dark")
    background = phone.evaluate("getComputedStyle(document.querySelector('table.container')).backgroundColor")
    text = phone.evaluate("getComputedStyle(document.querySelector('td.content p')).color")
    assert background == "rgb(38, 38, 38)" and text == "rgb(241, 239, 233)"
    screenshot(phone, "newsletter-mail-all-blocks-phone-dark")


def test_a_visitor_reads_a_sent_issue_in_the_archive_on_a_phone(phone, live_server, office):
    from django.utils import timezone

    from newsletter.models import Send

    newsletter = draft_newsletter(owner=office["lotte"], body=rich_body(make_image()))
    revision = newsletter.get_latest_revision()
    revision.publish()
    Send.objects.create(
        newsletter=newsletter,
        revision=revision,
        status=Send.Status.SENT,
        subject=newsletter.subject,
        from_email="Stadshart <nieuws@stadshart.example>",
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )
    violations = []
    phone.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security" in message.text else None,
    )
    phone.goto(f"{live_server.url}{office['index'].url}")
    phone.get_by_role("link", name="Nieuwsbrief december").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Nieuwsbrief december")
    expect(phone.get_by_text("Beste ondernemer,")).to_be_visible()
    expect(phone.get_by_role("link", name="Meld je aan")).to_be_visible()
    screenshot(phone, "newsletter-web-version-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert violations == []
