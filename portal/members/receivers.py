"""What the members' app does when the CRM reports a change (connected in apps.py)."""

from django.dispatch import receiver

from crm.signals import follow_up_completed


@receiver(follow_up_completed, dispatch_uid="members_resolve_report")
def resolve_report(sender, follow_up, user, **kwargs):
    # Only hands over: the rule lives in the service.
    from portal.members.services import resolve_report_for_follow_up

    resolve_report_for_follow_up(follow_up=follow_up, user=user)
