"""The AI editor through the real openai client against the scripted server on loopback: a newsletter
draft, rewrites of a text and a heading block, alt text, and each failure with its Dutch message."""

# ruff: noqa: F811  (the named people and the centre are fixtures imported from the fixture modules)

import datetime as dt
import json

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from drafting import api
from newsletter import ai_review
from newsletter import drafting as newsletter_drafting
from newsletter.models import AIDraft, AIRewrite
from tests.builders import draft_newsletter as make_newsletter
from tests.builders import make_image
from tests.newsletter.ai_fixtures import PERSONAL, centre, eager_celery  # noqa: F401

GOOD_DRAFT = {
    "subject_lines": ["Koopzondag en kerstverlichting", "December in de binnenstad", "Zondag open"],
    "preheader": "Alle winkels open, de lampjes aan",
    "blocks": [
        {"type": "heading", "value": "Koopzondag"},
        {"type": "paragraph", "value": "<p>Alle winkels zijn open. <script>alert(1)</script>Kom langs!</p>"},
        {"type": "button", "value": {"text": "Naar de agenda", "url": "https://veldhaven.example/agenda"}},
    ],
}


def rich(text: str) -> dict:
    """Draftail's contentstate of one paragraph, as the editor's hidden input holds it."""
    return {
        "blocks": [
            {
                "key": "a1b2c",
                "type": "unstyled",
                "depth": 0,
                "text": text,
                "inlineStyleRanges": [],
                "entityRanges": [],
            }
        ],
        "entityMap": {},
    }


def rewrite(client, **body):
    return client.post(reverse("newsletter_ai_rewrite"), json.dumps(body), content_type="application/json")


def choices():
    today = timezone.localdate()
    return newsletter_drafting.DraftChoices(
        brief="Vertel over de koopzondag.",
        kind="service",
        audience="ondernemers",
        tone="warm",
        length="kort",
        since=today - dt.timedelta(days=30),
        until=today + dt.timedelta(days=30),
        sources=newsletter_drafting.SOURCE_KINDS,
    )


def test_a_real_model_draft_is_validated_cleaned_and_saved_as_a_revision(
    ai, centre, lotte, eager_celery, django_capture_on_commit_callbacks
):
    ai.queue({"content": GOOD_DRAFT, "model": "gpt-test"})
    page = make_newsletter("Nieuwsbrief december", owner=lotte, revision_user=lotte)
    with django_capture_on_commit_callbacks(execute=True):
        job = newsletter_drafting.start_newsletter_draft(page=page, user=lotte, choices=choices())
    assert api.job_status(job.pk, user=lotte)["state"] == "done"
    page.refresh_from_db()
    issue = page.get_latest_revision_as_object()
    assert [b.block_type for b in issue.body] == ["greeting", "heading", "paragraph", "button"]
    paragraph = issue.body[2].value.source
    assert "<script>" not in paragraph and "alert(1)" not in paragraph and "Kom langs!" in paragraph
    assert issue.subject == "Koopzondag en kerstverlichting"
    record = AIDraft.objects.get(page=page)
    assert record.model_name == "gpt-test" and not record.template and record.call_id
    # What reached the server: the sources as data, and no person or business of the CRM.
    sent = json.dumps(ai.requests[-1], ensure_ascii=False)
    assert "Kerstverlichting hangt vanaf 1 december" in sent
    for personal in PERSONAL:
        assert personal not in sent, personal


@pytest.mark.parametrize(
    "reply, message",
    [
        ({"status": 429, "headers": {"retry-after": "7"}}, "7"),
        ({"status": 500}, ""),
        ({"content": "dit is geen JSON"}, ""),
        ({"refusal": "Ik kan hier niet mee helpen."}, ""),
    ],
)
def test_a_failing_model_leaves_the_newsletter_as_it_was(
    ai, centre, lotte, eager_celery, django_capture_on_commit_callbacks, reply, message
):
    ai.queue(reply, reply, reply)  # the client may retry once or twice
    page = make_newsletter("Nieuwsbrief december", owner=lotte, revision_user=lotte)
    before = page.get_latest_revision().pk
    with django_capture_on_commit_callbacks(execute=True):
        job = newsletter_drafting.start_newsletter_draft(page=page, user=lotte, choices=choices())
    status = api.job_status(job.pk, user=lotte)
    assert status["state"] == "failed"
    assert status["message"] and message in status["message"]
    assert status["retryable"] or reply.get("refusal")
    page.refresh_from_db()
    assert page.get_latest_revision().pk == before
    assert not AIDraft.objects.exists()


def test_a_text_block_is_rewritten_as_a_suggestion_in_the_editors_format(ai, client, lotte):
    ai.queue({"content": {"text": "<p>Alle winkels open op <b>zondag</b>.</p>"}, "model": "gpt-test"})
    client.force_login(lotte)
    response = rewrite(
        client, action="shorter", contentstate=rich("De winkels in de binnenstad zijn zondag open.")
    )
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["html"] == "<p>Alle winkels open op <b>zondag</b>.</p>"
    block = answer["contentstate"]["blocks"][0]
    assert block["text"] == "Alle winkels open op zondag."
    assert block["inlineStyleRanges"] == [{"offset": 21, "length": 6, "style": "BOLD"}]
    assert answer["model"] == "gpt-test" and answer["template"] is False
    sent = json.dumps(ai.requests[-1], ensure_ascii=False)
    assert "De winkels in de binnenstad zijn zondag open." in sent and "shorter" in sent


def test_a_heading_is_rewritten_as_plain_text(ai, client, lotte):
    ai.queue({"content": {"text": "Koopzondag in december"}})
    client.force_login(lotte)
    answer = rewrite(client, action="spelling", text="Koopzondag in decmber").json()
    assert answer["text"] == "Koopzondag in december"


def test_without_an_ai_server_the_template_drafter_answers_and_says_so(client, lotte):
    client.force_login(lotte)
    answer = rewrite(client, action="shorter", contentstate=rich("Eerste zin. Tweede zin.")).json()
    assert answer["template"] is True
    assert answer["contentstate"]["blocks"][0]["text"] == "Eerste zin."


@pytest.mark.parametrize(
    "reply, expected",
    [
        ({"status": 429, "headers": {"retry-after": "30"}}, 503),
        ({"delay": 3}, 503),
        ({"content": {"wrong": "shape"}}, 503),
    ],
)
def test_a_failed_rewrite_gives_a_dutch_message_and_changes_nothing(ai, client, lotte, reply, expected):
    ai.queue(reply, reply, reply)
    client.force_login(lotte)
    with override_settings(OPENAI_TIMEOUT=1.0):
        response = rewrite(client, action="formal", text="Hoi allemaal")
    assert response.status_code == expected
    error = response.json()["error"]
    assert " " in error  # a sentence for a person, not a code
    assert response.json()["retryable"] is True
    assert not AIRewrite.objects.exists()


def test_a_rewrite_needs_text_a_known_action_and_the_right_role(client, lotte, sanne):
    client.force_login(lotte)
    assert (
        rewrite(client, action="shorter", text="  ").json()["error"]
        == "Er is nog geen tekst om te herschrijven."
    )
    assert rewrite(client, action="poem", text="Hallo").status_code == 400
    assert rewrite(client, action="shorter", text="x" * 6000).status_code == 400
    client.force_login(sanne)
    assert rewrite(client, action="shorter", text="Hallo").status_code == 403


def test_an_accepted_rewrite_counts_as_ai_text_for_the_reviewer(client, centre, lotte):
    page = make_newsletter("Nieuwsbrief december", owner=lotte, revision_user=lotte)
    client.force_login(lotte)
    response = client.post(
        reverse("newsletter_ai_rewrite_accepted"),
        json.dumps(
            {"page_id": page.pk, "action": "shorter", "html": "<p>Gratis na 18 uur.</p>", "model": "m"}
        ),
        content_type="application/json",
    )
    assert response.json() == {"recorded": True}
    page.refresh_from_db()
    review = ai_review.review(page)
    marked = [s for b in review.blocks for s in b.sentences if s.ai]
    # The fixture newsletter's column holds "Gratis na 18 uur.": now marked as AI's.
    assert ["".join(seg.text for seg in s.segments) for s in marked] == ["Gratis na 18 uur."]


def test_alt_text_is_offered_only_where_the_model_takes_images(client, lotte):
    client.force_login(lotte)
    image = make_image()
    assert client.get(reverse("newsletter_ai_config")).json()["images"] is False
    response = client.post(
        reverse("newsletter_ai_alt_text", args=[image.pk]), "{}", content_type="application/json"
    )
    assert response.status_code == 403


def test_alt_text_is_suggested_from_the_image_and_saved_when_asked(ai, client, lotte):
    ai.queue({"content": {"alt": "Een marktplein bij avond met kraampjes"}})
    image = make_image()
    client.force_login(lotte)
    with override_settings(OPENAI_VISION=True):
        assert client.get(reverse("newsletter_ai_config")).json()["images"] is True
        url = reverse("newsletter_ai_alt_text", args=[image.pk])
        answer = client.post(url, "{}", content_type="application/json").json()
        assert answer["alt"] == "Een marktplein bij avond met kraampjes"
        image.refresh_from_db()
        assert image.description == ""  # a suggestion only
        sent = json.dumps(ai.requests[-1])
        assert "data:image/jpeg;base64," in sent
        saved = client.post(url, json.dumps({"save": answer["alt"]}), content_type="application/json")
        assert saved.json()["saved"] is True
    image.refresh_from_db()
    assert image.description == "Een marktplein bij avond met kraampjes"
