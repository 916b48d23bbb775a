"""The usage log, the monthly budget and the per-user rate limit of the AI editor.

Every draft leaves one AICall row (the template drafter's too, at zero tokens). Before a request
goes to the AI server, the month's tokens are compared with AI_MONTHLY_BUDGET_TOKENS and the
user's calls of the last hour with AI_RATE_LIMIT_PER_HOUR (0 switches either off).
"""

import datetime
import time

from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from drafting.models import AICall
from drafting.prompts import Prompt
from drafting.types import DraftingError

# Outcomes that did not reach the model and so count against no limit.
_NOT_COUNTED = [AICall.Outcome.TEMPLATE, AICall.Outcome.BLOCKED]


def record(
    *,
    user,
    purpose: str,
    prompt: Prompt | None,
    version: str,
    model: str,
    tokens_in: int,
    tokens_out: int,
    started: float,
    outcome: str,
    error: str = "",
) -> AICall:
    return AICall.objects.create(
        user=user if getattr(user, "pk", None) else None,
        purpose=purpose[:40],
        model=(model or "")[:100],
        prompt_name=prompt.name if prompt else "",
        prompt_version=version[:40],
        tokens_in=tokens_in or 0,
        tokens_out=tokens_out or 0,
        duration_ms=int((time.monotonic() - started) * 1000),
        outcome=outcome,
        error=(error or "")[:4000],
    )


def month_start(now: datetime.datetime | None = None) -> datetime.datetime:
    local = timezone.localtime(now or timezone.now())
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def month_usage() -> dict:
    """This month's calls and tokens against the budget (one query)."""
    totals = AICall.objects.filter(created_at__gte=month_start()).aggregate(
        calls=Count("pk"), tokens_in=Sum("tokens_in"), tokens_out=Sum("tokens_out")
    )
    tokens = (totals["tokens_in"] or 0) + (totals["tokens_out"] or 0)
    budget = settings.AI_MONTHLY_BUDGET_TOKENS
    return {
        "calls": totals["calls"],
        "tokens": tokens,
        "budget": budget,
        "percent": round(100 * tokens / budget) if budget else None,
    }


def check_allowed(*, user, purpose: str, prompt: Prompt, version: str) -> None:
    """Raise a DraftingError (and log the blocked attempt) when the budget or rate limit is spent."""
    budget = settings.AI_MONTHLY_BUDGET_TOKENS
    if budget:
        used = month_usage()["tokens"]
        if used >= budget:
            _block(user, purpose, prompt, version, f"monthly budget {budget} tokens spent ({used})")
            raise DraftingError(
                _(
                    "This month's AI budget has been used up. The template drafter still works; "
                    "an administrator can raise the budget."
                ),
                retryable=False,
                outcome="blocked",
            )
    limit = settings.AI_RATE_LIMIT_PER_HOUR
    if limit and getattr(user, "pk", None):
        window_start = timezone.now() - datetime.timedelta(hours=1)
        recent = list(
            AICall.objects.filter(user=user, created_at__gte=window_start)
            .exclude(outcome__in=_NOT_COUNTED)
            .order_by("created_at")
            .values_list("created_at", flat=True)[:limit]
        )
        if len(recent) >= limit:
            wait = int((recent[0] + datetime.timedelta(hours=1) - timezone.now()).total_seconds()) + 1
            _block(user, purpose, prompt, version, f"rate limit {limit}/hour")
            raise DraftingError(
                _(
                    "You have asked the AI %(limit)s times in the past hour. "
                    "Please try again in %(minutes)s minutes."
                )
                % {"limit": limit, "minutes": max(1, (wait + 59) // 60)},
                retryable=True,
                retry_after=max(wait, 1),
                outcome="blocked",
            )


def _block(user, purpose, prompt, version, reason):
    record(
        user=user,
        purpose=purpose,
        prompt=prompt,
        version=version,
        model="",
        tokens_in=0,
        tokens_out=0,
        started=time.monotonic(),
        outcome=AICall.Outcome.BLOCKED,
        error=reason,
    )
