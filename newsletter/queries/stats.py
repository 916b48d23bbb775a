"""A newsletter's results: how many got it, opened it, clicked, left, complained, and when.

Rates count people (distinct deliveries), not events: a reader who opens five times is one open.
Opens and clicks flagged as made by machines (privacy proxies, link scanners; see
newsletter.tracking) are stored but left out of the rates. Each function runs a fixed number of
queries whatever the number of deliveries or events.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q
from django.db.models.functions import TruncDay, TruncHour
from django.utils import timezone

from newsletter.models import Delivery, DeliveryEvent, Send, Suppression

T = DeliveryEvent.Type


@dataclass
class LinkClicks:
    url: str
    clicks: int
    unique_clicks: int


@dataclass
class Bucket:
    start: dt.datetime
    opens: int = 0
    clicks: int = 0


@dataclass
class SendResults:
    send: Send
    sent: int = 0
    delivered: int = 0
    bounced: int = 0
    hard_bounced: int = 0
    unique_opens: int = 0
    machine_opens: int = 0
    unique_clicks: int = 0
    machine_clicks: int = 0
    unsubscribes: int = 0
    complaints: int = 0
    links: list[LinkClicks] = field(default_factory=list)
    timeline: list[Bucket] = field(default_factory=list)
    bucket: str = "hour"

    @property
    def bounce_rate(self) -> float:
        return _rate(self.bounced, self.sent)

    @property
    def delivery_rate(self) -> float:
        return _rate(self.delivered, self.sent)

    @property
    def open_rate(self) -> float:
        return _rate(self.unique_opens, self.delivered or self.sent)

    @property
    def click_rate(self) -> float:
        return _rate(self.unique_clicks, self.delivered or self.sent)

    @property
    def click_to_open_rate(self) -> float:
        return _rate(self.unique_clicks, self.unique_opens)

    @property
    def unsubscribe_rate(self) -> float:
        return _rate(self.unsubscribes, self.delivered or self.sent)

    @property
    def complaint_rate(self) -> float:
        return _rate(self.complaints, self.delivered or self.sent)


def _rate(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _event_counts():
    """Aggregates over DeliveryEvent rows: people per outcome, humans only for opens and clicks."""
    human = Q(is_machine=False)
    return {
        "delivered": Count("delivery", distinct=True, filter=Q(event_type=T.DELIVERED)),
        "bounced": Count("delivery", distinct=True, filter=Q(event_type=T.BOUNCED)),
        "hard_bounced": Count("delivery", distinct=True, filter=Q(event_type=T.BOUNCED, is_hard_bounce=True)),
        "unique_opens": Count("delivery", distinct=True, filter=Q(event_type=T.OPENED) & human),
        # Distinct: a caller that joins the events to the recipients' roles may see one twice.
        "machine_opens": Count("id", distinct=True, filter=Q(event_type=T.OPENED, is_machine=True)),
        "unique_clicks": Count("delivery", distinct=True, filter=Q(event_type=T.CLICKED) & human),
        "machine_clicks": Count("id", distinct=True, filter=Q(event_type=T.CLICKED, is_machine=True)),
        "complaints": Count("delivery", distinct=True, filter=Q(event_type=T.COMPLAINED)),
    }


def _unsubscribed_deliveries(send_ids):
    """Deliveries whose reader left: through the ESP's link, or ours (a suppression that names it)."""
    through_us = Suppression.objects.filter(
        reason=Suppression.Reason.UNSUBSCRIBED, delivery__isnull=False
    ).values("delivery_id")
    through_esp = DeliveryEvent.objects.filter(send_id__in=send_ids, event_type=T.UNSUBSCRIBED).values(
        "delivery_id"
    )
    return Delivery.objects.filter(send_id__in=send_ids).filter(Q(pk__in=through_us) | Q(pk__in=through_esp))


COUNTS = (
    "sent",
    "delivered",
    "bounced",
    "hard_bounced",
    "unique_opens",
    "machine_opens",
    "unique_clicks",
    "machine_clicks",
    "unsubscribes",
    "complaints",
)


def freeze_results(send: Send) -> dict:
    """A send's results as JSON, kept on the send when its events pass their retention period."""
    results = send_results(send)
    return {
        **{name: getattr(results, name) for name in COUNTS},
        "links": [[link.url, link.clicks, link.unique_clicks] for link in results.links],
        "timeline": [[b.start.isoformat(), b.opens, b.clicks] for b in results.timeline],
        "bucket": results.bucket,
    }


def _thawed(send: Send) -> SendResults:
    frozen = send.results_summary
    results = SendResults(send=send, bucket=frozen.get("bucket", "hour"))
    for name in COUNTS:
        setattr(results, name, frozen.get(name, 0))
    results.links = [LinkClicks(*link) for link in frozen.get("links", [])]
    results.timeline = [
        Bucket(dt.datetime.fromisoformat(start), opens, clicks)
        for start, opens, clicks in frozen.get("timeline", [])
    ]
    return results


def send_results(send: Send, *, now: dt.datetime | None = None) -> SendResults:
    """Everything the report of one send shows (five queries; none for results kept as totals)."""
    if send.results_summary is not None:
        return _thawed(send)
    results = SendResults(send=send)
    results.sent = send.deliveries.filter(status=Delivery.Status.SENT).count()
    events = DeliveryEvent.objects.filter(send=send)
    totals = events.aggregate(**_event_counts(), first=Min("timestamp"), last=Max("timestamp"))
    for name in _event_counts():
        setattr(results, name, totals[name])
    results.unsubscribes = _unsubscribed_deliveries([send.pk]).count()

    results.links = [
        LinkClicks(row["url"], row["clicks"], row["unique_clicks"])
        for row in events.filter(event_type=T.CLICKED, is_machine=False)
        .exclude(url="")
        .values("url")
        .annotate(clicks=Count("id"), unique_clicks=Count("delivery", distinct=True))
        .order_by("-unique_clicks", "-clicks", "url")[:50]
    ]

    start = send.started_at or totals["first"]
    if start:
        end = totals["last"] or start
        # Hours for the first days (when most reading happens); days for a longer span.
        results.bucket = "hour" if end - start <= dt.timedelta(days=3) else "day"
        results.timeline = timeline(send, bucket=results.bucket, start=start, end=end)
    return results


def timeline(send: Send, *, bucket: str, start: dt.datetime, end: dt.datetime) -> list[Bucket]:
    """Human opens and clicks per hour or day, with the empty buckets in between (one query)."""
    trunc = TruncHour if bucket == "hour" else TruncDay
    step = dt.timedelta(hours=1) if bucket == "hour" else dt.timedelta(days=1)
    rows = (
        DeliveryEvent.objects.filter(send=send, is_machine=False, event_type__in=[T.OPENED, T.CLICKED])
        .annotate(bucket=trunc("timestamp", tzinfo=timezone.get_current_timezone()))
        .values("bucket", "event_type")
        .annotate(n=Count("id"))
    )
    counts: dict[dt.datetime, Bucket] = {}
    for row in rows:
        item = counts.setdefault(row["bucket"], Bucket(row["bucket"]))
        if row["event_type"] == T.OPENED:
            item.opens = row["n"]
        else:
            item.clicks = row["n"]
    if not counts:
        return []
    local = timezone.localtime(start)
    cursor = local.replace(minute=0, second=0, microsecond=0)
    if bucket == "day":
        cursor = cursor.replace(hour=0)
    last = max(max(counts), timezone.localtime(end))
    buckets = []
    while cursor <= last and len(buckets) < 24 * 14:
        buckets.append(counts.get(cursor, Bucket(cursor)))
        cursor = timezone.localtime(cursor + step)
    return buckets


def recent_results(*, limit: int = 50) -> list[SendResults]:
    """The latest sends with their headline numbers, for the overview (three queries)."""
    sends = list(
        Send.objects.filter(status__in=[Send.Status.SENT, Send.Status.SENDING])
        .select_related("newsletter")
        .order_by("-started_at", "-created_at")[:limit]
    )
    ids = [send.pk for send in sends]
    sent = dict(
        Delivery.objects.filter(send_id__in=ids, status=Delivery.Status.SENT)
        .values("send_id")
        .annotate(n=Count("id"))
        .values_list("send_id", "n")
    )
    per_send = {
        row["send_id"]: row
        for row in DeliveryEvent.objects.filter(send_id__in=ids).values("send_id").annotate(**_event_counts())
    }
    unsubscribed = dict(
        _unsubscribed_deliveries(ids).values("send_id").annotate(n=Count("id")).values_list("send_id", "n")
    )
    results = []
    for send in sends:
        if send.results_summary is not None:
            results.append(_thawed(send))
            continue
        item = SendResults(send=send, sent=sent.get(send.pk, 0), unsubscribes=unsubscribed.get(send.pk, 0))
        for name, value in per_send.get(send.pk, {}).items():
            if name != "send_id":
                setattr(item, name, value)
        results.append(item)
    return results


def delivery_outcomes(delivery_ids) -> dict[int, set[str]]:
    """What happened to each delivery (delivered, bounced, opened, clicked, …), humans only (one query)."""
    outcomes: dict[int, set[str]] = {}
    rows = (
        DeliveryEvent.objects.filter(delivery_id__in=delivery_ids, is_machine=False)
        .values_list("delivery_id", "event_type")
        .distinct()
    )
    for delivery_id, event_type in rows:
        outcomes.setdefault(delivery_id, set()).add(event_type)
    return outcomes


# For other apps' reads over many sends (the board's dashboard sums these per period and segment).
event_counts = _event_counts
unsubscribed_deliveries = _unsubscribed_deliveries
