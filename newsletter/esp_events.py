"""ESP events as stored: each event once, linked to the delivery it is about.

Storing only: what an event means (a machine's open or click, a hard bounce, an unsubscribe, an
address to suppress) is decided in newsletter.tracking, which builds the rows this module stores.
Each event is stored once: the ESP's own event id (or a hash of the payload when an ESP gives none)
is unique per ESP, so a webhook retried by the ESP, or replayed, changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_delete
from django.utils import timezone

from newsletter.models import Delivery, DeliveryEvent, Send

RAW_LIMIT = 8_000  # characters of an ESP payload worth keeping for support questions


@dataclass(frozen=True)
class DeliveryRef:
    delivery_id: int
    send_id: int
    sent_at: datetime | None


# message id → the delivery it belongs to. A Delivery's ESP id never changes once set, so a small
# per-process cache saves one query per event; misses are not cached (the id may be saved later).
_delivery_cache: OrderedDict[tuple[str, str], DeliveryRef] = OrderedDict()
_CACHE_SIZE = 50_000


def clear_delivery_cache(**kwargs) -> None:
    _delivery_cache.clear()


# Deliveries disappear only with their send (rare: sends are kept); forget them with it.
post_delete.connect(clear_delivery_cache, sender=Send, dispatch_uid="newsletter.clear_delivery_cache")


def prefetch_deliveries(events) -> None:
    """Fill the cache for a batch's messages with one query (the events then find their delivery there)."""
    wanted = {
        event.message_id
        for _esp, event in events
        if isinstance(event.message_id, str)
        and event.message_id
        and (event.message_id, str(event.recipient or "").strip().lower()) not in _delivery_cache
    }
    if len(wanted) < 2:
        return
    rows = Delivery.objects.filter(esp_message_id__in=wanted).values_list(
        "id", "send_id", "sent_at", "email", "esp_message_id"
    )
    for delivery_id, send_id, sent_at, email, message_id in rows:
        _delivery_cache[(message_id, email.lower())] = DeliveryRef(delivery_id, send_id, sent_at)
    while len(_delivery_cache) > _CACHE_SIZE:
        _delivery_cache.popitem(last=False)


def find_delivery(*, message_id: str, recipient: str, metadata: dict | None = None) -> DeliveryRef | None:
    """The delivery an event is about: by the ESP's message id, else by our id in the metadata;
    either way only when the event names the delivery's own address (no recipient: no delivery).

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
            # The event must name the address the message went to: an event for another (or no)
            # address is not about this delivery, whatever its message id or metadata say.
            row = (
                next((r for r in cursor.fetchall() if r[3].lower() == recipient), None) if recipient else None
            )
            if row:
                ref = DeliveryRef(row[0], row[1], _aware(row[2]))
        if ref is None and recipient and isinstance(metadata, dict):
            delivery_id = metadata.get("delivery_id") or metadata.get("delivery")
            if str(delivery_id or "").isdigit() and len(str(delivery_id)) < 19:
                cursor.execute(
                    f"SELECT id, send_id, sent_at, email FROM {table} WHERE id = %s",  # noqa: S608
                    [int(delivery_id)],
                )
                row = cursor.fetchone()
                if row and row[3].lower() == recipient:
                    ref = DeliveryRef(row[0], row[1], _aware(row[2]))
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


def insert_new(rows: list[DeliveryEvent]) -> dict[tuple[str, str], int]:
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


def jsonable(esp_event) -> dict:
    if isinstance(esp_event, dict):
        return esp_event
    if hasattr(esp_event, "lists"):  # a QueryDict (Mailgun's legacy form posts)
        return {key: values[-1] if len(values) == 1 else values for key, values in esp_event.lists()}
    return {"value": str(esp_event)}


def payload_hash(raw: dict) -> str:
    """A stable id for ESPs that send none (Brevo, Postmark's opens): the same payload, the same id."""
    text = json.dumps(raw, sort_keys=True, default=str, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def trim(raw: dict) -> dict:
    """Keep the payload unless it is large (message bodies, full header lists): then its small fields."""
    text = json.dumps(raw, default=str)
    if len(text) <= RAW_LIMIT:
        return json.loads(text)
    return {
        key: value
        for key, value in raw.items()
        if isinstance(value, str | int | float | bool) and len(str(value)) < 500
    }
