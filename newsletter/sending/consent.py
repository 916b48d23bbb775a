"""The consent re-check: a message goes out only if its recipient still wants it when it is due.

The audience is resolved when a send is queued; a send can take hours, or wait for its time, so
consent and suppressions are checked again for every claimed batch, just before it is sent.
"""

from __future__ import annotations

from django.db.models.functions import Lower

from crm.models import Consent
from newsletter.models import Suppression
from newsletter.sending.claims import Claimed


def still_wanted(claimed: list[Claimed], topic: str) -> tuple[list[Claimed], list[int]]:
    """Check consent and suppressions again just before sending: (rows to send, ids to skip)."""
    emails = [row.email for row in claimed]
    suppressed = set(
        Suppression.objects.annotate(address=Lower("email"))
        .filter(address__in=emails)
        .values_list("address", flat=True)
    )
    current: dict[int, bool] = {}
    consents = (
        Consent.objects.filter(person_id__in=[row.person_id for row in claimed if row.person_id], topic=topic)
        .filter(person__erased_at__isnull=True)
        .order_by("person_id", "-recorded_at", "-pk")
        .values_list("person_id", "granted")
    )
    for person_id, granted in consents:
        current.setdefault(person_id, granted)
    keep, skip = [], []
    for row in claimed:
        if row.email in suppressed or not current.get(row.person_id, False):
            skip.append(row.delivery_id)
        else:
            keep.append(row)
    return keep, skip
