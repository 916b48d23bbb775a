"""What ESPs report about sent newsletters means: machine opens and clicks, hard bounces,
complaints and unsubscribes (anymail's normalized tracking events).

anymail's webhook views check each ESP's signature or basic auth and then send the `tracking`
signal; the receiver below hands every event to `record_events`, which decides what each event is
(a machine's open or click, a hard bounce), has it stored once (newsletter.esp_events), and acts
on it: suppresses the address after a hard bounce or a spam complaint, and unsubscribes after an
unsubscribe made at the ESP (through newsletter.services, like our own link). An event with
consequences is handled in one transaction, so a failure makes the ESP retry the whole event
later, and a retry of a stored event changes nothing.
"""

import logging
import re
from contextlib import nullcontext
from contextvars import ContextVar
from datetime import datetime, timedelta

from anymail.signals import AnymailTrackingEvent, EventType, RejectReason, tracking
from django.db import connection, transaction
from django.dispatch import receiver
from django.utils import timezone

from newsletter import services
from newsletter.esp_events import (
    DeliveryRef,
    find_delivery,
    insert_new,
    jsonable,
    payload_hash,
    prefetch_deliveries,
    trim,
)
from newsletter.models import Delivery, DeliveryEvent, Suppression

logger = logging.getLogger(__name__)

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
    prefetch_deliveries(events)
    prepared = [_prepare(esp, event) for esp, event in events]
    # Deliveries and opens need nothing but the INSERT, one statement and atomic by itself: the
    # commonest webhook (one event per request) then costs no BEGIN and COMMIT round trips.
    # Clicks, bounces, complaints and unsubscribes change other rows too: one transaction, so
    # that a failure stores nothing and the ESP's retry does it all again.
    simple = all(row.event_type not in CONSEQUENTIAL for row, _ref in prepared)
    with nullcontext() if simple or connection.in_atomic_block else transaction.atomic():
        new = insert_new([row for row, _ref in prepared])
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
    raw = jsonable(event.esp_event)
    event_id = str(event.event_id or "") or payload_hash(raw)
    event_type = event.event_type if event.event_type in DeliveryEvent.Type.values else "unknown"
    recipient = _text(event.recipient).strip().lower()
    timestamp = event.timestamp if isinstance(event.timestamp, datetime) else timezone.now()
    message_id = _text(event.message_id)
    ref = find_delivery(message_id=message_id, recipient=recipient, metadata=event.metadata)
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
        message_id=message_id[:200],
        is_hard_bounce=is_hard_bounce(esp=esp, event=event),
        url=_text(event.click_url)[:2000],
        user_agent=_text(event.user_agent)[:500],
        is_machine=bool(machine_reason),
        machine_reason=machine_reason,
        description=(_text(event.description) or _text(event.mta_response))[:500],
        raw=trim(raw),
    )
    return row, ref


def _text(value) -> str:
    # anymail passes an ESP's fields through as they came; a number or a list where text belongs
    # is stored as text rather than failing the whole request.
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _apply_consequences(stored: DeliveryEvent, ref: DeliveryRef | None) -> None:
    """A hard bounce or a spam complaint suppresses the address; an unsubscribe made at the ESP
    (its own link or the List-Unsubscribe header) counts like one through our link.

    Only for an event about one of our deliveries (its address and message matched, see
    esp_events.find_delivery): an event about anything else is kept for the record and changes
    nothing, so no event can suppress or unsubscribe an address it was not sent to.
    """
    if not stored.recipient or ref is None:
        return
    delivery_id = ref.delivery_id
    if stored.event_type == DeliveryEvent.Type.UNSUBSCRIBED:
        delivery = Delivery.objects.select_related("send__newsletter").get(pk=delivery_id)
        services.unsubscribe(
            email=stored.recipient, delivery=delivery, source=services.UnsubscribeSource.ONE_CLICK
        )
        return
    if stored.event_type == DeliveryEvent.Type.BOUNCED and stored.is_hard_bounce:
        reason, note = Suppression.Reason.HARD_BOUNCE, stored.description
    elif stored.event_type == DeliveryEvent.Type.COMPLAINED:
        reason, note = Suppression.Reason.COMPLAINT, stored.esp
    else:
        return
    services.suppress(email=stored.recipient, reason=reason, delivery_id=delivery_id, note=note)


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
        marker
        for marker in (
            raw.get("event"),  # Brevo
            raw.get("Type"),  # Postmark
            (raw.get("data") or {}).get("type") if isinstance(raw.get("data"), dict) else None,  # MailerSend
            (raw.get("event-data") or {}).get("severity")
            if isinstance(raw.get("event-data"), dict)
            else None,
        )
        if isinstance(marker, str)
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
    *, esp: str, event: AnymailTrackingEvent, raw: dict, timestamp: datetime, ref: DeliveryRef | None
) -> str:
    """Why an open was made by a machine rather than a reader, or "".

    - The ESP says so: Brevo reports proxy opens as their own events (`unique_proxy_open`,
      `proxy_open`), SendGrid marks `sg_machine_open`, Mailgun names a `bot` in its client info.
    - Apple Mail Privacy Protection loads every image of every mail on arrival through Apple's
      proxy, with the bare user agent "Mozilla/5.0" (a real mail client always says more).
    - An open within a couple of seconds of sending is a prefetch (proxy or security scanner).
    """
    if _text(raw.get("event")) in ("unique_proxy_open", "proxy_open"):
        return "privacy proxy (ESP)"
    if raw.get("sg_machine_open"):
        return "privacy proxy (ESP)"
    client_info = (
        (raw.get("event-data") or {}).get("client-info") if isinstance(raw.get("event-data"), dict) else None
    )
    if isinstance(client_info, dict) and client_info.get("bot"):
        return f"bot: {client_info['bot']}"[:100]
    user_agent = _text(event.user_agent).strip()
    if user_agent == APPLE_PROXY_USER_AGENT:
        return "Apple Mail Privacy Protection"
    if user_agent and SCANNER_USER_AGENTS.search(user_agent):
        return "scanner user agent"
    if ref and ref.sent_at and _within(timestamp - ref.sent_at, MACHINE_OPEN_SECONDS):
        return "opened on arrival"
    return ""


def machine_click_reason(*, event: AnymailTrackingEvent, timestamp: datetime, ref: DeliveryRef | None) -> str:
    """Why a click was made by a link scanner rather than a reader, or "".

    - A known scanner or HTTP library in the user agent.
    - A click within seconds of sending: corporate mail filters follow every link before the
      reader sees the message.
    (Several links of one message clicked within a second is checked after storing, see
    `_flag_click_burst`.)
    """
    user_agent = _text(event.user_agent).strip()
    if user_agent and SCANNER_USER_AGENTS.search(user_agent):
        return "scanner user agent"
    if ref and ref.sent_at and _within(timestamp - ref.sent_at, MACHINE_CLICK_SECONDS):
        return "clicked on arrival"
    return ""


def _within(elapsed: timedelta, seconds: int) -> bool:
    # A little negative too: the ESP's clock and ours differ by a moment.
    return -timedelta(seconds=seconds) < elapsed < timedelta(seconds=seconds)


def _flag_click_burst(stored: DeliveryEvent, ref: DeliveryRef) -> None:
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
