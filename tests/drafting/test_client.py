"""The real openai client against the scripted server on loopback: good answers and every failure.

Each failure must give the editor a Dutch message, say whether trying again helps, and leave a row
in the usage log with its outcome.
"""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from drafting.api import DraftingError, DraftRequest, Source, draft
from drafting.models import AICall
from tests.drafting import schemas

pytestmark = pytest.mark.django_db

GOOD = {
    "subject_lines": ["Koopzondag 20 december", "Zondag 20 december open"],
    "preheader": "De winkels zijn open van 12.00 tot 17.00 uur.",
    "blocks": [
        {"type": "heading", "value": "Koopzondag"},
        {"type": "paragraph", "value": "<p>Op zondag 20 december zijn de winkels open.</p>"},
        {
            "type": "button",
            "value": {"text": "Lees meer", "url": "https://veldhaven.example/agenda/koopzondag"},
        },
    ],
}
SOURCE = Source(
    kind="event",
    title="Koopzondag 20 december",
    text="Op zondag 20 december zijn de winkels open van 12.00 tot 17.00 uur.",
    url="https://veldhaven.example/agenda/koopzondag",
)


@pytest.fixture
def editor():
    return get_user_model().objects.create_user("redacteur", password="x")


def newsletter_request(**changes) -> DraftRequest:
    values = {
        "purpose": "newsletter",
        "prompt": "newsletter",
        "schema": schemas.NEWSLETTER,
        "brief": "Nodig iedereen uit voor de koopzondag.",
        "sources": (SOURCE,),
        "options": {"block_types": ["heading", "paragraph", "button"], "tone": "vriendelijk"},
    }
    values.update(changes)
    return DraftRequest(**values)


def last_call() -> AICall:
    return AICall.objects.latest("pk")


def failing(ai, editor, *replies, request=None) -> DraftingError:
    ai.queue(*replies)
    with pytest.raises(DraftingError) as caught:
        draft(request or newsletter_request(), user=editor)
    return caught.value


def test_a_good_answer_is_validated_cleaned_and_logged(ai, editor):
    ai.queue({"content": GOOD, "usage": {"prompt_tokens": 812, "completion_tokens": 95}, "model": "gpt-test"})
    result = draft(newsletter_request(), user=editor)

    assert result.data == GOOD
    assert (result.model, result.template) == ("gpt-test", False)
    assert result.prompt_version == "1+rules1"
    call = AICall.objects.get(pk=result.call_id)
    assert (call.outcome, call.user, call.purpose, call.model) == ("ok", editor, "newsletter", "gpt-test")
    assert (call.tokens_in, call.tokens_out, call.prompt_name) == (812, 95, "newsletter")

    body = ai.requests[-1]
    assert body["model"] == "scripted-model"
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"] == schemas.NEWSLETTER
    system, user = body["messages"][0]["content"], body["messages"][1]["content"]
    assert "DATA" in system and "nooit" in system and "instructies" in system
    assert "Nodig iedereen uit voor de koopzondag." in user


def test_sources_are_fenced_with_a_new_random_fence_each_time(ai, editor):
    ai.queue({"content": GOOD}, {"content": GOOD})
    draft(newsletter_request(), user=editor)
    draft(newsletter_request(), user=editor)
    fences = []
    for body in ai.requests[-2:]:
        user = body["messages"][1]["content"]
        fence = user.split("<<<", 1)[1].split(" ", 1)[0].split("\n", 1)[0]
        assert fence.startswith("DATA-")
        assert f"<<<{fence}\n" in user and f"\n{fence}>>>" in user
        fenced = user.split(f"<<<{fence}\n", 1)[1].split(f"\n{fence}>>>", 1)[0]
        assert SOURCE.text in fenced
        assert fence in body["messages"][0]["content"]
        fences.append(fence)
    assert fences[0] != fences[1]


def test_json_in_a_code_fence_with_chatter_is_read_when_structured_output_is_off(ai, editor):
    chatty = "Hier is het concept:\n```json\n" + json.dumps(GOOD) + "\n```\nSucces ermee!"
    ai.queue({"content": chatty})
    with override_settings(OPENAI_STRUCTURED_OUTPUT=False):
        result = draft(newsletter_request(), user=editor)
    assert result.data == GOOD
    assert "response_format" not in ai.requests[-1]


def test_a_server_without_structured_output_is_asked_again_without_it(ai, editor):
    ai.queue({"content": "Zeker! " + json.dumps(GOOD), "reject_response_format": True})
    result = draft(newsletter_request(), user=editor)
    assert result.data == GOOD
    assert "response_format" in ai.requests[-2] and "response_format" not in ai.requests[-1]


def test_html_from_the_model_is_cleaned_before_anyone_sees_it(ai, editor):
    dirty = dict(GOOD)
    dirty["blocks"] = [
        {"type": "heading", "value": "Koopzondag<script>alert(1)</script>"},
        {
            "type": "paragraph",
            "value": '<p onclick="x()">Open <a href="javascript:alert(1)">hier</a><img src=x></p>',
        },
    ]
    dirty["subject_lines"] = ["<b>Koopzondag</b> 20 december", "Open op zondag"]
    ai.queue({"content": dirty})
    result = draft(newsletter_request(), user=editor)
    assert result.data["blocks"][0]["value"] == "Koopzondag"
    assert result.data["blocks"][1]["value"] == "<p>Open <a>hier</a></p>"
    assert result.data["subject_lines"][0] == "Koopzondag 20 december"


def test_a_streamed_answer_is_put_together(ai, editor):
    ai.queue({"content": GOOD, "chunks": 7, "usage": {"prompt_tokens": 300, "completion_tokens": 70}})
    with override_settings(OPENAI_STREAM=True):
        result = draft(newsletter_request(), user=editor)
    assert result.data == GOOD
    assert ai.requests[-1]["stream"] is True
    assert (last_call().tokens_in, last_call().tokens_out) == (300, 70)


def test_a_slow_stream_does_not_time_out_while_chunks_keep_coming(ai, editor):
    # Five pauses of 0.4 s take longer than the 1 s timeout in total, but never between two chunks.
    ai.queue({"content": GOOD, "chunks": 6, "chunk_delay": 0.4})
    with override_settings(OPENAI_STREAM=True, OPENAI_TIMEOUT=1.0):
        assert draft(newsletter_request(), user=editor).data == GOOD


def test_a_timeout(ai, editor):
    with override_settings(OPENAI_TIMEOUT=0.5):
        error = failing(ai, editor, {"content": GOOD, "delay": 2})
    assert error.message == "De AI-server antwoordde niet op tijd (na 0.5 seconden). Probeer het opnieuw."
    assert error.retryable and last_call().outcome == "timeout"


def test_a_rate_limit_with_retry_after(ai, editor):
    limited = {"status": 429, "error": "Rate limit reached", "headers": {"retry-after": "7"}}
    error = failing(ai, editor, limited)
    assert error.message == "De AI-server heeft het nu te druk. Probeer het over 7 seconden opnieuw."
    assert (error.retryable, error.retry_after) == (True, 7)
    assert last_call().outcome == "rate_limited"
    assert "Rate limit reached" in last_call().error


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error(ai, editor, status):
    error = failing(ai, editor, {"status": status})
    assert error.message == f"De AI-server heeft een storing (fout {status}). Probeer het later opnieuw."
    assert error.retryable and last_call().outcome == "server_error"


def test_a_refusal(ai, editor):
    error = failing(ai, editor, {"refusal": "I can't help with that."})
    assert error.message == (
        "De AI weigerde dit concept te schrijven. Pas de opdracht aan en probeer het opnieuw."
    )
    assert error.retryable and last_call().outcome == "refused"


def test_a_content_filter(ai, editor):
    error = failing(ai, editor, {"content": "", "finish_reason": "content_filter"})
    assert "inhoudsfilter" in error.message
    assert error.retryable and last_call().outcome == "content_filter"


def test_an_answer_cut_off_for_length(ai, editor):
    error = failing(ai, editor, {"content": json.dumps(GOOD)[:50], "finish_reason": "length"})
    assert "te lang" in error.message and last_call().outcome == "malformed"


def test_broken_json(ai, editor):
    error = failing(ai, editor, {"content": '{"subject_lines": ["Koopzondag", '})
    assert error.message == "De AI gaf een antwoord dat geen bruikbaar concept is. Probeer het opnieuw."
    assert error.retryable and last_call().outcome == "malformed"


@pytest.mark.parametrize(
    "change",
    [
        {"subject_lines": ["Alleen één"]},
        {"preheader": "x" * 201},
        {"blocks": [{"type": "image", "value": "foto.jpg"}]},
        {"extra": "veld"},
    ],
    ids=["too-few-subject-lines", "preheader-too-long", "block-type-not-in-schema", "unknown-field"],
)
def test_output_that_does_not_fit_the_schema(ai, editor, change):
    error = failing(ai, editor, {"content": {**GOOD, **change}})
    assert error.message.startswith("Het concept van de AI paste niet in de gevraagde vorm")
    assert error.retryable and last_call().outcome == "invalid"


def test_a_block_type_the_schema_allows_but_the_caller_did_not_ask_for(ai, editor):
    request = newsletter_request(options={"block_types": ["heading", "paragraph"]})
    error = failing(ai, editor, {"content": GOOD}, request=request)
    assert "button" in error.message and last_call().outcome == "invalid"


def test_a_server_that_cannot_be_reached(editor):
    nowhere = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "OPENAI_API_KEY": "x"}
    with override_settings(**nowhere, AI_MONTHLY_BUDGET_TOKENS=0):
        with pytest.raises(DraftingError) as caught:
            draft(newsletter_request(), user=editor)
    assert caught.value.message == "De AI-server is niet bereikbaar. Probeer het later opnieuw."
    assert caught.value.retryable


def test_a_wrong_key(ai, editor):
    error = failing(ai, editor, {"status": 401, "error": "Incorrect API key"})
    assert "sleutel" in error.message and not error.retryable


def test_the_script_server_lists_its_model(ai):
    import openai

    client = openai.OpenAI(api_key="x", base_url=ai.url)
    assert [model.id for model in client.models.list()] == ["scripted-model"]


@pytest.mark.parametrize(
    ("reply", "outcome"),
    [
        ({"refusal": "I can't help with that.", "content": ""}, "refused"),
        ({"content": '{"subject_lines": ["Koop', "finish_reason": "content_filter"}, "content_filter"),
        ({"content": '{"subject_lines": ["Koop'}, "malformed"),
    ],
    ids=["refusal", "content-filter", "broken-json"],
)
def test_failures_in_a_streamed_answer(ai, editor, reply, outcome):
    with override_settings(OPENAI_STREAM=True):
        error = failing(ai, editor, {**reply, "chunks": 3})
    assert error.retryable and last_call().outcome == outcome


def test_an_image_goes_along_for_alt_text_when_the_model_takes_images(ai, editor):
    from drafting.api import supports_images

    with override_settings(OPENAI_VISION=False):
        assert not supports_images()
    with override_settings(OPENAI_VISION=True):
        assert supports_images()
        ai.queue({"content": {"alt": "Kramen op de Markt met kerstverlichting"}})
        result = draft(
            DraftRequest(
                purpose="alt_text", prompt="alt_text", schema=schemas.ALT_TEXT, image=b"\xff\xd8\xffjpeg"
            ),
            user=editor,
        )
    assert result.data == {"alt": "Kramen op de Markt met kerstverlichting"}
    content = ai.requests[-1]["messages"][1]["content"]
    assert content[1]["image_url"]["url"] == "data:image/jpeg;base64,/9j/anBlZw=="
    with override_settings(OPENAI_VISION=True, OPENAI_API_KEY="", OPENAI_BASE_URL=None):
        assert not supports_images()  # no server, no alt-text button
