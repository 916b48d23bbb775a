"""Reads about sends in progress: how far a send is."""

from django.db import connection
from django.db.models import Count, Sum

from newsletter.models import Delivery, DeliveryCount, Send


def progress(send: Send) -> dict:
    """How many deliveries of a send are in each state, plus the total (one query).

    On PostgreSQL from the counts its triggers keep (a few dozen rows, however large the send);
    elsewhere by counting the deliveries.
    """
    counts = {status: 0 for status in Delivery.Status.values}
    if connection.vendor == "postgresql":
        rows = DeliveryCount.objects.filter(send=send).values("status").annotate(n=Sum("n")).order_by()
    else:
        rows = Delivery.objects.filter(send=send).values("status").annotate(n=Count("pk")).order_by()
    for row in rows:
        counts[row["status"]] = row["n"]
    counts["total"] = sum(counts[status] for status in Delivery.Status.values)
    return counts
