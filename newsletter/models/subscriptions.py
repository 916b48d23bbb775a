"""Who wants newsletters and who must never get one: sign-ups waiting for confirmation, and
suppressed addresses (hard bounces, spam complaints, unsubscribes without a person, erasures).

Consent itself is the CRM's (crm.Consent): a confirmed sign-up becomes consent there.
"""

import hashlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SubscriptionRequest(models.Model):
    """A sign-up from the portal form, waiting for the link in its confirmation mail (double opt-in).

    Only a hash of the link's token is stored: a database leak gives nobody a working link.
    """

    email = models.EmailField(_("email address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    # Consent topics (crm.Consent.Topic values) and crm.Interest slugs the person chose.
    topics = models.JSONField(_("newsletters"), default=list)
    interests = models.JSONField(_("themes"), default=list, blank=True)
    wording = models.TextField(_("consent wording"))
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    expires_at = models.DateTimeField(_("link valid until"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    person = models.ForeignKey(
        "crm.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        indexes = [models.Index(fields=["email", "created_at"])]

    def __str__(self):
        return self.email

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class Suppression(models.Model):
    """An address no newsletter may go to: it bounced hard, complained, or asked to hear nothing."""

    class Reason(models.TextChoices):
        HARD_BOUNCE = "hard_bounce", _("Hard bounce")
        COMPLAINT = "complaint", _("Spam complaint")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        ERASED = "erased", _("Person erased")
        MANUAL = "manual", _("Added by staff")

    email = models.EmailField(_("email address"), unique=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)
    delivery = models.ForeignKey(
        "newsletter.Delivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suppression")
        verbose_name_plural = _("suppressions")

    def __str__(self):
        return f"{self.email} ({self.get_reason_display()})"
