"""An accountmanager's work: follow-ups due, businesses gone quiet, and what was signalled lately."""

import datetime as dt

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from crm.models import FollowUp, Organisation, Signal


def open_follow_ups(user) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(assigned_to=user, done_at__isnull=True)
        .select_related("organisation", "interaction")
        .order_by("due_on", "pk")
    )


def follow_up_counts(user, *, today: dt.date) -> dict:
    """How many of my open follow-ups are overdue and how many come up: {"overdue": n, "upcoming": n}.

    One query, read from the partial index of open follow-ups (crm.FollowUp.Meta.indexes).
    """
    return FollowUp.objects.filter(assigned_to=user, done_at__isnull=True).aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)), upcoming=Count("pk", filter=Q(due_on__gte=today))
    )


def my_streets(user) -> list[str]:
    return list(
        Organisation.objects.filter(account_manager=user)
        .exclude(street="")
        .order_by()
        .values_list("street", flat=True)
        .distinct()
    )


def quiet_businesses(user, *, days: int, limit: int = 50) -> QuerySet[Organisation]:
    """Active businesses in my streets that nobody has contacted for `days` days, longest silence first.

    Never contacted counts as the longest silence, on every database (PostgreSQL would sort those last).
    """
    since = timezone.now() - dt.timedelta(days=days)
    # The handful of streets first: a literal IN list lets the (street, number) index do the work.
    return (
        Organisation.objects.filter(
            street__in=my_streets(user),
            kind=Organisation.Kind.ENTREPRENEUR,
            lifecycle=Organisation.Lifecycle.ACTIVE,
        )
        .filter(Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=since))
        .order_by(F("last_contact_at").asc(nulls_first=True), "name", "pk")[:limit]
    )


def recent_signals(user, *, days: int = 30, limit: int = 25) -> QuerySet[Signal]:
    since = timezone.now() - dt.timedelta(days=days)
    return (
        Signal.objects.filter(created_at__gte=since, organisation__account_manager=user)
        .select_related("organisation", "interaction__staff")
        .order_by("-created_at")[:limit]
    )


def recently_completed(user, *, minutes: int) -> QuerySet[FollowUp]:
    """My follow-ups completed in the last `minutes`: the ones I can still undo."""
    since = timezone.now() - dt.timedelta(minutes=minutes)
    return (
        FollowUp.objects.filter(done_by=user, done_at__gte=since)
        .select_related("organisation")
        .order_by("-done_at", "-pk")[:20]
    )
