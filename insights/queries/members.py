"""Members: how much of the centre is on the portal, how far new members get, and the problem
reports they make. Five queries whatever the data size."""

from __future__ import annotations

import datetime as dt
import statistics

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from insights.queries.period import Period
from insights.queries.shapes import (
    COUNT,
    DAYS,
    PERCENT,
    TEXT,
    Column,
    Figure,
    Section,
    SegmentFilter,
    Table,
    rate,
)
from portal.members.models import Invitation, Membership, Report

ACTIVE_DAYS = 30


def _open_membership(until: dt.datetime) -> Q:
    # An uncorrelated subquery: the database hashes the members once instead of probing them for
    # every business (a correlated EXISTS read the memberships once per business).
    return Q(
        pk__in=Membership.objects.filter(created_at__lt=until)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=until))
        .values("organisation_id")
    )


def _median_days(durations: list[dt.timedelta]) -> float | None:
    if not durations:
        return None
    return round(statistics.median(d.total_seconds() for d in durations) / 86400, 1)


def members(period: Period, segment: SegmentFilter, *, detail: bool = True) -> Section:
    """Without `detail` only the share of businesses on the portal (one query)."""
    now_since, now_until = period.bounds()
    before_since, before_until = period.previous.bounds()
    section = Section("members", _("Members"))

    share = segment.businesses().aggregate(
        size=Count("pk"),
        now=Count("pk", filter=_open_membership(now_until)),
        before=Count("pk", filter=_open_membership(before_until)),
    )

    share_figure = Figure(
        "portal_share",
        _("Businesses with a portal account"),
        rate(share["now"], share["size"]),
        rate(share["before"], share["size"]),
        PERCENT,
        note=_("Share of active businesses with at least one open member account at the end of the period."),
    )
    if not detail:
        section.figures = [share_figure]
        return section

    memberships = (
        Membership.objects.filter(segment.condition("organisation__"))
        if segment
        else Membership.objects.all()
    )
    invitations = (
        Invitation.objects.filter(segment.condition("organisation__"))
        if segment
        else Invitation.objects.all()
    )

    def within(field: str, since, until) -> Q:
        return Q(**{f"{field}__gte": since, f"{field}__lt": until})

    invited = invitations.filter(created_at__gte=before_since, created_at__lt=now_until).aggregate(
        now=Count("person", distinct=True, filter=within("created_at", now_since, now_until)),
        before=Count("person", distinct=True, filter=within("created_at", before_since, now_since)),
    )
    open_at = {
        key: Q(created_at__lt=until) & (Q(closed_at__isnull=True) | Q(closed_at__gte=until))
        for key, until in (("now", now_until), ("before", before_until))
    }
    funnel = memberships.aggregate(
        signed_up_now=Count("pk", filter=within("created_at", now_since, now_until)),
        signed_up_before=Count("pk", filter=within("created_at", before_since, now_since)),
        complete_now=Count("pk", filter=within("onboarded_at", now_since, now_until)),
        complete_before=Count("pk", filter=within("onboarded_at", before_since, now_since)),
        # The last login is all that is kept, so the previous period's count is a lower bound.
        active_now=Count(
            "pk",
            filter=open_at["now"]
            & within("user__last_login", now_until - dt.timedelta(days=ACTIVE_DAYS), now_until),
        ),
        active_before=Count(
            "pk",
            filter=open_at["before"]
            & within("user__last_login", before_until - dt.timedelta(days=ACTIVE_DAYS), before_until),
        ),
    )
    section.figures = [
        share_figure,
        Figure("invited", _("Invited"), invited["now"], invited["before"]),
        Figure("signed_up", _("Signed up"), funnel["signed_up_now"], funnel["signed_up_before"]),
        Figure("profile_complete", _("Profile complete"), funnel["complete_now"], funnel["complete_before"]),
        Figure("active", _("Active in the last 30 days"), funnel["active_now"], funnel["active_before"]),
    ]
    section.tables.append(
        Table(
            "funnel",
            _("Onboarding funnel"),
            [Column(_("Step"), TEXT), Column(_("This period"), COUNT), Column(_("Previous period"), COUNT)],
            rows=[
                [_("Invited"), invited["now"], invited["before"]],
                [_("Signed up"), funnel["signed_up_now"], funnel["signed_up_before"]],
                [_("Profile complete"), funnel["complete_now"], funnel["complete_before"]],
                [_("Active in the last 30 days"), funnel["active_now"], funnel["active_before"]],
            ],
            chart="bar",
            note=_(
                "Active: logged in to the portal in the 30 days up to the end of the period "
                "(only the last login is kept)."
            ),
        )
    )

    reports = Report.objects.filter(segment.condition("organisation__")) if segment else Report.objects.all()
    opened_closed = reports.filter(
        Q(created_at__gte=before_since, created_at__lt=now_until)
        | Q(resolved_at__gte=before_since, resolved_at__lt=now_until)
    ).aggregate(
        opened_now=Count("pk", filter=within("created_at", now_since, now_until)),
        opened_before=Count("pk", filter=within("created_at", before_since, now_since)),
        closed_now=Count("pk", filter=within("resolved_at", now_since, now_until)),
        closed_before=Count("pk", filter=within("resolved_at", before_since, now_since)),
    )
    durations: dict[str, list] = {"now": [], "before": []}
    for created, resolved in reports.filter(
        resolved_at__gte=before_since, resolved_at__lt=now_until
    ).values_list("created_at", "resolved_at"):
        durations["now" if resolved >= now_since else "before"].append(resolved - created)
    section.figures += [
        Figure(
            "reports_opened", _("Reports opened"), opened_closed["opened_now"], opened_closed["opened_before"]
        ),
        Figure(
            "reports_closed", _("Reports closed"), opened_closed["closed_now"], opened_closed["closed_before"]
        ),
        Figure(
            "resolve_days",
            _("Days to resolve a report (median)"),
            _median_days(durations["now"]),
            _median_days(durations["before"]),
            DAYS,
            higher_is_better=False,
        ),
    ]
    return section
