"""Demo money for Veldhaven: three years of contributions, a past BIZ ballot and the coming one.

Drawn from ctx.rng after the CRM's data, so one seed gives one ledger. Some voluntary contributors
of last year have no line this year, so "stopped this year" has people to visit.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from crm.models import Organisation
from funding import queries
from funding.models import Ballot, BallotParty, Contribution, ContributionKind, Vote

ZONE = "Binnenstad Veldhaven"


def _line(rng, organisation_id: int, year: int, kind: str, amount: Decimal, this_year: int) -> Contribution:
    invoiced = dt.date(year, 2, 1) + dt.timedelta(days=rng.randrange(0, 45))
    paid_on = paid_amount = None
    # Past years are nearly all paid; this year about half so far, some in part.
    if year < this_year and rng.random() < 0.95 or year == this_year and rng.random() < 0.5:
        paid_on = invoiced + dt.timedelta(days=rng.randrange(5, 60))
        if rng.random() < 0.05:
            paid_amount = (amount / 2).quantize(Decimal("0.01"))
    return Contribution(
        organisation_id=organisation_id,
        year=year,
        kind=kind,
        amount=amount,
        invoiced_on=invoiced,
        paid_on=paid_on,
        paid_amount=paid_amount,
    )


def seed(ctx) -> None:
    rng = ctx.rng
    this_year = timezone.localdate().year
    years = [this_year - 2, this_year - 1, this_year]
    businesses = list(
        Organisation.objects.filter(kind=Organisation.Kind.ENTREPRENEUR)
        .exclude(lifecycle=Organisation.Lifecycle.PROSPECT)
        .order_by("pk")
        .values_list("pk", "fund_status", "lifecycle")
    )
    lines = []
    for pk, fund_status, lifecycle in businesses:
        if fund_status == Organisation.FundStatus.BIZ:
            amount = Decimal(rng.choice([180, 240, 320, 450, 600, 850]))
            for year in years:
                if lifecycle == Organisation.Lifecycle.LEFT and year == this_year:
                    continue
                lines.append(_line(rng, pk, year, ContributionKind.BIZ, amount, this_year))
        elif fund_status == Organisation.FundStatus.VOLUNTARY:
            amount = Decimal(rng.choice([150, 250, 350, 500]))
            stops = rng.random() < 0.2  # one in five voluntary contributors stopped this year
            for year in years:
                if year == this_year and (stops or lifecycle == Organisation.Lifecycle.LEFT):
                    continue
                lines.append(_line(rng, pk, year, ContributionKind.VOLUNTARY, amount, this_year))
        elif rng.random() < 0.08:
            # A few without BIZ duty pay into the entrepreneurs' fund (OZB surcharge) instead.
            lines.append(_line(rng, pk, this_year - 1, ContributionKind.FUND, Decimal(120), this_year))
    municipality = (
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in municipality[:1]:
        for year in years:
            lines.append(_line(rng, pk, year, ContributionKind.SUBSIDY, Decimal(45000), this_year))
    Contribution.objects.bulk_create(lines, batch_size=2000)

    # The ballot that started the current BIZ period, and the one for the next period (not held).
    business_ids = queries.zone_businesses(streets=[])
    woz = queries.current_woz_values(business_ids)
    attitudes = dict(Organisation.objects.filter(pk__in=business_ids).values_list("pk", "attitude"))
    past = Ballot.objects.create(
        zone=ZONE,
        period_start=this_year - 2,
        period_end=this_year + 2,
        held_on=dt.date(this_year - 3, 11, 18),
        mode=Ballot.Mode.PARTIES,
        note="Draagvlakmeting door de gemeente; uitslag vastgesteld door de notaris.",
    )
    parties = []
    for pk in business_ids:
        attitude = attitudes.get(pk, "")
        draw = rng.random()
        if draw < 0.3:
            vote = ""  # did not vote
        elif attitude == "criticus":
            vote = Vote.AGAINST if draw < 0.85 else Vote.BLANK
        elif attitude == "voorstander" or draw < 0.6:
            vote = Vote.FOR if draw < 0.97 else Vote.INVALID
        else:
            vote = Vote.AGAINST if draw < 0.8 else Vote.BLANK
        # The municipality's WOZ list knows every property, also where the CRM does not.
        value = woz.get(pk) or rng.randrange(180, 900) * 1000
        parties.append(BallotParty(ballot=past, organisation_id=pk, woz_value=value, vote=vote))
    BallotParty.objects.bulk_create(parties, batch_size=2000)
    coming = Ballot.objects.create(
        zone=ZONE,
        period_start=this_year + 3,
        period_end=this_year + 7,
        mode=Ballot.Mode.PARTIES,
        note="Verlenging van de BIZ: draagvlakmeting in het najaar.",
    )
    BallotParty.objects.bulk_create(
        [
            BallotParty(
                ballot=coming, organisation_id=pk, woz_value=woz.get(pk) or rng.randrange(180, 900) * 1000
            )
            for pk in business_ids
        ],
        batch_size=2000,
    )
    ctx.write(f"  funding: {len(lines)} contribution lines over {len(years)} years, 2 BIZ ballots")
