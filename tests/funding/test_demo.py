"""The demo's money: three years of contributions, a past ballot with a verdict, the coming one."""

import importlib
import random

from django.utils import timezone

from funding import queries
from funding.models import Ballot, Contribution
from funding.verdict import verdict
from stadshart import demo


def test_the_demo_has_three_years_a_past_ballot_and_people_who_stopped(db):
    ctx = demo.DemoContext(rng=random.Random(1), scale=1, write=lambda line: None)
    for app in ("stadshart", "crm", "funding"):
        importlib.import_module(f"{app}.demo").seed(ctx)
    this_year = timezone.localdate().year
    years = set(Contribution.objects.values_list("year", flat=True))
    assert years == {this_year - 2, this_year - 1, this_year}
    assert queries.stopped_contributing(year=this_year)
    past, coming = Ballot.objects.order_by("period_start")
    assert past.held_on and past.held_on.year == this_year - 3
    assert verdict(queries.tally_of_parties(queries.ballot_parties(past))).support is True
    forecast = queries.forecast(queries.ballot_parties(coming))
    assert forecast.undecided and coming.held_on is None
