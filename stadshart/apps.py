from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class StadshartConfig(AppConfig):
    """Project-wide plumbing: staff roles, the demo centre command, admin branding, health tasks."""

    name = "stadshart"
    verbose_name = _("Stadshart")

    def ready(self):
        from stadshart.sites import ensure_site_after_migrate

        # The public address comes from SITE_URL, and the Wagtail Site follows it (stadshart.sites).
        post_migrate.connect(ensure_site_after_migrate, sender=self, dispatch_uid="stadshart.ensure_site")
