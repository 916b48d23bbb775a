from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.validators import validate_postcode


class Timestamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Address(models.Model):
    """A Dutch street address: street, number and addition, postcode `1234 AB`, town."""

    street = models.CharField(_("street"), max_length=120, blank=True)
    house_number = models.CharField(_("house number"), max_length=10, blank=True)
    house_number_addition = models.CharField(_("addition"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True, validators=[validate_postcode])
    town = models.CharField(_("town"), max_length=80, blank=True)

    class Meta:
        abstract = True

    @property
    def street_address(self) -> str:
        addition = f"-{self.house_number_addition}" if self.house_number_addition else ""
        number = f"{self.house_number}{addition}"
        return " ".join(part for part in (self.street, number) if part)

    @property
    def full_address(self) -> str:
        place = " ".join(part for part in (self.postcode, self.town) if part)
        return ", ".join(part for part in (self.street_address, place) if part)
