"""Contact: the accountmanagers' visits, calls and meetings, how much of the centre they reached,
follow-ups left overdue and the signals they noticed. Six queries whatever the data size.

The counts come from crm.ContactTally (a few rows per day instead of every contact) unless a street
is chosen: a street's organisations are few, so their contacts are read directly. Coverage comes
from crm.ContactSpan. crm.tallies keeps both exact on every write."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import formats
from django.utils.translation import gettext as _

from crm.models import ContactSpan, ContactTally, FollowUp, Interaction, Organisation, Signal
from crm.tallies import COVERAGE_DAYS
from insights.queries.period import Period
from insights.queries.shapes import (
    COUNT,
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

K = Interaction.Kind
KINDS = [(K.VISIT, "visits"), (K.CALL, "calls"), (K.MEETING, "meetings"), (K.EMAIL, "emails")]


def month_label(day: dt.date) -> str:
    return formats.date_format(day, "M Y")


def _local_month(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _coverage(period: Period, segment: SegmentFilter, *, detail: bool = True) -> tuple[Figure, list[Table]]:
    """The share of businesses with a staff contact in the 90 days up to the end of the period (and
    up to the end of the previous one); per street and per sector for this period (one query)."""

    def contacted(last_day: dt.date) -> Q:
        # A business with a run of contact days reaching into the 90 days up to `last_day`.
        return Q(
            pk__in=ContactSpan.objects.filter(
                first_day__lte=last_day, last_day__gt=last_day - dt.timedelta(days=COVERAGE_DAYS)
            ).values("organisation_id")
        )

    until, before_until = period.end, period.previous.end
    # One pass over the businesses, grouped by street and sector; the totals and each table are
    # sums of these groups.
    cells = list(
        segment.businesses()
        .values("street", "sector")
        .annotate(
            size=Count("pk"),
            now=Count("pk", filter=contacted(until)),
            before=Count("pk", filter=contacted(before_until)),
        )
        .order_by()
    )
    size, now, before = (sum(cell[key] for cell in cells) for key in ("size", "now", "before"))
    figure = Figure(
        "coverage",
        _("Coverage (contacted in the last 90 days)"),
        rate(now, size),
        rate(before, size),
        PERCENT,
        note=_(
            "Share of active businesses with a visit, call, email or meeting in the 90 days "
            "up to the end of the period."
        ),
    )
    tables = []
    if not detail:
        return figure, tables
    for field, title, labels in (
        ("street", _("Coverage per street"), {}),
        ("sector", _("Coverage per sector"), dict(Organisation.Sector.choices)),
    ):
        sums: dict[str, dict] = {}
        for cell in cells:
            label = str(labels.get(cell[field], cell[field])) or "–"
            group = sums.setdefault(label, {"label": label, "size": 0, "contacted": 0})
            group["size"] += cell["size"]
            group["contacted"] += cell["now"]
        groups = [sums[label] for label in sorted(sums)]
        groups, merged = merge_small(groups, sums=["contacted"])
        table = Table(
            f"coverage_{field}",
            title,
            [
                Column(_("Street") if field == "street" else _("Sector"), TEXT),
                Column(_("Businesses"), COUNT),
                Column(_("Contacted"), COUNT),
                Column(_("Coverage"), PERCENT),
            ],
            rows=[[g["label"], g["size"], g["contacted"], rate(g["contacted"], g["size"])] for g in groups],
            chart="bar",
            series=[3],
        )
        if merged:
            table.note = small_groups_note()
        tables.append(table)
    return figure, tables


def _tally(segment: SegmentFilter):
    """The tally rows of the segment (the whole centre's when none is chosen)."""
    dimension, value = ContactTally.segment_key(segment.street, segment.sector, segment.kind)
    return ContactTally.objects.filter(dimension=dimension, value=value)


def _counts(period: Period, segment: SegmentFilter, *, detail: bool) -> tuple[dict, dict, dict]:
    """The contacts per kind in both periods; with `detail` also per (month, kind) and per (staff
    member, kind) in this one. One query each."""
    rows = _tally(segment)
    in_now = Q(day__gte=period.start, day__lte=period.end)
    in_before = Q(day__gte=period.previous.start, day__lt=period.start)
    counts = rows.filter(day__gte=period.previous.start, day__lte=period.end).aggregate(
        **{f"{name}_now": Sum("n", filter=in_now & Q(kind=kind), default=0) for kind, name in KINDS},
        **{f"{name}_before": Sum("n", filter=in_before & Q(kind=kind), default=0) for kind, name in KINDS},
    )
    if not detail:
        return counts, {}, {}
    rows = rows.filter(in_now)
    monthly = {
        (_local_month(row["month"]), row["kind"]): row["n"]
        for row in rows.annotate(month=TruncMonth("day"))
        .values("month", "kind")
        .annotate(n=Sum("n"))
        .order_by()
    }
    staff: dict = {}
    for row in rows.values("staff_id", "kind").annotate(n=Sum("n")).order_by():
        staff.setdefault(row["staff_id"] or None, {})[row["kind"]] = row["n"]
    return counts, monthly, staff


def contact(period: Period, segment: SegmentFilter, *, detail: bool = True) -> Section:
    """Without `detail` only the contacts and the coverage (two queries), for the board's home page."""
    now_since, now_until = period.bounds()
    counts, monthly, staff = _counts(period, segment, detail=detail)
    labels = {"visits": _("Visits"), "calls": _("Calls"), "meetings": _("Meetings"), "emails": _("Emails")}
    section = Section("contact", _("Contact"))
    section.figures = [
        Figure(name, labels[name], counts[f"{name}_now"], counts[f"{name}_before"]) for _kind, name in KINDS
    ]

    if not detail:
        section.figures.append(_coverage(period, segment, detail=False)[0])
        return section

    per_month = Table(
        "contact_months",
        _("Contacts per month"),
        [Column(_("Month"), TEXT), *[Column(labels[name], COUNT) for _kind, name in KINDS]],
        chart="stacked",
    )
    for month in period.months():
        per_month.rows.append([month_label(month), *[monthly.get((month, kind), 0) for kind, _name in KINDS]])

    per_staff = Table(
        "contact_staff",
        _("Contacts per accountmanager"),
        [Column(_("Staff member"), TEXT), *[Column(labels[name], COUNT) for _kind, name in KINDS]],
        chart="stacked",
    )
    names = {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(pk__in=[pk for pk in staff if pk])
    }
    for pk, kinds in sorted(staff.items(), key=lambda item: (names.get(item[0], "~"), item[0] or 0)):
        name = names.get(pk) or _("Former staff member")
        per_staff.rows.append([name, *[kinds.get(kind, 0) for kind, _name in KINDS]])

    coverage, coverage_tables = _coverage(period, segment)

    # Overdue follow-ups at the end of each period (one query): due before it, not done by then.
    follow_ups = FollowUp.objects.all()
    if segment:
        follow_ups = follow_ups.filter(segment.condition("organisation__"))
    end, before_end = period.end, period.previous.end
    _before_since, before_until = period.previous.bounds()

    def overdue(day: dt.date, until: dt.datetime) -> Q:
        return Q(due_on__lt=day) & (Q(done_at__isnull=True) | Q(done_at__gte=until))

    late = follow_ups.filter(due_on__lt=end).aggregate(
        now=Count("pk", filter=overdue(end, now_until)),
        before=Count("pk", filter=overdue(before_end, before_until)),
    )
    section.figures += [
        coverage,
        Figure(
            "overdue",
            _("Overdue follow-ups"),
            late["now"],
            late["before"],
            higher_is_better=False,
            note=_("Open at the end of the period and due before it."),
        ),
    ]

    # Signals per theme and month (one query).
    signals = Signal.objects.filter(created_at__gte=now_since, created_at__lt=now_until)
    if segment:
        signals = signals.filter(segment.condition("organisation__"))
    per_theme: dict[str, dict] = {}
    for row in (
        signals.annotate(month=period.month_of("created_at"))
        .values("month", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        per_theme.setdefault(row["kind"], {})[row["month"]] = row["n"]
    months = period.months()
    themes = Table(
        "signals",
        _("Signals per theme"),
        [
            Column(_("Theme"), TEXT),
            *[Column(month_label(m), COUNT) for m in months],
            Column(_("Total"), COUNT),
        ],
        chart="bar",
        series=[len(months) + 1],
    )
    for kind, label in Signal.Kind.choices:
        by_month = per_theme.get(kind, {})
        if by_month:
            themes.rows.append([str(label), *[by_month.get(m, 0) for m in months], sum(by_month.values())])
    section.tables = [per_month, per_staff, *coverage_tables, themes]
    return section
