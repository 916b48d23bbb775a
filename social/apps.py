from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialConfig(AppConfig):
    name = "social"
    label = "social"
    verbose_name = _("Social media")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The drafting worker calls back into this app by name; the name must exist in every process.
        from social import drafting, signals  # noqa: F401
