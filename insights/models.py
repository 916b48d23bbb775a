from django.db import models
from django.utils.translation import gettext_lazy as _


class Insights(models.Model):
    """No table: the holder of the permission to read the board's dashboard (Inzichten).

    The figures are read live from each app's own tables (see insights.queries); nothing is stored.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_dashboard", _("Can read the board's dashboard"))]
        verbose_name = _("statistics")
        verbose_name_plural = _("statistics")

    def __str__(self):
        return str(self._meta.verbose_name)
