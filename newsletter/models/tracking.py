"""What became of each message after it left: the events ESPs report.

Events arrive through anymail's signed tracking webhooks (newsletter.tracking decides what they
mean, newsletter.esp_events stores them). Each is stored once: the ESP's own event id (or a hash
of the payload when an ESP gives none) is unique per ESP, so a webhook retried by the ESP, or
replayed, changes nothing.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeliveryEvent(models.Model):
    """One thing an ESP reported about one message: delivered, bounced, opened, clicked, …"""

    class Type(models.TextChoices):
        # anymail's normalized event types (anymail.signals.EventType), the ones ESPs send us.
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        DEFERRED = "deferred", _("Deferred")
        BOUNCED = "bounced", _("Bounced")
        REJECTED = "rejected", _("Rejected")
        FAILED = "failed", _("Failed")
        OPENED = "opened", _("Opened")
        CLICKED = "clicked", _("Clicked")
        COMPLAINED = "complained", _("Marked as spam")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        SUBSCRIBED = "subscribed", _("Subscribed")
        AUTORESPONDED = "autoresponded", _("Automatic reply")
        UNKNOWN = "unknown", _("Unknown")

    delivery = models.ForeignKey(
        "newsletter.Delivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    # Copied from the delivery so that a newsletter's statistics read one indexed table.
    send = models.ForeignKey(
        "newsletter.Send", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    esp = models.CharField(_("ESP"), max_length=30)
    event_id = models.CharField(_("event id"), max_length=200)
    event_type = models.CharField(_("event"), max_length=20, choices=Type.choices)
    timestamp = models.DateTimeField(_("time"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    message_id = models.CharField(_("ESP message id"), max_length=200, blank=True)
    # A permanent bounce (mailbox does not exist) suppresses the address; a soft one does not.
    is_hard_bounce = models.BooleanField(_("hard bounce"), default=False)
    url = models.TextField(_("link"), blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    # Opens by privacy proxies and clicks by link scanners are kept, but left out of the rates.
    is_machine = models.BooleanField(_("by a machine"), default=False)
    machine_reason = models.CharField(_("why a machine"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    raw = models.JSONField(_("ESP payload"), default=dict, blank=True)

    class Meta:
        ordering = ["-timestamp"]
        verbose_name = _("delivery event")
        verbose_name_plural = _("delivery events")
        permissions = [("view_newsletter_results", _("Can view newsletter results"))]
        constraints = [
            models.UniqueConstraint(fields=["esp", "event_id"], name="delivery_event_once_per_esp"),
        ]
        indexes = [
            # The results of a send (and the board's dashboard) count people per kind of event: with
            # the message, the machine flags and the id in the index (PostgreSQL) that is an index-only
            # scan instead of a read of every event row with its ESP payload.
            models.Index(
                fields=["send", "event_type", "timestamp"],
                include=["delivery", "is_machine", "is_hard_bounce", "id"],
                name="delivery_event_results",
            ),
            models.Index(fields=["delivery", "event_type"]),
            # A send's newest event in one step: what the dashboard's kept reach checks (insights.tallies).
            models.Index(fields=["send", "id"], name="delivery_event_newest"),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.get_event_type_display()}"
