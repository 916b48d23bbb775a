"""The last guard before a prompt leaves: e-mail addresses and phone numbers are replaced.

Callers already leave people out of what they send (names included); this catches what slips
through in free text, such as a signature in a news item or a number in a signal's note.
"""

import re

import phonenumbers

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
EMAIL_PLACEHOLDER = "[e-mailadres]"
PHONE_PLACEHOLDER = "[telefoonnummer]"


def scrub(text: str) -> str:
    """`text` without e-mail addresses and phone numbers (Dutch and international formats)."""
    if not text:
        return text
    text = EMAIL.sub(EMAIL_PLACEHOLDER, text)
    matches = list(phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.VALID))
    for match in reversed(matches):
        text = text[: match.start] + PHONE_PLACEHOLDER + text[match.end :]
    return text
