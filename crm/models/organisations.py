from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.models.base import Address, Timestamped
from crm.text import normalise, search_document
from crm.validators import (
    normalise_digits,
    normalise_postcode,
    validate_branch_number,
    validate_kvk_number,
)


class Interest(models.Model):
    """A theme a partner cares about (schoon-heel-veilig, evenementen, leegstand, …): a managed list."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("interest")
        verbose_name_plural = _("interests")

    def __str__(self):
        return self.name


class Attitude(models.TextChoices):
    SUPPORTER = "voorstander", _("Supporter")
    NEUTRAL = "neutraal", _("Neutral")
    CRITIC = "criticus", _("Critic")


class Organisation(Address, Timestamped):
    """A partner of the centre: a business, property owner, the municipality, a school, …"""

    class Kind(models.TextChoices):
        ENTREPRENEUR = "ondernemer", _("Entrepreneur")
        PROPERTY_OWNER = "vastgoedeigenaar", _("Property owner")
        MUNICIPALITY = "gemeente", _("Municipality")
        RESIDENTS = "bewonersorganisatie", _("Residents' association")
        EDUCATION = "onderwijs", _("Education")
        CULTURE = "cultuur", _("Culture")
        CITY_MARKETING = "citymarketing", _("City marketing")
        SAFETY = "veiligheid", _("Safety")
        OTHER = "overig", _("Other")

    class Sector(models.TextChoices):
        RETAIL_DAILY = "retail_dagelijks", _("Retail, daily goods")
        RETAIL_NON_DAILY = "retail_niet_dagelijks", _("Retail, non-daily goods")
        HORECA = "horeca", _("Hospitality")
        SERVICES = "dienstverlening", _("Services")
        CULTURE_LEISURE = "cultuur_vrije_tijd", _("Culture and leisure")
        CARE = "zorg", _("Care")
        OTHER = "overig", _("Other")

    class Lifecycle(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        ACTIVE = "actief", _("Active")
        LEFT = "vertrokken", _("Left or closed")

    class FundStatus(models.TextChoices):
        BIZ = "biz", _("BIZ levy")
        VOLUNTARY = "vrijwillig", _("Voluntary contribution")
        NONE = "geen", _("None")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.ENTREPRENEUR)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, blank=True)
    kvk_number = models.CharField(
        _("KvK number"), max_length=8, blank=True, db_index=True, validators=[validate_kvk_number]
    )
    branch_number = models.CharField(
        _("branch number"), max_length=12, blank=True, validators=[validate_branch_number]
    )
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    # The public business profile: what the member keeps current in the portal and the directory shows.
    description = models.TextField(_("short description"), max_length=600, blank=True)
    opening_hours = models.TextField(_("opening hours"), max_length=400, blank=True)
    instagram = models.URLField(_("Instagram"), blank=True)
    facebook = models.URLField(_("Facebook"), blank=True)
    linkedin = models.URLField(_("LinkedIn"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    in_directory = models.BooleanField(
        _("listed in the business directory"),
        default=False,
        help_text=_("Only with the business's consent; the consent itself is kept with the contact person."),
    )

    lifecycle = models.CharField(
        _("lifecycle"), max_length=20, choices=Lifecycle.choices, default=Lifecycle.ACTIVE
    )
    started_on = models.DateField(_("active since"), null=True, blank=True)
    ended_on = models.DateField(_("left or closed on"), null=True, blank=True)

    fund_status = models.CharField(
        _("fund status"), max_length=20, choices=FundStatus.choices, default=FundStatus.NONE
    )
    portal_member = models.BooleanField(_("portal member"), default=False)
    interests = models.ManyToManyField(
        Interest, verbose_name=_("interests"), blank=True, related_name="organisations"
    )

    influence = models.PositiveSmallIntegerField(
        _("influence"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    interest_level = models.PositiveSmallIntegerField(
        _("interest"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    attitude = models.CharField(_("attitude"), max_length=20, choices=Attitude.choices, blank=True)
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts",
        db_index=False,  # organisation_manager_street below starts with it
    )
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True, db_index=True)
    # Derived: name, address, KvK and email, normalised for search (see crm.queries.search).
    search_text = models.TextField(editable=False, blank=True, default="")
    # Derived: the name alone, normalised; the public directory searches only what it shows.
    name_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        permissions = [
            ("import_organisations", _("Can import organisations")),
            ("export_records", _("Can export lists of the CRM")),
            ("merge_records", _("Can merge duplicate records")),
        ]
        indexes = [
            models.Index(fields=["street", "house_number"]),
            models.Index(fields=["postcode"]),
            # The list's order: a page of 50 reads 50 index entries instead of sorting every organisation.
            models.Index(fields=["name", "id"], name="organisation_by_name"),
            # My work's streets are those of an accountmanager's businesses (10,000 each at scale 100):
            # read from this index alone, not from every row.
            models.Index(fields=["account_manager", "street"], name="organisation_manager_street"),
            # The board's figures are about the active businesses of a kind, per street and sector:
            # read from this index alone instead of the 22 MB of organisations at scale 100
            # (eight of the dashboard's queries; ~1.2 times faster as a whole).
            models.Index(
                fields=["kind", "lifecycle", "street", "sector"], include=["id"], name="organisation_segment"
            ),
            # organisation_by_influence, for crm.queries.stakeholders.circles, is PostgreSQL's own
            # (SQLite's indexes know no NULLS LAST): see migration 0015.
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["branch_number"], condition=~Q(branch_number=""), name="unique_branch_number"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="organisation_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return self.name

    def clean_fields(self, exclude=None):
        # People type "1234 5678" and "4811ab"; store the one canonical form, then validate it.
        self.kvk_number = normalise_digits(self.kvk_number)
        self.branch_number = normalise_digits(self.branch_number)
        self.postcode = normalise_postcode(self.postcode)
        super().clean_fields(exclude=exclude)

    def build_search_text(self) -> str:
        return search_document(
            self.name,
            self.street_address,
            self.postcode,
            self.postcode.replace(" ", ""),
            self.town,
            self.kvk_number,
            self.branch_number,
            self.email,
        )

    def fill_search_fields(self) -> None:
        """Set the derived search columns; paths that bypass save() (bulk creates) call this."""
        self.search_text = self.build_search_text()
        self.name_text = normalise(self.name)

    def save(self, *args, **kwargs):
        self.fill_search_fields()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "name_text"}
        super().save(*args, **kwargs)


class StakeholderPositionChange(models.Model):
    """One step in the history of an organisation's influence, interest and attitude."""

    # Indexed below, with the time: the foreign key's own index would be a shorter copy of it.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="position_changes", db_index=False
    )
    influence = models.PositiveSmallIntegerField(_("influence"), null=True, blank=True)
    interest_level = models.PositiveSmallIntegerField(_("interest"), null=True, blank=True)
    attitude = models.CharField(_("attitude"), max_length=20, choices=Attitude.choices, blank=True)
    changed_at = models.DateTimeField(_("changed"), db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    interaction = models.ForeignKey(
        "crm.Interaction", null=True, blank=True, on_delete=models.SET_NULL, related_name="position_changes"
    )

    class Meta:
        ordering = ["-changed_at"]
        verbose_name = _("change of stakeholder position")
        verbose_name_plural = _("changes of stakeholder position")
        indexes = [
            # An organisation's attitude at a date is its latest change before it: one step down
            # this index, without reading the row (PostgreSQL), for every business on the dashboard.
            models.Index(
                fields=["organisation", "-changed_at", "-id"],
                include=["attitude"],
                name="position_latest",
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.changed_at:%d-%m-%Y}"


class Relation(models.Model):
    """How two organisations are bound: one owns the other's premises, is a member, partner, supplier."""

    class Kind(models.TextChoices):
        OWNS_PREMISES_OF = "pandeigenaar_van", _("owns the premises of")
        MEMBER_OF = "lid_van", _("is a member of")
        PARTNER_OF = "partner_van", _("is a partner of")
        SUPPLIER_OF = "leverancier_van", _("is a supplier of")
        PART_OF = "onderdeel_van", _("is part of")
        OTHER = "overig", _("is related to")

    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="relations_from"
    )
    to_organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="relations_to")
    kind = models.CharField(_("relation"), max_length=30, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        constraints = [
            models.UniqueConstraint(
                fields=["from_organisation", "to_organisation", "kind"], name="unique_relation"
            ),
            models.CheckConstraint(
                condition=~Q(from_organisation=models.F("to_organisation")), name="relation_between_two"
            ),
        ]

    def __str__(self):
        return f"{self.from_organisation} {self.get_kind_display()} {self.to_organisation}"
