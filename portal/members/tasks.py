"""Celery tasks of the members' app: thin, fetched by id, safe to run twice."""

from celery import shared_task

from portal.members import services


@shared_task
def tell_reporter_resolved(report_id: int) -> str:
    """Mail a member that their report is resolved, after the follow-up's undo period (see
    services.tell_reporter_when_due); queued again when it runs early."""
    due = services.tell_reporter_when_due(report_id=report_id)
    if due is not None:
        tell_reporter_resolved.apply_async(args=[report_id], eta=due)
        return "waiting"
    return "done"
