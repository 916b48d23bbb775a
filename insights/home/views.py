"""Asking the workers directly, from the Beheerder's health panel when the heartbeat went quiet."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from insights import home
from insights.home import health
from stadshart import roles


def ask_workers(request):
    """Ping every worker through the broker (waits a second for the answers) and show who answered
    beside the last heartbeat: answers without a fresh heartbeat mean beat is not running."""
    if roles.BEHEERDER not in home.user_roles(request.user):
        raise PermissionDenied
    try:
        workers, broker_error = health.ping_workers(timeout=1.0), ""
    except Exception as error:  # the broker itself may be down: say so instead of a 500
        workers, broker_error = [], str(error) or error.__class__.__name__
    return TemplateResponse(
        request,
        "insights/home/workers.html",
        {
            "page_title": _("Worker and beat"),
            "header_icon": "cogs",
            "workers": workers,
            "broker_error": broker_error,
            "state": health.system_health(),
        },
    )
