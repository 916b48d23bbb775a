"""State changes of the AI editor: drafting (with its usage-log row) and background draft jobs."""

import base64
import datetime
import logging
import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from drafting import client, handlers, output, prompts, template, usage
from drafting.models import AICall, DraftJob
from drafting.types import DraftingError, DraftRequest, DraftResult, Source

log = logging.getLogger(__name__)


def draft(request: DraftRequest, *, user) -> DraftResult:
    """Draft synchronously: the AI server when one is configured, else the template drafter.

    Every call, good or failed, leaves one AICall row. Raises DraftingError with a Dutch message.
    """
    prompt = prompts.load(request.prompt)
    version = prompts.version_label(request.prompt)
    if not client.is_available():
        return _draft_from_template(request, user=user, version=version)

    usage.check_allowed(user=user, purpose=request.purpose, prompt=prompt, version=version)
    started = time.monotonic()
    reply = None
    try:
        reply = client.complete(request, prompt=prompt)
        data = output.clean(output.parse_json(reply.content), request)
        output.validate(data, request)
    except DraftingError as error:
        reply = getattr(error, "reply", None) or reply
        call = usage.record(
            user=user,
            purpose=request.purpose,
            prompt=prompt,
            version=version,
            model=(reply.model if reply else client.model_name()),
            tokens_in=(reply.tokens_in if reply else 0),
            tokens_out=(reply.tokens_out if reply else 0),
            started=started,
            outcome=error.outcome,
            error=error.detail or error.message,
        )
        error.call_id = call.pk
        raise
    call = usage.record(
        user=user,
        purpose=request.purpose,
        prompt=prompt,
        version=version,
        model=reply.model,
        tokens_in=reply.tokens_in,
        tokens_out=reply.tokens_out,
        started=started,
        outcome=AICall.Outcome.OK,
    )
    return DraftResult(data=data, model=reply.model, prompt_version=version, call_id=call.pk, template=False)


def _draft_from_template(request: DraftRequest, *, user, version: str) -> DraftResult:
    started = time.monotonic()
    data = output.clean(template.compose(request), request)
    output.validate(data, request)
    call = usage.record(
        user=user,
        purpose=request.purpose,
        prompt=prompts.load(request.prompt),
        version=version,
        model=template.MODEL_NAME,
        tokens_in=0,
        tokens_out=0,
        started=started,
        outcome=AICall.Outcome.TEMPLATE,
    )
    return DraftResult(
        data=data, model=template.MODEL_NAME, prompt_version=version, call_id=call.pk, template=True
    )


# -- background jobs ---------------------------------------------------------------------------


def request_to_json(request: DraftRequest) -> dict:
    return {
        "purpose": request.purpose,
        "prompt": request.prompt,
        "schema": request.schema,
        "brief": request.brief,
        "sources": [
            {
                "kind": s.kind,
                "title": s.title,
                "text": s.text,
                "url": s.url,
                "date": s.date.isoformat() if s.date else None,
            }
            for s in request.sources
        ],
        "options": request.options,
        "image": base64.b64encode(request.image).decode("ascii") if request.image else None,
    }


def request_from_json(data: dict) -> DraftRequest:
    return DraftRequest(
        purpose=data["purpose"],
        prompt=data["prompt"],
        schema=data["schema"],
        brief=data.get("brief", ""),
        sources=tuple(
            Source(
                kind=s["kind"],
                title=s["title"],
                text=s["text"],
                url=s.get("url", ""),
                date=datetime.date.fromisoformat(s["date"]) if s.get("date") else None,
            )
            for s in data.get("sources", [])
        ),
        options=data.get("options") or {},
        image=base64.b64decode(data["image"]) if data.get("image") else None,
    )


def create_job(request: DraftRequest, *, user, handler: str, target: dict) -> DraftJob:
    """A draft job waiting for the worker; `handler` stores the result there (handlers.register_handler).

    drafting.tasks.start_draft queues it once the transaction commits.
    """
    if not handlers.is_registered(handler):
        raise LookupError(f"No drafting handler registered as {handler!r}")
    prompts.load(request.prompt)  # a wrong prompt name fails here, in the caller, not in the worker
    return DraftJob.objects.create(
        user=user,
        purpose=request.purpose,
        handler=handler,
        request=request_to_json(request),
        target=target or {},
    )


def run_job(*, job_id: int) -> None:
    """Make the job's draft and hand it to its handler. A finished job is left alone."""
    with transaction.atomic():
        claimed = DraftJob.objects.filter(
            pk=job_id, state__in=[DraftJob.State.QUEUED, DraftJob.State.RUNNING]
        ).update(state=DraftJob.State.RUNNING, started_at=timezone.now())
    if not claimed:
        return
    job = DraftJob.objects.select_related("user").get(pk=job_id)
    try:
        result = draft(request_from_json(job.request), user=job.user)
    except DraftingError as error:
        _fail(
            job,
            error.message,
            retryable=error.retryable,
            retry_after=error.retry_after,
            call_id=getattr(error, "call_id", None),
        )
        return
    except Exception:
        log.exception("Draft job %s failed", job_id)
        _fail(job, _("Something went wrong while drafting. Please try again."), retryable=True)
        return
    try:
        with transaction.atomic():
            handler_result = handlers.get_handler(job.handler)(job, result, job.target) or {}
            DraftJob.objects.filter(pk=job.pk).update(
                state=DraftJob.State.DONE,
                finished_at=timezone.now(),
                result={
                    "data": result.data,
                    "model": result.model,
                    "prompt_version": result.prompt_version,
                    "call_id": result.call_id,
                    "template": result.template,
                },
                handler_result=handler_result,
                call_id=result.call_id,
                error_message="",
            )
    except DraftingError as error:
        _fail(
            job,
            error.message,
            retryable=error.retryable,
            retry_after=error.retry_after,
            call_id=result.call_id,
        )
    except Exception:
        log.exception("Handler %s of draft job %s failed", job.handler, job_id)
        _fail(
            job,
            _("The draft was made but could not be saved. Please try again."),
            retryable=True,
            call_id=result.call_id,
        )


def _fail(job: DraftJob, message: str, *, retryable: bool, retry_after: int | None = None, call_id=None):
    DraftJob.objects.filter(pk=job.pk).update(
        state=DraftJob.State.FAILED,
        finished_at=timezone.now(),
        error_message=message,
        retryable=retryable,
        retry_after=retry_after,
        call_id=call_id,
    )
