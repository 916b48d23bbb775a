"""Newsletters in the editorial review, and the latest send: what communications look at first."""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import WorkflowState

from newsletter.models import NewsletterPage, Send


def awaiting_review(*, limit: int = 5) -> tuple[int, list[NewsletterPage]]:
    """Newsletters submitted to the review and not decided yet: how many, and the longest
    waiting few with who asked (three queries; the content type comes from Django's cache)."""
    states = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS,
        content_type=ContentType.objects.get_for_model(NewsletterPage),
    )
    total = states.count()
    waiting = list(states.select_related("requested_by").order_by("created_at")[:limit])
    pages = NewsletterPage.objects.in_bulk([int(state.object_id) for state in waiting])
    result = []
    for state in waiting:
        page = pages.get(int(state.object_id))
        if page is not None:
            page.review_state = state
            result.append(page)
    return total, result


def last_send() -> Send | None:
    """The send started most recently (sent, sending or paused), with its newsletter (one query)."""
    return (
        Send.objects.filter(started_at__isnull=False)
        .exclude(status=Send.Status.CANCELLED)
        .select_related("newsletter")
        .order_by("-started_at", "-pk")
        .first()
    )
