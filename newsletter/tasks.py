"""Celery tasks of the newsletter sending pipeline: thin, idempotent, all state in the database.

Running any of them twice is harmless: claims in the database decide who sends what. Handing a
send to the workers (`start_workers`) and beat's round (`dispatch_due_work`) live here, beside the
tasks they enqueue: the tasks run the engine (newsletter.sending), the actions (newsletter.services)
call `start_workers`, and neither needs to import this module back.
"""

from __future__ import annotations

import logging
from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from newsletter.models import Send
from newsletter.sending.claims import sends_needing_workers
from newsletter.sending.worker import work_on_send

logger = logging.getLogger(__name__)


def start_workers(send_id: int) -> None:
    """Hand a send to the workers: NEWSLETTER_PARALLEL_TASKS task chains that claim its batches."""
    Send.objects.filter(pk=send_id).update(worked_at=timezone.now())
    try:
        for _index in range(max(1, settings.NEWSLETTER_PARALLEL_TASKS)):
            send_newsletter_batches.apply_async((send_id,), queue=settings.NEWSLETTER_TASK_QUEUE)
    except Exception:
        # The send is safe in the database: beat hands it to the workers once the broker is back.
        logger.exception("Could not hand send %s to the workers now; beat will retry", send_id)


def dispatch_due_work(now: datetime | None = None) -> list[int]:
    """Beat's job: reap stale claims, start due scheduled sends, restart idle ones; the ids started.

    Nothing waits in the broker with a countdown: the database is the schedule.
    """
    started = sends_needing_workers(now)
    for send_id in started:
        start_workers(send_id)
    return started


@shared_task(ignore_result=True)
def send_newsletter_batches(send_id: int) -> None:
    """Work through a send's batches for a few minutes; then hand over to a fresh task if work remains."""
    if work_on_send(send_id, budget_seconds=settings.NEWSLETTER_TASK_BUDGET_SECONDS):
        send_newsletter_batches.apply_async((send_id,), queue=settings.NEWSLETTER_TASK_QUEUE)


@shared_task(ignore_result=True)
def dispatch_newsletters() -> None:
    """Beat: hand back dead workers' claims, start due scheduled sends, restart idle sends."""
    dispatch_due_work()
