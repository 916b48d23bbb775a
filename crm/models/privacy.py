import calendar
import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def one_month_after(day: dt.date) -> dt.date:
    """The same day of the next month, or its last day when it has no such day (31 January → 28/29
    February): how a term of "one month" is counted (AVG art. 12(3); Algemene termijnenwet)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class AccessRequest(models.Model):
    """A person asks for everything we hold about them, including what staff wrote (AVG art. 15).

    Unlike the member's own data, which the portal hands over at once, this holds staff's notes
    about other people too, so a person reads it first. The answer is due within one month of the
    request (art. 12(3)); staff send it from the CRM's AVG screen, and both steps are in the audit
    trail of the person.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SENT = "verstuurd", _("Sent")

    class Channel(models.TextChoices):
        PORTAL = "portaal", _("Member portal")
        STAFF = "medewerker", _("Received by staff (mail, letter, in person)")

    person = models.ForeignKey(
        "crm.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="access_requests"
    )
    channel = models.CharField(_("received through"), max_length=20, choices=Channel.choices)
    requested_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("answer due"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_to = models.EmailField(_("sent to"), blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("request of access (AVG)")
        verbose_name_plural = _("requests of access (AVG)")
        constraints = [
            # One open request per person: asking twice while waiting is the same request.
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(status="open"), name="one_open_access_request"
            )
        ]

    def __str__(self):
        return f"{self.person} ({timezone.localtime(self.requested_at):%d-%m-%Y})"

    def save(self, *args, **kwargs):
        if self.due_on is None:
            self.due_on = one_month_after(timezone.localtime(self.requested_at).date())
        super().save(*args, **kwargs)

    def days_left(self, today: dt.date | None = None) -> int:
        return (self.due_on - (today or timezone.localdate())).days
