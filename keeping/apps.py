from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KeepingConfig(AppConfig):
    """Keeping the data: backups that restore, retention by law, and the archive to take along."""

    name = "keeping"
    verbose_name = _("Keeping the data")
    default_auto_field = "django.db.models.BigAutoField"
