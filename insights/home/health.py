"""The Beheerder's view of the machinery: are the worker and beat alive, what failed, the last
send, the AI budget. Each read is a fixed number of queries; asking the workers directly (a
broadcast ping) is only done on request, because it waits for answers."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django_celery_results.models import TaskResult

from drafting import api as drafting
from newsletter.queries import drafts as newsletters

#: How many heartbeats may be missed before the home page says the machinery stopped.
MISSED_BEATS = 3
#: Failed tasks count from this far back.
FAILURES_DAYS = 7


@dataclass
class Health:
    eager: bool
    heartbeat_at: dt.datetime | None
    alive: bool
    failures: int
    recent_failures: list = field(default_factory=list)
    last_send: object = None
    ai: dict = field(default_factory=dict)

    @property
    def silent_minutes(self) -> int | None:
        if self.heartbeat_at is None:
            return None
        return int((timezone.now() - self.heartbeat_at).total_seconds() // 60)


def heartbeat_at() -> dt.datetime | None:
    """When a worker last ran the health check beat sends (one query)."""
    return (
        TaskResult.objects.filter(task_id=settings.HEARTBEAT_TASK_ID, status="SUCCESS")
        .values_list("date_done", flat=True)
        .first()
    )


def system_health(*, limit: int = 5) -> Health:
    """Everything on the Beheerder's panel (five queries)."""
    beat = heartbeat_at()
    now = timezone.now()
    alive = beat is not None and now - beat <= dt.timedelta(seconds=MISSED_BEATS * settings.HEARTBEAT_SECONDS)
    since = now - dt.timedelta(days=FAILURES_DAYS)
    failed = TaskResult.objects.filter(status="FAILURE", date_done__gte=since)
    return Health(
        eager=settings.CELERY_TASK_ALWAYS_EAGER,
        heartbeat_at=beat,
        alive=alive,
        failures=failed.count(),
        recent_failures=list(
            failed.order_by("-date_done").values("task_name", "date_done", "result")[:limit]
        ),
        last_send=newsletters.last_send(),
        ai=drafting.month_usage(),
    )


def ping_workers(*, timeout: float = 1.0) -> list[str]:
    """The names of the workers that answer a ping within `timeout` seconds (a broadcast through
    the broker; waits the whole timeout)."""
    from stadshart.celery import app

    replies = app.control.ping(timeout=timeout) or []
    return sorted(name for reply in replies for name in reply)
