from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftingConfig(AppConfig):
    """The AI editor's machinery: it drafts in a schema a consumer app gives and knows no newsletter."""

    name = "drafting"
    verbose_name = _("AI editor")
