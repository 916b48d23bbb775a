"""Newsletters as Wagtail pages: written, reviewed and archived in the portal's page tree."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from newsletter.blocks import NewsletterBodyBlock


class NewsletterKind(models.TextChoices):
    """Which consent a newsletter needs: members may want the service mail but not marketing."""

    SERVICE = "service", _("Service")
    MARKETING = "marketing", _("Marketing")

    @property
    def consent_topic(self) -> str:
        from crm.models import Consent

        if self is NewsletterKind.SERVICE:
            return Consent.Topic.SERVICE_NEWSLETTER
        return Consent.Topic.MARKETING_NEWSLETTER


class NewsletterIndexPage(Page):
    """The public archive of sent newsletters, and the parent under which newsletters are written."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["newsletter.NewsletterPage"]
    max_count = 1

    class Meta:
        verbose_name = _("newsletter archive")
        verbose_name_plural = _("newsletter archives")


class NewsletterPage(Page):
    """One newsletter issue: its content, kind and audience; sent only from an approved revision."""

    kind = models.CharField(
        _("kind"), max_length=20, choices=NewsletterKind.choices, default=NewsletterKind.SERVICE
    )
    subject = models.CharField(_("subject"), max_length=150)
    preheader = models.CharField(
        _("preview text"),
        max_length=200,
        blank=True,
        help_text=_("Shown after the subject in most inboxes."),
    )
    body = StreamField(NewsletterBodyBlock(), verbose_name=_("content"), blank=True)
    segments = ParentalManyToManyField(
        "crm.Segment", blank=True, related_name="+", verbose_name=_("send to segments")
    )
    excluded_segments = ParentalManyToManyField(
        "crm.Segment", blank=True, related_name="+", verbose_name=_("leave out segments")
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("subject"), FieldPanel("preheader"), FieldPanel("kind")], heading=_("Mail")
        ),
        FieldPanel("body"),
    ]
    audience_panels = [FieldPanel("segments"), FieldPanel("excluded_segments")]

    parent_page_types = ["newsletter.NewsletterIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")

    @property
    def consent_topic(self) -> str:
        return NewsletterKind(self.kind).consent_topic


@register_setting(icon="mail")
class NewsletterSettings(BaseSiteSetting):
    """Who newsletters come from, per kind; replies go to a person, not a no-reply box."""

    service_from_name = models.CharField(_("sender name (service)"), max_length=100, blank=True)
    service_from_email = models.EmailField(_("sender address (service)"), blank=True)
    marketing_from_name = models.CharField(_("sender name (marketing)"), max_length=100, blank=True)
    marketing_from_email = models.EmailField(_("sender address (marketing)"), blank=True)
    reply_to = models.EmailField(_("reply-to address"), blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("service_from_name"), FieldPanel("service_from_email")],
            heading=_("Service newsletters"),
        ),
        MultiFieldPanel(
            [FieldPanel("marketing_from_name"), FieldPanel("marketing_from_email")],
            heading=_("Marketing newsletters"),
        ),
        FieldPanel("reply_to"),
    ]

    class Meta:
        verbose_name = _("newsletter senders")


class NewsletterApproval(models.Model):
    """A reviewer's approval of one exact revision: what is sent is what was approved, and by whom."""

    revision = models.OneToOneField("wagtailcore.Revision", on_delete=models.CASCADE, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-approved_at"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")

    def __str__(self):
        return f"{self.revision} ({self.approved_by})"
