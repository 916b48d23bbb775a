"""Reach per send and segment, kept exact by checking its inputs before every read.

At the size of a region a year of reach is half a million messages and a million ESP events, each
joined to the recipients' businesses: seconds of SQL on every view of the dashboard. A finished
send's figures hardly change, so they are kept per send and segment (`ReachTally`: all recipients,
and every street, sector and kind their businesses have, alone and combined: eight shapes).

Exact by re-deriving, never by adding. With a send's rows of one shape is stored what they were
derived from (`ReachTallyBasis.inputs`); every read first reads those inputs again (index probes
and one pass over the roles) and derives again, from the raw rows, the sends whose inputs differ,
for the shapes the read needs (so a cold read costs what reading the raw rows always cost). Nothing
on the webhook path or in the CRM writes to these tables, so no writer can forget them. A send's
figures depend on:

- its ESP events: the newest one's id (an index probe); while the newest is less than a day old
  also their number, which catches an event whose transaction committed after a later one's (no
  webhook's transaction stays open for a day); the retention deletes events only as it freezes a
  send's totals;
- its status (a send still sending is derived on every read and never kept) and whether its totals
  were frozen (then the totals on the send are read instead, and no segment);
- unsubscribes through our own link: the suppressions that name its deliveries (number, newest id
  and the sum of their deliveries' ids, as a lifted suppression is deleted);
- who is in which segment: every role's person and organisation and every organisation's street,
  sector and kind, hashed, and the merges (a merge moves deliveries between people, also people
  without a role). A change there makes every send's segments derive again on the next read; the figures
  of all recipients (the board's headline, the whole centre) do not depend on it and stay kept.

The messages of a finished send are fixed: none is added, and their status does not change.
Two readers deriving the same send at once: the second one's insert finds the first one's rows
and keeps them, with their own inputs (so if the data moved in between, the next read derives again).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Lower
from django.utils import timezone

from crm.models import MergeRecord, Organisation, Role
from insights.models import ReachTally, ReachTallyBasis
from newsletter.models import Delivery, DeliveryEvent, Send, Suppression
from newsletter.queries.stats import COUNTS, event_counts, unsubscribed_deliveries

STREET, SECTOR, KIND = ReachTally.STREET, ReachTally.SECTOR, ReachTally.KIND
SHAPES = range(8)
# A send whose newest event is older than this has its events settled (see the module's docstring).
SETTLED = dt.timedelta(days=1)
# What a row holds: a send's results as the newsletter app counts them, and the people.
COUNTED = ("people", *COUNTS)


def shape_of(street: str, sector: str, kind: str) -> int:
    return (STREET if street else 0) | (SECTOR if sector else 0) | (KIND if kind else 0)


# Reading --------------------------------------------------------------------------------------


def fresh(sends: list[Send], shapes) -> list[int]:
    """Derive again, for `shapes`, the sends whose inputs changed since their rows were kept (five
    queries, and a few more when any did); the ids of those derived again. Once per read."""
    shapes = sorted(set(shapes))
    changed, now = stale(sends, shapes)
    if changed:
        _store(changed, shapes, now)
    return changed


def stale(sends: list[Send], shapes) -> tuple[list[int], dict[tuple[int, int], str]]:
    """The ids of the sends whose rows of `shapes` are not kept as their inputs are now, and those
    inputs (reads only)."""
    if not sends:
        return [], {}
    ids = [send.pk for send in sends]
    now = inputs(sends, segments=any(shapes))
    kept = ReachTallyBasis.objects.filter(send_id__in=ids, shape__in=shapes)
    stored = {(pk, shape): basis for pk, shape, basis in kept.values_list("send_id", "shape", "inputs")}
    return [pk for pk in ids if any(stored.get((pk, shape)) != now[pk, shape] for shape in shapes)], now


def rows(send_ids: list[int], *, shape: int, street: str = "", sector: str = "", kind: str = ""):
    """The kept rows of `send_ids` for one shape of segment, those of the given street, sector and
    kind where the shape fixes them (so `shape | SECTOR` with a street gives that street per sector)."""
    found = ReachTally.objects.filter(send_id__in=send_ids, shape=shape)
    if shape & STREET:
        found = found.filter(street=Lower(Value(street)))
    if shape & SECTOR and sector:
        found = found.filter(sector=sector)
    if shape & KIND and kind:
        found = found.filter(kind=kind)
    return found


# What a send's figures depend on --------------------------------------------------------------


def inputs(sends: list[Send], *, segments: bool = True) -> dict[tuple[int, int], str]:
    """Each send's inputs per shape as one string (five queries whatever the number of sends or
    events; three without `segments`, when only all recipients' figures are asked for: those do
    not depend on anyone's business)."""
    ids = [send.pk for send in sends]
    newest = DeliveryEvent.objects.filter(send=OuterRef("pk")).order_by("-id")
    probes = {
        row["pk"]: row
        for row in Send.objects.filter(pk__in=ids)
        .annotate(last=Subquery(newest.values("id")[:1]), received=Subquery(newest.values("received_at")[:1]))
        .values("pk", "last", "received")
    }
    recent = [
        pk for pk, row in probes.items() if row["received"] and row["received"] > timezone.now() - SETTLED
    ]
    counted = dict(
        DeliveryEvent.objects.filter(send_id__in=recent)
        .values("send_id")
        .annotate(n=Count("id"))
        .values_list("send_id", "n")
        .order_by()
    )
    left = {
        row["delivery__send_id"]: row
        for row in Suppression.objects.filter(
            reason=Suppression.Reason.UNSUBSCRIBED, delivery__send_id__in=ids
        )
        .values("delivery__send_id")
        .annotate(n=Count("id"), last=Max("id"), total=Sum("delivery_id"))
        .order_by()
    }
    version = segments_version() if segments else "?"
    result = {}
    for send in sends:
        s = left.get(send.pk, {})
        of_send = ";".join(
            str(part)
            for part in (
                send.status,
                send.results_summary is not None,
                probes.get(send.pk, {}).get("last"),
                counted.get(send.pk, "settled"),
                s.get("n", 0),
                s.get("last"),
                s.get("total"),
            )
        )
        for shape in SHAPES:
            result[send.pk, shape] = f"{of_send};{version}" if shape else of_send
    return result


def segments_version() -> str:
    """A hash of who is in which segment: every role's person and organisation, every organisation's
    street, sector and kind, and the merges (two queries; on SQLite, a small centre's, hashed in
    Python, as SQLite has no hash function)."""
    merges = MergeRecord.objects.aggregate(n=Count("id"), last=Max("id"), undone=Count("undone_at"))
    if connection.vendor == "postgresql":
        # Roles and organisations hashed apart (30 ms at 80,000 roles, against 100 ms joined):
        # a role that moves changes the first sum, a business that moves street the second.
        role, organisation = Role._meta.db_table, Organisation._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT count(*) || ':' || coalesce(sum(hashint8extended("  # noqa: S608
                f"person_id::bigint * 4294967296 + organisation_id, 0)), 0) FROM {role}), "
                "(SELECT coalesce(sum(hashtextextended(concat_ws('|', id, street, sector, kind), 0)), 0) "
                f"FROM {organisation})"
            )
            count, total = cursor.fetchone()
    else:
        count, total = 0, 0
        rows = Role.objects.values_list(
            "person_id", "organisation__street", "organisation__sector", "organisation__kind"
        ).order_by()
        for row in rows.iterator(chunk_size=5000):
            digest = hashlib.blake2b("|".join(map(str, row)).encode(), digest_size=8).digest()
            count, total = count + 1, total + int.from_bytes(digest, "big")
    return f"{count}:{total}:{merges['n']}:{merges['last']}:{merges['undone']}"


# Deriving -------------------------------------------------------------------------------------


def _by_segment(queryset, person: str, shapes, **aggregates):
    """`aggregates` per send for all recipients and for every combination of street, sector and
    kind of their businesses, in one query (`person`: the path from the rows to the recipient)."""
    organisation = f"{person}roles__organisation__"
    parts = []
    for shape in shapes:
        rows = queryset.filter(**{f"{person}roles__isnull": False}) if shape else queryset
        parts.append(
            rows.annotate(
                t_shape=Value(shape),
                t_street=Lower(f"{organisation}street") if shape & STREET else Value(""),
                t_sector=F(f"{organisation}sector") if shape & SECTOR else Value(""),
                t_kind=F(f"{organisation}kind") if shape & KIND else Value(""),
            )
            .values("send_id", "t_shape", "t_street", "t_sector", "t_kind")
            .annotate(**aggregates)
            .order_by()
        )
    return parts[0].union(*parts[1:], all=True)


def derive(send_ids: list[int], shapes=SHAPES) -> list[ReachTally]:
    """The rows of `send_ids` in `shapes` from the messages, events and suppressions (three queries)."""
    found: dict[tuple, ReachTally] = {}

    def add(rows):
        for row in rows:
            key = tuple(row.pop(name) for name in ("send_id", "t_shape", "t_street", "t_sector", "t_kind"))
            tally = found.get(key)
            if tally is None:
                tally = found[key] = ReachTally(
                    send_id=key[0], shape=key[1], street=key[2], sector=key[3], kind=key[4]
                )
            for name, value in row.items():
                setattr(tally, name, value or 0)
            # People count only within a segment (the small-group rule); all recipients' number
            # would change with a deletion of a person without a role, which no input shows.
            if not tally.shape:
                tally.people = 0

    sent = Delivery.objects.filter(send_id__in=send_ids, status=Delivery.Status.SENT)
    add(
        _by_segment(
            sent, "person__", shapes, people=Count("person", distinct=True), sent=Count("id", distinct=True)
        )
    )
    events = DeliveryEvent.objects.filter(send_id__in=send_ids)
    add(_by_segment(events, "delivery__person__", shapes, **event_counts()))
    left = unsubscribed_deliveries(send_ids)
    add(_by_segment(left, "person__", shapes, unsubscribes=Count("id", distinct=True)))
    return list(found.values())


def _store(send_ids: list[int], shapes, now: dict[tuple[int, int], str]) -> None:
    rows = derive(send_ids, shapes)
    finished = Send.objects.filter(pk__in=send_ids, status=Send.Status.SENT, results_summary__isnull=True)
    keep = set(finished.values_list("pk", flat=True))
    derived_at = timezone.now()
    try:
        with transaction.atomic():
            ReachTally.objects.filter(send_id__in=send_ids, shape__in=shapes).delete()
            ReachTallyBasis.objects.filter(send_id__in=send_ids, shape__in=shapes).delete()
            ReachTally.objects.bulk_create(rows, batch_size=2000)
            # A send still sending changes with every message: its rows serve this read only.
            ReachTallyBasis.objects.bulk_create(
                ReachTallyBasis(send_id=pk, shape=shape, inputs=now[pk, shape], derived_at=derived_at)
                for pk in keep
                for shape in shapes
            )
    except IntegrityError:
        # Another reader kept the same sends meanwhile, with the inputs it derived them from.
        pass


def refresh() -> list[int]:
    """Derive again, for every shape a read has kept, the finished sends whose inputs changed; the
    ids of those derived. Beat runs this every few minutes (insights.tasks), so the board's first
    read after a change in the CRM or a late event finds its rows kept instead of deriving them
    while it waits. Reads stay exact without it: they check the inputs themselves."""
    kept = ReachTallyBasis.objects.filter(send__status=Send.Status.SENT, send__results_summary__isnull=True)
    sends = list(Send.objects.filter(pk__in=kept.values("send_id")))
    return fresh(sends, kept.values_list("shape", flat=True).distinct())


def check() -> list[str]:
    """The kept rows a read would take as they are (their inputs unchanged) that differ from the raw
    rows now: a list of differences, empty when every one is exact (`manage.py reach_tallies`)."""
    sends = list(Send.objects.filter(pk__in=ReachTallyBasis.objects.values("send_id")))
    now = inputs(sends)
    valid = [
        (send_id, shape)
        for send_id, shape, kept in ReachTallyBasis.objects.values_list("send_id", "shape", "inputs")
        if kept == now[send_id, shape]
    ]
    if not valid:
        return []
    stored = {
        _key(row): _counts(row)
        for row in ReachTally.objects.filter(send_id__in={pk for pk, _shape in valid})
        if (row.send_id, row.shape) in valid
    }
    shapes = {shape for _pk, shape in valid}
    derived = {
        _key(row): _counts(row)
        for row in derive(list({pk for pk, _shape in valid}), shapes)
        if (row.send_id, row.shape) in valid
    }
    differences = []
    for key in sorted(set(stored) | set(derived), key=str):
        if stored.get(key) != derived.get(key):
            differences.append(f"{key}: kept {stored.get(key)}, now {derived.get(key)}")
    return differences


def _key(row: ReachTally) -> tuple:
    return (row.send_id, row.shape, row.street, row.sector, row.kind)


def _counts(row: ReachTally) -> dict:
    return {name: getattr(row, name) for name in COUNTED}


def rebuild() -> int:
    """Derive every finished send again (its totals not frozen); how many."""
    sends = list(Send.objects.filter(status=Send.Status.SENT, results_summary__isnull=True))
    if sends:
        _store([send.pk for send in sends], SHAPES, inputs(sends))
    return len(sends)
