"""Project-wide settings, edited in the admin under Settings (Instellingen)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class CentreSettings(BaseSiteSetting):
    """The centre organisation itself, which runs this platform (not a CRM organisation): shown in
    the portal's footer and used as the sender of its mail."""

    name = models.CharField(_("name"), max_length=200, default="Stadshart")
    town = models.CharField(_("town"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)

    panels = [
        MultiFieldPanel([FieldPanel("name"), FieldPanel("town")], heading=_("Organisation")),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("email"), FieldPanel("phone")], heading=_("Contact")
        ),
    ]

    class Meta:
        verbose_name = _("centre organisation")
