"""Social posts drafted from a newsletter, news item, event or project: one per channel, fitted to it."""

import json

import pytest
from django.test import override_settings
from django.urls import reverse

from drafting.models import DraftJob
from social import channels
from social.channels import Channel
from social.drafting import draft_posts, start_social_draft
from social.models import PostState, SocialPost, SourceKind
from social.sources import source_for
from stadshart.celery import app
from tests.social.conftest import PASSWORD, PERSONAL

pytestmark = pytest.mark.django_db

ALL = [c.value for c in Channel]


@pytest.fixture
def no_ai_server():
    with override_settings(OPENAI_API_KEY="", OPENAI_BASE_URL=None):
        yield


@pytest.fixture
def eager_celery():
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.mark.parametrize("kind", ["news", "event", "project", "newsletter"])
def test_sources_carry_the_material_and_no_personal_data(material, kind):
    thing = material[kind]
    source = source_for(project=thing) if kind == "project" else source_for(page=thing)
    assert (
        source.kind
        == {
            "news": SourceKind.NEWS,
            "event": SourceKind.EVENT,
            "project": SourceKind.PROJECT,
            "newsletter": SourceKind.NEWSLETTER,
        }[kind]
    )
    text = f"{source.title}\n{source.text}"
    for personal in PERSONAL:
        assert personal not in text, (personal, text)
    if kind == "news":
        assert "12.500 euro" in source.text and "Marktstraat" in source.text
        assert source.url.startswith("http")
    if kind == "event":
        assert (
            "Binnenstad" in source.text and "zondag" in source.text.lower() and "12:00–17:00" in source.text
        )
    if kind == "newsletter":
        assert "Koopzondag in december" in source.text and "Gratis na 18 uur." in source.text
        assert "Beste" not in source.text  # the personal greeting is left out
        assert source.url == ""  # not sent, so no public address


@pytest.mark.usefixtures("no_ai_server")
@pytest.mark.parametrize("kind", ["news", "event", "project", "newsletter"])
def test_the_template_drafter_makes_one_fitting_post_per_channel(material, lotte, kind):
    thing = material[kind]
    target = {"project": thing} if kind == "project" else {"page": thing}
    posts = draft_posts(user=lotte, channel_keys=ALL, brief="Nodig iedereen uit.", **target)
    assert [post.channel for post in posts] == ALL
    for post in posts:
        assert post.state == PostState.CONCEPT and not post.live
        assert post.ai_template and post.ai_model == "sjabloon"
        assert post.ai_brief == "Nodig iedereen uit."
        assert post.created_by == lotte
        assert post.source_title
        assert not [p for p in post.problems if p.blocking], (post.channel, post.problems)
        assert post.revisions.count() == 1
    instagram = next(p for p in posts if p.channel == "instagram")
    assert not channels.URL_RE.search(instagram.composed)
    whatsapp = next(p for p in posts if p.channel == "whatsapp")
    assert "#" not in whatsapp.composed


def scripted_posts(link):
    long_x = " ".join(["De kerstverlichting gaat aan in de Marktstraat en op het Kerkplein."] * 8)
    return {
        "posts": [
            {"channel": "x", "text": long_x, "hashtags": ["kerst", "Veldhaven", "binnenstad"], "link": link},
            {
                "channel": "instagram",
                "text": f"Kerstverlichting! Meer op {link}",
                "hashtags": ["kerst"],
                "link": link,
            },
            {
                "channel": "whatsapp",
                "text": "Beste ondernemers, de verlichting gaat aan.",
                "hashtags": ["kerst"],
                "link": link,
            },
            {
                "channel": "linkedin",
                "text": "Kerstverlichting: zie https://evil.example/win",
                "hashtags": [],
                "link": "https://evil.example/win",
            },
        ]
    }


def test_the_real_client_drafts_and_each_post_is_fitted_to_its_channel(ai, material, lotte):
    news = material["news"]
    link = source_for(page=news).url
    ai.queue({"content": scripted_posts(link), "model": "gpt-test"})
    posts = draft_posts(
        user=lotte,
        channel_keys=["x", "instagram", "whatsapp", "linkedin"],
        page=news,
        brief="Vertel over de kerstverlichting.",
    )
    by = {post.channel: post for post in posts}
    assert set(by) == {"x", "instagram", "whatsapp", "linkedin"}
    x = by["x"]
    assert x.ai_model == "gpt-test" and not x.ai_template and x.ai_call_id
    assert x.length <= 280
    assert x.text.endswith(".") or x.text.endswith("…")  # whole sentences or whole words
    assert "Ingekort" in x.ai_notes or "Shortened" in x.ai_notes
    assert len(x.hashtag_list) == 2  # X: at most two
    assert link not in by["instagram"].text and "bio" in by["instagram"].text
    assert "#" not in by["whatsapp"].composed
    # A link the model made up is not used: the post links to its source, and the reviewer is told.
    assert by["linkedin"].link == link
    assert "evil.example" in by["linkedin"].ai_notes
    # The request went through the real client with the sources fenced and without personal data.
    body = json.dumps(ai.requests[-1], ensure_ascii=False)
    assert "Kerstverlichting hangt vanaf 1 december" in body
    for personal in PERSONAL:
        assert personal not in body, personal
    assert "social" in body


def test_a_failing_ai_server_gives_a_dutch_message_and_stores_no_posts(
    ai, material, lotte, client, eager_celery, django_capture_on_commit_callbacks
):
    ai.queue({"status": 500}, {"status": 500}, {"status": 500}, {"status": 500})
    client.login(username=lotte.username, password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("social:draft"),
            {"source": f"page:{material['event'].pk}", "channels": ["x", "facebook"], "brief": "Koopzondag"},
        )
    job = DraftJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("social:draft_result", args=[job.pk])
    result = client.get(response.url)
    assert job.__class__.objects.get().state == "failed"
    assert b'data-job-state="failed"' in result.content
    assert not SocialPost.objects.exists()


def test_drafting_through_the_screen_queues_a_job_and_shows_the_posts(
    material, lotte, client, eager_celery, django_capture_on_commit_callbacks, no_ai_server
):
    client.login(username=lotte.username, password=PASSWORD)
    form = client.get(reverse("social:draft") + f"?page={material['newsletter'].pk}")
    assert form.status_code == 200
    assert f'value="page:{material["newsletter"].pk}" selected'.encode() in form.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("social:draft"),
            {"source": f"page:{material['newsletter'].pk}", "channels": ALL, "brief": "De decembereditie"},
        )
    job = DraftJob.objects.get()
    assert job.state == "done", job.error_message
    page = client.get(response.url)
    assert b'data-job-state="done"' in page.content
    assert SocialPost.objects.count() == 6
    for post in SocialPost.objects.all():
        assert post.source_page_id == material["newsletter"].pk
        assert post.source_kind == SourceKind.NEWSLETTER
        assert reverse("social_posts:edit", args=[post.pk]).encode() in page.content


def test_another_users_job_is_not_shown(
    material, lotte, ruben, client, eager_celery, django_capture_on_commit_callbacks, no_ai_server
):
    job = start_social_draft(user=lotte, channel_keys=["x"], page=material["event"])
    client.login(username=ruben.username, password=PASSWORD)
    assert client.get(reverse("social:draft_result", args=[job.pk])).status_code == 404


def test_the_form_refuses_a_missing_source_and_keeps_the_brief(lotte, client):
    client.login(username=lotte.username, password=PASSWORD)
    response = client.post(
        reverse("social:draft"), {"source": "page:999999", "channels": ["x"], "brief": "Mijn brief"}
    )
    assert response.status_code == 200
    assert "Mijn brief" in response.content.decode()
    assert not DraftJob.objects.exists()
