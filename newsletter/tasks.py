"""Celery tasks of the newsletter sending pipeline: thin, idempotent, all state in the database.

Running any of them twice is harmless: claims in the database decide who sends what.
"""

from celery import shared_task
from django.conf import settings

from newsletter import services


@shared_task(ignore_result=True)
def send_newsletter_batches(send_id: int) -> None:
    """Work through a send's batches for a few minutes; then hand over to a fresh task if work remains."""
    if services.work_on_send(send_id, budget_seconds=settings.NEWSLETTER_TASK_BUDGET_SECONDS):
        send_newsletter_batches.apply_async((send_id,), queue=settings.NEWSLETTER_TASK_QUEUE)


@shared_task(ignore_result=True)
def dispatch_newsletters() -> None:
    """Beat: hand back dead workers' claims, start due scheduled sends, restart idle sends."""
    services.dispatch_due_work()
