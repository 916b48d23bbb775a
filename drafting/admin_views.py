"""The "AI-assistent" screen under Settings: is AI available, which model, a connection test,
this month's use against the budget and the most recent calls."""

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from drafting import client, queries, usage
from drafting.models import AICall

PERMISSION = "drafting.view_aicall"
# What a call was for, as the usage log shows it; an unknown purpose is shown as it is.
PURPOSES = {
    "newsletter": gettext_lazy("Newsletter"),
    "rewrite": gettext_lazy("Rewrite"),
    "social": gettext_lazy("Social media"),
    "alt_text": gettext_lazy("Alt text"),
    "connection_test": gettext_lazy("Connection test"),
}


def _call_rows(calls):
    for call in calls:
        call.purpose_display = PURPOSES.get(call.purpose, call.purpose)
        tokens_in = number_format(call.tokens_in, force_grouping=True)
        call.tokens_display = f"{tokens_in} + {number_format(call.tokens_out, force_grouping=True)}"
        call.seconds_display = number_format(call.duration_ms / 1000, decimal_pos=1)
    return calls


def _grouped(month: dict) -> dict:
    """Token counts as Dutch readers write them: 1.500 and 10.000."""
    return {
        **month,
        "tokens_display": number_format(month["tokens"], force_grouping=True),
        "budget_display": number_format(month["budget"], force_grouping=True),
    }


class AISettingsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "drafting/settings.html"
    header_icon = "cogs"
    page_title = gettext_lazy("AI assistant")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": "", "label": _("AI assistant")},
        ]

    def get_context_data(self, **kwargs):
        base_url = settings.OPENAI_BASE_URL or "https://api.openai.com/v1"
        return super().get_context_data(
            available=client.is_available(),
            model=settings.OPENAI_MODEL,
            server=urlsplit(base_url).netloc or base_url,
            vision=client.supports_images(),
            structured=settings.OPENAI_STRUCTURED_OUTPUT,
            timeout=settings.OPENAI_TIMEOUT,
            rate_limit=settings.AI_RATE_LIMIT_PER_HOUR,
            month=_grouped(usage.month_usage()),
            calls=_call_rows(queries.recent_calls(20)),
            **kwargs,
        )

    def post(self, request):
        """Test the connection: one tiny request, logged like any other call."""
        if not client.is_available():
            messages.error(request, _("No AI server is configured; the template drafter is used."))
            return redirect("drafting:settings")
        started = time.monotonic()
        works, detail = client.test_connection()
        usage.record(
            user=request.user,
            purpose="connection_test",
            prompt=None,
            version="",
            model=detail if works else settings.OPENAI_MODEL,
            tokens_in=0,
            tokens_out=0,
            started=started,
            outcome=AICall.Outcome.OK if works else AICall.Outcome.ERROR,
            error="" if works else detail,
        )
        if works:
            messages.success(request, _("The AI server answers; model: %(model)s.") % {"model": detail})
        else:
            messages.error(request, _("The AI server does not answer: %(error)s") % {"error": detail})
        return redirect("drafting:settings")
