"""Counts of the staff's contacts kept beside the contacts themselves, so the board's dashboard adds
up a few thousand rows instead of reading a million contacts (crm.tallies keeps them exact)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactTally(models.Model):
    """How many staff contacts of one kind one staff member had on one day with the organisations
    of one segment: a street, a sector, a kind of organisation or any combination of them, or the
    whole centre (`dimension` and `value` empty).

    A contact counts once in every segment any of its organisations belongs to, as the dashboard
    counts it: "contacts with horeca" are the contacts in which any horeca business took part.
    Every combination has rows of its own, so a filter on two of them never counts a contact twice.
    """

    #: The segment's parts, in this order in `dimension` ("street|sector") and `value`.
    PARTS = ("street", "sector", "kind")

    day = models.DateField()
    kind = models.CharField(max_length=20)
    # The user's id without a foreign key (0: no staff member), so the counts outlive an account;
    # crm.tallies moves them when a user is deleted.
    staff_id = models.IntegerField(default=0)
    dimension = models.CharField(max_length=20, blank=True)
    value = models.CharField(max_length=300, blank=True)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("contact tally")
        verbose_name_plural = _("contact tallies")
        indexes = [
            models.Index(fields=["dimension", "value", "day"], name="contact_tally_segment_day"),
            models.Index(fields=["day"], name="contact_tally_day"),
        ]

    def __str__(self):
        return f"{self.day} {self.kind} {self.dimension}={self.value}: {self.n}"

    @classmethod
    def segment_key(cls, street: str = "", sector: str = "", kind: str = "") -> tuple[str, str]:
        """(dimension, value) of a segment; streets compared without case, as the filter does."""
        chosen = [
            (name, value)
            for name, value in zip(cls.PARTS, (street.lower(), sector, kind), strict=True)
            if value
        ]
        return "|".join(name for name, _value in chosen), "|".join(value for _name, value in chosen)


class ContactSpan(models.Model):
    """A run of days on which an organisation had staff contacts, none more than COVERAGE_DAYS
    apart: the organisation counts as contacted in the 90 days before any date in the run (and up
    to 89 days after its last contact). Most businesses have one or two runs, so the dashboard's
    coverage reads one narrow row per business instead of all their contacts."""

    organisation = models.ForeignKey(
        "crm.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    first_day = models.DateField()
    last_day = models.DateField()

    class Meta:
        verbose_name = _("contact span")
        verbose_name_plural = _("contact spans")
        indexes = [
            models.Index(fields=["organisation", "first_day"], name="contact_span_organisation"),
            models.Index(
                fields=["last_day"], include=["first_day", "organisation"], name="contact_span_last"
            ),
        ]

    def __str__(self):
        return f"{self.organisation_id}: {self.first_day} – {self.last_day}"
