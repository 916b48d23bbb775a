"""Pages and site settings of the member portal."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from portal.blocks import BodyBlock


class HomePage(Page):
    """The front door of the portal: what the centre organisation does and an invitation to join."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), verbose_name=_("content"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


@register_setting(icon="site")
class Organisation(BaseSiteSetting):
    """Who runs this centre: shown in the portal's footer and used as the sender of its mail."""

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
        verbose_name = _("organisation")
