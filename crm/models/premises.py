from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.models.base import Address, Timestamped
from crm.text import search_document
from crm.validators import normalise_postcode


class Premises(Address, Timestamped):
    """A building or unit (pand) in the centre: its owner, its value and who occupied it when."""

    woz_value = models.PositiveIntegerField(_("WOZ value (€)"), null=True, blank=True)
    floor_area = models.PositiveIntegerField(_("floor area (m²)"), null=True, blank=True)
    owner = models.ForeignKey(
        "crm.Organisation",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_premises",
    )
    notes = models.TextField(_("notes"), blank=True)
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        ordering = ["street", "house_number", "house_number_addition"]
        verbose_name = _("premises")
        verbose_name_plural = _("premises")
        indexes = [models.Index(fields=["street", "house_number"])]

    def __str__(self):
        return self.full_address or f"#{self.pk}"

    def clean_fields(self, exclude=None):
        self.postcode = normalise_postcode(self.postcode)
        super().clean_fields(exclude=exclude)

    def save(self, *args, **kwargs):
        self.search_text = search_document(
            self.street_address, self.postcode, self.postcode.replace(" ", ""), self.town
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)


class Occupancy(models.Model):
    """An organisation using premises from one date to another: vacancy and turnover follow from these."""

    premises = models.ForeignKey(Premises, on_delete=models.CASCADE, related_name="occupancies")
    organisation = models.ForeignKey("crm.Organisation", on_delete=models.CASCADE, related_name="occupancies")
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("occupancy")
        verbose_name_plural = _("occupancies")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="occupancy_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} @ {self.premises}"
