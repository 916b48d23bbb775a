"""Sending a newsletter: one Send per queued issue, one Delivery per recipient.

A Delivery is the unit of work and of truth: workers claim rows under a row lock (queued → sending
→ sent/failed), so two workers never send the same row and a dead worker's claims can be handed back.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Send(models.Model):
    """A newsletter's approved revision queued (now or at a time) for its audience."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        PAUSED = "paused", _("Paused")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    newsletter = models.ForeignKey(
        "newsletter.NewsletterPage",
        on_delete=models.PROTECT,
        related_name="sends",
        verbose_name=_("newsletter"),
    )
    # Approval freezes the content: the send points at the approved revision, not the live page.
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    scheduled_at = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=150)
    from_email = models.CharField(_("from"), max_length=254)
    reply_to = models.EmailField(_("reply-to"), blank=True)
    # The last time a worker claimed a batch of this send; beat restarts a send nobody works on.
    worked_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when a restore from a backup paused this send: the moment the backup was taken. Messages
    # may have left after it that the restored database does not know of; a person decides.
    held_after_restore = models.DateTimeField(_("held after restoring the backup of"), null=True, blank=True)
    # A send's results once its per-message events have passed their retention period (frozen
    # newsletter.queries.stats.SendResults as JSON); the results screen reads these instead.
    results_summary = models.JSONField(_("results kept as totals"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("send")
        verbose_name_plural = _("sends")
        permissions = [("send_newsletter", _("Can send newsletters"))]

    def __str__(self):
        return f"{self.subject} ({self.get_status_display()})"


class Delivery(models.Model):
    """One message of a send to one address, and what became of it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")  # unsubscribed or suppressed after queuing
        CANCELLED = "cancelled", _("Cancelled")

    # No index of its own: the unique (send, email) index leads with it.
    send = models.ForeignKey(Send, on_delete=models.CASCADE, related_name="deliveries", db_index=False)
    person = models.ForeignKey(
        "crm.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="newsletter_deliveries"
    )
    email = models.EmailField(_("email address"))  # lower-cased: one message per address, however written
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    claimed_by = models.CharField(_("claimed by"), max_length=200, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # A transient failure puts the row back in the queue, to be tried again no earlier than this.
    not_before = models.DateTimeField(_("retry after"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # Indexed below, without the pattern-ops twin db_index would add: nothing searches it with LIKE.
    esp_message_id = models.CharField(_("ESP message id"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["send", "email"], name="delivery_once_per_address")]
        indexes = [
            # A worker claims the lowest queued ids of a send: with the id in the index that is a
            # short range scan, not a walk past every row already sent. The recipient rides along
            # (PostgreSQL) so the results per sector read the index, not every delivery row.
            models.Index(fields=["send", "status", "id"], include=["person"], name="delivery_claim_order"),
            models.Index(fields=["esp_message_id"], name="delivery_esp_message_id"),
            # The reaper's: only the rows being sent (a few batches), not one entry per delivery.
            models.Index(
                fields=["claimed_at"], name="delivery_being_sent", condition=models.Q(status="sending")
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_status_display()})"


class DeliveryCount(models.Model):
    """How many deliveries of a send are in one state: the send's progress without counting its rows.

    Kept by a PostgreSQL trigger on the deliveries (migration 0009), whatever changes them, so the
    counts stay exact; a million-recipient send's progress is a read of a few dozen rows. Each
    database connection adds to its own shard (its backend pid modulo 32), so workers marking
    batches at once do not wait on one row; the progress sums the shards. Empty on SQLite, where
    the progress counts the deliveries themselves (newsletter.queries.sending).
    """

    # No foreign key constraint: the trigger writes here while deliveries (and sends) are deleted.
    send = models.ForeignKey(Send, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    shard = models.SmallIntegerField()
    status = models.CharField(max_length=20, choices=Delivery.Status.choices)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["send", "shard", "status"], name="delivery_count_once"),
        ]

    def __str__(self):
        return f"{self.send_id} {self.status}: {self.n}"
