"""The AI editor's interface: the only module newsletter/, social/ and portal import from drafting.

    from drafting.api import DraftRequest, Source, draft, start_draft, DraftingError

- `draft(request, user=...)` drafts synchronously (in a worker or a test) and returns a DraftResult
  whose `data` fits `request.schema`, with every HTML string cleaned (see drafting.output for which
  strings count as HTML: `"contentMediaType": "text/html"` in the schema, a text block's `value`, a
  rewrite's "text" with options["format"] == "html"). Without an AI server it uses the template
  drafter (`result.template` is True, `result.model` is "sjabloon").
- `start_draft(request, user=..., handler=..., target=...)` queues the same in the worker and
  returns a DraftJob; `/admin/drafting/jobs/<id>/` (name "drafting:job") returns `job_status()` as
  JSON for polling, and POST `/admin/drafting/jobs/<id>/retry/` ("drafting:retry") queues a failed
  job again. The handler (`register_handler(name, func(job, result, target) -> dict)`, from the
  consumer's AppConfig.ready) stores the result in the worker; its dict lands in the job status.
- Options the prompts and the template drafter understand: "block_types" (allowed block types,
  also validated), "tone", "length", "audience", "kind", "language"; for rewrites "action"
  (shorter|simpler|formal|informal|spelling|continue|translate_en|translate_nl), "format"
  (html|plain) and "text" (the text to rewrite: sent fenced as data); for social posts "channels"
  and "limits" ({channel: characters}); for alt text "context".
- Prompt names: "newsletter", "rewrite", "social", "alt_text" (files in drafting/prompts/).
- `register_shape(prompt, schema, options=...)`: the consumer that asks for a prompt registers the
  schema (and the options it always sends) once; `shape(prompt)` returns them, so the evaluation
  (`manage.py ai_eval`) and the tests check what production sends, not a copy of it.
"""

from collections.abc import Sequence

from drafting import client, factcheck, handlers, services, shapes, tasks, usage
from drafting.models import DraftJob
from drafting.types import Claim, DraftingError, DraftRequest, DraftResult, Source

__all__ = [
    "Claim",
    "DraftJob",
    "DraftRequest",
    "DraftResult",
    "DraftingError",
    "Source",
    "draft",
    "fact_check",
    "is_available",
    "job_status",
    "month_usage",
    "register_handler",
    "register_shape",
    "shape",
    "start_draft",
    "supports_images",
]


def is_available() -> bool:
    """An AI server is configured (OPENAI_API_KEY or OPENAI_BASE_URL); else the template drafter works."""
    return client.is_available()


def supports_images() -> bool:
    """The configured model accepts images (setting OPENAI_VISION): only then offer alt text."""
    return client.supports_images()


def draft(request: DraftRequest, *, user) -> DraftResult:
    return services.draft(request, user=user)


def start_draft(request: DraftRequest, *, user, handler: str, target: dict) -> DraftJob:
    return tasks.start_draft(request, user=user, handler=handler, target=target)


def register_handler(name: str, func) -> None:
    handlers.register_handler(name, func)


def register_shape(prompt: str, schema: dict, *, options: dict | None = None) -> None:
    shapes.register_shape(prompt, schema, options=options)


def shape(prompt: str) -> shapes.Shape:
    """The schema and standing options registered for `prompt`; LookupError when none is."""
    return shapes.shape(prompt)


def job_status(job_id: int, *, user) -> dict:
    """The job's state for polling; DraftJob.DoesNotExist unless it is the user's own job."""
    from drafting.queries import job_status as _job_status

    return _job_status(job_id, user=user)


def fact_check(text: str, *, brief: str, sources: Sequence[Source], own_hosts: Sequence[str]) -> list[Claim]:
    """Every date, time, amount, percentage, URL, e-mail, phone number, proper name and foreign
    link host in `text` that the brief and the sources do not support, in order of appearance."""
    return factcheck.check(text, brief=brief, sources=sources, own_hosts=own_hosts)


def month_usage() -> dict:
    """This month's AI calls and tokens against AI_MONTHLY_BUDGET_TOKENS: {"calls", "tokens",
    "budget", "percent"} (percent is None without a budget; one query)."""
    return usage.month_usage()
