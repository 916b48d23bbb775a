"""The portal's articles: news items and events, each a page of its own (listed by
portal.queries and by the index pages in portal.models.pages)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.blocks import BodyBlock
from portal.cache import PublicPageCacheMixin
from portal.models.base import PortalPage


class NewsPage(PublicPageCacheMixin, PortalPage):
    """One news item: date, a short intro for lists and search engines, the story, a picture."""

    date = models.DateField(_("date"), default=dt.date.today)
    body = StreamField(BodyBlock(), verbose_name=_("content"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = PortalPage.search_fields + [index.SearchField("body")]
    parent_page_types = ["portal.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")


class EventPage(PublicPageCacheMixin, RoutablePageMixin, Page):
    """An event in the centre: when, where, what; with a calendar file (ICS) to add it to a calendar."""

    intro = models.TextField(_("introduction"), max_length=600, blank=True)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("content"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("location"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("location"),
        index.SearchField("body"),
    ]
    parent_page_types = ["portal.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    @property
    def meta_description(self) -> str:
        return self.search_description or self.intro

    @property
    def is_past(self) -> bool:
        return (self.end or self.start) < timezone.now()

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("An event cannot end before it starts.")})

    @path("")
    def event(self, request):
        return self.render(request)

    @path("ics/", name="ics")
    def ics(self, request):
        # Imported when a calendar file is asked for: the icalendar library (~7 MB) stays out of
        # every process that only loads the models, the sending workers among them.
        from portal.calendar import event_ics

        response = HttpResponse(event_ics(self, request), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{slugify(self.title) or "event"}.ics"'
        return response
