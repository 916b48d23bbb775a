from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from crm.models.base import Timestamped
from crm.text import search_document
from crm.validators import normalise_phone


class Person(Timestamped, ClusterableModel):
    """Someone the centre organisation deals with: an entrepreneur, an owner's agent, an alderman, …"""

    class Language(models.TextChoices):
        DUTCH = "nl", "Nederlands"
        ENGLISH = "en", "English"

    first_name = models.CharField(_("first name"), max_length=80, blank=True)
    last_name = models.CharField(_("last name"), max_length=120)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.DUTCH
    )
    interests = models.ManyToManyField(
        "crm.Interest", verbose_name=_("interests"), blank=True, related_name="people"
    )
    organisations = models.ManyToManyField(
        "crm.Organisation", through="crm.Role", related_name="people", verbose_name=_("organisations")
    )
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)
    # Derived: name and email addresses, normalised for search. Kept current by crm.services,
    # which call refresh_search_text() whenever emails change.
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            # Segments leave erased people out of every count; they are few, so this holds only them.
            models.Index(fields=["id"], condition=models.Q(erased_at__isnull=False), name="person_erased"),
        ]
        permissions = [
            ("erase_person", _("Can erase a person's data (AVG)")),
            ("export_person_data", _("Can export a person's data (AVG request of access)")),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)  # a ClusterableModel saves its emails here too
        self.refresh_search_text()

    def refresh_search_text(self, *, save: bool = True) -> None:
        emails = [address.email for address in self.emails.all()] if self.pk else []
        self.search_text = search_document(self.first_name, self.last_name, *emails)
        if save:
            type(self).objects.filter(pk=self.pk).update(search_text=self.search_text)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class EmailAddress(models.Model):
    """One of a person's email addresses; an address belongs to one person only."""

    person = ParentalKey(Person, on_delete=models.CASCADE, related_name="emails")
    email = models.EmailField(_("email address"), unique=True)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        ordering = ["-is_primary", "email"]
        verbose_name = _("email address")
        verbose_name_plural = _("email addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(is_primary=True), name="one_primary_email"
            ),
        ]

    def __str__(self):
        return self.email


class PhoneNumber(models.Model):
    """One of a person's phone numbers, stored in international form (+31…)."""

    class Kind(models.TextChoices):
        MOBILE = "mobiel", _("Mobile")
        LANDLINE = "vast", _("Landline")
        WORK = "werk", _("Work")

    person = ParentalKey(Person, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("phone number"), max_length=20)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MOBILE)

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")

    def __str__(self):
        return self.number

    def clean_fields(self, exclude=None):
        try:
            self.number = normalise_phone(self.number)
        except ValidationError as error:
            raise ValidationError({"number": error}) from None
        super().clean_fields(exclude=exclude)


class Role(models.Model):
    """What a person is at an organisation (owner, manager, …), and whether they are its main contact."""

    person = ParentalKey(Person, on_delete=models.CASCADE, related_name="roles")
    organisation = models.ForeignKey("crm.Organisation", on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(_("title"), max_length=100, blank=True)
    is_primary_contact = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation"], name="one_role_per_organisation"),
        ]

    def __str__(self):
        return f"{self.person} ({self.title or '-'}) @ {self.organisation}"


class Consent(models.Model):
    """A record of a person granting or withdrawing consent: what, when, how and in which words.

    Rows are only ever added; the newest row per topic is the person's current choice.
    """

    class Topic(models.TextChoices):
        SERVICE_NEWSLETTER = "nieuwsbrief_dienst", _("Service newsletter")
        MARKETING_NEWSLETTER = "nieuwsbrief_marketing", _("Marketing newsletter")
        DIRECTORY = "bedrijvengids", _("Listing in the business directory")

    class Source(models.TextChoices):
        STAFF = "medewerker", _("Recorded by staff")
        PORTAL = "portaal", _("Portal")
        SIGN_UP = "aanmelding", _("Sign-up form (double opt-in)")
        UNSUBSCRIBE = "afmelding", _("Unsubscribe link")
        IMPORT = "import", _("Import")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    granted = models.BooleanField(_("granted"))
    recorded_at = models.DateTimeField(_("recorded"), db_index=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    wording = models.TextField(_("wording"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [
            models.Index(fields=["person", "topic", "-recorded_at"]),
            # Segments ask "whose newest row for this topic grants it" across everyone: with `granted`
            # in the index that is read from the index alone, already in the window's order.
            models.Index(
                fields=["topic", "person", "-recorded_at", "-id", "granted"], name="consent_current_granted"
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.get_topic_display()} {'✓' if self.granted else '✗'}"
