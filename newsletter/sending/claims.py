"""Claims: which worker sends which delivery, handed back when its worker stopped.

A worker claims a batch of queued rows (queued → sending, with its claim token and the time) under
`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL; on SQLite the claim transaction is IMMEDIATE (see
settings), which serialises claims. Beat hands back claims older than NEWSLETTER_CLAIM_TIMEOUT.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from newsletter.models import Delivery, Send

logger = logging.getLogger(__name__)

# Sends whose deliveries workers may claim.
ACTIVE = (Send.Status.QUEUED, Send.Status.SENDING)
# Sends that have not finished: they may still be paused, resumed or cancelled.
UNFINISHED = (*ACTIVE, Send.Status.SCHEDULED, Send.Status.PAUSED)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class Claimed:
    delivery_id: int
    email: str
    person_id: int | None
    first_name: str


def due(send_id: int, now: datetime):
    """A send's queued deliveries whose retry delay (if any) has passed."""
    return Delivery.objects.filter(send_id=send_id, status=Delivery.Status.QUEUED).filter(
        Q(not_before__isnull=True) | Q(not_before__lte=now)
    )


def claim_batch(send_id: int, *, size: int, now: datetime | None = None) -> tuple[str, list[Claimed]]:
    """Claim up to `size` due queued deliveries of a send: (the claim token, the rows claimed)."""
    now = now or timezone.now()
    token = f"{worker_name()}:{uuid.uuid4().hex[:12]}"
    rows_due = due(send_id, now).order_by("pk")
    with transaction.atomic():
        if db_connection.vendor == "postgresql":
            # A claim lost in a crash of PostgreSQL itself only makes its rows queued again; not
            # waiting for the WAL flush makes a claim ~10 times cheaper (see newsletter.sending.sent_marks).
            with db_connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        if db_connection.features.has_select_for_update_skip_locked:
            rows_due = rows_due.select_for_update(skip_locked=True, of=("self",))
        ids = list(rows_due.values_list("pk", flat=True)[:size])
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


def reap_stale_claims(now: datetime | None = None) -> int:
    """Hand back rows claimed by a worker that stopped (its claim is older than the timeout)."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT)
    rows = Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=stale)
    # A row that brought down its worker again and again is given up on rather than retried forever.
    # Generous: every row of a batch counts a claim when its worker dies, sent or not.
    given_up = rows.filter(attempts__gte=4 * settings.NEWSLETTER_MAX_ATTEMPTS).update(
        status=Delivery.Status.FAILED, error=_("The worker stopped while sending, too many times.")
    )
    handed_back = rows.update(status=Delivery.Status.QUEUED, claimed_by="", claimed_at=None)
    if handed_back or given_up:
        logger.warning("Handed back %s stale newsletter deliveries (%s given up)", handed_back, given_up)
    return handed_back


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


def sends_needing_workers(now: datetime | None = None) -> list[int]:
    """Beat's round: reap stale claims, make due scheduled sends queued, finish sends that are done;
    the ids of active sends with due rows that no worker has worked on lately."""
    now = now or timezone.now()
    reap_stale_claims(now)
    Send.objects.filter(status=Send.Status.SCHEDULED, scheduled_at__lte=now).update(status=Send.Status.QUEUED)
    idle = timedelta(seconds=settings.NEWSLETTER_IDLE_RESTART_SECONDS)
    needing = []
    for send in Send.objects.filter(status__in=ACTIVE):
        if finish_if_done(send.pk):
            continue
        if send.worked_at is not None and send.worked_at > now - idle:
            continue
        if due(send.pk, now).exists():
            needing.append(send.pk)
    return needing
