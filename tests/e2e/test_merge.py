"""Nothing destructive in one tap: merging with a choice per field and its undo, and ticking off a
member's report in My work with an outcome and its undo, at 1280 and 360 px."""

import pytest
from playwright.sync_api import expect

from crm.models import FollowUp, MergeRecord, Organisation
from portal.members import services as members
from portal.members.models import Report
from tests.builders import colleague, make_member, make_organisation
from tests.e2e.conftest import PHONE, screenshot, staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


@pytest.fixture
def centre(db):
    colleague("sanne")
    colleague("marloes")
    hanneke = colleague("hanneke")
    cafe = make_organisation("Café De Gouden Leeuw", sector="horeca", kvk_number="12345678", email="")
    pharmacy = make_organisation(
        "Apotheek De Gouden Leeuw", sector="zorg", kvk_number="87654321", email="info@goudenleeuw.nl"
    )
    member = make_member(cafe, email="eigenaar@goudenleeuw.nl")
    report = members.submit_report(
        membership=member,
        draft=members.ReportDraft(category="heel", description="Losse stoeptegel", location="Markt 1"),
    )
    return cafe, pharmacy, report, hanneke


def test_merge_with_a_choice_per_field_and_undo_then_tick_off_a_report_with_an_outcome_and_undo(
    browser, page, phone, live_server, centre
):
    cafe, pharmacy, report, _hanneke = centre
    base = live_server.url

    # The accountmanager reviews the likely duplicates and compares the pair.
    staff_login(page, base, "sanne", "/admin/crm/merge/")
    page.get_by_role("link", name="Mogelijke dubbelen").click()
    pair = page.locator(".crm-duplicates__pair").filter(has_text="Apotheek De Gouden Leeuw")
    expect(pair).to_contain_text("Zelfde adres")
    screenshot(page, "crm-merge-duplicates")
    pair.get_by_role("link", name="Vergelijken en samenvoegen").click()
    expect(page.get_by_role("alert")).to_contain_text("KvK-nummer: 12345678 en 87654321")
    page.get_by_label("Apotheek De Gouden Leeuw").check()  # the name of the other one
    page.get_by_label("Zorg").check()
    screenshot(page, "crm-merge-compare")
    page.get_by_role("button", name="Ja, samenvoegen").click()
    expect(page.get_by_role("alert")).to_be_visible()  # the browser refuses: the KvK box is required
    assert Organisation.objects.filter(pk=pharmacy.pk).exists()
    page.get_by_label("Toch samenvoegen").check()
    page.get_by_role("button", name="Ja, samenvoegen").click()
    expect(page.get_by_role("button", name="Samenvoegen ongedaan maken")).to_be_visible()
    kept = Organisation.objects.get(pk=cafe.pk)
    assert (kept.name, kept.sector, kept.kvk_number) == ("Apotheek De Gouden Leeuw", "zorg", "12345678")
    screenshot(page, "crm-merge-done")

    page.get_by_role("button", name="Samenvoegen ongedaan maken").click()
    expect(page.locator(".messages")).to_contain_text("zijn weer gescheiden")
    assert Organisation.objects.get(pk=pharmacy.pk).kvk_number == "87654321"
    assert Organisation.objects.get(pk=cafe.pk).name == "Café De Gouden Leeuw"
    assert MergeRecord.objects.get().undone_at is not None

    # The centre manager on a phone: the same comparison, and deleting, which says what goes with it.
    staff_login(phone, base, "marloes", f"/admin/crm/merge/organisation/{cafe.pk}/{pharmacy.pk}/")
    expect(phone.get_by_label("Toch samenvoegen")).to_be_visible()
    no_sideways_scroll(phone)
    screenshot(phone, "crm-merge-compare-phone")
    phone.goto(f"{base}/admin/crm/organisations/delete/{cafe.pk}/")
    expect(phone.get_by_text("Dit gaat mee:")).to_be_visible()
    no_sideways_scroll(phone)
    screenshot(phone, "crm-organisation-delete-phone")

    # The facilitair coördinator ticks off the report in the street, on a phone.
    field = browser.new_context(viewport=PHONE, locale="nl-NL", is_mobile=True, has_touch=True).new_page()
    staff_login(field, base, "hanneke", "/admin/crm/my-work/")
    field.locator(".crm-follow-up summary").filter(has_text="Melding afhandelen").click()
    outcome = field.get_by_label("Wat is er gedaan?")
    expect(outcome).to_be_visible()
    no_sideways_scroll(field)
    screenshot(field, "crm-my-work-complete-phone")
    outcome.fill("De tegel ligt er weer vast in.")
    field.get_by_role("button", name="Markeer als gedaan").click()
    expect(field.locator(".crm-just-done")).to_contain_text("Melding afhandelen")
    assert Report.objects.get(pk=report.pk).status == Report.Status.RESOLVED
    no_sideways_scroll(field)
    screenshot(field, "crm-my-work-just-done-phone")

    field.locator(".crm-just-done").get_by_role("button", name="Ongedaan maken").click()
    expect(field.locator(".messages")).to_contain_text("Weer open")
    assert FollowUp.objects.get(pk=report.follow_up_id).done_at is None
    assert Report.objects.get(pk=report.pk).status == Report.Status.IN_PROGRESS
    field.context.close()
