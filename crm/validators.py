"""Dutch identifiers, checked where they enter: KvK-nummer, vestigingsnummer, postcode."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s?([A-Za-z]{2})\s*$")


def normalise_postcode(value: str) -> str:
    """'1234ab' -> '1234 AB'; anything that is not a Dutch postcode is returned stripped."""
    match = POSTCODE.match(value or "")
    return f"{match[1]} {match[2].upper()}" if match else (value or "").strip()


def validate_postcode(value: str) -> None:
    if value and not POSTCODE.match(value):
        raise ValidationError(
            _("“%(value)s” is not a Dutch postcode: four digits and two letters, like 1234 AB."),
            code="invalid_postcode",
            params={"value": value},
        )


def normalise_digits(value: str) -> str:
    """Strip the spaces and dots people type inside numbers ('1234 5678', '12.34.56.78')."""
    return re.sub(r"[\s.\-]", "", value or "")


def validate_kvk_number(value: str) -> None:
    """8 digits, as the KvK gives them. No KvK number starts with 00 (the old regional chambers'
    numbers began 01–…, the national series far higher), so 00000000 and other placeholders typed
    to get past a required field are refused; the KvK's numbers carry no check digit to test."""
    if not value:
        return
    if not re.fullmatch(r"[0-9]{8}", value):
        raise ValidationError(
            _("A KvK number has exactly 8 digits; “%(value)s” does not."),
            code="invalid_kvk",
            params={"value": value},
        )
    if value.startswith("00"):
        raise ValidationError(
            _("“%(value)s” is not a KvK number: no KvK number starts with 00."),
            code="invalid_kvk",
            params={"value": value},
        )


def validate_branch_number(value: str) -> None:
    """12 digits; often with leading zeros (000012345678), but never all zeros."""
    if not value:
        return
    if not re.fullmatch(r"[0-9]{12}", value):
        raise ValidationError(
            _("A branch number (vestigingsnummer) has exactly 12 digits; “%(value)s” does not."),
            code="invalid_branch_number",
            params={"value": value},
        )
    if not value.strip("0"):
        raise ValidationError(
            _("“%(value)s” is not a branch number (vestigingsnummer)."),
            code="invalid_branch_number",
            params={"value": value},
        )


def normalise_phone(value: str) -> str:
    """A Dutch or international number in E.164 form (+31612345678); refuses what cannot be a number."""
    if not value:
        return value
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(value)s” is not a phone number we can call."), code="invalid_phone", params={"value": value}
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
