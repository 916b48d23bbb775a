"""Newsletters as Wagtail pages: written, reviewed and archived in the portal's page tree."""

from django.core.paginator import Paginator
from django.db import models
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page

from newsletter.blocks import NewsletterBodyBlock
from newsletter.models.review import review_workflow
from newsletter.page_forms import NewsletterPageForm
from stadshart.richtext import CleanRichTextField

# The preview's policy (django-csp's per-response replacement): styles inline, nothing to run.
PREVIEW_CSP = {"style-src": ["'unsafe-inline'"], "script-src": ["'none'"], "form-action": ["'none'"]}


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


def workflow_for_newsletters(*paths: str):
    """The workflow of a newsletter or the archive: one set on either wins, else "Redactie".

    Never the site-wide default workflow of the root page, also when the archive was made after
    the migration that assigned "Redactie" to it.
    """
    from wagtail.models import WorkflowPage

    own = (
        WorkflowPage.objects.filter(page__path__in=paths, workflow__active=True)
        .select_related("workflow")
        .order_by("-page__depth")
        .first()
    )
    if own is not None:
        return own.workflow
    return review_workflow()


class NewsletterIndexPage(Page):
    """The public archive of sent newsletters, and the parent under which newsletters are written."""

    intro = CleanRichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["newsletter.NewsletterPage"]
    max_count = 1
    issues_per_page = 12

    def get_workflow(self):
        # The archive's own workflow is the one its newsletters get (the editor's "Submit to …"
        # button for a new newsletter asks the archive).
        return workflow_for_newsletters(self.path) or super().get_workflow()

    def sent_issues(self):
        """Public issues that were sent, newest send first: the archive never shows a mere draft."""
        from newsletter.models.sending import Send

        return (
            NewsletterPage.objects.child_of(self)
            .live()
            .public()
            .filter(sends__status=Send.Status.SENT)
            .annotate(
                sent_at=models.Max(Coalesce("sends__finished_at", "sends__started_at", "sends__created_at"))
            )
            .order_by("-sent_at", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.sent_issues(), self.issues_per_page)
        context["issues"] = paginator.get_page(request.GET.get("pagina"))
        return context

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
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(audience_panels, heading=_("Audience")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    parent_page_types = ["newsletter.NewsletterIndexPage"]
    subpage_types = []
    base_form_class = NewsletterPageForm

    # The preview is the mail itself; "telefoon" applies the phone layout at any window width.
    preview_modes = [("", _("Email (desktop)")), ("phone", _("Email (phone)"))]

    @property
    def preview_sizes(self):
        return [
            {"name": "mobile", "icon": "mobile-alt", "device_width": 360, "label": _("Phone (360 px)")},
            {"name": "desktop", "icon": "desktop", "device_width": 1024, "label": _("Desktop")},
        ]

    def serve_preview(self, request, mode_name):
        from newsletter.rendering import render_newsletter

        base_url = request.build_absolute_uri("/")
        rendered = render_newsletter(self, base_url=base_url, phone=mode_name == "phone")
        html_body, _text = rendered.personalise(web_url=self.full_url or "")
        response = HttpResponse(html_body)
        # Wagtail runs the preview through the portal's middleware, whose CSP forbids inline
        # styles; a mail is nothing but inline styles. For this response only: its own styles,
        # still no script, no plugin, no form, no framing by other sites.
        response._csp_replace = PREVIEW_CSP
        return response

    def get_workflow(self):
        archive_path = self.path[: -self.steplen]
        return workflow_for_newsletters(self.path, archive_path) or super().get_workflow()

    def last_send(self):
        """The newest finished send of this issue, whose approved revision the web version shows."""
        from newsletter.models.sending import Send

        return self.sends.filter(status=Send.Status.SENT).select_related("revision").order_by("-pk").first()

    def get_sitemap_urls(self, request=None):
        # Only sent issues have a public web version (see serve).
        return super().get_sitemap_urls(request) if self.last_send() else []

    def serve(self, request, *args, **kwargs):
        # Approval publishes a newsletter, but the public sees an issue only after it was sent,
        # and then exactly as sent (the send's revision), not later edits.
        send = self.last_send()
        if send is None:
            raise Http404
        from newsletter.rendering import render_web_body

        issue = send.revision.as_object()
        context = self.get_context(request, *args, **kwargs)
        context.update(
            {
                "page": issue,
                "self": issue,
                "sent_at": send.finished_at or send.started_at,
                "web_body": render_web_body(issue, base_url=request.build_absolute_uri("/")),
            }
        )
        return TemplateResponse(request, self.get_template(request, *args, **kwargs), context)

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
