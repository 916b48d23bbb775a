"""The worker: claim a batch, check consent again, send it, record each message as it is accepted.

`work_on_send` is what the Celery task runs; see the package docstring for how a crash is survived.
"""

from __future__ import annotations

import logging
import time

from anymail.backends.base import AnymailBaseBackend
from django.conf import settings
from django.core.mail import get_connection
from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from newsletter.models import Delivery, Send
from newsletter.rendering import PERSONAL_FIELDS, RenderedNewsletter, placeholder
from newsletter.sending.claims import ACTIVE, Claimed, claim_batch, finish_if_done
from newsletter.sending.consent import still_wanted
from newsletter.sending.errors import FAIL, RETRY_ONE, RETRY_REST, classify, describe, retry_delay
from newsletter.sending.mail import PersonalLinks, build_message
from newsletter.sending.prepared import PreparedSend, prepared
from newsletter.sending.rate import RateLimiter, batch_size
from newsletter.sending.sent_marks import sent_marks

logger = logging.getLogger(__name__)


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
        self.limiter = RateLimiter(settings.NEWSLETTER_RATE_LIMIT)
        self.connection = get_connection()
        self.is_anymail = isinstance(self.connection, AnymailBaseBackend)
        domain = self.shared.from_email.rsplit("@", 1)[-1].strip(">").strip() or "localhost"
        self.message_id_domain = None if self.is_anymail else domain
        self.marks = sent_marks()

    def send(self, rows: list[Claimed]) -> None:
        if self.is_anymail and settings.NEWSLETTER_BATCH_SEND:
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
        from newsletter.sending.mail import build_message

        field = settings.NEWSLETTER_MERGE_FIELD
        rendered = self.shared.rendered
        html, text = rendered.html, rendered.text
        for name in PERSONAL_FIELDS:
            html = html.replace(placeholder(name), field.format(name=name))
            text = text.replace(placeholder(name), field.format(name=name))
        template = RenderedNewsletter(
            rendered.subject, rendered.preheader, html, text, list_id=rendered.list_id
        )
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
        links = PersonalLinks()
        for row in rows:
            page_url, one_click, preferences = links.for_recipient(
                email=row.email, delivery_id=row.delivery_id
            )
            message.merge_data[row.email] = {
                "first_name": row.first_name or rendered.first_name_fallback,
                "unsubscribe_url": page_url,
                "preferences_url": preferences,
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
        sent: list[tuple[int, str]] = []
        for row in rows:
            status = statuses.get(row.email)
            if status is not None and status.status in ("rejected", "invalid", "failed"):
                self.mark_failed(row, _("Refused by the ESP: %(status)s") % {"status": status.status})
            else:
                sent.append(
                    (row.delivery_id, str(status.message_id)[:200] if status and status.message_id else "")
                )
        mark_batch_sent(sent, self.token)

    def build(self, row: Claimed):

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
        mine.filter(attempts__gte=settings.NEWSLETTER_MAX_ATTEMPTS).update(
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


def mark_batch_sent(sent: list[tuple[int, str]], token: str) -> None:
    """Mark the messages an ESP accepted in one call as sent: (delivery id, ESP message id) each.

    One statement for the whole batch on PostgreSQL (the ids and message ids as two arrays);
    elsewhere one UPDATE per distinct message id (an ESP such as Mailgun gives a batch one id).
    Only rows this claim still holds, as for the marks of single messages.
    """
    if not sent:
        return
    now = timezone.now()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Delivery._meta.db_table} AS d SET status = %s, sent_at = %s, "  # noqa: S608
                "esp_message_id = v.message_id, error = '' "
                "FROM unnest(%s::bigint[], %s::text[]) AS v(id, message_id) "
                "WHERE d.id = v.id AND d.claimed_by = %s",
                [
                    Delivery.Status.SENT,
                    now,
                    [delivery_id for delivery_id, _id in sent],
                    [message_id for _delivery, message_id in sent],
                    token,
                ],
            )
        return
    by_message_id: dict[str, list[int]] = {}
    for delivery_id, message_id in sent:
        by_message_id.setdefault(message_id, []).append(delivery_id)
    for message_id, ids in by_message_id.items():
        Delivery.objects.filter(pk__in=ids, claimed_by=token).update(
            status=Delivery.Status.SENT, sent_at=now, esp_message_id=message_id, error=""
        )


def work_on_send(send_id: int, *, budget_seconds: float = 240) -> bool:
    """Send batches until nothing is due or the time budget is spent; True if work remains."""
    deadline = time.monotonic() + budget_seconds
    while time.monotonic() < deadline:
        if send_next_batch(send_id) is None:
            return False
    return True
