"""What the reviewer sees of the AI's part: unchanged AI sentences marked, the brief, sources and
model, and every claim the sources do not support marked "niet gevonden in de bronnen"."""

# ruff: noqa: F811  (the named people and the centre are fixtures imported from the fixture modules)

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drafting import api
from newsletter import ai_review
from newsletter import drafting as newsletter_drafting
from tests.builders import draft_newsletter as make_newsletter
from tests.newsletter.ai_fixtures import centre  # noqa: F401

BRIEF = "Over de kerstverlichting en de koopzondag."
INVENTED = "De koopzondag is op 27 december van 12:00 tot 17:00."


def ai_result(**changes):
    data = {
        "subject_lines": ["Kerstverlichting hangt vanaf 1 december", "Alles over december"],
        "preheader": "De binnenstad in december",
        "blocks": [
            {"type": "heading", "value": "Kerstverlichting hangt vanaf 1 december"},
            {"type": "paragraph", "value": f"<p>De kerstverlichting gaat aan. {INVENTED}</p>"},
            {"type": "button", "value": {"text": "Win een prijs", "url": "https://evil.example/win"}},
        ],
    }
    data.update(changes)
    return api.DraftResult(data=data, model="gpt-test", prompt_version="1", call_id=None, template=False)


def drafted(page, user):
    """The AI's draft saved as the page's revision, with the news of the centre as its sources."""
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    sources = newsletter_drafting.news_sources(today - dt.timedelta(days=30), today)
    target = {
        "page_id": page.pk,
        "user_id": user.pk,
        "choices": {"brief": BRIEF, "kind": "service"},
        "sources": [newsletter_drafting.source_to_json(s) for s in sources],
    }
    return newsletter_drafting.apply_draft(None, ai_result(), target)


def edit_first_sentence(page, user):
    page.refresh_from_db()
    issue = page.get_latest_revision_as_object()
    body = list(issue.body.raw_data)
    body[2]["value"] = body[2]["value"].replace("De kerstverlichting gaat aan.", "De lampjes gaan aan.")
    issue.body = body
    issue.save_revision(user=user)


def test_unchanged_ai_sentences_are_marked_and_a_persons_edit_is_not(centre, lotte):
    page = make_newsletter("Nieuwsbrief december", owner=lotte, revision_user=lotte)
    drafted(page, lotte)
    edit_first_sentence(page, lotte)
    page.refresh_from_db()
    review = ai_review.review(page)
    heading, paragraph, button = review.blocks
    assert heading.ai and heading.sentences[0].ai
    assert not paragraph.ai  # the block as a whole was changed
    assert [s.ai for s in paragraph.sentences] == [False, True]
    assert review.subject.ai and review.preheader.ai
    assert review.draft["brief"] == BRIEF and review.draft["model_name"] == "gpt-test"


def test_claims_the_sources_do_not_support_are_marked(centre, lotte):
    page = make_newsletter("Nieuwsbrief december", owner=lotte, revision_user=lotte)
    drafted(page, lotte)
    page.refresh_from_db()
    review = ai_review.review(page)
    heading, paragraph, button = review.blocks
    claims = [seg.claim for s in paragraph.sentences for seg in s.segments if seg.claim]
    texts = {claim.text for claim in claims}
    assert any("27 december" in text for text in texts), texts
    # "1 december" is in the news item: supported, not marked.
    assert not [seg for seg in heading.sentences[0].segments if seg.claim]
    assert [seg.claim.kind for seg in button.url if seg.claim] == ["host"]
    assert review.claims >= 2


def test_a_persons_own_sentence_is_not_fact_checked(centre, lotte):
    page = make_newsletter("Nieuwsbrief december", owner=lotte, revision_user=lotte)
    drafted(page, lotte)
    page.refresh_from_db()
    issue = page.get_latest_revision_as_object()
    body = list(issue.body.raw_data)
    body[2]["value"] = "<p>Lotte schreef dit zelf op 3 maart.</p>"
    issue.body = body
    issue.save_revision(user=lotte)
    page.refresh_from_db()
    paragraph = ai_review.review(page).blocks[1]
    assert not any(seg.claim for s in paragraph.sentences for seg in s.segments)


def test_the_reviewer_sees_the_ai_check_in_the_review_and_the_preview(client, centre, lotte, ruben):
    page = make_newsletter("Nieuwsbrief december", owner=lotte, revision_user=lotte)
    drafted(page, lotte)
    page.refresh_from_db()
    page.get_workflow().start(page, lotte)
    client.force_login(ruben)
    for url in [
        reverse("newsletter_ai_review", args=[page.pk]),
        reverse("newsletter_compose_preview", args=[page.pk]),
    ]:
        body = client.get(url).content.decode()
        assert BRIEF in body
        assert "gpt-test" in body
        assert "door AI geschreven, niet gewijzigd" in body
        assert "niet gevonden in de bronnen" in body
        assert (
            '<mark class="ai-claim" data-kind="date">27 december</mark>' in body
            or "27 december</mark>" in body
        )
        assert "link naar een andere site" in body
        assert "Kerstverlichting hangt vanaf 1 december" in body  # a source, listed


def test_the_preview_of_a_newsletter_without_ai_shows_no_ai_panel(client, centre, lotte, ruben):
    page = make_newsletter("Nieuwsbrief december", owner=lotte, revision_user=lotte)
    client.force_login(ruben)
    body = client.get(reverse("newsletter_compose_preview", args=[page.pk])).content.decode()
    assert "ai-review" not in body


def test_an_accountmanager_sees_no_ai_check(client, centre, lotte, sanne):
    page = make_newsletter("Nieuwsbrief december", owner=lotte, revision_user=lotte)
    drafted(page, lotte)
    client.force_login(sanne)
    response = client.get(reverse("newsletter_ai_review", args=[page.pk]))
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_the_ai_check_takes_a_fixed_number_of_queries(centre, lotte):
    page = make_newsletter("Nieuwsbrief december", owner=lotte, revision_user=lotte)
    drafted(page, lotte)
    page.refresh_from_db()
    revision = page.get_latest_revision()
    with CaptureQueriesContext(connection) as one:
        ai_review.review(page, revision)
    for _n in range(3):
        drafted(page, lotte)
        newsletter_drafting.record_rewrite(
            page=page,
            user=lotte,
            action="shorter",
            text="<p>Korter.</p>",
            heading=False,
            model="m",
            prompt_version="1",
            call_id=None,
        )
    page.refresh_from_db()
    revision = page.get_latest_revision()
    with CaptureQueriesContext(connection) as more:
        ai_review.review(page, revision)
    assert len(more) == len(one)
    # Wagtail's revision.as_object() takes 7 (page, locale, revision, comments, …); the check itself 3.
    own = [
        q["sql"]
        for q in more.captured_queries
        if "newsletter_ai" in q["sql"] or "wagtailcore_site" in q["sql"]
    ]
    assert len(own) == 3, own
