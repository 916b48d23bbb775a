"""The BIZ ballot screen in a real browser: the centre manager records votes at a desk, an
accountmanager reads the forecast on a phone."""

import pytest
from playwright.sync_api import expect

from funding import services
from funding.models import Ballot
from tests.builders import make_staff
from tests.e2e.conftest import screenshot, staff_login
from tests.funding.conftest import business

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, base_url, username):
    staff_login(page, base_url, username)


@pytest.fixture
def ballot(db):
    marloes = make_staff("marloes", "Centrummanager", first_name="Marloes", last_name="Bakker")
    make_staff("sanne", "Accountmanager", first_name="Sanne", last_name="de Vries")
    business("Bakkerij De Korenschoof", woz=900_000, attitude="voorstander")
    business("Café Één", woz=300_000, attitude="criticus")
    business("Boekhandel Het Hoekje", woz=700_000, attitude="neutraal")
    business("Kapsalon Knip", woz=1_200_000, attitude="")
    return services.register_ballot(
        ballot=Ballot(zone="Binnenstad", period_start=2027, period_end=2031, streets="Marktstraat"),
        user=marloes,
    )


def test_the_accountmanager_reads_the_forecast_and_whom_to_visit_on_a_phone(phone, live_server, ballot):
    log_in(phone, live_server.url, "sanne")
    phone.goto(f"{live_server.url}/admin/funding/ballots/{ballot.pk}/")
    expect(phone.locator("#forecast")).to_contain_text("Voorspelling")
    undecided = phone.locator("section[aria-labelledby=undecided] tbody tr")
    expect(undecided.first).to_contain_text("Kapsalon Knip")  # most WOZ value first
    expect(undecided.nth(1)).to_contain_text("Boekhandel Het Hoekje")
    # Nothing runs off the side of a 360 px screen except inside the scrolling tables.
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    screenshot(phone, "funding-ballot-forecast-phone")


def test_the_centre_manager_records_votes_and_sees_each_condition(page, live_server, ballot):
    log_in(page, live_server.url, "marloes")
    page.goto(f"{live_server.url}/admin/funding/ballots/{ballot.pk}/")
    votes = {
        "Bakkerij De Korenschoof": "Voor",
        "Boekhandel Het Hoekje": "Voor",
        "Café Één": "Tegen",
        "Kapsalon Knip": "Blanco",
    }
    for name, vote in votes.items():
        page.get_by_label(f"Stem {name}").select_option(label=vote)
    page.get_by_role("button", name="Stemmen en WOZ-waarden opslaan").click()
    expect(page.locator("[data-verdict]")).to_have_attribute("data-verdict", "ja")
    turnout = page.locator("[data-condition=turnout]")
    expect(turnout).to_contain_text("4 van 4")
    expect(turnout).to_contain_text("onderdeel a")
    expect(page.locator("[data-condition=two_thirds]")).to_contain_text("2 van 3")
    expect(page.locator("[data-condition=woz]")).to_contain_text("€ 1.600.000")
    screenshot(page, "funding-ballot-desktop")

    # A voter without a WOZ value: a clear error, not a silent zero.
    page.get_by_label("WOZ-waarde (€) Café Één").fill("")
    page.get_by_role("button", name="Stemmen en WOZ-waarden opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Café Één")
    expect(page.locator("[data-verdict]")).to_have_count(0)

    page.set_viewport_size({"width": 360, "height": 740})
    page.get_by_label("WOZ-waarde (€) Café Één").fill("300000")
    page.get_by_role("button", name="Stemmen en WOZ-waarden opslaan").click()
    expect(page.locator("[data-verdict]")).to_have_attribute("data-verdict", "ja")
    screenshot(page, "funding-ballot-phone")


def test_participation_and_who_stopped_at_a_desk_and_on_a_phone(page, phone, live_server, ballot):
    from django.utils import timezone

    from crm.models import Organisation
    from tests.funding.conftest import contribution

    this_year = timezone.localdate().year
    bakery, cafe = (
        Organisation.objects.get(name="Bakkerij De Korenschoof"),
        Organisation.objects.get(name="Café Één"),
    )
    for year in (this_year - 1, this_year):
        contribution(bakery, year, "450.00")
    contribution(cafe, this_year - 1, "250.00", kind="vrijwillig")
    log_in(page, live_server.url, "marloes")
    page.goto(f"{live_server.url}/admin/funding/participation/")
    stopped = page.locator("table[aria-labelledby=stopped] tbody tr")
    expect(stopped).to_have_count(1)
    expect(stopped.first).to_contain_text("Café Één")
    expect(page.locator("table[aria-labelledby=by-street]")).to_contain_text(
        "25 %"
    )  # 1 of 4 in the Marktstraat
    screenshot(page, "funding-participation-desktop")

    log_in(phone, live_server.url, "sanne")
    phone.goto(f"{live_server.url}/admin/funding/participation/")
    expect(phone.locator("table[aria-labelledby=stopped]")).to_contain_text("Café Één")
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    screenshot(phone, "funding-participation-phone")

    page.goto(f"{live_server.url}/admin/funding/levy/")
    screenshot(page, "funding-levy-upload-desktop")

    # The organisation's own page in the CRM shows its ledger.
    page.goto(f"{live_server.url}/admin/crm/organisations/{bakery.pk}/")
    ledger = page.locator("section[aria-labelledby=funding-ledger]")
    expect(ledger).to_contain_text(str(this_year - 1))
    expect(ledger).to_contain_text("€ 450,00")
    screenshot(page, "funding-organisation-ledger-desktop")


def test_a_levy_list_dry_run_waits_for_the_worker_then_imports_the_same_file(
    page, phone, live_server, ballot
):
    from funding.models import Contribution, LevyImport
    from funding.tasks import check_levy_list
    from stadshart.celery import app
    from tests.funding.conftest import business

    business("Drogist Keten Kerk", kvk_number="45678901")
    csv = b"KvK;Naam;Bedrag\n45678901;Drogist Keten Kerk;1.250,50\n99999999;Onbekend BV;100\n"
    log_in(page, live_server.url, "marloes")
    page.goto(f"{live_server.url}/admin/funding/levy/")
    page.get_by_label("Heffingslijst (CSV of XLSX)").set_input_files(
        files=[{"name": "heffing.csv", "mimeType": "text/csv", "buffer": csv}]
    )
    page.get_by_role("button", name="Controleren en importeren").click()
    # No worker yet: the page waits and says why, the import is only a stored file.
    expect(page.get_by_text("Het bestand wordt gelezen en gecontroleerd")).to_be_visible()
    levy_import = LevyImport.objects.get()
    log_in(phone, live_server.url, "marloes")
    phone.goto(page.url)
    screenshot(page, "funding-levy-checking-desktop")
    screenshot(phone, "funding-levy-checking-phone")

    check_levy_list(levy_import.pk)  # the worker; the waiting page refreshes itself
    expect(page.get_by_text("Proefrun: er is niets veranderd")).to_be_visible(timeout=10000)
    expect(page.locator("table").first).to_contain_text("€ 1.250,50")
    expect(page.get_by_text("99999999")).to_be_visible()
    # The phone's page refreshes itself too (a reload of our own could cross its refresh).
    expect(phone.get_by_text("Proefrun: er is niets veranderd")).to_be_visible(timeout=10000)
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    screenshot(page, "funding-levy-checked-desktop")
    screenshot(phone, "funding-levy-checked-phone")

    app.conf.task_always_eager = True  # the import runs when its request commits
    try:
        page.get_by_role("button", name="Dit bestand importeren").click()
        expect(page.get_by_role("button", name="Deze import ongedaan maken")).to_be_visible()
    finally:
        app.conf.task_always_eager = False
    assert Contribution.objects.get().amount == 1250.50
