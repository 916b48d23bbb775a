"""An accountmanager logs a visit on a phone; a lost connection or an expired login loses nothing."""

import pytest
from playwright.sync_api import expect

from crm.models import Interaction
from tests.builders import colleague, make_organisation, make_person
from tests.e2e.conftest import screenshot, staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
NOTE = "Afval naast de container in de steeg; graag vaker legen."


@pytest.fixture
def street(db):
    colleague("sanne")
    bakery = make_organisation("Bakkerij De Korenschoof", street="Marktstraat", house_number="12")
    make_person("Fatima", "Bouzid", organisation=bakery)
    make_organisation("Boekhandel Jansen", street="Kerkplein")
    return bakery


def start_visit(phone, base_url):
    phone.goto(f"{base_url}/admin/crm/log-visit/")
    phone.get_by_label("Naam, straat of KvK-nummer").fill("korensch")
    phone.get_by_role("option", name="Bakkerij De Korenschoof").click()
    phone.get_by_label("Fatima Bouzid").check()
    phone.get_by_label("Notities").fill(NOTE)


def test_a_visit_typed_offline_survives_and_is_saved_once_back_online(phone, live_server, street):
    staff_login(phone, live_server.url, "sanne")
    start_visit(phone, live_server.url)
    screenshot(phone, "log-visit-phone")

    phone.context.set_offline(True)
    phone.get_by_role("button", name="Opslaan").click()
    expect(phone.locator(".log-visit__status")).to_contain_text("Geen verbinding")
    assert not Interaction.objects.exists()

    phone.context.set_offline(False)
    phone.reload()
    expect(phone.locator(".log-visit__status")).to_contain_text("concept is teruggezet")
    expect(phone.get_by_label("Notities")).to_have_value(NOTE)
    expect(phone.locator(".log-visit__chosen")).to_contain_text("Bakkerij De Korenschoof")

    phone.get_by_role("button", name="Opslaan").click()
    phone.wait_for_url(f"{live_server.url}/admin/crm/organisations/{street.pk}/")
    expect(phone.locator(".crm-timeline")).to_contain_text(NOTE)
    assert Interaction.objects.get().attendees.get().last_name == "Bouzid"
    drafts = "Object.keys(localStorage).filter((key) => key.startsWith('stadshart:log-visit')).length"
    assert phone.evaluate(drafts) == 0
    screenshot(phone, "organisation-after-visit-phone")


def test_an_expired_login_keeps_the_typed_visit(phone, live_server, street):
    staff_login(phone, live_server.url, "sanne")
    start_visit(phone, live_server.url)

    phone.context.clear_cookies()
    phone.get_by_role("button", name="Opslaan").click()
    expect(phone.locator(".log-visit__status")).to_contain_text("U bent uitgelogd")
    expect(phone.get_by_label("Notities")).to_have_value(NOTE)
    assert not Interaction.objects.exists()

    staff_login(phone, live_server.url, "sanne")
    phone.goto(f"{live_server.url}/admin/crm/log-visit/")
    expect(phone.get_by_label("Notities")).to_have_value(NOTE)
    phone.get_by_role("button", name="Opslaan").click()
    phone.wait_for_url(f"{live_server.url}/admin/crm/organisations/{street.pk}/")
    assert Interaction.objects.get().notes == NOTE
