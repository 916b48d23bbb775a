from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """The board's statistics, composed read-only from each app's own queries."""

    name = "insights"
    verbose_name = _("Statistics")
