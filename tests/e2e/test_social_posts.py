"""Social posts in a real browser: drafted for a newsletter, edited with the live counter, approved
by a colleague, recorded as posted, and the week calendar on a 360 px phone."""

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from social.models import PostState, SocialPost
from stadshart.celery import app
from tests.builders import draft_newsletter as make_newsletter
from tests.e2e.conftest import PHONE, screenshot, staff_login
from tests.social.conftest import PASSWORD, make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LINK = "https://www.veldhaven.example/agenda/koopzondag-20-december-met-kerstmarkt"


def log_in(page, base_url, username):
    staff_login(page, base_url, username, password=PASSWORD)


@pytest.fixture
def office(db):
    return {
        "lotte": make_staff("lotte", "Communicatie", "Lotte", "Kok"),
        "ruben": make_staff("ruben", "Communicatie", "Ruben", "Visser"),
    }


@pytest.fixture
def worker_in_process():
    """The drafting task runs in the web process when its request commits (no broker needed)."""
    app.conf.task_always_eager = True
    with override_settings(OPENAI_API_KEY="", OPENAI_BASE_URL=None):
        yield
    app.conf.task_always_eager = False


def test_posts_are_drafted_for_a_newsletter_edited_approved_and_recorded(
    page, browser, live_server, office, worker_in_process
):
    base = live_server.url
    newsletter = make_newsletter("Nieuwsbrief december", owner=office["lotte"])
    log_in(page, base, "lotte")

    # "Maak socialemediaberichten" for the newsletter: every channel ticked, a brief.
    page.goto(f"{base}/admin/social/draft/?page={newsletter.pk}")
    expect(page.get_by_label("Bron")).to_have_value(f"page:{newsletter.pk}")
    for label in ["LinkedIn", "Facebook", "Instagram", "X", "Mastodon", "WhatsApp (straatgroepen)"]:
        expect(page.get_by_label(label, exact=True)).to_be_checked()
    page.get_by_label("Opdracht").fill("Maak de decembereditie bekend.")
    screenshot(page, "social-draft-form")
    page.get_by_role("button", name="Maak opzetten").click()
    expect(page.locator("[data-job-state='done']")).to_be_visible(timeout=20000)
    expect(page.locator(".social-post")).to_have_count(6)
    screenshot(page, "social-draft-result")
    x_post = SocialPost.objects.get(channel="x")
    assert x_post.ai_template and x_post.source_page_id == newsletter.pk

    # Editing the X post: the counter counts the way X does, a link as 23 characters.
    page.goto(f"{base}/admin/social/posts/edit/{x_post.pk}/")
    text = page.locator("textarea[name='text']")
    counter = page.locator("[data-social-counter-output]")
    text.fill("Koopzondag op 20 december: alle winkels open van 12 tot 17 uur.")
    page.locator("input[name='hashtags']").fill("")
    page.locator("input[name='link']").fill(LINK)
    expected = len("Koopzondag op 20 december: alle winkels open van 12 tot 17 uur.") + 2 + 23
    expect(counter).to_have_text(f"X: {expected} / 280")
    text.fill("Koopzondag! " * 24)
    expect(counter).to_have_class("social-counter social-counter--over")
    screenshot(page, "social-edit-counter-over")
    # Saving an over-long post is refused with the reason, and the text stays as typed.
    page.locator("button[name='action-submit'], button.action-save").first.click()
    expect(page.get_by_text("te veel")).to_be_visible()
    assert page.locator("textarea[name='text']").input_value().startswith("Koopzondag! Koopzondag!")
    text.fill("Koopzondag op 20 december: alle winkels open van 12 tot 17 uur.")
    expect(counter).to_have_text(f"X: {expected} / 280")
    screenshot(page, "social-edit-counter")

    # Submitted for review; Lotte sees no approve button on her own post.
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    expect(page.locator("button[name='action-publish']")).to_have_count(0)
    page.locator("button[name='action-submit']").click()
    expect(page.locator(".messages .success")).to_be_visible()
    x_post.refresh_from_db()
    assert x_post.state == PostState.REVIEW
    page.goto(f"{base}/admin/social/posts/edit/{x_post.pk}/")
    expect(page.locator("[data-workflow-action-name='approve']")).to_have_count(0)

    # Ruben approves it.
    reviewer = browser.new_context(viewport={"width": 1280, "height": 860}, locale="nl-NL").new_page()
    log_in(reviewer, base, "ruben")
    reviewer.goto(f"{base}/admin/social/posts/edit/{x_post.pk}/")
    reviewer.locator("footer [data-w-dropdown-target='toggle']").first.click()
    screenshot(reviewer, "social-review")
    reviewer.locator("button[data-workflow-action-name='approve']").first.click()
    expect(reviewer.locator(".messages .success")).to_be_visible()
    x_post.refresh_from_db()
    assert x_post.state == PostState.APPROVED and x_post.approved_by == office["ruben"]

    # Lotte copies the approved text and records where it went live.
    page.goto(f"{base}/admin/social/posts/{x_post.pk}/posting/")
    expect(page.locator("#social-composed")).to_have_value(
        f"Koopzondag op 20 december: alle winkels open van 12 tot 17 uur.\n\n{LINK}"
    )
    expect(page.get_by_test_id("approved-by")).to_contain_text("Ruben Visser")
    page.get_by_role("button", name="Tekst kopiëren").click()
    expect(page.get_by_role("button", name="Gekopieerd")).to_be_visible()
    page.get_by_label("Adres van het bericht").fill("geen adres")
    page.get_by_role("button", name="Vastleggen als geplaatst").click()
    expect(page.get_by_text("Vul het volledige webadres")).to_be_visible()
    page.get_by_label("Adres van het bericht").fill("https://x.com/binnenstadveldhaven/status/42")
    page.get_by_role("button", name="Vastleggen als geplaatst").click()
    expect(page.get_by_test_id("post-state")).to_have_text("Gepubliceerd")
    screenshot(page, "social-posting")
    x_post.refresh_from_db()
    assert (
        x_post.posted_url == "https://x.com/binnenstadveldhaven/status/42"
        and x_post.posted_by == office["lotte"]
    )


def test_the_week_calendar_reads_on_a_360_px_phone(phone, page, live_server, office, worker_in_process):
    from django.utils import timezone

    from social.drafting import draft_posts

    newsletter = make_newsletter("Nieuwsbrief december", owner=office["lotte"])
    posts = draft_posts(
        user=office["lotte"],
        channel_keys=["x", "linkedin", "whatsapp"],
        page=newsletter,
        planned_at=timezone.now(),
    )
    posts[0].get_workflow().start(posts[0], office["lotte"])
    for viewer, name in ((phone, "phone"), (page, "desktop")):
        log_in(viewer, live_server.url, "ruben")
        viewer.goto(f"{live_server.url}/admin/social/week/")
        expect(viewer.locator(".social-post")).to_have_count(3)
        expect(viewer.locator("[data-state='review']")).to_have_count(1)
        screenshot(viewer, f"social-week-{name}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    days = phone.locator(".social-day")
    first, second = days.nth(0).bounding_box(), days.nth(1).bounding_box()
    assert second["y"] > first["y"]  # the days stack on a phone
    phone.get_by_label("Kanaal").select_option("whatsapp")
    phone.get_by_role("button", name="Filteren").click()
    expect(phone.locator(".social-post")).to_have_count(1)
    phone.goto(f"{live_server.url}/admin/social/posts/")
    expect(phone.get_by_role("cell", name="WhatsApp (straatgroepen)", exact=True)).to_be_visible()
    screenshot(phone, "social-list-phone")
