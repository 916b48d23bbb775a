"""The scripted OpenAI-compatible server for the whole test session (drafting.testserver).

`ai_server` runs one server on loopback for the session and records every request body that reaches
it (in memory and in a JSONL file), so tests/drafting/test_privacy.py can search all of them at
the end of the run for the demo's people. `ai` points the settings at it for one test, empties
its script and returns it: `ai.queue({"content": {...}})`, then call drafting.api.draft().
Worker processes reach the same server through OPENAI_BASE_URL=ai_server.url.
"""

import pytest
from django.test import override_settings

from drafting.testserver import ScriptedAIServer


@pytest.fixture(scope="session")
def ai_server(tmp_path_factory):
    record = tmp_path_factory.mktemp("ai") / "requests.jsonl"
    server = ScriptedAIServer(record=record).start()
    yield server
    server.stop()


@pytest.fixture
def ai(ai_server):
    ai_server.set_script([])
    with override_settings(
        OPENAI_API_KEY="test-key",
        OPENAI_BASE_URL=ai_server.url,
        OPENAI_MODEL="scripted-model",
        OPENAI_TIMEOUT=5.0,
        OPENAI_STREAM=False,
        OPENAI_STRUCTURED_OUTPUT=True,
        AI_MONTHLY_BUDGET_TOKENS=0,
        AI_RATE_LIMIT_PER_HOUR=0,
    ):
        yield ai_server
