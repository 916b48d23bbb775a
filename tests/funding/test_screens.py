"""Every role on every money screen, and what the screens show."""

import pytest
from django.urls import reverse

from funding import services
from funding.models import Ballot
from tests.funding.conftest import ROLES, business, contribution

ALL = set(ROLES)
READERS = {"Beheerder", "Centrummanager", "Accountmanager", "Bestuur"}
WRITERS = {"Beheerder", "Centrummanager"}


@pytest.fixture
def money(db, staff):
    bakery = business("Bakkerij De Korenschoof", woz=900_000, attitude="voorstander")
    business("Café Één", woz=300_000, attitude="criticus")
    business("Boekhandel Het Hoekje", woz=700_000, attitude="neutraal")
    line = contribution(bakery, 2025, "400.00")
    parties = services.register_ballot(
        ballot=Ballot(zone="Binnenstad", period_start=2027, period_end=2031), user=staff["Centrummanager"]
    )
    totals = services.register_ballot(
        ballot=Ballot(
            zone="Binnenstad",
            period_start=2022,
            period_end=2026,
            mode=Ballot.Mode.TOTALS,
            entitled=40,
            votes_for=20,
            votes_against=10,
            votes_blank=1,
            votes_invalid=1,
            woz_for=5_000_000,
            woz_against=5_000_000,
        ),
        user=staff["Centrummanager"],
    )
    return {"bakery": bakery, "line": line, "parties": parties, "totals": totals}


def screens(money):
    return {
        reverse("funding_participation"): READERS,
        reverse("funding_ballot:list"): READERS,
        reverse("funding_ballot:detail", args=[money["parties"].pk]): READERS,
        reverse("funding_ballot:detail", args=[money["totals"].pk]): READERS,
        reverse("funding_ballot:create"): WRITERS,
        reverse("funding_ballot:totals", args=[money["totals"].pk]): WRITERS,
        reverse("funding_levy:upload"): WRITERS,
        reverse("funding_contributions:index"): WRITERS | {"Bestuur"},
        reverse("funding_contributions:edit", args=[money["line"].pk]): WRITERS,
        reverse("funding_contributions:add"): WRITERS,
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_role_on_every_screen(client, money, staff, role):
    client.force_login(staff[role])
    for url, allowed in screens(money).items():
        response = client.get(url)
        if role in allowed:
            assert response.status_code == 200, (role, url)
        else:
            # Our screens answer 403; Wagtail's viewsets send the user home with a message.
            assert response.status_code in (302, 403), (role, url, response.status_code)
            assert response.status_code == 403 or response.url.startswith(reverse("wagtailadmin_home"))


@pytest.mark.parametrize("role", ROLES)
def test_only_writers_record_votes(client, money, staff, role):
    ballot = money["parties"]
    party = ballot.parties.first()
    client.force_login(staff[role])
    response = client.post(
        reverse("funding_ballot:detail", args=[ballot.pk]),
        {f"vote-{party.pk}": "voor", f"woz-{party.pk}": str(party.woz_value)},
    )
    party.refresh_from_db()
    if role in WRITERS:
        assert response.status_code == 302 and party.vote == "voor"
    else:
        # Refused: 403, which Wagtail's admin turns into a redirect home with a message.
        assert response.status_code in (302, 403) and party.vote == ""
        assert response.status_code == 403 or response.url == reverse("wagtailadmin_home")


@pytest.mark.parametrize("role", ROLES)
def test_the_money_menu_and_the_organisation_panel_follow_the_role(client, money, staff, role):
    client.force_login(staff[role])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert (reverse("funding_ballot:list") in home) == (role in READERS)
    page = client.get(reverse("crm_organisation:detail", args=[money["bakery"].pk]))
    if page.status_code == 200:
        shows_ledger = 'id="funding-ledger"' in page.content.decode()
        assert shows_ledger == (role in WRITERS | {"Bestuur"})


def test_the_ballot_screen_shows_each_condition_with_its_figures(client, money, marloes):
    client.force_login(marloes)
    text = client.get(reverse("funding_ballot:detail", args=[money["totals"].pk])).content.decode()
    assert 'data-condition="turnout"' in text and 'data-condition="woz"' in text
    assert "31 van 40" in text  # for, against and blank took part; the invalid vote did not
    assert "20 van 30" in text
    assert 'data-verdict="nee"' in text  # equal WOZ values: no support
    assert "art. 5, eerste lid, onderdeel c" in text


def test_before_the_vote_the_screen_forecasts_and_lists_whom_to_visit(client, money, staff):
    client.force_login(staff["Accountmanager"])
    text = client.get(reverse("funding_ballot:detail", args=[money["parties"].pk])).content.decode()
    assert "Voorspelling" in text
    assert "Boekhandel Het Hoekje" in text.split('id="undecided"')[1]
    assert 'name="vote-' not in text  # reads, does not write


def test_a_duplicate_ballot_on_the_screen_keeps_what_was_typed(client, money, marloes):
    client.force_login(marloes)
    response = client.post(
        reverse("funding_ballot:create"),
        {
            "zone": "Binnenstad",
            "period_start": "2027",
            "period_end": "2031",
            "mode": "partijen",
            "note": "tweede",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Er is al een draagvlakmeting geregistreerd" in text
    assert "tweede" in text
    assert Ballot.objects.count() == 2


def test_totals_that_cannot_be_are_refused_on_the_screen(client, money, marloes):
    client.force_login(marloes)
    response = client.post(
        reverse("funding_ballot:create"),
        {
            "zone": "Havenkwartier",
            "period_start": "2027",
            "period_end": "2031",
            "mode": "totalen",
            "entitled": "10",
            "votes_for": "9",
            "votes_against": "2",
            "woz_for": "1000",
            "woz_against": "10",
        },
    )
    assert response.status_code == 200
    assert "Meer stemmen (11" in response.content.decode()
    assert not Ballot.objects.filter(zone="Havenkwartier").exists()


def test_the_participation_screen(client, money, staff):
    contribution(money["bakery"], 2026, "400.00")
    client.force_login(staff["Accountmanager"])
    text = client.get(reverse("funding_participation") + "?year=2026").content.decode()
    assert "Marktstraat" in text
    assert "1</strong> van 3" in text or "1</strong>" in text
