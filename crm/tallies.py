"""Keeping crm.ContactTally and crm.ContactSpan exact.

Both are derived from the staff's contacts (every Interaction but a member's own report) and their
organisations: a day's tally rows from all contacts of that day, an organisation's spans from all
its contact days. Nothing adds to them or subtracts from them; whatever changes contacts, their
organisations, an organisation's sector or kind, or deletes a user re-derives the days and
organisations it touched, inside the same transaction, so a rolled-back change leaves them as
they were and a repeated refresh changes nothing:

- saves and deletes through the ORM, and changes of a contact's organisations, through the signals
  connected in connect() (the visit form, the portal, the admin's edit and delete screens, imports);
- writes that bypass signals (a merge moves rows with UPDATE; the demo loads rows with COPY) call
  refresh() or rebuild() themselves.

A day is refreshed under a lock on that day (PostgreSQL: a transaction-level advisory lock; SQLite
has one writer at a time), so two people logging visits on the same day never both write its rows.
`manage.py tallies --check` derives everything again and lists any difference; `--rebuild` mends it.
Days are the centre's days (settings.TIME_ZONE), as the dashboard's periods are.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Lower, TruncDate
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_delete
from django.utils import timezone

from crm.models import Interaction, Organisation
from crm.models.tallies import ContactSpan, ContactTally

#: A business counts as contacted on a date when a staff contact took place in the 90 days up to it.
COVERAGE_DAYS = 90
REPORT = Interaction.Kind.REPORT
# A class id for PostgreSQL's two-key advisory locks, so ours never meet another app's.
_LOCK_CLASS = 7_301
# Days refreshed per query: the contacts of each are read by one range of the time index.
_DAYS_PER_QUERY = 60
Through = Interaction.organisations.through


def day_of(moment: dt.datetime) -> dt.date:
    return moment.astimezone(timezone.get_default_timezone()).date()


def _bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_default_timezone()
    since = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    return since, dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def staff_contacts():
    return Interaction.objects.exclude(kind=REPORT)


# Deriving ------------------------------------------------------------------------------------


# Every non-empty combination of a contact's street, sector and organisation kind.
_COMBINATIONS = [
    ("|".join(name for name, wanted in zip(ContactTally.PARTS, mask, strict=True) if wanted), mask)
    for mask in itertools.product((False, True), repeat=len(ContactTally.PARTS))
    if any(mask)
]


def _segment_keys(segment: tuple) -> list[tuple[str, str]]:
    """(dimension, value) of every segment one (street, sector, organisation kind) belongs to; a
    blank part (a business without a sector) is never chosen in a filter."""
    keys = []
    for names, mask in _COMBINATIONS:
        parts = [part for part, wanted in zip(segment, mask, strict=True) if wanted]
        if all(parts):
            keys.append((names, "|".join(parts)))
    return keys


def _tally(rows: Iterable[tuple], *, whole: bool = True) -> Counter:
    """(contact id, when, kind, staff id, street, sector, organisation kind) rows, one per
    organisation of a contact (None for a contact without one), counted per day, kind, staff member
    and segment: once per segment, however many of its organisations are in it."""
    contacts: dict[int, tuple] = {}
    for contact_id, occurred_at, kind, staff_id, street, sector, org_kind in rows:
        entry = contacts.get(contact_id)
        if entry is None:
            entry = contacts[contact_id] = ((day_of(occurred_at), kind, staff_id or 0), set())
        if org_kind is not None:
            entry[1].update(_segment_keys((street.lower(), sector, org_kind)))
    counts: Counter = Counter()
    for key, segments in contacts.values():
        if whole:
            counts[(*key, "", "")] += 1
        for dimension, value in segments:
            counts[(*key, dimension, value)] += 1
    return counts


_TALLY_COLUMNS = (
    "pk",
    "occurred_at",
    "kind",
    "staff_id",
    "organisations__street",
    "organisations__sector",
    "organisations__kind",
)


def _tally_of_days(days: set[dt.date]) -> Counter:
    counts: Counter = Counter()
    ordered = sorted(days)
    for start in range(0, len(ordered), _DAYS_PER_QUERY):
        chunk = ordered[start : start + _DAYS_PER_QUERY]
        when = reduce(or_, (Q(occurred_at__gte=a, occurred_at__lt=b) for a, b in map(_bounds, chunk)))
        counts += _tally(staff_contacts().filter(when).values_list(*_TALLY_COLUMNS).order_by())
    return +counts


def _spans(days_by_organisation: dict[int, set[dt.date]]) -> list[tuple[int, dt.date, dt.date]]:
    """Each organisation's contact days as runs whose days are at most COVERAGE_DAYS apart."""
    spans = []
    gap = dt.timedelta(days=COVERAGE_DAYS)
    for organisation_id, days in days_by_organisation.items():
        first = last = None
        for day in sorted(days):
            if last is not None and day - last > gap:
                spans.append((organisation_id, first, last))
                first = None
            if first is None:
                first = day
            last = day
        if first is not None:
            spans.append((organisation_id, first, last))
    return spans


def _contact_days(organisation_ids: set[int]) -> dict[int, set[dt.date]]:
    links = Through.objects.exclude(interaction__kind=REPORT).filter(organisation_id__in=organisation_ids)
    days: dict[int, set[dt.date]] = defaultdict(set)
    for organisation_id, occurred_at in links.values_list(
        "organisation_id", "interaction__occurred_at"
    ).iterator(chunk_size=20_000):
        days[organisation_id].add(day_of(occurred_at))
    return days


# Writing -------------------------------------------------------------------------------------


def _lock(days: Iterable[dt.date]) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # In order, so two refreshes of overlapping days cannot wait for each other.
        for day in sorted(days):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_CLASS, day.toordinal()])


def _write_tallies(counts: Counter) -> None:
    ContactTally.objects.bulk_create(
        [
            ContactTally(day=day, kind=kind, staff_id=staff, dimension=dimension, value=value, n=n)
            for (day, kind, staff, dimension, value), n in counts.items()
        ],
        batch_size=2_000,
    )


def refresh(*, days: Iterable[dt.date] = (), organisations: Iterable[int] = ()) -> None:
    """Derive the tally rows of `days` and the spans of `organisations` again from the contacts."""
    days, organisations = set(days), set(organisations)
    if not days and not organisations:
        return
    with transaction.atomic():
        if days:
            _lock(days)
            ContactTally.objects.filter(day__in=days).delete()
            _write_tallies(_tally_of_days(days))
        if organisations:
            ContactSpan.objects.filter(organisation_id__in=organisations).delete()
            ContactSpan.objects.bulk_create(
                [
                    ContactSpan(organisation_id=pk, first_day=first, last_day=last)
                    for pk, first, last in _spans(_contact_days(organisations))
                ],
                batch_size=2_000,
            )


def days_of(*, organisations: Iterable[int] = (), staff: Iterable[int] = ()) -> set[dt.date]:
    """The days with staff contacts of these organisations or by these users."""
    condition = Q(pk__in=[])
    if organisations:
        condition |= Q(organisations__in=list(organisations))
    if staff:
        condition |= Q(staff_id__in=list(staff))
    return {day_of(t) for t in staff_contacts().filter(condition).values_list("occurred_at", flat=True)}


def _roll_up(counts: Counter, key: tuple, segment: tuple, n: int) -> None:
    """Add n contacts of one (street, sector, organisation kind) to every segment it belongs to."""
    for dimension, value in _segment_keys(segment):
        counts[(*key, dimension, value)] += n


def _grouped() -> Counter:
    """Every contact counted as _tally() counts it, but grouped by the database instead of a
    million rows through Python: for rebuild() and check(). The database counts links (a contact
    with each of its organisations) in the finest segments, which add up to the wider ones; that
    is exact for a contact with one organisation (nearly all), so the few with several are taken
    out again and counted by _tally(). Two ways of counting the same thing: check() therefore also
    tests the one the writes use."""
    zone = timezone.get_default_timezone()
    counts: Counter = Counter()
    whole = (
        staff_contacts()
        .values("kind", "staff_id", on=TruncDate("occurred_at", tzinfo=zone))
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in whole:
        counts[(row["on"], row["kind"], row["staff_id"] or 0, "", "")] += row["n"]
    finest = (
        Through.objects.exclude(interaction__kind=REPORT)
        .values(
            on=TruncDate("interaction__occurred_at", tzinfo=zone),
            contact_kind=F("interaction__kind"),
            staff=F("interaction__staff_id"),
            street=Lower("organisation__street"),
            sector=F("organisation__sector"),
            organisation_kind=F("organisation__kind"),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in finest:
        key = (row["on"], row["contact_kind"], row["staff"] or 0)
        _roll_up(counts, key, (row["street"], row["sector"], row["organisation_kind"]), row["n"])
    several = list(
        Through.objects.values("interaction_id")
        .annotate(links=Count("pk"))
        .filter(links__gt=1)
        .values_list("interaction_id", flat=True)
    )
    for start in range(0, len(several), 500):
        rows = list(staff_contacts().filter(pk__in=several[start : start + 500]).values_list(*_TALLY_COLUMNS))
        for _pk, occurred_at, kind, staff_id, street, sector, organisation_kind in rows:
            _roll_up(
                counts,
                (day_of(occurred_at), kind, staff_id or 0),
                (street.lower(), sector, organisation_kind),
                -1,
            )
        counts += _tally(rows, whole=False)
    return counts


def _grouped_spans() -> list[tuple[int, dt.date, dt.date]]:
    zone = timezone.get_default_timezone()
    days: dict[int, set[dt.date]] = defaultdict(set)
    rows = (
        Through.objects.exclude(interaction__kind=REPORT)
        .values_list("organisation_id", TruncDate("interaction__occurred_at", tzinfo=zone))
        .distinct()
        .order_by()
    )
    for organisation_id, day in rows.iterator(chunk_size=20_000):
        days[organisation_id].add(day)
    return _spans(days)


def rebuild() -> dict[str, int]:
    """Derive every tally row and span from all contacts (the demo's bulk load, or to mend)."""
    from stadshart.demo import insert_rows

    with transaction.atomic():
        ContactTally.objects.all().delete()
        ContactSpan.objects.all().delete()
        tallies = insert_rows(
            ContactTally,
            ["day", "kind", "staff_id", "dimension", "value", "n"],
            (key + (n,) for key, n in _grouped().items()),
        )
        spans = insert_rows(ContactSpan, ["organisation", "first_day", "last_day"], _grouped_spans())
    return {"tallies": tallies, "spans": spans}


def check() -> list[str]:
    """The differences between the kept tallies and spans and what the contacts say (none: exact)."""
    expected = _grouped()
    kept = Counter(
        {
            (row["day"], row["kind"], row["staff_id"], row["dimension"], row["value"]): row["total"]
            for row in ContactTally.objects.values("day", "kind", "staff_id", "dimension", "value")
            .annotate(total=Sum("n"))
            .order_by()
        }
    )
    problems = [
        f"tally {key}: kept {kept.get(key, 0)}, contacts say {expected.get(key, 0)}"
        for key in sorted(set(expected) | set(kept), key=str)
        if kept.get(key, 0) != expected.get(key, 0)
    ]
    spans = set(_grouped_spans())
    kept_spans = set(ContactSpan.objects.values_list("organisation_id", "first_day", "last_day"))
    problems += [f"span {span} missing" for span in sorted(spans - kept_spans)]
    problems += [f"span {span} not backed by contacts" for span in sorted(kept_spans - spans)]
    return problems


# Signals: every write through the ORM ---------------------------------------------------------

SEGMENT_FIELDS = ("sector", "kind")


def _remember_segment(sender, instance, **kwargs):
    # Without a query: what the instance was loaded with (deferred fields stay unknown).
    instance._tally_segment = tuple(instance.__dict__.get(name) for name in SEGMENT_FIELDS)


def _organisation_saved(sender, instance, created, raw=False, **kwargs):
    if created or raw:
        return
    before = getattr(instance, "_tally_segment", None)
    now = tuple(instance.__dict__.get(name) for name in SEGMENT_FIELDS)
    if before is None or before != now:
        refresh(days=days_of(organisations=[instance.pk]))
    instance._tally_segment = now


def _before_organisation_deleted(sender, instance, **kwargs):
    instance._tally_days = days_of(organisations=[instance.pk])


def _organisation_deleted(sender, instance, **kwargs):
    refresh(days=getattr(instance, "_tally_days", ()))


def _interaction_saved(sender, instance, raw=False, **kwargs):
    if raw or instance.kind == REPORT:
        return
    refresh(days=[day_of(instance.occurred_at)])


def _before_interaction_deleted(sender, instance, **kwargs):
    instance._tally_organisations = list(instance.organisations.values_list("pk", flat=True))


def _interaction_deleted(sender, instance, **kwargs):
    if instance.kind == REPORT:
        return
    refresh(days=[day_of(instance.occurred_at)], organisations=getattr(instance, "_tally_organisations", ()))


def _organisations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse:  # organisation.interactions.add(…): pk_set holds contacts
        if action == "pre_clear":
            instance._tally_contacts = list(instance.interactions.values_list("pk", flat=True))
            return
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        contacts = pk_set if action != "post_clear" else getattr(instance, "_tally_contacts", ())
        refresh(
            days={
                day_of(t)
                for t in staff_contacts().filter(pk__in=list(contacts)).values_list("occurred_at", flat=True)
            },
            organisations=[instance.pk],
        )
        return
    if instance.kind == REPORT:
        return
    if action == "pre_clear":
        instance._tally_organisations = list(instance.organisations.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    organisations = pk_set if action != "post_clear" else getattr(instance, "_tally_organisations", ())
    refresh(days=[day_of(instance.occurred_at)], organisations=organisations)


def _before_user_deleted(sender, instance, **kwargs):
    instance._tally_days = days_of(staff=[instance.pk])


def _user_deleted(sender, instance, **kwargs):
    refresh(days=getattr(instance, "_tally_days", ()))


def connect() -> None:
    uid = "crm.tallies"
    post_init.connect(_remember_segment, sender=Organisation, dispatch_uid=uid)
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid=uid)
    pre_delete.connect(_before_organisation_deleted, sender=Organisation, dispatch_uid=uid)
    post_delete.connect(_organisation_deleted, sender=Organisation, dispatch_uid=uid)
    post_save.connect(_interaction_saved, sender=Interaction, dispatch_uid=uid)
    pre_delete.connect(_before_interaction_deleted, sender=Interaction, dispatch_uid=uid)
    post_delete.connect(_interaction_deleted, sender=Interaction, dispatch_uid=uid)
    m2m_changed.connect(_organisations_changed, sender=Through, dispatch_uid=uid)
    user = get_user_model()
    pre_delete.connect(_before_user_deleted, sender=user, dispatch_uid=uid)
    post_delete.connect(_user_deleted, sender=user, dispatch_uid=uid)
