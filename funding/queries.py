"""Reads of the funding ledger that more than one screen (or app) needs; a fixed number of queries each.

Other apps (the year plan's progress report) read contributions only through these functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from crm.models import Organisation
from funding.models import Contribution, ContributionKind

ZERO = Decimal("0.00")

# What was received on a ledger line: the paid amount, or the full amount when only a payment
# date was recorded (the treasurer ticks "paid" without retyping the amount).
_RECEIVED = Case(
    When(paid_amount__isnull=False, then=F("paid_amount")),
    When(paid_on__isnull=False, then=F("amount")),
    default=Value(ZERO),
    output_field=DecimalField(max_digits=12, decimal_places=2),
)


def contributions_received(*, start: dt.date, end: dt.date) -> dict:
    """Money received (paid) from start to end inclusive, by payment date; one query.

    Returns {"by_kind": {kind: Decimal for every kind, 0 included}, "labels": {kind: label},
    "total": Decimal}. Lines without a payment date count nowhere: nothing is known to be received.
    """
    rows = (
        Contribution.objects.filter(paid_on__gte=start, paid_on__lte=end)
        .values("kind")
        .annotate(received=Sum(_RECEIVED))
        .order_by()
    )
    by_kind = {kind: ZERO for kind in ContributionKind.values}
    for row in rows:
        by_kind[row["kind"]] = (row["received"] or ZERO).quantize(ZERO)
    return {
        "by_kind": by_kind,
        "labels": dict(ContributionKind.choices),
        "total": sum(by_kind.values(), ZERO),
    }


@dataclass
class OrganisationContributions:
    organisation_id: int
    name: str
    invoiced: Decimal
    received: Decimal
    kinds: list[str] = field(default_factory=list)


def contributions_by_organisation(*, year: int) -> list[OrganisationContributions]:
    """Per organisation: what was invoiced for `year` and what of it was received; two queries."""
    rows = (
        Contribution.objects.filter(year=year)
        .values("organisation_id", "organisation__name")
        .annotate(invoiced=Sum("amount"), received=Sum(_RECEIVED))
        .order_by("organisation__name")
    )
    kinds: dict[int, list[str]] = {}
    lines = Contribution.objects.filter(year=year).values_list("organisation_id", "kind")
    for organisation_id, kind in lines:
        kinds.setdefault(organisation_id, []).append(kind)
    return [
        OrganisationContributions(
            organisation_id=row["organisation_id"],
            name=row["organisation__name"],
            invoiced=row["invoiced"] or ZERO,
            received=row["received"] or ZERO,
            kinds=sorted(kinds.get(row["organisation_id"], [])),
        )
        for row in rows
    ]


def ledger(organisation: Organisation) -> list[Contribution]:
    """An organisation's ledger, newest year first (the panel on its CRM page); one query."""
    return list(Contribution.objects.filter(organisation=organisation).order_by("-year", "kind"))


# ---------------------------------------------------------------------------------------------
# Participation: the share of businesses that contribute, per street and per sector.


def _businesses():
    """The businesses that could contribute: active entrepreneurs of the centre."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.ENTREPRENEUR, lifecycle=Organisation.Lifecycle.ACTIVE
    )


@dataclass
class ParticipationRow:
    label: str
    businesses: int
    contributing: int
    amount: Decimal

    @property
    def share(self) -> float:
        return self.contributing / self.businesses if self.businesses else 0.0


def _participation(group_by: str, year: int, labels: dict | None = None) -> list[ParticipationRow]:
    contributes = Q(contributions__year=year)
    rows = (
        _businesses()
        .values(group_by)
        .annotate(
            businesses=Count("pk", distinct=True),
            contributing=Count("pk", filter=contributes, distinct=True),
            amount=Coalesce(
                Sum("contributions__amount", filter=contributes),
                Value(ZERO),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            ),
        )
        .order_by(group_by)
    )
    return [
        ParticipationRow(
            label=(labels or {}).get(row[group_by], row[group_by]) or "–",
            businesses=row["businesses"],
            contributing=row["contributing"],
            amount=row["amount"],
        )
        for row in rows
    ]


def participation_by_street(*, year: int) -> list[ParticipationRow]:
    """Per street: businesses, how many contribute in `year` (any kind), and their amounts; one query."""
    return _participation("street", year)


def participation_by_sector(*, year: int) -> list[ParticipationRow]:
    """The same per sector; one query."""
    return _participation("sector", year, dict(Organisation.Sector.choices))


def participation_total(rows: list[ParticipationRow]) -> ParticipationRow:
    return ParticipationRow(
        label="",
        businesses=sum(row.businesses for row in rows),
        contributing=sum(row.contributing for row in rows),
        amount=sum((row.amount for row in rows), ZERO),
    )


@dataclass
class Stopped:
    organisation_id: int
    name: str
    street: str
    house_number: str
    sector: str
    account_manager: str
    last_year_amount: Decimal


def stopped_contributing(*, year: int) -> list[Stopped]:
    """Who contributed in the year before `year` and has no contribution in `year`; one query.

    Organisations that left or closed are not listed: there is no one to visit.
    """
    rows = (
        Organisation.objects.filter(contributions__year=year - 1)
        .exclude(lifecycle=Organisation.Lifecycle.LEFT)
        .exclude(contributions__year=year)
        .values(
            "pk",
            "name",
            "street",
            "house_number",
            "sector",
            "account_manager__first_name",
            "account_manager__last_name",
        )
        .annotate(amount=Sum("contributions__amount", filter=Q(contributions__year=year - 1)))
        .order_by("street", "name")
    )
    sectors = dict(Organisation.Sector.choices)
    return [
        Stopped(
            organisation_id=row["pk"],
            name=row["name"],
            street=row["street"],
            house_number=row["house_number"],
            sector=str(sectors.get(row["sector"], "")),
            account_manager=f"{row['account_manager__first_name'] or ''} "
            f"{row['account_manager__last_name'] or ''}".strip(),
            last_year_amount=row["amount"] or ZERO,
        )
        for row in rows
    ]


# ---------------------------------------------------------------------------------------------
# BIZ ballots


def zone_businesses(*, streets: list[str]) -> list[int]:
    """The businesses entitled in a zone: active entrepreneurs in its streets (all when none); one query."""
    businesses = _businesses()
    if streets:
        condition = Q()
        for street in streets:
            condition |= Q(street__iexact=street)
        businesses = businesses.filter(condition)
    # The key breaks ties between equal names: otherwise their order is where the rows happen to lie
    # on disk, and the demo's ballot (drawn in this order) changed with how the centre was loaded.
    return list(businesses.order_by("name", "pk").values_list("pk", flat=True))


def current_woz_values(organisation_ids: list[int]) -> dict[int, int | None]:
    """Per organisation, the WOZ value of the premises it uses now; one query.

    None when it uses no premises in the CRM or one of them has no WOZ value recorded: an unknown
    value must show as unknown, never as a lower sum.
    """
    from crm.models import Occupancy

    rows = (
        Occupancy.objects.filter(organisation_id__in=organisation_ids, ended_on__isnull=True)
        .values("organisation_id")
        .annotate(
            total=Sum("premises__woz_value"),
            unknown=Count("pk", filter=Q(premises__woz_value__isnull=True)),
        )
        .order_by()
    )
    return {row["organisation_id"]: (None if row["unknown"] else row["total"]) for row in rows}


@dataclass
class Party:
    pk: int
    organisation_id: int
    name: str
    street: str
    house_number: str
    attitude: str
    attitude_label: str
    account_manager: str
    woz_value: int | None
    vote: str


def ballot_parties(ballot) -> list[Party]:
    """The entitled parties of a ballot with what the screen shows of their organisation; one query."""
    from funding.models import BallotParty

    attitudes = dict(Organisation._meta.get_field("attitude").choices)
    rows = (
        BallotParty.objects.filter(ballot=ballot)
        .values(
            "pk",
            "organisation_id",
            "organisation__name",
            "organisation__street",
            "organisation__house_number",
            "organisation__attitude",
            "organisation__account_manager__first_name",
            "organisation__account_manager__last_name",
            "woz_value",
            "vote",
        )
        .order_by("organisation__name", "pk")
    )
    return [
        Party(
            pk=row["pk"],
            organisation_id=row["organisation_id"],
            name=row["organisation__name"],
            street=row["organisation__street"],
            house_number=row["organisation__house_number"],
            attitude=row["organisation__attitude"],
            attitude_label=str(attitudes.get(row["organisation__attitude"], "")),
            account_manager=f"{row['organisation__account_manager__first_name'] or ''} "
            f"{row['organisation__account_manager__last_name'] or ''}".strip(),
            woz_value=row["woz_value"],
            vote=row["vote"],
        )
        for row in rows
    ]


def _missing_woz(parties: list[Party]) -> list[str]:
    from django.utils.translation import ngettext

    names = [party.name for party in parties if party.woz_value is None]
    if not names:
        return []
    shown = ", ".join(names[:10]) + (" …" if len(names) > 10 else "")
    return [
        ngettext(
            "%(count)s party in favour or against has no WOZ value, so the WOZ condition cannot be "
            "judged: %(names)s. Record its WOZ value first.",
            "%(count)s parties in favour or against have no WOZ value, so the WOZ condition cannot be "
            "judged: %(names)s. Record their WOZ value first.",
            len(names),
        )
        % {"count": len(names), "names": shown}
    ]


def tally_of_parties(parties: list[Party]):
    """The ballot's figures from its parties' votes; BallotError when a voter for or against has
    no WOZ value (a missing value is never counted as zero)."""
    from funding.models import Vote
    from funding.verdict import BallotError, Tally

    counted = [party for party in parties if party.vote in (Vote.FOR, Vote.AGAINST)]
    problems = _missing_woz(counted)
    if problems:
        raise BallotError(problems)
    return Tally(
        entitled=len(parties),
        votes_for=sum(party.vote == Vote.FOR for party in parties),
        votes_against=sum(party.vote == Vote.AGAINST for party in parties),
        votes_blank=sum(party.vote == Vote.BLANK for party in parties),
        votes_invalid=sum(party.vote == Vote.INVALID for party in parties),
        woz_for=sum(party.woz_value for party in counted if party.vote == Vote.FOR),
        woz_against=sum(party.woz_value for party in counted if party.vote == Vote.AGAINST),
    )


@dataclass
class Forecast:
    """The outcome if the supporters vote for, the critics against and the undecided stay away."""

    tally: object  # funding.verdict.Tally
    supporters: int
    critics: int
    undecided: list[Party]


def forecast(parties: list[Party]) -> Forecast:
    """From the CRM stakeholder positions' attitudes; BallotError when a decided party lacks a WOZ value.

    The undecided (neutral or no attitude) come most WOZ value first, unknown values last: whom
    the accountmanagers should visit first.
    """
    from crm.models.organisations import Attitude
    from funding.verdict import BallotError, Tally

    supporters = [party for party in parties if party.attitude == Attitude.SUPPORTER]
    critics = [party for party in parties if party.attitude == Attitude.CRITIC]
    problems = _missing_woz(supporters + critics)
    if problems:
        raise BallotError(problems)
    undecided = sorted(
        (party for party in parties if party.attitude not in (Attitude.SUPPORTER, Attitude.CRITIC)),
        key=lambda party: (party.woz_value is None, -(party.woz_value or 0), party.name),
    )
    tally = Tally(
        entitled=len(parties),
        votes_for=len(supporters),
        votes_against=len(critics),
        woz_for=sum(party.woz_value for party in supporters),
        woz_against=sum(party.woz_value for party in critics),
    )
    return Forecast(tally=tally, supporters=len(supporters), critics=len(critics), undecided=undecided)
