"""Reads about sends in progress: how far a send is."""

from django.db.models import Count

from newsletter.models import Delivery, Send


def progress(send: Send) -> dict:
    """How many deliveries of a send are in each state, plus the total (one query)."""
    counts = {status: 0 for status in Delivery.Status.values}
    rows = Delivery.objects.filter(send=send).values("status").annotate(n=Count("pk")).order_by()
    for row in rows:
        counts[row["status"]] = row["n"]
    counts["total"] = sum(counts[status] for status in Delivery.Status.values)
    return counts
