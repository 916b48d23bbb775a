"""Wagtail's own preview of a newsletter is the mail as "Bekijk en test" shows it, and a title may
be used again after an abandoned draft."""

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from newsletter.models import NewsletterPage
from tests.builders import colleague, draft_newsletter, newsletter_index, rich_body
from tests.e2e.conftest import open_page_editor, screenshot, staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PADDING_LEFT = "getComputedStyle(document.querySelector('td.content')).paddingLeft"

# What makes the mail look like the mail: computed in the browser, the same in both previews. A
# missing element reads as null (named in a failure message) instead of a TypeError.
LOOKS = """() => {
  const style = (selector, property) => {
    const element = document.querySelector(selector);
    return element ? getComputedStyle(element)[property] : null;
  };
  const box = (selector, side) => {
    const element = document.querySelector(selector);
    return element ? element.getBoundingClientRect()[side] : null;
  };
  return {
    container: box('table.container', 'width'),
    masthead: style('td.masthead', 'backgroundColor'),
    text: style('td.content p', 'fontSize'),
    preheader: box('.preheader', 'height'),
    preheaderDisplay: style('.preheader', 'display'),
  };
}"""


def looks_of_the_preview_panel(page) -> dict:
    """LOOKS in the preview panel's mail, read in whichever of the panel's frames holds all of it.

    Wagtail loads a new preview into a second iframe and then drops the old one, and it renders the
    form as it stood at its last check for changes, so a frame may show the heading before the text
    block's paragraph: the frames are asked again until one holds every part (up to 30 s: on a busy
    machine the preview's render and the frame swap took longer than 10 s). Found through the iframe
    elements, not the frames' addresses: in a CI run no frame's address said /preview/ while the
    mail was on screen.
    """
    frames = page.locator("iframe[title]")
    seen = []  # what each round found, for the failure message
    for _ in range(60):
        seen = [f"{frames.count()} frames"]
        for index in range(frames.count()):
            try:
                looks = (
                    frames.nth(index)
                    .content_frame.locator("body")
                    .evaluate(f"(element) => ({LOOKS})()", timeout=2_000)
                )
            except PlaywrightError as error:  # the frame went away between the two questions
                seen.append(f"{index}: {str(error).splitlines()[0]}")
                continue
            missing = [name for name, value in looks.items() if value is None]
            if not missing:
                return looks
            seen.append(f"{index}: {frames.nth(index).get_attribute('title')!r} lacks {', '.join(missing)}")
        page.wait_for_timeout(500)
    raise AssertionError(f"no preview frame holds the whole mail; last round: {'; '.join(seen)}")


def test_wagtail_preview_looks_like_the_mail_and_titles_do_not_collide_with_drafts(page, live_server):
    base = live_server.url
    lotte = colleague("lotte")
    index = newsletter_index()
    # An abandoned draft whose title (and so its address) the next newsletter reuses.
    abandoned = draft_newsletter(
        "Nieuwsbrief december", owner=lotte, slug="nieuwsbrief-december", body=rich_body()[:3]
    )
    csp_errors = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    staff_login(page, base, "lotte")

    open_page_editor(page, f"{base}/admin/pages/add/newsletter/newsletterpage/{index.pk}/")
    page.locator("#id_title").fill("Nieuwsbrief december")
    page.locator("#id_subject").fill("Koopzondag en kerstmarkt")
    page.locator("#id_preheader").fill("Alles over de feestdagen in de binnenstad")
    page.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name="Kop").click()
    page.locator("input[name$='-value-text']").last.fill("Koopzondag op 20 december")
    page.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name="Tekst").click()
    editor = page.locator(".public-DraftEditor-content").last
    editor.click()
    editor.type("Alle winkels zijn open van 12 tot 17 uur.")
    # Draftail writes its text into the form 250 ms after the last key: a save before that would
    # store an empty block (a CI run lost the paragraph this way).
    expect(page.locator("input[name='body-1-value']")).to_have_value(re.compile("Alle winkels zijn open"))
    # Wagtail saves as one types: the new newsletter exists, under a free address, before any click.
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    page.get_by_role("button", name="Bewaar concept").click()
    expect(page.locator(".messages .success")).to_be_visible()
    newsletter = NewsletterPage.objects.exclude(pk=abandoned.pk).get(title="Nieuwsbrief december")
    assert newsletter.slug == "nieuwsbrief-december-2"

    # Wagtail's preview panel, desktop and phone modes: the styled mail, preheader hidden.
    page.locator("[data-side-panel-toggle='preview']").click()
    frame = page.frame_locator("iframe[title]").first
    expect(frame.get_by_role("heading", name="Koopzondag op 20 december")).to_be_visible()
    looks = looks_of_the_preview_panel(page)
    screenshot(page, "newsletter-wagtail-preview")
    page.goto(f"{base}/admin/pages/{newsletter.pk}/edit/preview/?mode=")
    desktop = page.evaluate(LOOKS)
    assert page.evaluate(PADDING_LEFT) == "24px"
    expect(page.get_by_text("Alles over de feestdagen")).to_be_hidden()
    page.goto(f"{base}/admin/newsletters/preview/{newsletter.pk}/mail/")
    mail = page.evaluate(LOOKS)
    screenshot(page, "newsletter-bekijk-en-test-mail")
    assert desktop == mail, (desktop, mail)
    assert mail["container"] == 600 and mail["masthead"] == "rgb(138, 28, 43)"
    assert mail["preheader"] == 0 and mail["preheaderDisplay"] == "none"
    assert looks["masthead"] == mail["masthead"] and looks["preheaderDisplay"] == "none"
    page.goto(f"{base}/admin/pages/{newsletter.pk}/edit/preview/?mode=phone")
    # "E-mail (telefoon)": the phone layout at any window width, still styled.
    assert page.evaluate(PADDING_LEFT) == "16px" and page.evaluate(LOOKS)["preheaderDisplay"] == "none"
    screenshot(page, "newsletter-wagtail-preview-phone-mode")
    assert csp_errors == []
