from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models.base import Timestamped


class Segment(Timestamped):
    """A saved filter over organisations and their people; newsletter audiences are segments.

    `filters` holds the criteria as plain JSON (crm.queries.segments documents the keys).
    """

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")

    def __str__(self):
        return self.name
