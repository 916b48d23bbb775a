"""The newsletter app's actions: queue a send, pause, resume or cancel it, unsubscribe or suppress
an address (our own unsubscribe links and the ESPs' reports, newsletter.tracking, both come here).

The sending itself (claims, the worker, marks) is the engine in newsletter.sending, handed to the
workers by newsletter.tasks (start_workers, and beat's dispatch_due_work); the progress of a send
is a read in newsletter.queries.sending.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import Consent, EmailAddress, Person
from crm.services import record_consent
from newsletter import tasks
from newsletter.esp_events import record_unsubscribe
from newsletter.models import Delivery, NewsletterKind, Send, Suppression
from newsletter.queries.audience import picked_addresses, recipients
from newsletter.review import approved_revision
from newsletter.senders import sender_for
from newsletter.sending.claims import ACTIVE, UNFINISHED


class SendRefused(ValidationError):
    """A newsletter that may not be queued (not approved, no audience, already sending)."""


# --- Queuing -------------------------------------------------------------------------------------


def queue_send(page, *, user=None, at: datetime | None = None) -> Send:
    """Queue the approved revision of `page` for its audience, now or at `at`.

    Raises SendRefused when the newsletter has no approved revision, no segments, or is already
    being sent.
    """
    revision = approved_revision(page)
    if revision is None:
        raise SendRefused(_("This newsletter has no approved version. Ask a reviewer to approve it first."))
    if Send.objects.filter(newsletter=page, status__in=UNFINISHED).exists():
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
        write_deliveries(send, approved)
        if not scheduled:
            transaction.on_commit(lambda: tasks.start_workers(send.pk))
    return send


def write_deliveries(send: Send, page) -> int:
    """One queued Delivery per recipient of `page`; how many.

    On PostgreSQL one INSERT … SELECT: the audience goes from the CRM's tables into the deliveries
    without a row passing through Python (a million recipients in seconds, in constant memory).
    Elsewhere (SQLite, the embedded default) the recipients are written in chunks of plain rows.
    """
    if connection.vendor == "postgresql":
        picked = picked_addresses(page)
        if picked is None:
            return 0
        select_sql, select_params = picked.query.sql_with_params()
        # Every other column gets its model default, so a field added later needs no change here.
        fixed = [
            field
            for field in Delivery._meta.concrete_fields
            if field.column not in ("id", "send_id", "person_id", "email")
        ]
        columns = ", ".join(
            connection.ops.quote_name(column)
            for column in ["send_id", "person_id", "email", *(field.column for field in fixed)]
        )
        defaults = [field.get_db_prep_save(field.get_default(), connection) for field in fixed]
        with connection.cursor() as cursor:
            # A million addresses sort and hash in memory rather than in temporary files (this
            # transaction only; queue_send's).
            if connection.in_atomic_block:
                cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute(
                f"INSERT INTO {Delivery._meta.db_table} ({columns}) "  # noqa: S608 (our own names)
                f"SELECT %s, picked.person_id, picked.address{', %s' * len(fixed)} "
                f"FROM ({select_sql}) picked ORDER BY picked.person_id "
                "ON CONFLICT (send_id, email) DO NOTHING",
                [send.pk, *defaults, *select_params],
            )
            return cursor.rowcount
    written = 0
    chunk: list[Delivery] = []
    for recipient in recipients(page):
        chunk.append(Delivery(send=send, person_id=recipient.person_id, email=recipient.email))
        if len(chunk) == 5000:
            written += len(Delivery.objects.bulk_create(chunk))
            chunk = []
    return written + len(Delivery.objects.bulk_create(chunk))


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
        transaction.on_commit(lambda: tasks.start_workers(send.pk))
    return True


def cancel_send(send: Send) -> int:
    """Cancel a send that has not finished; returns how many messages will now not go out."""
    with transaction.atomic():
        changed = Send.objects.filter(pk=send.pk, status__in=UNFINISHED).update(
            status=Send.Status.CANCELLED, finished_at=timezone.now()
        )
        if not changed:
            return 0
        return Delivery.objects.filter(send_id=send.pk, status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.CANCELLED
        )


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
            suppress(
                email=email,
                reason=Suppression.Reason.UNSUBSCRIBED,
                delivery_id=delivery.pk if delivery is not None else None,
            )
        # Through the (send, email) index: the unfinished sends of this kind are few.
        unfinished = Send.objects.filter(newsletter__kind__in=kinds, status__in=UNFINISHED).values_list(
            "pk", flat=True
        )
        skipped = Delivery.objects.filter(
            send_id__in=list(unfinished), email=email, status=Delivery.Status.QUEUED
        ).update(status=Delivery.Status.SKIPPED, error=_("Unsubscribed."))
        if delivery is not None:
            # Counted in the newsletter's results (once per delivery, whichever link was used).
            record_unsubscribe(delivery=delivery)
    return {"people": len(people), "withdrawn": withdrawn, "skipped": skipped, "kinds": kinds}


# --- Suppressing ---------------------------------------------------------------------------------


def suppress(*, email: str, reason: str, delivery_id: int | None = None, note: str = "") -> Suppression:
    """Never mail this address again; the first reason recorded stays."""
    suppression, _created = Suppression.objects.get_or_create(
        email=email.lower(), defaults={"reason": reason, "delivery_id": delivery_id, "note": note[:500]}
    )
    return suppression
