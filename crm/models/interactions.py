from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.models.organisations import Attitude


class Interaction(models.Model):
    """A contact with partners: a visit, call, email or meeting, and what was said in it."""

    class Kind(models.TextChoices):
        VISIT = "bezoek", _("Visit")
        CALL = "telefoon", _("Call")
        EMAIL = "email", _("Email")
        MEETING = "overleg", _("Meeting")
        # A problem a member reported in the portal (a melding): logged by the member themself.
        REPORT = "melding", _("Report from the portal")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.VISIT)
    occurred_at = models.DateTimeField(_("when"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
    )
    organisations = models.ManyToManyField(
        "crm.Organisation", verbose_name=_("organisations"), related_name="interactions"
    )
    attendees = models.ManyToManyField(
        "crm.Person", verbose_name=_("people"), blank=True, related_name="interactions"
    )
    topics = models.ManyToManyField("crm.Interest", verbose_name=_("topics"), blank=True, related_name="+")
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    attitude = models.CharField(_("attitude afterwards"), max_length=20, choices=Attitude.choices, blank=True)
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [
            # By time, with the kind and the staff member in the index (PostgreSQL): the board's
            # dashboard counts a period's contacts per kind, month and accountmanager, and its
            # coverage finds the contacts of 90 days, from the index alone instead of every row
            # with its notes (at scale 100: 900 pages instead of 19,000 for a quarter).
            models.Index(fields=["occurred_at"], include=["kind", "staff", "id"], name="interaction_when"),
        ]
        # Who reads a contact's subject and notes is decided per role in crm.visibility.

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_at:%d-%m-%Y}"


class Signal(models.Model):
    """Something an accountmanager noticed that the organisation should act on or count."""

    class Kind(models.TextChoices):
        VACANCY_THREAT = "leegstand_dreigt", _("Vacancy threatens")
        COMPLAINT_CLEAN = "klacht_schoon", _("Complaint: clean")
        COMPLAINT_INTACT = "klacht_heel", _("Complaint: intact")
        COMPLAINT_SAFE = "klacht_veilig", _("Complaint: safe")
        EVENT_IDEA = "idee_evenement", _("Idea for an event")
        FUND_SUPPORT = "steun_fonds", _("Supports the fund")
        FUND_OPPOSITION = "bezwaar_fonds", _("Objects to the fund")
        CONFLICT = "conflict", _("Conflict")
        OTHER = "overig", _("Other")

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="signals")
    organisation = models.ForeignKey(
        "crm.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="signals"
    )
    kind = models.CharField(_("signal"), max_length=30, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("noticed"), db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")

    def __str__(self):
        return self.get_kind_display()


class FollowUp(models.Model):
    """Something to do after a contact: what, who, by when, and whether it is done."""

    interaction = models.ForeignKey(
        Interaction, null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    organisation = models.ForeignKey(
        "crm.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    description = models.CharField(_("what"), max_length=300)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    due_on = models.DateField(_("due"), db_index=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    # What came of it, given when it is ticked off; for a member's report it is the answer they get.
    outcome = models.TextField(_("outcome"), max_length=1000, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        # My work and the calendar feed read someone's open follow-ups by date; done ones (most of
        # them, after a year) stay out of the index.
        indexes = [
            models.Index(
                fields=["assigned_to", "due_on", "id"],
                condition=Q(done_at__isnull=True),
                name="follow_up_open_by_assignee",
            )
        ]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self):
        return self.description
