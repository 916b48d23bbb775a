"""What the members' app does when the CRM reports a change (connected in apps.py)."""

from django.db import transaction
from django.dispatch import receiver

from crm import services as crm_services
from crm.signals import follow_up_completed, follow_up_reopened
from portal.members import services, tasks
from portal.members.models import Report


@receiver(follow_up_completed, dispatch_uid="members_resolve_report")
def resolve_report(sender, follow_up, user, **kwargs):
    # Only hands over: the rules live in the services.
    report = services.resolve_report_for_follow_up(follow_up=follow_up, user=user)
    if report is not None and report.status == Report.Status.RESOLVED and report.reporter_told_at is None:
        # The mail waits until completing can no longer be undone; the task checks again then.
        report_id = report.pk
        transaction.on_commit(
            lambda: tasks.tell_reporter_resolved.apply_async(
                args=[report_id], countdown=crm_services.FOLLOW_UP_UNDO_MINUTES * 60
            )
        )


@receiver(follow_up_reopened, dispatch_uid="members_reopen_report")
def reopen_report(sender, follow_up, user, **kwargs):
    services.reopen_report_for_follow_up(follow_up=follow_up, user=user)
