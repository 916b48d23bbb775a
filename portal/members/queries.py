"""Reads the members' pages and other apps share."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from crm.models import Organisation
from portal.members.models import Membership, Report
from stadshart import roles


def membership_of(user) -> Membership | None:
    """The active membership of a logged-in user, with its person and business, or None."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("person", "organisation", "user")
        .filter(user=user, closed_at__isnull=True, user__is_active=True)
        .first()
    )


def reports_of(organisation: Organisation) -> QuerySet[Report]:
    """A business's reports, newest first (one query, whatever their number)."""
    return Report.objects.filter(organisation=organisation).select_related("reported_by")


def colleagues_of(membership: Membership) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=membership.organisation, closed_at__isnull=True)
        .select_related("person", "user")
        .order_by("person__last_name", "person__first_name")
    )


def facilitair_coordinator(organisation: Organisation | None = None):
    """Who handles reports: the first active Facilitair staff member, else a centre manager,
    else the business's account manager."""
    User = get_user_model()
    for role in (roles.FACILITAIR, roles.CENTRUMMANAGER):
        user = User.objects.filter(groups__name=role, is_active=True).order_by("pk").first()
        if user is not None:
            return user
    return organisation.account_manager if organisation is not None else None


#: Ages of open reports on the Facilitair home page: (label key, younger than this many days).
REPORT_AGE_BANDS = (("today", 1), ("week", 7), ("month", 30), ("older", None))


def open_reports_by_age(*, limit: int = 5) -> dict:
    """Open reports (new or in progress) counted per age band, and the oldest few (two queries)."""
    now = timezone.now()
    open_reports = Report.objects.filter(status__in=[Report.Status.NEW, Report.Status.IN_PROGRESS])
    counts, younger = {}, None
    for key, days in REPORT_AGE_BANDS:
        band = Q()
        if days is not None:
            band &= Q(created_at__gt=now - dt.timedelta(days=days))
        if younger is not None:
            band &= Q(created_at__lte=now - dt.timedelta(days=younger))
        counts[key] = Count("pk", filter=band)
        younger = days
    totals = open_reports.aggregate(total=Count("pk"), **counts)
    oldest = list(open_reports.select_related("organisation").order_by("created_at", "pk")[:limit])
    return {"total": totals.pop("total"), "bands": totals, "oldest": oldest}
