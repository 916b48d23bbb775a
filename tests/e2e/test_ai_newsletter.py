# ruff: noqa: F811  (the scripted AI server is a fixture)
"""The AI editor in a real browser: drafting a newsletter from a brief, a rewrite accepted and undone,
and the reviewer's AI check with its fact check.

The draft job runs as a Celery task in the live server's process (eager, after the commit), so the
page that polls the job sees it queued, then done; the real worker is tested in drafting's own tests.
"""

import pytest
from django.db import transaction
from playwright.sync_api import expect

from newsletter.models import AIDraft, NewsletterPage
from stadshart.celery import app
from tests.builders import STAFF_PASSWORD as PASSWORD
from tests.builders import draft_newsletter as make_newsletter
from tests.builders import make_staff, newsletter_index
from tests.e2e.conftest import screenshot, staff_login
from tests.newsletter.ai_fixtures import build_centre

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, base_url, username):
    staff_login(page, base_url, username, password=PASSWORD)


@pytest.fixture
def office(db):
    app.conf.task_always_eager = True
    lotte = make_staff("lotte", "Communicatie", first_name="Lotte", last_name="Kok")
    ruben = make_staff("ruben", "Communicatie", first_name="Ruben", last_name="Visser")
    centre = build_centre()
    yield {"lotte": lotte, "ruben": ruben, "index": newsletter_index(), **centre}
    app.conf.task_always_eager = False


def test_a_newsletter_is_drafted_from_a_brief_and_a_text_block_rewritten(page, live_server, office):
    base = live_server.url
    newsletter = make_newsletter("Nieuwsbrief december", owner=office["lotte"], revision_user=office["lotte"])
    log_in(page, base, "lotte")
    page.goto(f"{base}/admin/pages/{newsletter.pk}/edit/")
    page.locator("a.ai-write").click()
    expect(page.get_by_role("heading", name="Schrijf met AI")).to_be_visible()
    page.get_by_label("Wat moet de nieuwsbrief zeggen, en aan wie?").fill(
        "Vertel de ondernemers over de koopzondag en de kerstverlichting."
    )
    page.get_by_label("Toon", exact=True).select_option("zakelijk")
    page.get_by_label("Signalen van ondernemers, geteld per thema").check()
    page.get_by_label("Statuswijzigingen in het jaarplan").check()
    screenshot(page, "ai-newsletter-draft-form")
    page.get_by_role("button", name="Schrijf het concept").click()

    expect(page.locator(".ai-job")).to_have_attribute("data-state", "done", timeout=20000)
    expect(page.get_by_role("link", name="Open de nieuwe versie")).to_be_visible()
    # The brief is still in the form: a retry or a second draft needs no retyping.
    expect(page.get_by_label("Wat moet de nieuwsbrief zeggen, en aan wie?")).to_have_value(
        "Vertel de ondernemers over de koopzondag en de kerstverlichting."
    )
    screenshot(page, "ai-newsletter-draft-done")
    page.get_by_role("link", name="Open de nieuwe versie").click()

    # The new revision: the AI's blocks, subject lines to choose from, and the AI notice.
    expect(page.locator("input[name$='-value-text']").first).to_have_value(
        "Kerstverlichting hangt vanaf 1 december"
    )
    expect(page.locator(".ai-notice")).to_contain_text("AI-redacteur")
    record = AIDraft.objects.get(page=newsletter)
    chips = page.locator(".ai-choices .ai-choice")
    expect(chips).to_have_count(len(record.subject_lines) + 1)
    chips.nth(1).click()
    expect(page.locator("#id_subject")).to_have_value(record.subject_lines[1])

    # Rewrite a text block: a suggestion beside the original, accepted, then undone.
    editor = page.locator(".public-DraftEditor-content").first
    original = editor.inner_text()
    tools = page.locator(".ai-tools[data-ai-kind=rich]").first
    tools.get_by_text("Herschrijf met AI").click()
    tools.get_by_role("button", name="Korter").click()
    suggestion = tools.locator("[data-role=suggestion]")
    expect(suggestion).to_be_visible()
    suggested = suggestion.inner_text()
    assert editor.inner_text() == original  # nothing overwritten unasked
    screenshot(page, "ai-newsletter-rewrite-suggestion")
    tools.get_by_role("button", name="Overnemen").click()
    expect(editor).to_have_text(suggested.strip())
    tools.get_by_role("button", name="Ongedaan maken").click()
    expect(editor).to_have_text(original.strip())


def test_the_reviewer_sees_what_the_ai_wrote_and_what_it_could_not_find(page, live_server, office):
    from drafting import api
    from newsletter import drafting as newsletter_drafting

    base = live_server.url
    lotte = office["lotte"]
    newsletter = make_newsletter("Nieuwsbrief december", owner=lotte, revision_user=lotte)
    # An AI draft with an invented date and a link to a foreign site (a model's answer, as parsed).
    result = api.DraftResult(
        data={
            "subject_lines": ["Koopzondag en kerstverlichting", "Alles over december"],
            "preheader": "De binnenstad in december",
            "blocks": [
                {"type": "heading", "value": "Kerstverlichting hangt vanaf 1 december"},
                {
                    "type": "paragraph",
                    "value": "<p>De kerstverlichting gaat aan. "
                    "De koopzondag is op 27 december van 12:00 tot 17:00.</p>",
                },
                {"type": "button", "value": {"text": "Win een prijs", "url": "https://evil.example/win"}},
            ],
        },
        model="gpt-test",
        prompt_version="1",
        call_id=None,
        template=False,
    )
    target = {
        "page_id": newsletter.pk,
        "user_id": lotte.pk,
        "choices": {"brief": "Over de kerstverlichting en de koopzondag.", "kind": "service"},
        "sources": [
            newsletter_drafting.source_to_json(s) for s in newsletter_drafting.news_sources(*_period())
        ],
    }
    with transaction.atomic():  # as the worker runs it: inside the job's transaction
        newsletter_drafting.apply_draft(None, result, target)
    newsletter.refresh_from_db()
    # Lotte changes the first sentence herself; the second stays as the AI wrote it.
    issue = newsletter.get_latest_revision_as_object()
    body = list(issue.body.raw_data)
    body[2]["value"] = body[2]["value"].replace(
        "De kerstverlichting gaat aan.", "De lampjes gaan op 1 december aan."
    )
    issue.body = body
    issue.save_revision(user=lotte)
    newsletter.get_workflow().start(newsletter, lotte)

    log_in(page, base, "ruben")
    page.goto(f"{base}/admin/newsletters/{newsletter.pk}/ai/check/")
    panel = page.locator(".ai-review")
    expect(panel).to_contain_text("Over de kerstverlichting en de koopzondag.")
    expect(panel).to_contain_text("gpt-test")
    expect(panel.locator(".ai-unchanged")).to_contain_text(["Kerstverlichting hangt vanaf 1 december"])
    expect(panel.locator(".ai-unchanged", has_text="De lampjes")).to_have_count(0)
    expect(panel.locator("mark.ai-claim", has_text="27 december")).to_be_visible()
    expect(panel.locator("mark.ai-claim", has_text="evil.example")).to_be_visible()
    expect(panel).to_contain_text("niet gevonden in de bronnen")
    screenshot(page, "ai-newsletter-review")
    # The same panel in "Bekijk en test".
    page.goto(f"{base}/admin/newsletters/preview/{newsletter.pk}/")
    expect(page.locator(".ai-review mark.ai-claim", has_text="27 december")).to_be_visible()
    assert NewsletterPage.objects.get(pk=newsletter.pk).workflow_in_progress


def _period():
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    return today - dt.timedelta(days=30), today + dt.timedelta(days=30)


def test_a_newsletter_is_drafted_by_a_real_model_through_the_openai_client(page, live_server, office, ai):
    """The same flow against the scripted OpenAI-compatible server on loopback; then a failure, retried."""
    base = live_server.url
    newsletter = make_newsletter("Nieuwsbrief december", owner=office["lotte"], revision_user=office["lotte"])
    ai.queue(
        {"status": 429, "headers": {"retry-after": "2"}}, {"status": 429, "headers": {"retry-after": "2"}}
    )
    ai.queue({"status": 429, "headers": {"retry-after": "2"}})
    log_in(page, base, "lotte")
    page.goto(f"{base}/admin/newsletters/{newsletter.pk}/ai/")
    brief = "Vertel over de koopzondag op 20 december."
    page.get_by_label("Wat moet de nieuwsbrief zeggen, en aan wie?").fill(brief)
    page.get_by_role("button", name="Schrijf het concept").click()
    expect(page.locator(".ai-job")).to_have_attribute("data-state", "failed", timeout=30000)
    expect(page.locator(".ai-job [role=alert]")).to_be_visible()
    screenshot(page, "ai-newsletter-draft-failed")
    # Nothing typed is lost, and the newsletter is as it was.
    expect(page.get_by_label("Wat moet de nieuwsbrief zeggen, en aan wie?")).to_have_value(brief)
    assert not AIDraft.objects.filter(page=newsletter).exists()

    ai.set_script(
        [
            {
                "content": {
                    "subject_lines": ["Koopzondag 20 december", "Zondag open in de binnenstad"],
                    "preheader": "Alle winkels open van 12 tot 17 uur",
                    "blocks": [
                        {"type": "heading", "value": "Zondag 20 december: koopzondag"},
                        {"type": "paragraph", "value": "<p>De winkels in de binnenstad zijn open.</p>"},
                    ],
                },
                "model": "gpt-scripted",
            }
        ]
    )
    page.get_by_role("button", name="Opnieuw proberen").click()
    expect(page.locator(".ai-job")).to_have_attribute("data-state", "done", timeout=30000)
    page.get_by_role("link", name="Open de nieuwe versie").click()
    expect(page.locator("input[name$='-value-text']").first).to_have_value("Zondag 20 december: koopzondag")
    expect(page.locator("#id_subject")).to_have_value("Koopzondag 20 december")
    assert AIDraft.objects.get(page=newsletter).model_name == "gpt-scripted"


def test_alt_text_is_suggested_for_an_image_and_a_running_draft_is_announced(page, live_server, office, ai):
    from django.test import override_settings

    from drafting import api
    from newsletter import drafting as newsletter_drafting
    from tests.builders import make_image, rich_body

    base = live_server.url
    lotte = office["lotte"]
    image = make_image()
    newsletter = make_newsletter(
        "Nieuwsbrief december", owner=lotte, revision_user=lotte, body=rich_body(image)
    )
    # A draft Lotte asked for is still being written in the background.
    api.DraftJob.objects.create(
        user=lotte,
        purpose="newsletter",
        handler=newsletter_drafting.HANDLER,
        request={},
        target={"page_id": newsletter.pk, "user_id": lotte.pk},
    )
    ai.queue({"content": {"alt": "Kraampjes op de Markt bij avond"}})
    with override_settings(OPENAI_VISION=True):
        log_in(page, base, "lotte")
        page.goto(f"{base}/admin/pages/{newsletter.pk}/edit/")
        expect(page.locator("[data-ai-job]")).to_contain_text("De AI-redacteur schrijft een nieuwe versie")
        tools = page.locator(".ai-alt").first
        tools.get_by_role("button", name="Alt-tekst voorstellen").click()
        field = tools.locator("input.ai-alt-text")
        expect(field).to_have_value("Kraampjes op de Markt bij avond")
        field.fill("Kraampjes op de Markt bij avond, met lichtjes")
        screenshot(page, "ai-newsletter-alt-text")
        tools.get_by_role("button", name="Gebruik als alt-tekst").click()
        expect(tools).to_contain_text("Alt-tekst opgeslagen bij de afbeelding.")
    image.refresh_from_db()
    assert image.description == "Kraampjes op de Markt bij avond, met lichtjes"
