"""The "AI-assistent" screen under Settings, and the draft jobs' polling URL, for every role."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse

from drafting.models import AICall
from stadshart import roles

pytestmark = pytest.mark.django_db

ALLOWED = [roles.BEHEERDER, roles.CENTRUMMANAGER, roles.COMMUNICATIE]
REFUSED = [roles.ACCOUNTMANAGER, roles.FACILITAIR, roles.BESTUUR]


def staff(role: str):
    user = get_user_model().objects.create_user(f"user-{role.lower()}", password="x", first_name=role)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def usage_rows():
    someone = get_user_model().objects.create_user("schrijver", password="x", first_name="Sanne")
    AICall.objects.create(
        user=someone, purpose="newsletter", model="gpt-test", prompt_name="newsletter",
        prompt_version="1+rules1", tokens_in=1200, tokens_out=300, duration_ms=2100, outcome="ok",
    )  # fmt: skip
    AICall.objects.create(
        user=someone, purpose="social", model="gpt-test", prompt_name="social", prompt_version="1+rules1",
        duration_ms=30000, outcome="timeout", error="Request timed out.",
    )  # fmt: skip


@pytest.mark.parametrize("role", ALLOWED)
def test_the_roles_that_write_see_the_screen_with_use_against_the_budget(client, role, usage_rows, ai):
    client.force_login(staff(role))
    with override_settings(AI_MONTHLY_BUDGET_TOKENS=10_000, AI_RATE_LIMIT_PER_HOUR=20):
        response = client.get(reverse("drafting:settings"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-ai-available="yes"' in page
    assert "scripted-model" in page
    assert "1.500 van 10.000 tokens (15%) in 2 aanroepen." in page
    assert "20 keer per uur" in page
    assert "Te laat" in page and "Request timed out." in page
    assert "Test de verbinding" in page
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("drafting:settings") in menu


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_do_not_see_it(client, role, usage_rows):
    client.force_login(staff(role))
    response = client.get(reverse("drafting:settings"))
    # Wagtail turns a refusal into a redirect to the dashboard with "no permission".
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    assert reverse("drafting:settings") not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(reverse("drafting:settings"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_without_a_server_it_says_the_template_drafter_is_used(client):
    client.force_login(staff(roles.COMMUNICATIE))
    with override_settings(OPENAI_API_KEY="", OPENAI_BASE_URL=None):
        page = client.get(reverse("drafting:settings")).content.decode()
    assert 'data-ai-available="no"' in page and "Sjabloon — geen AI" in page
    assert "Test de verbinding" not in page


def test_the_connection_test_reports_the_model_and_is_logged(client, ai):
    user = staff(roles.BEHEERDER)
    client.force_login(user)
    ai.queue({"content": '{"ok": true}', "model": "gpt-test-2026"})
    response = client.post(reverse("drafting:settings"), follow=True)
    assert "De AI-server antwoordt; model: gpt-test-2026." in response.content.decode()
    call = AICall.objects.get(purpose="connection_test")
    assert (call.user, call.outcome, call.model) == (user, "ok", "gpt-test-2026")


def test_a_failing_connection_test_says_why(client, ai):
    client.force_login(staff(roles.BEHEERDER))
    ai.queue({"status": 401, "error": "Incorrect API key provided"})
    page = client.post(reverse("drafting:settings"), follow=True).content.decode()
    assert "De AI-server antwoordt niet" in page and "Incorrect API key provided" in page
    assert AICall.objects.get(purpose="connection_test").outcome == "error"


def test_the_screen_runs_a_fixed_number_of_queries(client, usage_rows, django_assert_max_num_queries):
    client.force_login(staff(roles.BEHEERDER))
    client.get(reverse("drafting:settings"))
    with django_assert_max_num_queries(12) as first:
        client.get(reverse("drafting:settings"))
    someone = get_user_model().objects.create_user("nog-een", password="x")
    for _ in range(15):
        AICall.objects.create(user=someone, purpose="rewrite", outcome="ok")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("drafting:settings"))
