"""Template helpers for the CRM's screens (and the dashboard panels that show CRM records)."""

from django import template

register = template.Library()


@register.filter
def task_for(follow_up, reads) -> str:
    """`{{ follow_up|task_for:reads }}`: its task for the roles that read it (crm.visibility),
    else only "Follow-up"."""
    return reads.task(follow_up)
