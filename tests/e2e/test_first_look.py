"""A staff member logs into the back office, and a visitor opens the portal, in a real browser."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.builders import authenticator_app
from tests.e2e.conftest import screenshot, second_factor_step

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_centre_manager_logs_in_and_sees_the_dutch_dashboard(page, live_server):
    user = get_user_model().objects.create_user(
        username="marloes", password="een-lang-wachtwoord-42", first_name="Marloes", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Centrummanager"))
    authenticator_app(user)

    page.goto(f"{live_server.url}/admin/")
    assert page.locator("h1").inner_text() == "Inloggen bij Stadshart"
    page.get_by_label("Gebruikersnaam").fill("marloes")
    page.get_by_label("Wachtwoord").fill("een-lang-wachtwoord-42")
    page.get_by_role("button", name="Inloggen").click()
    second_factor_step(page, "marloes")

    page.wait_for_url(f"{live_server.url}/admin/")
    assert "Welkom bij Stadshart" in page.locator("h1").inner_text()
    assert "Pagina's" in page.locator("[data-side-panel-toggle], #wagtail-sidebar, aside").first.inner_text()
    screenshot(page, "admin-dashboard")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_wrong_password_keeps_the_visitor_out_with_a_clear_message(page, live_server):
    get_user_model().objects.create_user(username="sanne", password="een-lang-wachtwoord-42", is_staff=True)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Gebruikersnaam").fill("sanne")
    page.get_by_label("Wachtwoord").fill("fout")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator(".messages .error, li.error").first).to_contain_text(
        "gebruikersnaam en wachtwoord komen niet overeen"
    )
    assert "/admin/login/" in page.url


@pytest.mark.django_db(serialized_rollback=True)  # reads the shared demo centre (tests/e2e/conftest.py)
def test_the_portal_home_reads_well_on_a_phone(phone, demo_site):
    phone.goto(f"{demo_site.url}/")
    assert phone.locator("h1").inner_text() == "Binnenstad Veldhaven"
    # Nothing sticks out sideways on a 360 px screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "portal-home-phone")
