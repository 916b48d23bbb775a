"""Where the centre's money comes from: contributions per organisation and year, and BIZ ballots."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ContributionKind(models.TextChoices):
    BIZ = "biz", _("BIZ contribution")
    FUND = "ondernemersfonds", _("Entrepreneurs' fund")
    VOLUNTARY = "vrijwillig", _("Voluntary contribution")
    SUBSIDY = "subsidie", _("Municipal subsidy")
    OTHER = "overig", _("Other")


class LevyImport(models.Model):
    """One import of the municipality's levy list: what it added, every row it refused, and undo."""

    class Status(models.TextChoices):
        # A dry run: the worker reads and checks the stored file, then it waits for "import".
        CHECKING = "controle", _("Reading and checking")
        CHECKED = "gecontroleerd", _("Checked: nothing changed yet")
        RUNNING = "bezig", _("Running")
        DONE = "klaar", _("Done")
        FAILED = "mislukt", _("Failed")
        UNDONE = "teruggedraaid", _("Undone")

    filename = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(max_length=64, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=ContributionKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RUNNING)
    total_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(_("added"), default=0)
    rejected_count = models.PositiveIntegerField(_("not taken"), default=0)
    # [{"line": 7, "reason": "..."}]: every row not taken, with its line number and why.
    rejected_rows = models.JSONField(default=list, blank=True)
    # The dry run's findings (see funding.levy.check_levy_list): rows, would add, rows not taken, sample.
    dry_run_report = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("levy list import")
        verbose_name_plural = _("levy list imports")

    def __str__(self):
        return f"{self.filename} ({self.year})"


class Contribution(models.Model):
    """One line of an organisation's ledger: what it owes the centre for a year, and what it paid.

    Replaces the CRM's single "yearly contribution" field: a year per line, so that who stopped
    contributing and how participation develops can be seen.
    """

    organisation = models.ForeignKey(
        "crm.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="contributions",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990)])
    kind = models.CharField(_("kind"), max_length=20, choices=ContributionKind.choices)
    amount = models.DecimalField(
        _("amount (€)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    invoiced_on = models.DateField(_("invoiced on"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_amount = models.DecimalField(
        _("paid (€)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    levy_import = models.ForeignKey(
        LevyImport,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="contributions",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "kind"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        permissions = [
            ("view_participation", _("Can see participation and who stopped contributing")),
            ("import_levy_list", _("Can import the municipality's levy list")),
        ]
        indexes = [models.Index(fields=["year", "kind"]), models.Index(fields=["paid_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "kind"],
                name="one_contribution_per_kind_and_year",
                violation_error_message=_(
                    "This organisation has a contribution of this kind for this year already."
                ),
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="contribution_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(paid_amount__isnull=True) | Q(paid_amount__gte=0),
                name="contribution_paid_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} {self.year}: {self.get_kind_display()} € {self.amount}"

    @property
    def received(self):
        """What was paid: the paid amount, or the whole amount when only the date was recorded."""
        if self.paid_on is None and self.paid_amount is None:
            return None
        return self.paid_amount if self.paid_amount is not None else self.amount


class Vote(models.TextChoices):
    FOR = "voor", _("For")
    AGAINST = "tegen", _("Against")
    BLANK = "blanco", _("Blank")
    INVALID = "ongeldig", _("Invalid")


class Ballot(models.Model):
    """A support ballot (draagvlakmeting) for a BIZ zone and period, as the municipality held it.

    Registered either per entitled party (from the CRM, each with its WOZ value and vote) or as the
    totals the municipality publishes. Before the vote, the per-party list is the forecast's basis.
    """

    class Mode(models.TextChoices):
        PARTIES = "partijen", _("Per entitled party")
        TOTALS = "totalen", _("Published totals")

    zone = models.CharField(_("zone"), max_length=120)
    period_start = models.PositiveSmallIntegerField(_("first year of the BIZ period"))
    period_end = models.PositiveSmallIntegerField(_("last year of the BIZ period"))
    held_on = models.DateField(_("ballot closed on"), null=True, blank=True)
    mode = models.CharField(_("registered as"), max_length=20, choices=Mode.choices, default=Mode.PARTIES)
    streets = models.TextField(
        _("streets of the zone"),
        blank=True,
        help_text=_("One street per line; the entitled parties are the active businesses in these streets."),
    )
    # The municipality's published totals (mode "totals").
    entitled = models.PositiveIntegerField(_("entitled to vote"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("votes against"), null=True, blank=True)
    votes_blank = models.PositiveIntegerField(_("blank votes"), null=True, blank=True)
    votes_invalid = models.PositiveIntegerField(_("invalid votes"), null=True, blank=True)
    woz_for = models.PositiveBigIntegerField(_("WOZ value of those for (€)"), null=True, blank=True)
    woz_against = models.PositiveBigIntegerField(_("WOZ value of those against (€)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "zone"]
        verbose_name = _("BIZ ballot")
        verbose_name_plural = _("BIZ ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "period_start"],
                name="one_ballot_per_zone_and_period",
                violation_error_message=_("A ballot for this zone and period is registered already."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="ballot_period_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.zone} {self.period_start}–{self.period_end}"


class BallotParty(models.Model):
    """A party entitled to vote in a ballot: its WOZ value then, and its vote once cast."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        "crm.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    woz_value = models.PositiveBigIntegerField(_("WOZ value (€)"), null=True, blank=True)
    vote = models.CharField(_("vote"), max_length=10, choices=Vote.choices, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("entitled party")
        verbose_name_plural = _("entitled parties")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "organisation"], name="one_vote_per_party"),
        ]

    def __str__(self):
        return f"{self.organisation_id} @ {self.ballot}"
