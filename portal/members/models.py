"""Member accounts of the portal, their invitations and applications, and the problems they report."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.validators import validate_kvk_number
from stadshart.storage import private_storage


class Membership(models.Model):
    """A member's login acting for one person of one business in the CRM.

    Members are ordinary Django users (never staff, in no staff group); what they may see and
    change follows from the organisation here. The onboarding step is kept so that a member who
    leaves halfway continues where they stopped.
    """

    class Step(models.TextChoices):
        BUSINESS = "bedrijf", _("Business details")
        INTERESTS = "interesses", _("Interests")
        NEWSLETTER = "nieuwsbrief", _("Newsletters")
        DIRECTORY = "bedrijvengids", _("Business directory")
        DONE = "klaar", _("Done")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    person = models.ForeignKey("crm.Person", on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "crm.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    onboarding_step = models.CharField(
        _("onboarding step"), max_length=20, choices=Step.choices, default=Step.BUSINESS
    )
    onboarded_at = models.DateTimeField(_("onboarding completed"), null=True, blank=True)
    created_at = models.DateTimeField(_("member since"), default=timezone.now)
    closed_at = models.DateTimeField(_("account closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.person} ({self.organisation})"

    @property
    def is_active(self) -> bool:
        return self.closed_at is None and self.user.is_active


class Invitation(models.Model):
    """A single-use, expiring link that lets a person of a business create their account.

    Only a hash of the token is stored: a copy of the database cannot be used to accept invitations.
    """

    email = models.EmailField(_("email address"))
    person = models.ForeignKey("crm.Person", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "crm.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} ({self.organisation})"

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class Application(models.Model):
    """A business asking to join the portal; staff approve (an invitation follows) or reject it."""

    class Status(models.TextChoices):
        PENDING = "nieuw", _("Waiting for a decision")
        APPROVED = "goedgekeurd", _("Approved")
        REJECTED = "afgewezen", _("Rejected")

    business_name = models.CharField(_("business name"), max_length=200)
    kvk_number = models.CharField(_("KvK number"), max_length=8, validators=[validate_kvk_number])
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=120)
    email = models.EmailField(_("email address"))
    message = models.TextField(_("message"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason for rejection"), blank=True)
    organisation = models.ForeignKey(
        "crm.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        return f"{self.business_name} ({self.kvk_number})"

    @property
    def applicant_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Report(models.Model):
    """A problem in the street a member reports (a melding): it becomes a contact with a follow-up
    for the facilitair coördinator in the CRM, and the member follows its status."""

    class Category(models.TextChoices):
        CLEAN = "schoon", _("Clean (litter, graffiti)")
        INTACT = "heel", _("Intact (broken paving, lighting)")
        SAFE = "veilig", _("Safe")
        NUISANCE = "overlast", _("Nuisance")
        OTHER = "overig", _("Other")

    class Status(models.TextChoices):
        NEW = "nieuw", _("New")
        IN_PROGRESS = "in_behandeling", _("In progress")
        RESOLVED = "opgelost", _("Resolved")
        REJECTED = "afgewezen", _("Not taken up")

    organisation = models.ForeignKey(
        "crm.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.TextField(_("description"), max_length=2000)
    location = models.CharField(_("location"), max_length=200)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # In the private storage (stadshart/storage.py), never under a public media URL: served only
    # to the member's business and to staff who handle reports; re-encoded without metadata.
    photo = models.FileField(_("photo"), upload_to="meldingen/%Y/%m/", storage=private_storage, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    response = models.TextField(
        _("answer to the member"), blank=True, help_text=_("The member sees this with the status.")
    )
    interaction = models.ForeignKey(
        "crm.Interaction", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up = models.OneToOneField(
        "crm.FollowUp", null=True, blank=True, on_delete=models.SET_NULL, related_name="report"
    )
    created_at = models.DateTimeField(_("reported"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    # When the member was mailed that it was resolved: the mail waits for the undo period of the
    # follow-up, and this makes sending it idempotent.
    reporter_told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self):
        return f"{self.get_category_display()}: {self.location}"

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.RESOLVED, self.Status.REJECTED)
