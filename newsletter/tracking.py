"""Recording what ESPs report about sent newsletters (anymail's normalized tracking events).

anymail's webhook views check each ESP's signature or basic auth and then send the `tracking`
signal; the receiver below hands every event to `record_event`, which stores it once (unique per
ESP and event id), links it to its Delivery, flags machine opens and clicks, and suppresses the
address after a hard bounce or a spam complaint. Everything happens in one transaction per event,
so a failure makes the ESP retry the whole event later, and a retry of a stored event changes nothing.
"""

import hashlib
import json
import logging
import re
from collections import OrderedDict
from contextlib import nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from anymail.signals import AnymailTrackingEvent, EventType, RejectReason, tracking
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from newsletter.models import Delivery, DeliveryEvent, Send, Suppression

logger = logging.getLogger(__name__)

RAW_LIMIT = 8_000  # characters of an ESP payload worth keeping for support questions

# Opens that come this soon after the message left were fetched by a proxy or scanner, not a reader.
MACHINE_OPEN_SECONDS = 2
# Link scanners (Microsoft Defender, Proofpoint, Mimecast, Barracuda) click within seconds of delivery.
MACHINE_CLICK_SECONDS = 10
# A scanner follows every link of a message at once; a person clicks one, reads, maybe another later.
BURST_SECONDS = 1

# Apple Mail Privacy Protection fetches every image through Apple's proxy with a bare user agent.
APPLE_PROXY_USER_AGENT = "Mozilla/5.0"
SCANNER_USER_AGENTS = re.compile(
    r"barracuda|proofpoint|mimecast|symantec|messagelabs|forcepoint|trendmicro|fortiguard|"
    r"cisco|ironport|sophos|safelinks|existence discovery|python|curl|wget|go-http-client|"
    r"java/|libwww|headlesschrome|phantomjs|bot\b|crawler|spider|scanner|urlscan",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _DeliveryRef:
    delivery_id: int
    send_id: int
    sent_at: datetime | None


# message id → the delivery it belongs to. A Delivery's ESP id never changes once set, so a small
# per-process cache saves one query per event; misses are not cached (the id may be saved later).
_delivery_cache: OrderedDict[tuple[str, str], _DeliveryRef] = OrderedDict()
_CACHE_SIZE = 50_000


def clear_delivery_cache(**kwargs) -> None:
    _delivery_cache.clear()


# Deliveries disappear only with their send (rare: sends are kept); forget them with it.
post_delete.connect(clear_delivery_cache, sender=Send, dispatch_uid="newsletter.clear_delivery_cache")


# Set by newsletter.webhooks while one ESP request is handled: its events are then collected and
# recorded together (one INSERT for a whole batch) instead of one by one.
collecting: ContextVar[list | None] = ContextVar("newsletter_tracking_collecting", default=None)


@receiver(tracking, dispatch_uid="newsletter.record_tracking_event")
def on_tracking_event(sender, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    batch = collecting.get()
    if batch is not None:
        batch.append((esp_name, event))
    else:
        record_event(esp=esp_name, event=event)


# Events that change more than their own row (see record_events and _apply_consequences).
CONSEQUENTIAL = {
    DeliveryEvent.Type.CLICKED,
    DeliveryEvent.Type.BOUNCED,
    DeliveryEvent.Type.COMPLAINED,
    DeliveryEvent.Type.UNSUBSCRIBED,
}


def record_event(*, esp: str, event: AnymailTrackingEvent) -> DeliveryEvent | None:
    """Store one ESP event (and its consequences); None when it was stored before."""
    stored = record_events([(esp, event)])
    return stored[0] if stored else None


def record_events(events: list[tuple[str, AnymailTrackingEvent]]) -> list[DeliveryEvent]:
    """Store ESP events, each once, with their consequences; returns the ones that were new.

    One INSERT … ON CONFLICT DO NOTHING for all of them: a duplicate (an ESP retry, a replay)
    is skipped by the database, whichever process got it first.
    """
    _prefetch_deliveries(events)
    prepared = [_prepare(esp, event) for esp, event in events]
    # Deliveries and opens need nothing but the INSERT, one statement and atomic by itself: the
    # commonest webhook (one event per request) then costs no BEGIN and COMMIT round trips.
    # Clicks, bounces, complaints and unsubscribes change other rows too: one transaction, so
    # that a failure stores nothing and the ESP's retry does it all again.
    simple = all(row.event_type not in CONSEQUENTIAL for row, _ref in prepared)
    with nullcontext() if simple or connection.in_atomic_block else transaction.atomic():
        new = _insert_new([row for row, _ref in prepared])
        stored = []
        for row, ref in prepared:
            row.pk = new.pop((row.esp, row.event_id), None)
            if row.pk is None:
                continue  # stored before (or twice in this batch)
            row._state.adding = False
            if row.event_type == DeliveryEvent.Type.CLICKED and ref and not row.is_machine:
                _flag_click_burst(row, ref)
            _apply_consequences(row, ref)
            stored.append(row)
    return stored


def _prepare(esp: str, event: AnymailTrackingEvent):
    """The DeliveryEvent row for an ESP event (not saved yet) and the delivery it is about."""
    raw = _jsonable(event.esp_event)
    event_id = str(event.event_id or "") or _payload_hash(raw)
    event_type = event.event_type if event.event_type in DeliveryEvent.Type.values else "unknown"
    recipient = (event.recipient or "").strip().lower()
    timestamp = event.timestamp or timezone.now()
    ref = find_delivery(message_id=event.message_id or "", recipient=recipient, metadata=event.metadata)
    machine_reason = ""
    if event_type == DeliveryEvent.Type.OPENED:
        machine_reason = machine_open_reason(esp=esp, event=event, raw=raw, timestamp=timestamp, ref=ref)
    elif event_type == DeliveryEvent.Type.CLICKED:
        machine_reason = machine_click_reason(event=event, timestamp=timestamp, ref=ref)
    row = DeliveryEvent(
        delivery_id=ref.delivery_id if ref else None,
        send_id=ref.send_id if ref else None,
        esp=esp[:30],
        event_id=event_id[:200],
        event_type=event_type,
        timestamp=timestamp,
        received_at=timezone.now(),
        recipient=recipient[:254],
        message_id=(event.message_id or "")[:200],
        is_hard_bounce=is_hard_bounce(esp=esp, event=event),
        url=event.click_url or "",
        user_agent=(event.user_agent or "")[:500],
        is_machine=bool(machine_reason),
        machine_reason=machine_reason,
        description=(event.description or event.mta_response or "")[:500],
        raw=_trim(raw),
    )
    return row, ref


def _insert_new(rows: list[DeliveryEvent]) -> dict[tuple[str, str], int]:
    """INSERT … ON CONFLICT (esp, event_id) DO NOTHING RETURNING: {(esp, event_id): id} of new rows.

    One statement for a whole batch, new rows and duplicates alike (PostgreSQL, SQLite 3.35+),
    where create() would need a savepoint per row to survive a duplicate's unique violation.
    On PostgreSQL the rows travel as one JSON parameter that it turns into records: sixteen
    parameters per event, each quoted by the driver, cost more than the INSERT itself when an
    ESP posts one event per request (Mailgun, Postmark).
    """
    meta = DeliveryEvent._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    on_conflict = (
        f"ON CONFLICT ({quote('esp')}, {quote('event_id')}) DO NOTHING "
        f"RETURNING {quote(meta.pk.column)}, {quote('esp')}, {quote('event_id')}"
    )
    if connection.vendor == "postgresql":
        document = json.dumps(
            [{field.column: getattr(row, field.attname) for field in fields} for row in rows],
            default=_json_value,
            separators=(",", ":"),
        )
        statements = [
            (
                f"INSERT INTO {table} ({columns}) SELECT {columns} "  # noqa: S608
                f"FROM jsonb_populate_recordset(NULL::{table}, %s::jsonb) {on_conflict}",
                [document],
            )
        ]
    else:
        one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        per_statement = max(1, 2000 // len(fields))  # SQLite's parameter limit, with room to spare
        statements = [
            (
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one_row] * len(chunk))} {on_conflict}",  # noqa: S608
                [
                    field.get_db_prep_save(getattr(row, field.attname), connection)
                    for row in chunk
                    for field in fields
                ],
            )
            for chunk in (rows[start : start + per_statement] for start in range(0, len(rows), per_statement))
        ]
    new: dict[tuple[str, str], int] = {}
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            new.update({(esp, event_id): pk for pk, esp, event_id in cursor.fetchall()})
    return new


def _json_value(value):
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _apply_consequences(stored: DeliveryEvent, ref: _DeliveryRef | None) -> None:
    if not stored.recipient:
        return
    if stored.event_type == DeliveryEvent.Type.BOUNCED and stored.is_hard_bounce:
        suppress(
            email=stored.recipient, reason=Suppression.Reason.HARD_BOUNCE, ref=ref, note=stored.description
        )
    elif stored.event_type == DeliveryEvent.Type.COMPLAINED:
        suppress(email=stored.recipient, reason=Suppression.Reason.COMPLAINT, ref=ref, note=stored.esp)
    elif stored.event_type == DeliveryEvent.Type.UNSUBSCRIBED:
        _unsubscribe(stored, ref)


def suppress(*, email: str, reason: str, ref: _DeliveryRef | None = None, note: str = "") -> Suppression:
    """Never mail this address again; the first reason recorded stays."""
    suppression, _ = Suppression.objects.get_or_create(
        email=email.lower(),
        defaults={"reason": reason, "delivery_id": ref.delivery_id if ref else None, "note": note[:500]},
    )
    return suppression


def _unsubscribe(stored: DeliveryEvent, ref: _DeliveryRef | None) -> None:
    """An unsubscribe made at the ESP (its own link or the List-Unsubscribe header) counts like ours."""
    from newsletter.services import UnsubscribeSource, unsubscribe

    delivery = Delivery.objects.select_related("send__newsletter").get(pk=ref.delivery_id) if ref else None
    unsubscribe(email=stored.recipient, delivery=delivery, source=UnsubscribeSource.ONE_CLICK)


def record_unsubscribe(*, delivery: Delivery, at: datetime | None = None) -> DeliveryEvent | None:
    """Count an unsubscribe through our own link in the newsletter's results (once per delivery).

    For newsletter.services.unsubscribe to call when the link names a delivery.
    """
    try:
        with transaction.atomic():
            return DeliveryEvent.objects.create(
                delivery=delivery,
                send_id=delivery.send_id,
                esp="stadshart",
                event_id=f"unsubscribe:{delivery.pk}",
                event_type=DeliveryEvent.Type.UNSUBSCRIBED,
                timestamp=at or timezone.now(),
                recipient=delivery.email,
            )
    except IntegrityError:
        return None


def _prefetch_deliveries(events) -> None:
    """Fill the cache for a batch's messages with one query (the events then find their delivery there)."""
    wanted = {
        event.message_id
        for _esp, event in events
        if event.message_id
        and (event.message_id, (event.recipient or "").strip().lower()) not in _delivery_cache
    }
    if len(wanted) < 2:
        return
    rows = Delivery.objects.filter(esp_message_id__in=wanted).values_list(
        "id", "send_id", "sent_at", "email", "esp_message_id"
    )
    for delivery_id, send_id, sent_at, email, message_id in rows:
        _delivery_cache[(message_id, email.lower())] = _DeliveryRef(delivery_id, send_id, sent_at)
    while len(_delivery_cache) > _CACHE_SIZE:
        _delivery_cache.popitem(last=False)


def find_delivery(*, message_id: str, recipient: str, metadata: dict | None = None) -> _DeliveryRef | None:
    """The delivery an event is about: by the ESP's message id, else by our id in the metadata.

    Plain SQL: webhooks run this for every event whose delivery is not cached yet, and the ORM's
    query building cost three times the query itself.
    """
    key = (message_id, recipient)
    if message_id and key in _delivery_cache:
        _delivery_cache.move_to_end(key)
        return _delivery_cache[key]
    ref = None
    table = connection.ops.quote_name(Delivery._meta.db_table)
    with connection.cursor() as cursor:
        if message_id:
            # Some ESPs give one message id to a batch; the recipient tells its deliveries apart.
            cursor.execute(
                f"SELECT id, send_id, sent_at, email FROM {table} WHERE esp_message_id = %s LIMIT 50",  # noqa: S608
                [message_id],
            )
            rows = cursor.fetchall()
            row = next((r for r in rows if r[3].lower() == recipient), rows[0] if len(rows) == 1 else None)
            if row:
                ref = _DeliveryRef(row[0], row[1], _aware(row[2]))
        if ref is None and metadata:
            delivery_id = metadata.get("delivery_id") or metadata.get("delivery")
            if str(delivery_id or "").isdigit():
                cursor.execute(
                    f"SELECT id, send_id, sent_at, email FROM {table} WHERE id = %s",  # noqa: S608
                    [int(delivery_id)],
                )
                row = cursor.fetchone()
                if row and (not recipient or row[3].lower() == recipient):
                    ref = _DeliveryRef(row[0], row[1], _aware(row[2]))
    if ref and message_id:
        _delivery_cache[key] = ref
        if len(_delivery_cache) > _CACHE_SIZE:
            _delivery_cache.popitem(last=False)
    return ref


def _aware(value: datetime | None) -> datetime | None:
    # SQLite hands plain SQL its stored UTC time without a zone; PostgreSQL an aware one.
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value, UTC)
    return value


def is_hard_bounce(*, esp: str, event: AnymailTrackingEvent) -> bool:
    """A permanent failure: the mailbox or domain does not exist, or the ESP refuses the address.

    anymail maps soft bounces of some ESPs to "bounced" as well (Brevo soft_bounce, Postmark
    SoftBounce, MailerSend soft_bounced), so their own words decide; Mailgun's temporary failures
    already arrive as "deferred".
    """
    if event.event_type != EventType.BOUNCED:
        return False
    raw = event.esp_event if isinstance(event.esp_event, dict) else {}
    soft_markers = {
        raw.get("event"),  # Brevo
        raw.get("Type"),  # Postmark
        (raw.get("data") or {}).get("type") if isinstance(raw.get("data"), dict) else None,  # MailerSend
        (raw.get("event-data") or {}).get("severity") if isinstance(raw.get("event-data"), dict) else None,
    }
    if soft_markers & {"soft_bounce", "SoftBounce", "Transient", "soft_bounced", "temporary"}:
        return False
    sparkpost = (
        next(iter((raw.get("msys") or {}).values()), None) if isinstance(raw.get("msys"), dict) else None
    )
    if isinstance(sparkpost, dict) and "bounce_class" in sparkpost:
        # SparkPost's bounce classes: 10 invalid recipient, 30 no such recipient; the rest is temporary.
        return str(sparkpost["bounce_class"]) in ("10", "30")
    return event.reject_reason in (RejectReason.BOUNCED, RejectReason.INVALID, None)


def machine_open_reason(
    *, esp: str, event: AnymailTrackingEvent, raw: dict, timestamp: datetime, ref: _DeliveryRef | None
) -> str:
    """Why an open was made by a machine rather than a reader, or "".

    - The ESP says so: Brevo reports proxy opens as their own events (`unique_proxy_open`,
      `proxy_open`), SendGrid marks `sg_machine_open`, Mailgun names a `bot` in its client info.
    - Apple Mail Privacy Protection loads every image of every mail on arrival through Apple's
      proxy, with the bare user agent "Mozilla/5.0" (a real mail client always says more).
    - An open within a couple of seconds of sending is a prefetch (proxy or security scanner).
    """
    if raw.get("event") in ("unique_proxy_open", "proxy_open"):
        return "privacy proxy (ESP)"
    if raw.get("sg_machine_open"):
        return "privacy proxy (ESP)"
    client_info = (
        (raw.get("event-data") or {}).get("client-info") if isinstance(raw.get("event-data"), dict) else None
    )
    if isinstance(client_info, dict) and client_info.get("bot"):
        return f"bot: {client_info['bot']}"[:100]
    user_agent = (event.user_agent or "").strip()
    if user_agent == APPLE_PROXY_USER_AGENT:
        return "Apple Mail Privacy Protection"
    if user_agent and SCANNER_USER_AGENTS.search(user_agent):
        return "scanner user agent"
    if ref and ref.sent_at and _within(timestamp - ref.sent_at, MACHINE_OPEN_SECONDS):
        return "opened on arrival"
    return ""


def machine_click_reason(
    *, event: AnymailTrackingEvent, timestamp: datetime, ref: _DeliveryRef | None
) -> str:
    """Why a click was made by a link scanner rather than a reader, or "".

    - A known scanner or HTTP library in the user agent.
    - A click within seconds of sending: corporate mail filters follow every link before the
      reader sees the message.
    (Several links of one message clicked within a second is checked after storing, see
    `_flag_click_burst`.)
    """
    user_agent = (event.user_agent or "").strip()
    if user_agent and SCANNER_USER_AGENTS.search(user_agent):
        return "scanner user agent"
    if ref and ref.sent_at and _within(timestamp - ref.sent_at, MACHINE_CLICK_SECONDS):
        return "clicked on arrival"
    return ""


def _within(elapsed: timedelta, seconds: int) -> bool:
    # A little negative too: the ESP's clock and ours differ by a moment.
    return -timedelta(seconds=seconds) < elapsed < timedelta(seconds=seconds)


def _flag_click_burst(stored: DeliveryEvent, ref: _DeliveryRef) -> None:
    """Different links of one message clicked within a second: a scanner; flag the whole burst.

    One statement (this runs for every click a webhook brings): every click of the delivery in the
    window, this one included, is flagged when another link was clicked in it too.
    """
    reason = "many links within a second"
    table = connection.ops.quote_name(DeliveryEvent._meta.db_table)
    start, end = (
        connection.ops.adapt_datetimefield_value(stored.timestamp + timedelta(seconds=seconds))
        for seconds in (-BURST_SECONDS, BURST_SECONDS)
    )
    burst = [ref.delivery_id, DeliveryEvent.Type.CLICKED, start, end]  # this message's clicks, the window
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET is_machine = TRUE, machine_reason = %s "  # noqa: S608
            'WHERE delivery_id = %s AND event_type = %s AND "timestamp" BETWEEN %s AND %s '
            "AND (NOT is_machine OR id = %s) "
            f"AND EXISTS (SELECT 1 FROM {table} other WHERE other.delivery_id = %s "
            'AND other.event_type = %s AND other."timestamp" BETWEEN %s AND %s AND other.url <> %s) '
            "RETURNING id",
            [reason, *burst, stored.pk, *burst, stored.url],
        )
        flagged = {row[0] for row in cursor.fetchall()}
    if stored.pk in flagged:
        stored.is_machine, stored.machine_reason = True, reason


def _jsonable(esp_event) -> dict:
    if isinstance(esp_event, dict):
        return esp_event
    if hasattr(esp_event, "lists"):  # a QueryDict (Mailgun's legacy form posts)
        return {key: values[-1] if len(values) == 1 else values for key, values in esp_event.lists()}
    return {"value": str(esp_event)}


def _payload_hash(raw: dict) -> str:
    """A stable id for ESPs that send none (Brevo, Postmark's opens): the same payload, the same id."""
    text = json.dumps(raw, sort_keys=True, default=str, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _trim(raw: dict) -> dict:
    """Keep the payload unless it is large (message bodies, full header lists): then its small fields."""
    text = json.dumps(raw, default=str)
    if len(text) <= RAW_LIMIT:
        return json.loads(text)
    return {
        key: value
        for key, value in raw.items()
        if isinstance(value, str | int | float | bool) and len(str(value)) < 500
    }
