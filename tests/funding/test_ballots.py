"""Registering BIZ ballots: per party from the CRM or as totals; the forecast from attitudes."""

import pytest
from django.utils import translation

from funding import queries, services
from funding.models import Ballot
from funding.verdict import BallotError, verdict
from tests.funding.conftest import business


def new_ballot(**fields) -> Ballot:
    defaults = {"zone": "Binnenstad", "period_start": 2027, "period_end": 2031, "mode": Ballot.Mode.PARTIES}
    return Ballot(**{**defaults, **fields})


@pytest.fixture
def zone(db):
    return {
        "bakery": business("Bakkerij De Korenschoof", woz=900_000, attitude="voorstander"),
        "cafe": business("Café Één", woz=300_000, attitude="criticus"),
        "books": business("Boekhandel Het Hoekje", woz=700_000, attitude="neutraal"),
        "hair": business("Kapsalon Knip", woz=200_000, attitude=""),
        "far": business("Fietsenmaker Buiten", street="Industrieweg", woz=100_000, attitude="voorstander"),
    }


def test_a_ballot_per_party_takes_the_zones_businesses_with_their_woz_value(zone, marloes):
    ballot = services.register_ballot(ballot=new_ballot(streets="marktstraat\n"), user=marloes)
    parties = {party.name: party.woz_value for party in queries.ballot_parties(ballot)}
    assert parties == {
        "Bakkerij De Korenschoof": 900_000,
        "Café Één": 300_000,
        "Boekhandel Het Hoekje": 700_000,
        "Kapsalon Knip": 200_000,
    }


def test_votes_give_the_verdict(zone, marloes):
    ballot = services.register_ballot(ballot=new_ballot(streets="Marktstraat"), user=marloes)
    ids = {party.name: party.pk for party in queries.ballot_parties(ballot)}
    services.record_votes(
        ballot=ballot,
        changes={
            ids["Bakkerij De Korenschoof"]: ("voor", 900_000),
            ids["Boekhandel Het Hoekje"]: ("voor", 700_000),
            ids["Café Één"]: ("tegen", 300_000),
            ids["Kapsalon Knip"]: ("blanco", 200_000),
        },
        user=marloes,
    )
    tally = queries.tally_of_parties(queries.ballot_parties(ballot))
    assert (tally.entitled, tally.votes_for, tally.votes_against, tally.votes_blank) == (4, 2, 1, 1)
    assert (tally.woz_for, tally.woz_against) == (1_600_000, 300_000)  # the blank voter's WOZ weighs nowhere
    assert verdict(tally).support is True


def test_a_voter_without_woz_value_is_a_clear_error_not_a_zero(zone, marloes):
    ballot = services.register_ballot(ballot=new_ballot(streets="Marktstraat"), user=marloes)
    ids = {party.name: party.pk for party in queries.ballot_parties(ballot)}
    services.record_votes(
        ballot=ballot,
        changes={ids["Café Één"]: ("tegen", None), ids["Bakkerij De Korenschoof"]: ("voor", 900_000)},
        user=marloes,
    )
    with translation.override("nl"), pytest.raises(BallotError) as error:
        queries.tally_of_parties(queries.ballot_parties(ballot))
    assert "Café Één" in str(error.value)
    assert "WOZ" in str(error.value)


def test_a_party_whose_premises_lack_a_woz_value_has_an_unknown_value(db, marloes):
    business("Pand Zonder Waarde", woz=None)
    ballot = services.register_ballot(ballot=new_ballot(), user=marloes)
    assert [party.woz_value for party in queries.ballot_parties(ballot)] == [None]


def test_a_ballot_entered_twice_is_refused(zone, marloes):
    services.register_ballot(ballot=new_ballot(), user=marloes)
    with translation.override("nl"), pytest.raises(services.DuplicateBallot) as error:
        services.register_ballot(ballot=new_ballot(zone=" binnenstad "), user=marloes)
    assert "Binnenstad" in str(error.value) or "binnenstad" in str(error.value)
    assert Ballot.objects.count() == 1


def test_totals_that_do_not_add_up_are_refused_with_the_reason(db, marloes):
    ballot = new_ballot(
        mode=Ballot.Mode.TOTALS,
        entitled=40,
        votes_for=30,
        votes_against=8,
        votes_blank=2,
        votes_invalid=1,
        woz_for=5_000_000,
        woz_against=1_000_000,
    )
    with pytest.raises(BallotError) as error:
        services.register_ballot(ballot=ballot, user=marloes)
    assert "41" in str(error.value) and "40" in str(error.value)
    assert not Ballot.objects.exists()


def test_published_totals_give_the_verdict(db, marloes):
    ballot = services.register_ballot(
        ballot=new_ballot(
            mode=Ballot.Mode.TOTALS,
            entitled=40,
            votes_for=14,
            votes_against=6,
            woz_for=5_000_000,
            woz_against=1_000_000,
        ),
        user=marloes,
    )
    result = verdict(services.tally_of_totals(ballot))
    assert [condition.holds for condition in result.conditions] == [True, True, True]


def test_the_forecast_counts_supporters_for_critics_against_and_lists_the_undecided_by_woz(zone, marloes):
    ballot = services.register_ballot(ballot=new_ballot(streets="Marktstraat"), user=marloes)
    forecast = queries.forecast(queries.ballot_parties(ballot))
    assert (forecast.tally.votes_for, forecast.tally.votes_against) == (1, 1)
    assert (forecast.tally.woz_for, forecast.tally.woz_against) == (900_000, 300_000)
    assert [party.name for party in forecast.undecided] == ["Boekhandel Het Hoekje", "Kapsalon Knip"]
    # Two of four would take part: exactly half.
    assert verdict(forecast.tally).conditions[0].holds is True


def test_undecided_parties_without_woz_value_come_last(db, marloes):
    business("Onbekend Pand", woz=None)
    business("Klein Pand", woz=100_000)
    business("Groot Pand", woz=2_000_000)
    ballot = services.register_ballot(ballot=new_ballot(), user=marloes)
    names = [party.name for party in queries.forecast(queries.ballot_parties(ballot)).undecided]
    assert names == ["Groot Pand", "Klein Pand", "Onbekend Pand"]


def test_ballot_reads_take_a_fixed_number_of_queries(zone, marloes, django_assert_num_queries):
    ballot = services.register_ballot(ballot=new_ballot(), user=marloes)
    with django_assert_num_queries(1):
        parties = queries.ballot_parties(ballot)
    for number in range(10):
        business(f"Winkel {number}")
    services.add_entitled_parties(ballot=ballot)
    with django_assert_num_queries(1):
        more = queries.ballot_parties(ballot)
    assert len(more) == len(parties) + 10
