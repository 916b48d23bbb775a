from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The member site: home, news, events, projects, directory, accounts, onboarding, reports."""

    name = "portal"
    verbose_name = _("Portal")
