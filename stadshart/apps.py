from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StadshartConfig(AppConfig):
    """Project-wide plumbing: staff roles, the demo centre command, admin branding, health tasks."""

    name = "stadshart"
    verbose_name = _("Stadshart")
