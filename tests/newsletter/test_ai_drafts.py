"""Drafting a newsletter with the AI editor: sources without personal data, the new revision, failures."""
# ruff: noqa: F811  (the named people and the centre are fixtures imported from the fixture modules)

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from drafting import api
from newsletter import drafting as newsletter_drafting
from newsletter.models import AIDraft, NewsletterPage
from tests.builders import draft_newsletter as make_newsletter
from tests.newsletter.ai_fixtures import PERSONAL, centre, eager_celery  # noqa: F401

ALL_SOURCES = newsletter_drafting.SOURCE_KINDS


def choices(**overrides):
    today = timezone.localdate()
    values = {
        "brief": "Vertel de ondernemers over de koopzondag en de kerstverlichting.",
        "kind": "service",
        "audience": "ondernemers",
        "tone": "warm",
        "length": "kort",
        "since": today - dt.timedelta(days=30),
        "until": today + dt.timedelta(days=30),
        "sources": ALL_SOURCES,
    }
    values.update(overrides)
    return newsletter_drafting.DraftChoices(**values)


def test_the_sources_carry_the_centres_material_and_no_personal_data(centre):
    page = make_newsletter("Nieuwsbrief december")
    sources = newsletter_drafting.collect_sources(choices(), page=page)
    kinds = {source.kind for source in sources}
    assert kinds == {"news", "event", "project", "status_change", "newsletter", "signals"}
    text = json.dumps([newsletter_drafting.source_to_json(s) for s in sources], ensure_ascii=False)
    assert "Kerstverlichting hangt vanaf 1 december" in text
    assert "12.500 euro" in text
    assert "Koopzondag" in text and "Binnenstad" in text
    assert "van groen" in text.lower() or "Groen" in text
    # Signals are counted per theme: the complaints about cleanliness are two.
    signals = next(s for s in sources if s.kind == "signals")
    assert "Klacht: schoon: 2" in signals.text or "schoon: 2" in signals.text.lower()
    for personal in PERSONAL:
        assert personal not in text, personal
    # A hostile signal note never reaches the sources either.
    assert "evil.example" not in text and "Ignore your instructions" not in text


def test_the_sources_take_a_fixed_number_of_queries(centre):
    page = make_newsletter("Nieuwsbrief december")
    newsletter_drafting.collect_sources(choices(), page=page)  # warm the site root cache
    with CaptureQueriesContext(connection) as few:
        newsletter_drafting.collect_sources(choices(), page=page)
    from tests.newsletter.ai_fixtures import build_centre  # noqa: F401

    with CaptureQueriesContext(connection) as more:
        # A second round of material: counts must not grow with it.
        from portal.models import EventIndexPage, NewsIndexPage, NewsPage
        from tests.builders import publish

        news_index = NewsIndexPage.objects.get()
        for n in range(4):
            publish(news_index, NewsPage(title=f"Bericht {n}", date=timezone.localdate(), intro="Nieuws."))
        EventIndexPage.objects.get()
    with CaptureQueriesContext(connection) as after:
        newsletter_drafting.collect_sources(choices(), page=page)
    assert len(after) == len(few), [q["sql"] for q in after.captured_queries]
    assert len(few) <= 10
    del more


def test_a_draft_becomes_a_new_revision_with_the_newsletters_own_blocks(
    centre, lotte, eager_celery, django_capture_on_commit_callbacks
):
    page = make_newsletter("Nieuwsbrief december", owner=lotte, revision_user=lotte)
    before = page.get_latest_revision()
    with django_capture_on_commit_callbacks(execute=True):
        job = newsletter_drafting.start_newsletter_draft(page=page, user=lotte, choices=choices())
    status = api.job_status(job.pk, user=lotte)
    assert status["state"] == "done", status
    page.refresh_from_db()
    revision = page.get_latest_revision()
    assert revision.pk != before.pk
    assert status["result"]["revision_id"] == revision.pk
    assert status["result"]["edit_url"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    issue = revision.as_object()
    types = [block.block_type for block in issue.body]
    assert types[0] == "greeting"
    assert set(types[1:]) <= {"heading", "paragraph", "button"}
    assert "heading" in types and "paragraph" in types
    headings = [block.value["text"] for block in issue.body if block.block_type == "heading"]
    assert "Kerstverlichting hangt vanaf 1 december" in headings
    # The template drafter labels its draft clearly.
    assert "Sjabloon" in json.dumps(list(issue.body.raw_data), ensure_ascii=False)
    record = AIDraft.objects.get(revision=revision)
    assert record.template and record.model_name == "sjabloon"
    assert 2 <= len(record.subject_lines) <= 3
    assert issue.subject == record.subject_lines[0]
    assert issue.preheader == record.preheader
    assert record.brief.startswith("Vertel de ondernemers")
    assert {s["kind"] for s in record.sources} >= {"news", "event", "signals"}
    assert record.call_id is not None
    assert record.fingerprints["blocks"] and record.fingerprints["sentences"]
    # A draft: nothing is published, the page stays a draft.
    page.refresh_from_db()
    assert not page.live and page.has_unpublished_changes


def test_a_failed_draft_leaves_the_newsletter_untouched(
    centre, lotte, eager_celery, django_capture_on_commit_callbacks, monkeypatch
):
    page = make_newsletter("Nieuwsbrief december", owner=lotte, revision_user=lotte)
    before = page.get_latest_revision()

    def refuse(request, *, user):
        raise api.DraftingError("De AI-server is even niet bereikbaar. Probeer het opnieuw.", retryable=True)

    from drafting import services

    monkeypatch.setattr(services, "draft", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        job = newsletter_drafting.start_newsletter_draft(page=page, user=lotte, choices=choices())
    status = api.job_status(job.pk, user=lotte)
    assert status["state"] == "failed"
    assert status["message"] == "De AI-server is even niet bereikbaar. Probeer het opnieuw."
    assert status["retryable"]
    page.refresh_from_db()
    assert page.get_latest_revision().pk == before.pk
    assert not AIDraft.objects.exists()


def test_a_handler_failure_rolls_back_revision_and_record(
    centre, lotte, eager_celery, django_capture_on_commit_callbacks, monkeypatch
):
    page = make_newsletter("Nieuwsbrief december", owner=lotte, revision_user=lotte)
    before = page.get_latest_revision()

    def broken_fingerprints(blocks):
        raise RuntimeError("disk full")

    monkeypatch.setattr(newsletter_drafting, "fingerprints", broken_fingerprints)
    with django_capture_on_commit_callbacks(execute=True):
        job = newsletter_drafting.start_newsletter_draft(page=page, user=lotte, choices=choices())
    assert api.job_status(job.pk, user=lotte)["state"] == "failed"
    page.refresh_from_db()
    assert page.get_latest_revision().pk == before.pk
    assert not AIDraft.objects.exists()


def test_a_newsletter_under_review_takes_no_draft(centre, lotte):
    page = make_newsletter("Nieuwsbrief december", owner=lotte, revision_user=lotte)
    page.get_workflow().start(page, lotte)
    with pytest.raises(newsletter_drafting.DraftRefused):
        newsletter_drafting.start_newsletter_draft(page=page, user=lotte, choices=choices())


def test_blocks_of_unknown_types_or_unsafe_links_are_left_out():
    blocks = newsletter_drafting.stream_blocks(
        [
            {"type": "heading", "value": "Koopzondag"},
            {"type": "paragraph", "value": "<p>Open van 12 tot 17 uur.</p>"},
            {"type": "button", "value": {"text": "Lees meer", "url": "javascript:alert(1)"}},
            {"type": "button", "value": {"text": "Agenda", "url": "https://veldhaven.example/agenda"}},
            {"type": "image", "value": "x"},
            {"type": "paragraph", "value": "<p> </p>"},
        ]
    )
    assert blocks == [
        {"type": "heading", "value": {"text": "Koopzondag"}},
        {"type": "paragraph", "value": "<p>Open van 12 tot 17 uur.</p>"},
        {
            "type": "button",
            "value": {"text": "Agenda", "page": None, "url": "https://veldhaven.example/agenda"},
        },
    ]


# The screens ----------------------------------------------------------------------------------


def form_data(**overrides):
    today = timezone.localdate()
    data = {
        "brief": "Vertel over de koopzondag.",
        "kind": "service",
        "audience": "ondernemers",
        "tone": "warm",
        "length": "kort",
        "sources": ["news", "event"],
        "since": (today - dt.timedelta(days=30)).isoformat(),
        "until": (today + dt.timedelta(days=30)).isoformat(),
    }
    data.update(overrides)
    return data


@pytest.fixture
def beheerder(db):
    from tests.builders import make_staff

    return make_staff("beheer", "Beheerder", first_name="Bram")


@pytest.mark.parametrize("role_user", ["lotte", "marloes", "beheerder"])
def test_communicatie_and_the_centre_manager_draft_from_the_form(
    client, centre, role_user, request, eager_celery, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(role_user)
    page = make_newsletter("Nieuwsbrief december", owner=user, revision_user=user)
    client.force_login(user)
    url = reverse("newsletter_ai_draft", args=[page.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data())
    assert response.status_code == 302
    job_id = int(response["Location"].split("taak=")[1])
    progress = client.get(response["Location"])
    assert progress.status_code == 200
    # The progress page keeps the brief in its form (nothing typed is lost) and polls the job.
    assert "Vertel over de koopzondag." in progress.content.decode()
    assert reverse("drafting:job", args=[job_id]) in progress.content.decode()
    status = client.get(reverse("drafting:job", args=[job_id])).json()
    assert status["state"] == "done"
    assert AIDraft.objects.filter(page=page).count() == 1


def refused(response) -> bool:
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard and a message."""
    return response.status_code == 302 and response["Location"] == "/admin/"


@pytest.mark.parametrize("role_user", ["sanne"])
def test_other_roles_may_not_draft(client, centre, role_user, request, lotte):
    user = request.getfixturevalue(role_user)
    page = make_newsletter("Nieuwsbrief december", owner=lotte, revision_user=lotte)
    client.force_login(user)
    assert refused(client.get(reverse("newsletter_ai_draft", args=[page.pk])))
    assert refused(client.post(reverse("newsletter_ai_draft", args=[page.pk]), form_data()))
    assert not api.DraftJob.objects.exists()
    assert (
        client.post(reverse("newsletter_ai_rewrite"), "{}", content_type="application/json").status_code
        == 403
    )
    assert client.get(reverse("newsletter_ai_config")).json()["rewrite"] is False


def test_facilitair_edits_pages_but_may_not_draft(client, centre, lotte):
    from tests.builders import make_staff

    hanneke = make_staff("hanneke", "Facilitair")
    page = make_newsletter("Nieuwsbrief december", owner=lotte, revision_user=lotte)
    client.force_login(hanneke)
    assert refused(client.get(reverse("newsletter_ai_draft", args=[page.pk])))
    assert client.get(reverse("newsletter_ai_config")).json()["rewrite"] is False


def test_an_anonymous_visitor_is_sent_to_the_login(client, centre, lotte):
    page = make_newsletter("Nieuwsbrief december", owner=lotte, revision_user=lotte)
    for url in [
        reverse("newsletter_ai_draft", args=[page.pk]),
        reverse("newsletter_ai_review", args=[page.pk]),
        reverse("newsletter_ai_config"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_invalid_form_keeps_what_was_typed_and_says_why(client, centre, lotte):
    page = make_newsletter("Nieuwsbrief december", owner=lotte, revision_user=lotte)
    client.force_login(lotte)
    today = timezone.localdate()
    response = client.post(
        reverse("newsletter_ai_draft", args=[page.pk]),
        form_data(
            brief="Over de BIZ-stemming",
            since=today.isoformat(),
            until=(today - dt.timedelta(days=3)).isoformat(),
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Over de BIZ-stemming" in body
    assert "De periode eindigt voordat hij begint." in body or "ends before it begins" in body


def test_a_new_newsletter_is_drafted_from_the_archive(
    client, centre, lotte, eager_celery, django_capture_on_commit_callbacks
):
    from tests.builders import newsletter_index

    index = newsletter_index()
    client.force_login(lotte)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("newsletter_ai_draft_new", args=[index.pk]), form_data(title="Nieuwsbrief kerst")
        )
    assert response.status_code == 302
    page = NewsletterPage.objects.get(title="Nieuwsbrief kerst")
    assert not page.live
    record = AIDraft.objects.get(page=page)
    assert page.get_latest_revision().pk == record.revision_id


def test_the_form_page_takes_a_fixed_number_of_queries(client, centre, lotte):
    page = make_newsletter("Nieuwsbrief december", owner=lotte, revision_user=lotte)
    client.force_login(lotte)
    url = reverse("newsletter_ai_draft", args=[page.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for n in range(3):
        make_newsletter(f"Ander nummer {n}", owner=lotte, revision_user=lotte)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(second) == len(first)


def test_the_editors_ai_settings_take_a_fixed_number_of_queries(client, centre, lotte):
    page = make_newsletter("Nieuwsbrief december", owner=lotte, revision_user=lotte)
    client.force_login(lotte)
    url = reverse("newsletter_ai_config") + f"?pagina={page.pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        first_answer = client.get(url).json()
    assert "review_url" not in first_answer and first_answer["draft_url"]
    for _n in range(3):
        newsletter_drafting.apply_draft(
            None,
            api.DraftResult(
                data={
                    "subject_lines": ["Een", "Twee"],
                    "preheader": "P",
                    "blocks": [{"type": "heading", "value": "K"}],
                },
                model="m",
                prompt_version="1",
                call_id=None,
                template=True,
            ),
            {"page_id": page.pk, "user_id": lotte.pk, "choices": {"brief": "B"}, "sources": []},
        )
    with CaptureQueriesContext(connection) as second:
        answer = client.get(url).json()
    assert answer["subject_lines"] == ["Een", "Twee"] and answer["review_url"]
    assert len(second) == len(first)
