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

        # Wherever a user is shown by itself (choices, filters, lists, history), show the person's
        # name: a login name is for logging in (issue 15, "no usernames where a name belongs").
        from django.contrib.auth import get_user_model

        get_user_model().__str__ = _person_name


def _person_name(user) -> str:
    return user.get_full_name() or user.get_username()
