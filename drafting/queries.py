"""Read paths of the AI editor: a job's state for polling, recent calls for the admin."""

from django.urls import reverse
from django.utils.translation import gettext as _

from drafting.models import AICall, DraftJob

_MESSAGES = {
    DraftJob.State.QUEUED: lambda: _("Waiting for the AI editor…"),
    DraftJob.State.RUNNING: lambda: _("The AI editor is writing…"),
    DraftJob.State.DONE: lambda: _("The draft is ready."),
}


def job_status(job_id: int, *, user) -> dict:
    job = DraftJob.objects.get(pk=job_id, user=user)
    status = {
        "id": job.pk,
        "state": job.state,
        "purpose": job.purpose,
        "message": job.error_message if job.state == DraftJob.State.FAILED else _MESSAGES[job.state](),
        "retryable": job.retryable,
        "retry_after": job.retry_after,
        "result": job.handler_result or {},
        "model": (job.result or {}).get("model", ""),
        "template": (job.result or {}).get("template", False),
        "target": job.target,
        "status_url": reverse("drafting:job", args=[job.pk]),
    }
    if job.state == DraftJob.State.FAILED and job.retryable:
        status["retry_url"] = reverse("drafting:retry", args=[job.pk])
    return status


def recent_calls(limit: int = 20):
    return list(AICall.objects.select_related("user").order_by("-created_at", "-pk")[:limit])
