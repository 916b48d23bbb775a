"""An accountmanager on her phone finds an organisation while she types."""

import pytest
from playwright.sync_api import expect

from tests.builders import make_organisation, make_person, make_staff
from tests.e2e.conftest import screenshot, staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_results_appear_while_typing_on_a_phone(phone, live_server):
    make_staff("sanne", "Accountmanager", first_name="Sanne")
    korenschoof = make_organisation("Bakkerij De Korenschoof", street="Marktstraat", postcode="4811 AB")
    make_organisation("Café Één", street="Havenstraat")
    make_person("Fatima", "Bouzid", organisation=korenschoof)

    staff_login(phone, live_server.url, "sanne", "/admin/crm/search/")

    box = phone.get_by_label("Naam, straat, postcode, KvK-nummer of e-mailadres")
    box.press_sequentially("korenschof", delay=40)  # a letter missing: the search forgives it
    results = phone.locator("#crm-search-results")
    expect(results.get_by_role("link", name="Bakkerij De Korenschoof")).to_be_visible()
    expect(results).to_contain_text("Organisaties")
    expect(results).not_to_contain_text("Café Één")
    assert "q=korenschof" in phone.url  # the address can be shared or reloaded
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "crm-search-phone")
