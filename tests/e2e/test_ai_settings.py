"""The Beheerder checks the AI connection under Instellingen → AI-assistent."""

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from drafting.models import AICall
from tests.builders import make_staff
from tests.e2e.conftest import screenshot, staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_ai_screen_shows_the_model_use_and_tests_the_connection(page, phone, live_server, ai):
    make_staff("beheer", "Beheerder", first_name="Bram")
    writer = make_staff("sanne", "Communicatie", first_name="Sanne", last_name="Visser")
    AICall.objects.create(
        user=writer, purpose="newsletter", model="gpt-test", prompt_name="newsletter",
        prompt_version="1+rules1", tokens_in=18_400, tokens_out=2_100, duration_ms=8_300, outcome="ok",
    )  # fmt: skip
    AICall.objects.create(
        user=writer, purpose="social", model="gpt-test", prompt_name="social", prompt_version="1+rules1",
        duration_ms=30_000, outcome="timeout", error="Request timed out.",
    )  # fmt: skip
    ai.queue({"content": '{"ok": true}', "model": "gpt-test-2026"})

    with override_settings(AI_MONTHLY_BUDGET_TOKENS=100_000):
        staff_login(page, live_server.url, "beheer")
        page.get_by_role("button", name="Instellingen").click()
        page.get_by_role("link", name="AI-assistent").click()
        expect(page.get_by_role("heading", name="AI-assistent")).to_be_visible()
        expect(page.locator("[data-ai-usage]")).to_contain_text(
            "20.500 van 100.000 tokens (20%) in 2 aanroepen."
        )
        expect(page.get_by_role("cell", name="Sanne Visser").first).to_be_visible()
        page.get_by_role("button", name="Test de verbinding").click()
        expect(page.get_by_text("De AI-server antwoordt; model: gpt-test-2026.")).to_be_visible()
        screenshot(page, "ai-settings")

        phone.context.add_cookies(page.context.cookies())
        phone.goto(f"{live_server.url}/admin/drafting/settings/")
        expect(phone.get_by_role("button", name="Test de verbinding")).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        screenshot(phone, "ai-settings-phone")
    assert AICall.objects.filter(purpose="connection_test", outcome="ok").count() == 1
