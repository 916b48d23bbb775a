"""Admin views of the AI editor: a job's state for polling (JSON) and retrying a failed job."""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_POST

from drafting import queries, tasks
from drafting.models import DraftJob


@require_GET
def job(request, job_id: int):
    try:
        status = queries.job_status(job_id, user=request.user)
    except DraftJob.DoesNotExist:
        raise Http404 from None
    return JsonResponse(status)


@require_POST
def retry(request, job_id: int):
    failed = get_object_or_404(DraftJob, pk=job_id, user=request.user, state=DraftJob.State.FAILED)
    new_job = tasks.retry_job(job=failed, user=request.user)
    return JsonResponse(queries.job_status(new_job.pk, user=request.user), status=202)
