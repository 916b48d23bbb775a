"""AVG in a real browser: a member asks for all data on a phone; the centre manager sees the deadline
and sends it; Communicatie sees a business's contacts without what was said."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from crm import services as crm_services
from crm.models import AccessRequest
from tests.builders import colleague, make_member, make_organisation
from tests.e2e.conftest import DESKTOP, PHONE, screenshot, staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_member_asks_for_all_data_and_the_centre_manager_sends_it_in_time(browser, live_server):
    base = live_server.url
    colleague("marloes")
    sanne = colleague("sanne")
    colleague("lotte")
    bakery = make_organisation("Bakkerij De Korenschoof")
    fatima = make_member(bakery)
    crm_services.log_interaction(
        staff=sanne,
        organisations=[bakery],
        attendees=[fatima.person],
        subject="Gesprek over het fonds",
        notes="Twijfelt over de bijdrage.",
    )

    # Fatima, on her phone, asks for everything.
    member = Client()
    member.force_login(fatima.user)
    phone_context = browser.new_context(viewport=PHONE, locale="nl-NL", is_mobile=True, has_touch=True)
    phone_context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": member.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )
    phone = phone_context.new_page()
    phone.goto(f"{base}/mijn-bedrijf/")
    phone.get_by_role("button", name="Al mijn gegevens opvragen").click()
    due = AccessRequest.objects.get().due_on.strftime("%d-%m-%Y")
    expect(phone.locator(".member-access-request")).to_contain_text(f"uiterlijk {due} per e-mail")
    phone.locator("#privacy-heading").scroll_into_view_if_needed()
    screenshot(phone, "member-access-request-phone")
    phone_context.close()

    # Marloes finds it under Relaties with its deadline, and sends it.
    desk_context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    desk = desk_context.new_page()
    staff_login(desk, base, "marloes", "/admin/crm/privacy/requests/")
    row = desk.get_by_role("row", name="Fatima Bouzid")
    expect(row).to_contain_text(due)
    expect(row).to_contain_text("Ledenportaal")
    screenshot(desk, "crm-access-requests")
    row.get_by_role("button", name="Naar de persoon versturen").click()
    expect(desk.get_by_text("De gegevens zijn verzonden aan Fatima Bouzid.")).to_be_visible()
    assert mail.outbox[-1].to == ["fatima@korenschoof.example"]
    desk_context.close()

    # Lotte (Communicatie) sees that Sanne visited the bakery, not what was said.
    lotte_context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    lotte = lotte_context.new_page()
    staff_login(lotte, base, "lotte", f"/admin/crm/organisations/{bakery.pk}/")
    entry = lotte.locator(".crm-timeline__entry--interaction")
    expect(entry).to_contain_text("Bezoek")
    expect(entry).not_to_contain_text("Twijfelt")
    expect(entry).not_to_contain_text("Gesprek over het fonds")
    screenshot(lotte, "crm-organisation-communicatie")
    lotte_context.close()
