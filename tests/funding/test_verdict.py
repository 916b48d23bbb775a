"""The Wet BIZ verdict at and around its edges, and `manage.py ballot_verdict`."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from funding.verdict import BallotError, Tally, verdict


def conditions(tally: Tally) -> dict[str, bool]:
    return {condition.key: condition.holds for condition in verdict(tally).conditions}


def support(**figures) -> Tally:
    """A ballot that passes every condition comfortably, with some figures replaced."""
    base = {
        "entitled": 100,
        "votes_for": 60,
        "votes_against": 10,
        "woz_for": 9_000_000,
        "woz_against": 1_000_000,
    }
    return Tally(**{**base, **figures})


# Turnout (onderdeel a) -----------------------------------------------------------------------


def test_turnout_of_exactly_half_is_enough():
    assert conditions(support(entitled=100, votes_for=40, votes_against=10))["turnout"] is True


def test_turnout_one_below_half_is_not():
    assert conditions(support(entitled=100, votes_for=40, votes_against=9))["turnout"] is False


def test_turnout_with_an_odd_number_entitled_needs_more_than_half():
    # 101 entitled: 50 is less than half (50.5), 51 is enough.
    assert conditions(support(entitled=101, votes_for=40, votes_against=10))["turnout"] is False
    assert conditions(support(entitled=101, votes_for=41, votes_against=10))["turnout"] is True


def test_blank_votes_count_for_the_turnout():
    assert conditions(support(entitled=100, votes_for=40, votes_against=5, votes_blank=5))["turnout"] is True


def test_invalid_votes_do_not_count_for_the_turnout():
    result = conditions(support(entitled=100, votes_for=40, votes_against=5, votes_invalid=5))
    assert result["turnout"] is False


# Two thirds (onderdeel b) --------------------------------------------------------------------


def test_exactly_two_thirds_in_favour_is_enough():
    assert conditions(support(votes_for=40, votes_against=20))["two_thirds"] is True


def test_just_below_two_thirds_is_not():
    # 39 of 59 is 66.1 %.
    assert conditions(support(votes_for=39, votes_against=20))["two_thirds"] is False


def test_two_thirds_is_not_rounded_away():
    # 2 of 3 is exactly two thirds; 66.67 % rounded would hide 666 of 1000 failing.
    assert conditions(support(entitled=3, votes_for=2, votes_against=1, woz_for=2, woz_against=1))[
        "two_thirds"
    ]
    big = support(entitled=2000, votes_for=666, votes_against=334, woz_for=2, woz_against=1)
    assert conditions(big)["two_thirds"] is False


def test_blank_and_invalid_votes_are_left_out_of_the_two_thirds():
    # 40 for and 20 against is two thirds; 30 blank or invalid votes do not dilute it.
    figures = support(votes_for=40, votes_against=20, votes_blank=15, votes_invalid=15)
    assert conditions(figures)["two_thirds"] is True


def test_no_votes_for_or_against_is_no_two_thirds_majority():
    result = conditions(support(votes_for=0, votes_against=0, votes_blank=60, woz_for=0, woz_against=0))
    assert result == {"turnout": True, "two_thirds": False, "woz": False}


# WOZ value (onderdeel c) ---------------------------------------------------------------------


def test_equal_woz_values_do_not_satisfy_the_woz_condition():
    assert conditions(support(woz_for=5_000_000, woz_against=5_000_000))["woz"] is False


def test_one_euro_more_in_favour_does():
    assert conditions(support(woz_for=5_000_001, woz_against=5_000_000))["woz"] is True


def test_support_needs_all_three():
    assert verdict(support()).support is True
    assert verdict(support(woz_for=1, woz_against=2)).support is False


def test_each_condition_cites_the_law():
    citations = [condition.citation for condition in verdict(support()).conditions]
    assert citations == [
        "Wet op de bedrijveninvesteringszones, art. 5, eerste lid, onderdeel a",
        "Wet op de bedrijveninvesteringszones, art. 5, eerste lid, onderdeel b",
        "Wet op de bedrijveninvesteringszones, art. 5, eerste lid, onderdeel c",
    ]


# Figures that cannot be ----------------------------------------------------------------------


def test_more_votes_than_entitled_are_refused_with_the_reason():
    with translation.override("nl"), pytest.raises(BallotError) as error:
        verdict(support(entitled=50, votes_for=40, votes_against=10, votes_blank=1))
    assert "Meer stemmen (51" in str(error.value)
    assert "(50)" in str(error.value)


def test_negative_numbers_are_refused():
    with translation.override("nl"), pytest.raises(BallotError) as error:
        verdict(support(votes_against=-1))
    assert "negatief" in str(error.value)


def test_a_woz_value_without_votes_is_refused():
    with pytest.raises(BallotError):
        verdict(support(votes_against=0, woz_against=100))


# The command ---------------------------------------------------------------------------------


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ballot_verdict", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        return exit.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_command_prints_each_condition_and_the_verdict():
    code, out, _err = run(
        "--entitled", "100", "--for", "34", "--against", "16", "--blank", "3", "--invalid", "2",
        "--woz-for", "5000000", "--woz-against", "4000000",
    )  # fmt: skip
    lines = out.strip().splitlines()
    assert code == 0
    assert "53 van 100" in out  # turnout: for, against and blank
    assert "34 van 50" in out  # two thirds: for and against only
    assert "€ 5.000.000" in out and "€ 4.000.000" in out
    assert lines[-1] == "draagvlak: ja"


def test_command_says_no_when_a_condition_fails():
    code, out, _err = run(
        "--entitled", "100", "--for", "33", "--against", "17", "--woz-for", "5000000", "--woz-against", "1",
    )  # fmt: skip
    assert code == 0
    assert out.strip().splitlines()[-1] == "draagvlak: nee"


def test_command_refuses_more_votes_than_entitled_with_exit_code_2():
    code, out, err = run(
        "--entitled", "10", "--for", "8", "--against", "3", "--woz-for", "1", "--woz-against", "1"
    )
    assert code == 2
    assert "draagvlak" not in out
    assert "Meer stemmen (11" in err


def test_command_refuses_negative_numbers_with_exit_code_2():
    code, _out, err = run(
        "--entitled", "10", "--for", "-3", "--against", "3", "--woz-for", "1", "--woz-against", "1"
    )
    assert code == 2
    assert "negatief" in err
