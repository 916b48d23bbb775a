"""Celery task of the AI editor: thin, fetches the job by id, safe to run twice.

Queuing a job lives here with the task it enqueues (as newsletter.tasks.start_workers does), so
that drafting.services never imports its tasks back.
"""

from celery import shared_task
from django.conf import settings
from django.db import transaction

from drafting import services
from drafting.models import DraftJob
from drafting.types import DraftRequest


def start_draft(request: DraftRequest, *, user, handler: str, target: dict) -> DraftJob:
    """Create the job and queue it for the worker once the transaction commits."""
    with transaction.atomic():
        job = services.create_job(request, user=user, handler=handler, target=target)
        transaction.on_commit(
            lambda: run_draft_job.apply_async((job.pk,), queue=settings.DRAFTING_TASK_QUEUE)
        )
    return job


def retry_job(*, job: DraftJob, user) -> DraftJob:
    """Queue a failed job again (same request, same target)."""
    return start_draft(
        services.request_from_json(job.request), user=user, handler=job.handler, target=job.target
    )


@shared_task(ignore_result=True, acks_late=True)
def run_draft_job(job_id: int) -> None:
    services.run_job(job_id=job_id)
