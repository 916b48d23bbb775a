"""What the AI editor wrote in a newsletter, so the reviewer can see it and check it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AIDraft(models.Model):
    """One AI draft of a newsletter, saved as its own revision.

    Kept beside the revision: the brief, the sources (their text too, so the fact check can be run
    again at review time), the model and prompt version, the AI call in the usage log, the subject
    lines offered, and a fingerprint of every block and sentence the AI wrote. A later revision
    is compared with these fingerprints: what still matches was written by the AI and not changed
    by a person since.
    """

    page = models.ForeignKey("newsletter.NewsletterPage", on_delete=models.CASCADE, related_name="ai_drafts")
    revision = models.OneToOneField(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    job_id = models.PositiveIntegerField(_("drafting job"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("drafted"), auto_now_add=True)
    brief = models.TextField(_("brief"))
    options = models.JSONField(_("options"), default=dict, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    model_name = models.CharField(_("model"), max_length=100)
    prompt_version = models.CharField(_("prompt version"), max_length=40, blank=True)
    call_id = models.PositiveIntegerField(_("AI call"), null=True, blank=True)
    template = models.BooleanField(_("template drafter"), default=False)
    subject_lines = models.JSONField(_("subject lines"), default=list, blank=True)
    preheader = models.CharField(_("preview text"), max_length=200, blank=True)
    # {"blocks": [sha256 prefix, ...], "sentences": [...]} of the text as the AI wrote it.
    fingerprints = models.JSONField(_("fingerprints"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("AI draft")
        verbose_name_plural = _("AI drafts")

    def __str__(self):
        return f"{self.page_id}: {self.model_name} ({self.created_at:%Y-%m-%d %H:%M})"


class AIRewrite(models.Model):
    """A rewrite of one block that an editor accepted: its sentences count as AI-written too."""

    page = models.ForeignKey(
        "newsletter.NewsletterPage", on_delete=models.CASCADE, related_name="ai_rewrites"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("rewritten"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=20)
    model_name = models.CharField(_("model"), max_length=100)
    prompt_version = models.CharField(_("prompt version"), max_length=40, blank=True)
    call_id = models.PositiveIntegerField(_("AI call"), null=True, blank=True)
    fingerprints = models.JSONField(_("fingerprints"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("AI rewrite")
        verbose_name_plural = _("AI rewrites")

    def __str__(self):
        return f"{self.page_id}: {self.action} ({self.model_name})"
