"""Without an AI server every shape the consumers ask for is drafted by the labelled template drafter."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from drafting.api import DraftRequest, Source, draft, is_available
from drafting.models import AICall
from tests.drafting import schemas

SOURCES = (
    Source(
        kind="event",
        title="Koopzondag 20 december",
        text="Op zondag 20 december zijn de winkels open van 12.00 tot 17.00 uur. Er is livemuziek.",
        url="https://veldhaven.example/agenda/koopzondag",
        date=datetime.date(2026, 12, 20),
    ),
    Source(kind="news", title="Kerstverlichting hangt", text="De kerstverlichting in de Langestraat brandt."),
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_ai_server")]


@pytest.fixture
def no_ai_server():
    with override_settings(OPENAI_API_KEY="", OPENAI_BASE_URL=None):
        yield


@pytest.fixture
def editor():
    return get_user_model().objects.create_user("redactie", password="x")


def test_newsletter_draft_is_labelled_and_fits_the_schema(editor):
    assert not is_available()
    result = draft(
        DraftRequest(
            purpose="newsletter",
            prompt="newsletter",
            schema=schemas.NEWSLETTER,
            brief="De decembermaand in het centrum",
            sources=SOURCES,
            options={"block_types": ["heading", "paragraph", "button"]},
        ),
        user=editor,
    )
    assert result.template and result.model == "sjabloon"
    assert "Sjabloon — geen AI" in result.data["subject_lines"][0]
    types = [block["type"] for block in result.data["blocks"]]
    assert types[:2] == ["paragraph", "heading"] and "button" in types
    assert any(
        "Op zondag 20 december" in b["value"] for b in result.data["blocks"] if b["type"] == "paragraph"
    )
    call = AICall.objects.get(pk=result.call_id)
    assert call.outcome == AICall.Outcome.TEMPLATE and call.user == editor and call.tokens == 0


def test_only_allowed_block_types_are_used(editor):
    result = draft(
        DraftRequest(
            purpose="newsletter",
            prompt="newsletter",
            schema=schemas.NEWSLETTER,
            sources=SOURCES,
            options={"block_types": ["heading", "paragraph"]},
        ),
        user=editor,
    )
    assert {block["type"] for block in result.data["blocks"]} == {"heading", "paragraph"}


def test_social_posts_one_per_channel_and_no_link_on_instagram(editor):
    result = draft(
        DraftRequest(
            purpose="social",
            prompt="social",
            schema=schemas.SOCIAL,
            sources=SOURCES,
            options={"channels": ["x", "instagram", "whatsapp"], "limits": {"x": 280, "instagram": 2200}},
        ),
        user=editor,
    )
    posts = {post["channel"]: post for post in result.data["posts"]}
    assert list(posts) == ["x", "instagram", "whatsapp"]
    assert posts["instagram"]["link"] == ""
    assert posts["x"]["link"] == "https://veldhaven.example/agenda/koopzondag"
    assert len(posts["x"]["text"]) + 24 <= 280


def test_rewrite_shorter_and_alt_text(editor):
    text = "Eerste zin. Tweede zin. Derde zin. Vierde zin."
    result = draft(
        DraftRequest(
            purpose="rewrite",
            prompt="rewrite",
            schema=schemas.REWRITE,
            options={"action": "shorter", "format": "plain", "text": text},
        ),
        user=editor,
    )
    assert result.data == {"text": "Eerste zin. Tweede zin."}
    alt = draft(
        DraftRequest(purpose="alt_text", prompt="alt_text", schema=schemas.ALT_TEXT, brief="Een marktkraam"),
        user=editor,
    )
    assert alt.data["alt"].startswith("Sjabloon — geen AI") and len(alt.data["alt"]) <= 125


def test_block_types_come_from_the_schemas_alternatives_when_not_given(editor):
    paragraph = {"type": "string", "contentMediaType": "text/html"}
    button = {
        "type": "object",
        "required": ["text", "url"],
        "properties": {"text": {"type": "string"}, "url": {"type": "string"}},
    }
    schema = {
        "type": "object",
        "required": ["blocks"],
        "properties": {
            "blocks": {
                "type": "array",
                "items": {
                    "anyOf": [
                        {"properties": {"type": {"enum": ["heading"]}, "value": {"type": "string"}}},
                        {"properties": {"type": {"enum": ["paragraph"]}, "value": paragraph}},
                        {"properties": {"type": {"const": "button"}, "value": button}},
                    ]
                },
            }
        },
    }  # fmt: skip
    result = draft(
        DraftRequest(purpose="newsletter", prompt="newsletter", schema=schema, sources=SOURCES), user=editor
    )
    blocks = result.data["blocks"]
    assert {block["type"] for block in blocks} == {"heading", "paragraph", "button"}
    assert {"text": "Lees meer", "url": "https://veldhaven.example/agenda/koopzondag"} in [
        b["value"] for b in blocks
    ]
