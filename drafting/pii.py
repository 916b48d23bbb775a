"""The last guard before a prompt leaves: e-mail addresses and phone numbers are replaced.

Callers already leave people out of what they send (names included); this catches what slips
through in free text, such as a signature in a news item or a number in a signal's note.
"""

import re
from collections.abc import Iterator

import phonenumbers

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
EMAIL_PLACEHOLDER = "[e-mailadres]"
PHONE_PLACEHOLDER = "[telefoonnummer]"
# Dates ("19-12-2026"), times ("12.00-17.00") and amounts have at most 8 digits; phone numbers 9 or more.
_MIN_PHONE_DIGITS = 9


def phone_numbers(text: str, region: str = "NL") -> Iterator[tuple[int, int, str]]:
    """(start, end, number in E.164) of every phone number in `text`, assigned or not: a made-up
    06-9 number is still someone's number as far as a reader can tell."""
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
        if len(phonenumbers.normalize_digits_only(match.raw_string)) < _MIN_PHONE_DIGITS:
            continue
        yield (
            match.start,
            match.end,
            phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164),
        )


def scrub(text: str) -> str:
    """`text` without e-mail addresses and phone numbers (Dutch and international formats)."""
    if not text:
        return text
    text = EMAIL.sub(EMAIL_PLACEHOLDER, text)
    for start, end, _number in reversed(list(phone_numbers(text))):
        text = text[:start] + PHONE_PLACEHOLDER + text[end:]
    return text
