from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    """Organisations, people, premises, interests, relations and the history of contact with them."""

    name = "crm"
    verbose_name = _("Relations")
