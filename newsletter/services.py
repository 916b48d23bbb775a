"""Sending newsletters: queue a send, work through its deliveries in batches, pause, cancel, unsubscribe.

How a send survives crashes (DESIGN.md, "Sending newsletters"):

- `queue_send` resolves the audience once into one Delivery row per address, in one transaction.
- A worker claims a batch of rows in the database (queued → sending, with its claim token and the
  time), under `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL; on SQLite the claim transaction is
  IMMEDIATE (see settings), which serialises claims. Two workers never hold the same row.
- Each message is marked sent right after the ESP (or SMTP server) accepted it, one small UPDATE
  per message, written without waiting for its answer (newsletter/sending/marks.py). A worker killed
  between the accept and that write leaves that one row in `sending`; the reaper hands it back and
  it is sent again. That is the duplicate window: at most one message per killed worker (per batch
  call with an ESP batch API). Rows a killed worker had claimed but not sent yet are handed back
  too, so nothing is lost.
- `dispatch_due_work` (beat, every few seconds) reaps claims older than NEWSLETTER_CLAIM_TIMEOUT,
  starts due scheduled sends and restarts sends no worker is working on. Nothing waits in the
  broker with a countdown: the database is the schedule.
"""

from __future__ import annotations

import logging
import os
import smtplib
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from anymail.backends.base import AnymailBaseBackend
from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import Consent, EmailAddress, Person
from crm.services import record_consent
from newsletter.models import Delivery, NewsletterKind, Send, Suppression
from newsletter.queries.audience import recipients
from newsletter.rendering import RenderedNewsletter, render_newsletter, sender_for
from newsletter.sending.marks import sent_marks

logger = logging.getLogger(__name__)

ACTIVE = (Send.Status.QUEUED, Send.Status.SENDING)


class SendRefused(ValidationError):
    """A newsletter that may not be queued (not approved, no audience, already sending)."""


def setting(name: str, default):
    return getattr(settings, name, default)


# --- Queuing -------------------------------------------------------------------------------------


def queue_send(page, *, user=None, at: datetime | None = None) -> Send:
    """Queue the approved revision of `page` for its audience, now or at `at`.

    Raises SendRefused when the newsletter has no approved revision, no segments, or is already
    being sent.
    """
    from newsletter.review import approved_revision

    revision = approved_revision(page)
    if revision is None:
        raise SendRefused(_("This newsletter has no approved version. Ask a reviewer to approve it first."))
    if Send.objects.filter(
        newsletter=page, status__in=[*ACTIVE, Send.Status.SCHEDULED, Send.Status.PAUSED]
    ).exists():
        raise SendRefused(_("This newsletter is already being sent or scheduled."))
    approved = revision.as_object()
    if not approved.segments.all():
        raise SendRefused(_("Choose at least one segment to send this newsletter to."))
    now = timezone.now()
    scheduled = at is not None and at > now
    from_email, reply_to = sender_for(approved)
    with transaction.atomic():
        send = Send.objects.create(
            newsletter=page,
            revision=revision,
            status=Send.Status.SCHEDULED if scheduled else Send.Status.QUEUED,
            scheduled_at=at if scheduled else None,
            queued_by=user,
            subject=approved.subject,
            from_email=from_email,
            reply_to=reply_to,
        )
        chunk: list[Delivery] = []
        for recipient in recipients(approved):
            chunk.append(Delivery(send=send, person_id=recipient.person_id, email=recipient.email))
            if len(chunk) == 5000:
                Delivery.objects.bulk_create(chunk)
                chunk = []
        Delivery.objects.bulk_create(chunk)
        if not scheduled:
            transaction.on_commit(lambda: start_workers(send.pk))
    return send


def start_workers(send_id: int) -> None:
    """Hand a send to the workers: NEWSLETTER_PARALLEL_TASKS task chains that claim its batches."""
    from newsletter.tasks import send_newsletter_batches

    Send.objects.filter(pk=send_id).update(worked_at=timezone.now())
    try:
        for _index in range(max(1, setting("NEWSLETTER_PARALLEL_TASKS", 1))):
            send_newsletter_batches.apply_async((send_id,), queue=setting("NEWSLETTER_TASK_QUEUE", None))
    except Exception:
        # The send is safe in the database: beat hands it to the workers once the broker is back.
        logger.exception("Could not hand send %s to the workers now; beat will retry", send_id)


# --- Pause, resume, cancel -----------------------------------------------------------------------


def pause_send(send: Send) -> bool:
    """Stop claiming new batches; a batch in progress stops between two messages."""
    return bool(
        Send.objects.filter(pk=send.pk, status__in=[*ACTIVE, Send.Status.SCHEDULED]).update(
            status=Send.Status.PAUSED
        )
    )


def resume_send(send: Send) -> bool:
    send.refresh_from_db()
    if send.status != Send.Status.PAUSED:
        return False
    now = timezone.now()
    status = Send.Status.SCHEDULED if send.scheduled_at and send.scheduled_at > now else Send.Status.QUEUED
    Send.objects.filter(pk=send.pk, status=Send.Status.PAUSED).update(status=status, worked_at=None)
    if status == Send.Status.QUEUED:
        transaction.on_commit(lambda: start_workers(send.pk))
    return True


def cancel_send(send: Send) -> int:
    """Cancel a send that has not finished; returns how many messages will now not go out."""
    with transaction.atomic():
        changed = Send.objects.filter(
            pk=send.pk, status__in=[*ACTIVE, Send.Status.SCHEDULED, Send.Status.PAUSED]
        ).update(status=Send.Status.CANCELLED, finished_at=timezone.now())
        if not changed:
            return 0
        return Delivery.objects.filter(send_id=send.pk, status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.CANCELLED
        )


# --- Progress ------------------------------------------------------------------------------------


def progress(send: Send) -> dict:
    """How many deliveries of a send are in each state, plus the total (one query)."""
    counts = {status: 0 for status in Delivery.Status.values}
    rows = Delivery.objects.filter(send=send).values("status").annotate(n=Count("pk")).order_by()
    for row in rows:
        counts[row["status"]] = row["n"]
    counts["total"] = sum(counts[status] for status in Delivery.Status.values)
    return counts


# --- The beat job --------------------------------------------------------------------------------


def reap_stale_claims(now: datetime | None = None) -> int:
    """Hand back rows claimed by a worker that stopped (its claim is older than the timeout)."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=setting("NEWSLETTER_CLAIM_TIMEOUT", 45))
    rows = Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=stale)
    # A row that brought down its worker again and again is given up on rather than retried forever.
    # Generous: every row of a batch counts a claim when its worker dies, sent or not.
    given_up = rows.filter(attempts__gte=4 * setting("NEWSLETTER_MAX_ATTEMPTS", 6)).update(
        status=Delivery.Status.FAILED, error=_("The worker stopped while sending, too many times.")
    )
    handed_back = rows.update(status=Delivery.Status.QUEUED, claimed_by="", claimed_at=None)
    if handed_back or given_up:
        logger.warning("Handed back %s stale newsletter deliveries (%s given up)", handed_back, given_up)
    return handed_back


def dispatch_due_work(now: datetime | None = None) -> list[int]:
    """Reap stale claims, start due scheduled sends, restart idle ones; the ids of sends started."""
    now = now or timezone.now()
    reap_stale_claims(now)
    Send.objects.filter(status=Send.Status.SCHEDULED, scheduled_at__lte=now).update(status=Send.Status.QUEUED)
    started = []
    for send in Send.objects.filter(status__in=ACTIVE):
        if finish_if_done(send.pk):
            continue
        idle = timedelta(seconds=setting("NEWSLETTER_IDLE_RESTART_SECONDS", 30))
        if send.worked_at is not None and send.worked_at > now - idle:
            continue
        due = Delivery.objects.filter(send=send, status=Delivery.Status.QUEUED).filter(
            Q(not_before__isnull=True) | Q(not_before__lte=now)
        )
        if due.exists():
            start_workers(send.pk)
            started.append(send.pk)
    return started


def finish_if_done(send_id: int) -> bool:
    """Mark a send sent once none of its deliveries is queued or being sent."""
    if Delivery.objects.filter(
        send_id=send_id, status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]
    ).exists():
        return False
    return bool(
        Send.objects.filter(pk=send_id, status__in=ACTIVE).update(
            status=Send.Status.SENT, finished_at=timezone.now()
        )
    )


# --- The worker's side ---------------------------------------------------------------------------


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class Claimed:
    delivery_id: int
    email: str
    person_id: int | None
    first_name: str


def claim_batch(send_id: int, *, size: int, now: datetime | None = None) -> tuple[str, list[Claimed]]:
    """Claim up to `size` due queued deliveries of a send: (the claim token, the rows claimed)."""
    now = now or timezone.now()
    token = f"{worker_name()}:{uuid.uuid4().hex[:12]}"
    due = (
        Delivery.objects.filter(send_id=send_id, status=Delivery.Status.QUEUED)
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .order_by("pk")
    )
    with transaction.atomic():
        if db_connection.vendor == "postgresql":
            # A claim lost in a crash of PostgreSQL itself only makes its rows queued again; not
            # waiting for the WAL flush makes a claim ~10 times cheaper (newsletter/sending/marks.py).
            with db_connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        if db_connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        ids = list(due.values_list("pk", flat=True)[:size])
        if not ids:
            return token, []
        # status=queued again: on SQLite (no row locks) this keeps the claim correct by itself.
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.SENDING, claimed_by=token, claimed_at=now, attempts=F("attempts") + 1
        )
        Send.objects.filter(pk=send_id).update(worked_at=now)
    rows = (
        Delivery.objects.filter(pk__in=ids, claimed_by=token, status=Delivery.Status.SENDING)
        .order_by("pk")
        .values_list("pk", "email", "person_id", "person__first_name")
    )
    return token, [
        Claimed(pk, email, person_id, first_name or "") for pk, email, person_id, first_name in rows
    ]


def still_wanted(claimed: list[Claimed], topic: str) -> tuple[list[Claimed], list[int]]:
    """Check consent and suppressions again just before sending: (rows to send, ids to skip)."""
    emails = [row.email for row in claimed]
    suppressed = set(
        Suppression.objects.annotate(address=Lower("email"))
        .filter(address__in=emails)
        .values_list("address", flat=True)
    )
    current: dict[int, bool] = {}
    consents = (
        Consent.objects.filter(person_id__in=[row.person_id for row in claimed if row.person_id], topic=topic)
        .filter(person__erased_at__isnull=True)
        .order_by("person_id", "-recorded_at", "-pk")
        .values_list("person_id", "granted")
    )
    for person_id, granted in consents:
        current.setdefault(person_id, granted)
    keep, skip = [], []
    for row in claimed:
        if row.email in suppressed or not current.get(row.person_id, False):
            skip.append(row.delivery_id)
        else:
            keep.append(row)
    return keep, skip


@dataclass
class PreparedSend:
    """What every message of a send shares, built once per worker process."""

    send_id: int
    rendered: RenderedNewsletter
    web_url: str
    topic: str
    from_email: str
    reply_to: str


_prepared: dict[int, PreparedSend] = {}


def prepared(send: Send) -> PreparedSend:
    """Render the send's approved revision once per process (rendering and CSS inlining are the cost)."""
    found = _prepared.get(send.pk)
    if found is None:
        page = send.revision.as_object()
        live = send.newsletter
        found = PreparedSend(
            send_id=send.pk,
            rendered=render_newsletter(page, base_url=settings.SITE_URL),
            web_url=live.get_full_url() or "",
            topic=page.consent_topic,
            from_email=send.from_email,
            reply_to=send.reply_to,
        )
        if len(_prepared) > 8:
            _prepared.clear()
        _prepared[send.pk] = found
    return found


RETRY_ONE = "retry_one"  # this message, later (a recipient's mailbox is temporarily unavailable)
RETRY_REST = "retry_rest"  # the ESP or server is unavailable: this message and the rest, later
FAIL = "fail"  # refused for good: the delivery fails with the reason


def classify(error: Exception) -> str:
    """What to do after an error from the email backend; unknown errors are re-raised."""
    if isinstance(error, AnymailRecipientsRefused):
        return FAIL
    if isinstance(error, AnymailAPIError):
        status = error.status_code
        return RETRY_REST if status is None or status >= 500 or status == 429 else FAIL
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return RETRY_ONE if codes and all(400 <= code < 500 for code in codes) else FAIL
    if isinstance(error, smtplib.SMTPResponseException):
        if error.smtp_code == 421:  # the server is closing the connection
            return RETRY_REST
        return RETRY_ONE if 400 <= error.smtp_code < 500 else FAIL
    if isinstance(error, smtplib.SMTPException | OSError):
        return RETRY_REST  # disconnected, connection refused, timeout
    raise error


def describe(error: Exception) -> str:
    try:
        return str(error) or error.__class__.__name__
    except Exception:  # noqa: BLE001 (an exception that cannot describe itself still has a name)
        return f"{error.__class__.__name__}: {error.args[0] if error.args else ''}"


def retry_delay(attempts: int) -> timedelta:
    base = setting("NEWSLETTER_RETRY_BASE_SECONDS", 30)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


class RateLimiter:
    """At most NEWSLETTER_RATE_LIMIT messages a second to the ESP, across all workers.

    With Redis as the broker the count is shared in Redis (one counter per second); otherwise each
    process paces itself, so the limit applies per worker process.
    """

    def __init__(self, rate: float):
        self.rate = rate
        self.redis = None
        self.next_at = time.monotonic()
        broker = settings.CELERY_BROKER_URL
        if rate and broker.startswith(("redis://", "rediss://")):
            import redis

            self.redis = redis.Redis.from_url(broker)

    def wait(self) -> None:
        if not self.rate:
            return
        if self.redis is not None:
            while True:
                second = int(time.time())
                key = f"stadshart:newsletter:rate:{second}"
                count = self.redis.incr(key)
                if count == 1:
                    self.redis.expire(key, 5)
                if count <= self.rate:
                    return
                time.sleep(max(0.0, second + 1 - time.time()))
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + 1 / self.rate


def batch_size() -> int:
    size = setting("NEWSLETTER_BATCH_SIZE", 100)
    rate = setting("NEWSLETTER_RATE_LIMIT", 0)
    if rate:
        # A batch should take seconds, not minutes: its claim must stay younger than the timeout.
        size = min(size, max(1, int(rate * 5)))
    return size


def send_next_batch(send_id: int) -> int | None:
    """Claim and send one batch of a send; how many rows it handled, or None when nothing is due."""
    send = Send.objects.select_related("revision", "newsletter").filter(pk=send_id).first()
    if send is None or send.status not in ACTIVE:
        return None
    if send.status == Send.Status.QUEUED:
        Send.objects.filter(pk=send_id, status=Send.Status.QUEUED).update(status=Send.Status.SENDING)
        Send.objects.filter(pk=send_id, started_at__isnull=True).update(started_at=timezone.now())
    token, claimed = claim_batch(send_id, size=batch_size())
    if not claimed:
        finish_if_done(send_id)
        return None
    shared = prepared(send)
    keep, skip = still_wanted(claimed, shared.topic)
    if skip:
        Delivery.objects.filter(pk__in=skip, claimed_by=token).update(
            status=Delivery.Status.SKIPPED, error=_("No longer subscribed or suppressed when it was due.")
        )
    if keep:
        BatchSender(shared, token).send(keep)
    return len(claimed)


class BatchSender:
    """Sends one claimed batch over one connection, recording each message as soon as it is accepted."""

    STATUS_CHECK_SECONDS = 1.0
    HEARTBEAT_SECONDS = 10.0

    def __init__(self, shared: PreparedSend, token: str):
        self.shared = shared
        self.token = token
        self.limiter = RateLimiter(setting("NEWSLETTER_RATE_LIMIT", 0))
        self.connection = get_connection()
        self.is_anymail = isinstance(self.connection, AnymailBaseBackend)
        domain = self.shared.from_email.rsplit("@", 1)[-1].strip(">").strip() or "localhost"
        self.message_id_domain = None if self.is_anymail else domain
        self.marks = sent_marks()

    def send(self, rows: list[Claimed]) -> None:
        if self.is_anymail and setting("NEWSLETTER_BATCH_SEND", False):
            self.send_as_one_call(rows)
            return
        checked_at = beat_at = time.monotonic()
        self.connection.open()
        try:
            for index, row in enumerate(rows):
                now = time.monotonic()
                if now - checked_at > self.STATUS_CHECK_SECONDS:
                    checked_at = now
                    if not self.still_sending():
                        self.release(rows[index:])
                        return
                if now - beat_at > self.HEARTBEAT_SECONDS:
                    beat_at = now
                    self.heartbeat()
                self.limiter.wait()
                message = self.build(row)
                try:
                    self.connection.send_messages([message])
                except Exception as error:  # noqa: BLE001 (classify re-raises what it does not know)
                    outcome = classify(error)
                    if outcome == RETRY_REST:
                        self.retry_later(rows[index:], describe(error))
                        return
                    if outcome == RETRY_ONE:
                        self.retry_later([row], describe(error))
                    else:
                        self.mark_failed(row, describe(error))
                    continue
                self.record(row, message)
        finally:
            self.marks.wait()
            self.connection.close()

    def send_as_one_call(self, rows: list[Claimed]) -> None:
        """One ESP API call for the whole batch with anymail's merge_data (ESPs with batch sending).

        The placeholders become the ESP's merge fields (NEWSLETTER_MERGE_FIELD, e.g. "{{{{{name}}}}}");
        anymail sends each recipient a separate message with their own values and headers.
        """
        from newsletter.rendering import PERSONAL_FIELDS, placeholder
        from newsletter.sending.mail import build_message, preferences_url, unsubscribe_urls

        field = setting("NEWSLETTER_MERGE_FIELD", "{{{{{name}}}}}")
        rendered = self.shared.rendered
        html, text = rendered.html, rendered.text
        for name in PERSONAL_FIELDS:
            html = html.replace(placeholder(name), field.format(name=name))
            text = text.replace(placeholder(name), field.format(name=name))
        template = RenderedNewsletter(rendered.subject, rendered.preheader, html, text)
        message = build_message(
            template,
            to_email=rows[0].email,
            first_name=field.format(name="first_name"),
            from_email=self.shared.from_email,
            reply_to=self.shared.reply_to,
            send_id=self.shared.send_id,
            connection=self.connection,
        )
        message.body, message.alternatives = text, []
        message.attach_alternative(html, "text/html")
        message.to = [row.email for row in rows]
        message.merge_data, message.merge_headers, message.merge_metadata = {}, {}, {}
        for row in rows:
            page_url, one_click = unsubscribe_urls(email=row.email, delivery_id=row.delivery_id)
            message.merge_data[row.email] = {
                "first_name": row.first_name or rendered.first_name_fallback,
                "unsubscribe_url": page_url,
                "preferences_url": preferences_url(email=row.email, delivery_id=row.delivery_id),
                "web_url": self.shared.web_url,
            }
            message.merge_headers[row.email] = {"List-Unsubscribe": f"<{one_click}>"}
            message.merge_metadata[row.email] = {"delivery_id": row.delivery_id}
        for _row in rows:
            self.limiter.wait()
        try:
            message.send()
        except Exception as error:  # noqa: BLE001
            if classify(error) != FAIL:
                self.retry_later(rows, describe(error))
            else:
                for row in rows:
                    self.mark_failed(row, describe(error))
            return
        statuses = message.anymail_status.recipients
        sent, now = [], timezone.now()
        for row in rows:
            status = statuses.get(row.email)
            if status is not None and status.status in ("rejected", "invalid", "failed"):
                self.mark_failed(row, _("Refused by the ESP: %(status)s") % {"status": status.status})
            else:
                sent.append(
                    Delivery(
                        pk=row.delivery_id,
                        status=Delivery.Status.SENT,
                        sent_at=now,
                        esp_message_id=str(status.message_id) if status and status.message_id else "",
                    )
                )
        Delivery.objects.bulk_update(sent, ["status", "sent_at", "esp_message_id"])

    def build(self, row: Claimed):
        from newsletter.sending.mail import build_message

        return build_message(
            self.shared.rendered,
            to_email=row.email,
            first_name=row.first_name,
            delivery_id=row.delivery_id,
            from_email=self.shared.from_email,
            reply_to=self.shared.reply_to,
            web_url=self.shared.web_url,
            send_id=self.shared.send_id,
            message_id_domain=self.message_id_domain,
            connection=self.connection,
        )

    def record(self, row: Claimed, message) -> None:
        status = getattr(message, "anymail_status", None)
        if (
            self.is_anymail
            and status is not None
            and status.status
            and status.status <= {"rejected", "invalid"}
        ):
            self.mark_failed(
                row, _("Refused by the ESP: %(status)s") % {"status": ", ".join(sorted(status.status))}
            )
            return
        message_id = status.message_id if self.is_anymail and status is not None else None
        if message_id is None:
            message_id = message.extra_headers.get("Message-ID", "")
        self.marks.mark(row.delivery_id, str(message_id)[:200], self.token)

    def mark_failed(self, row: Claimed, reason: str) -> None:
        Delivery.objects.filter(pk=row.delivery_id, claimed_by=self.token).update(
            status=Delivery.Status.FAILED, error=reason[:2000]
        )

    def retry_later(self, rows: list[Claimed], reason: str) -> None:
        """Put the rest of the batch back with a growing delay; give up after NEWSLETTER_MAX_ATTEMPTS."""
        ids = [row.delivery_id for row in rows]
        mine = Delivery.objects.filter(pk__in=ids, claimed_by=self.token, status=Delivery.Status.SENDING)
        mine.filter(attempts__gte=setting("NEWSLETTER_MAX_ATTEMPTS", 6)).update(
            status=Delivery.Status.FAILED, error=reason[:2000]
        )
        attempts = mine.values_list("attempts", flat=True).first() or 1
        mine.update(
            status=Delivery.Status.QUEUED,
            claimed_by="",
            claimed_at=None,
            not_before=timezone.now() + retry_delay(attempts),
            error=reason[:2000],
        )
        logger.warning(
            "Newsletter send %s: %s messages to retry later: %s", self.shared.send_id, len(ids), reason
        )

    def release(self, rows: list[Claimed]) -> None:
        """Give back rows not yet sent when the send was paused or cancelled."""
        cancelled = Send.objects.filter(pk=self.shared.send_id, status=Send.Status.CANCELLED).exists()
        Delivery.objects.filter(
            pk__in=[row.delivery_id for row in rows], claimed_by=self.token, status=Delivery.Status.SENDING
        ).update(
            status=Delivery.Status.CANCELLED if cancelled else Delivery.Status.QUEUED,
            claimed_by="",
            claimed_at=None,
            attempts=F("attempts") - 1,
        )

    def still_sending(self) -> bool:
        return Send.objects.filter(pk=self.shared.send_id, status__in=ACTIVE).exists()

    def heartbeat(self) -> None:
        """Keep this batch's claim fresh, so the reaper does not hand back rows we are still sending."""
        Delivery.objects.filter(claimed_by=self.token, status=Delivery.Status.SENDING).update(
            claimed_at=timezone.now()
        )


def work_on_send(send_id: int, *, budget_seconds: float = 240) -> bool:
    """Send batches until nothing is due or the time budget is spent; True if work remains."""
    deadline = time.monotonic() + budget_seconds
    while time.monotonic() < deadline:
        if send_next_batch(send_id) is None:
            return False
    return True


# --- Unsubscribing -------------------------------------------------------------------------------


class UnsubscribeSource:
    ONE_CLICK = "one_click"  # RFC 8058 POST from the mail client
    PAGE = "page"  # the button on the page the mail's footer links to


def unsubscribe(
    *, email: str, delivery: Delivery | None = None, source: str = UnsubscribeSource.PAGE
) -> dict:
    """Withdraw consent for the kind of newsletter that carried the link, at once.

    Every person with this address gets a withdrawal in their consent history (source "unsubscribe
    link"); this address's messages of that kind not yet handed over are skipped. Without a delivery
    (a test mail) every newsletter kind is withdrawn. An address no person has is suppressed.
    Safe to repeat: a second call adds nothing.
    """
    email = email.strip().lower()
    if delivery is not None:
        kinds = [delivery.send.newsletter.kind]
        subject = delivery.send.subject
    else:
        kinds, subject = list(NewsletterKind.values), ""
    topics = [NewsletterKind(kind).consent_topic for kind in kinds]
    how = (
        _("one click in the mail program")
        if source == UnsubscribeSource.ONE_CLICK
        else _("the unsubscribe page")
    )
    wording = _('Unsubscribed through the link in the newsletter "%(subject)s" (%(how)s).') % {
        "subject": subject,
        "how": how,
    }
    withdrawn = 0
    with transaction.atomic():
        # The address as the CRM stores it (unique index), and the person the message went to;
        # a case-insensitive search over every address only for links without a delivery.
        people = Person.objects.filter(erased_at__isnull=True)
        if delivery is not None:
            ids = {
                delivery.person_id,
                *EmailAddress.objects.filter(email=email).values_list("person_id", flat=True),
            }
            people = list(people.filter(pk__in=ids - {None}))
        else:
            people = list(people.filter(emails__email__iexact=email).distinct())
        for person in people:
            for topic in topics:
                newest = person.consents.filter(topic=topic).order_by("-recorded_at", "-pk").first()
                if newest is not None and not newest.granted:
                    continue
                record_consent(
                    person=person,
                    topic=topic,
                    granted=False,
                    source=Consent.Source.UNSUBSCRIBE,
                    wording=wording,
                )
                withdrawn += 1
        if not people:
            Suppression.objects.get_or_create(
                email=email, defaults={"reason": Suppression.Reason.UNSUBSCRIBED, "delivery": delivery}
            )
        # Through the (send, email) index: the unfinished sends of this kind are few.
        unfinished = Send.objects.filter(
            newsletter__kind__in=kinds, status__in=[*ACTIVE, Send.Status.SCHEDULED, Send.Status.PAUSED]
        ).values_list("pk", flat=True)
        skipped = Delivery.objects.filter(
            send_id__in=list(unfinished), email=email, status=Delivery.Status.QUEUED
        ).update(status=Delivery.Status.SKIPPED, error=_("Unsubscribed."))
        if delivery is not None:
            # Counted in the newsletter's results (once per delivery, whichever link was used).
            from newsletter.tracking import record_unsubscribe

            record_unsubscribe(delivery=delivery)
    return {"people": len(people), "withdrawn": withdrawn, "skipped": skipped, "kinds": kinds}
