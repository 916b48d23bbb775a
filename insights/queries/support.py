"""Support (draagvlak): who pays into the fund, and the businesses' attitudes as the stakeholder
positions record them, per street. Four queries whatever the data size."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from crm.models import StakeholderPositionChange
from crm.models.organisations import Attitude
from funding.models import Contribution
from insights.queries.contact import month_label
from insights.queries.period import Period
from insights.queries.shapes import (
    COUNT,
    EURO,
    PERCENT,
    TEXT,
    Column,
    Figure,
    Section,
    SegmentFilter,
    Table,
    merge_small,
    rate,
    small_groups_note,
)

ZERO = Decimal("0.00")
ATTITUDES = [Attitude.SUPPORTER, Attitude.NEUTRAL, Attitude.CRITIC]


def _contributes(year: int) -> Q:
    # Uncorrelated: one hashed set of contributors instead of a probe per business.
    return Q(pk__in=Contribution.objects.filter(year=year).values("organisation_id"))


def _attitude_at(until):
    """An organisation's attitude as last recorded before `until` ("" when never recorded)."""
    return Subquery(
        StakeholderPositionChange.objects.filter(organisation_id=OuterRef("pk"), changed_at__lt=until)
        .exclude(attitude="")
        .order_by("-changed_at", "-pk")
        .values("attitude")[:1]
    )


def support(period: Period, segment: SegmentFilter, *, detail: bool = True) -> Section:
    """Without `detail` only the share of businesses contributing (one query)."""
    section = Section("support", _("Support"))
    # Contributions are kept per year: the period's year is compared with the year before it.
    year = period.end.year
    businesses = segment.businesses()
    amount = Coalesce(Sum("amount"), Value(ZERO), output_field=DecimalField(max_digits=14, decimal_places=2))
    # Per street, with the year before: the whole centre's figure is their sum (one query for both).
    streets = list(
        businesses.values("street")
        .annotate(
            size=Count("pk"),
            contributing=Count("pk", filter=_contributes(year)),
            before=Count("pk", filter=_contributes(year - 1)),
        )
        .order_by("street")
    )
    totals = {
        "size": sum(row["size"] for row in streets),
        "now": sum(row["contributing"] for row in streets),
        "before": sum(row["before"] for row in streets),
    }
    participation_figure = Figure(
        "participation",
        _("Businesses contributing to the fund"),
        rate(totals["now"], totals["size"]),
        rate(totals["before"], totals["size"]),
        PERCENT,
        note=_("Share of today's active businesses with a contribution in %(year)s, against %(before)s.")
        % {"year": year, "before": year - 1},
    )
    if not detail:
        section.figures = [participation_figure]
        return section
    money = (
        Contribution.objects.filter(organisation__in=businesses, year__in=[year, year - 1])
        .values("year")
        .annotate(total=amount)
        .order_by()
    )
    amounts = {row["year"]: row["total"] for row in money}
    section.figures = [
        participation_figure,
        Figure(
            "contributions",
            _("Contributions (amount)"),
            amounts.get(year, ZERO),
            amounts.get(year - 1, ZERO),
            EURO,
        ),
    ]

    groups = [
        {"label": row["street"] or "–", "size": row["size"], "contributing": row["contributing"]}
        for row in streets
    ]
    groups, merged = merge_small(groups, sums=["contributing"])
    participation = Table(
        "participation_street",
        _("Fund participation per street (%(year)s)") % {"year": year},
        [
            Column(_("Street"), TEXT),
            Column(_("Businesses"), COUNT),
            Column(_("Contributing"), COUNT),
            Column(_("Share"), PERCENT),
        ],
        rows=[[g["label"], g["size"], g["contributing"], rate(g["contributing"], g["size"])] for g in groups],
        chart="bar",
        series=[3],
        note=small_groups_note() if merged else "",
    )

    # Attitudes per street at the end of this period and the previous one (one query).
    _since, until = period.bounds()
    _before_since, before_until = period.previous.bounds()
    by_street: dict[str, dict] = {}
    rows = (
        businesses.annotate(now=_attitude_at(until), before=_attitude_at(before_until))
        .values("street", "now", "before")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        street = by_street.setdefault(
            row["street"] or "–", {"size": 0, **{f"{a}_{w}": 0 for a in ATTITUDES for w in ("now", "before")}}
        )
        street["size"] += row["n"]
        for when in ("now", "before"):
            if row[when] in ATTITUDES:
                street[f"{row[when]}_{when}"] += row["n"]
    sums = [f"{a}_{w}" for a in ATTITUDES for w in ("now", "before")]
    groups = [{"label": label, **counts} for label, counts in sorted(by_street.items())]
    overall = {name: sum(g[name] for g in groups) for name in sums}
    groups, merged = merge_small(groups, sums=sums)
    labels = dict(Attitude.choices)
    attitudes = Table(
        "attitudes_street",
        _("Attitudes per street at the end of the period"),
        [
            Column(_("Street"), TEXT),
            *[Column(str(labels[a]), COUNT) for a in ATTITUDES],
            Column(_("Supporters, previous period"), COUNT),
            Column(_("Critics, previous period"), COUNT),
        ],
        rows=[
            [
                g["label"],
                *[g[f"{a}_now"] for a in ATTITUDES],
                g[f"{Attitude.SUPPORTER}_before"],
                g[f"{Attitude.CRITIC}_before"],
            ]
            for g in groups
        ],
        chart="stacked",
        series=[1, 2, 3],
        note=" ".join(
            filter(
                None,
                [
                    _(
                        "From the stakeholder positions recorded in the CRM; "
                        "businesses never assessed are not counted."
                    ),
                    small_groups_note() if merged else "",
                ],
            )
        ),
    )
    section.figures += [
        Figure(
            "supporters",
            _("Supporters"),
            overall[f"{Attitude.SUPPORTER}_now"],
            overall[f"{Attitude.SUPPORTER}_before"],
        ),
        Figure(
            "critics",
            _("Critics"),
            overall[f"{Attitude.CRITIC}_now"],
            overall[f"{Attitude.CRITIC}_before"],
            higher_is_better=False,
        ),
    ]

    # Changes of attitude recorded per month of the period (one query).
    since, until = period.bounds()
    changes = StakeholderPositionChange.objects.filter(
        changed_at__gte=since, changed_at__lt=until, attitude__in=ATTITUDES
    )
    if segment:
        changes = changes.filter(segment.condition("organisation__"))
    per_month = {}
    for row in (
        changes.annotate(month=period.month_of("changed_at"))
        .values("month", "attitude")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        per_month[(row["month"], row["attitude"])] = row["n"]
    movements = Table(
        "attitude_changes",
        _("Attitudes recorded per month"),
        [Column(_("Month"), TEXT), *[Column(str(labels[a]), COUNT) for a in ATTITUDES]],
        rows=[[month_label(m), *[per_month.get((m, a), 0) for a in ATTITUDES]] for m in period.months()],
        chart="line",
    )
    section.tables = [participation, attitudes, movements]
    return section
