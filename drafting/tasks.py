"""Celery task of the AI editor: thin, fetches the job by id, safe to run twice."""

from celery import shared_task

from drafting import services


@shared_task(ignore_result=True, acks_late=True)
def run_draft_job(job_id: int) -> None:
    services.run_job(job_id=job_id)
