"""One timeline of everything that happened with an organisation or person, newest first.

Each timeline runs a fixed number of queries whatever the length of the history: one per kind of
entry plus the prefetches, never one per row.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from crm.models import FollowUp, Interaction, Occupancy, Organisation, Person, StakeholderPositionChange

PAGE_SIZE = 25


@dataclass(frozen=True)
class TimelineEntry:
    when: dt.datetime
    kind: str  # "interaction", "position", "occupancy_started", "occupancy_ended"
    item: Any


def _interactions(queryset: QuerySet[Interaction]) -> QuerySet[Interaction]:
    return queryset.select_related("staff").prefetch_related(
        "topics",
        "organisations",
        "attendees",
        "signals",
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related("assigned_to")),
    )


def _as_datetime(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def organisation_timeline(
    organisation: Organisation, *, before: dt.datetime | None = None, size: int = PAGE_SIZE
) -> list[TimelineEntry]:
    interactions = Interaction.objects.filter(organisations=organisation)
    positions = StakeholderPositionChange.objects.filter(organisation=organisation, interaction__isnull=True)
    if before:
        interactions = interactions.filter(occurred_at__lt=before)
        positions = positions.filter(changed_at__lt=before)
    entries = [TimelineEntry(i.occurred_at, "interaction", i) for i in _interactions(interactions)[:size]]
    entries += [
        TimelineEntry(p.changed_at, "position", p) for p in positions.select_related("changed_by")[:size]
    ]
    for occupancy in Occupancy.objects.filter(organisation=organisation).select_related("premises"):
        entries.append(TimelineEntry(_as_datetime(occupancy.started_on), "occupancy_started", occupancy))
        if occupancy.ended_on:
            entries.append(TimelineEntry(_as_datetime(occupancy.ended_on), "occupancy_ended", occupancy))
    if before:
        entries = [entry for entry in entries if entry.when < before]
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:size]


def person_timeline(person: Person, *, before: dt.datetime | None = None, size: int = PAGE_SIZE):
    interactions = Interaction.objects.filter(attendees=person)
    if before:
        interactions = interactions.filter(occurred_at__lt=before)
    return [TimelineEntry(i.occurred_at, "interaction", i) for i in _interactions(interactions)[:size]]
