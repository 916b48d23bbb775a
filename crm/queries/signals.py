"""Signals counted per theme, for summaries that must never name a person or a business."""

import datetime as dt

from django.db.models import Count

from crm.models import Signal


def signal_counts(*, since: dt.datetime, until: dt.datetime) -> list[dict]:
    """How many signals of each kind were noticed in [since, until), and in the period just before.

    Only kinds and counts leave this function (no notes, organisations or people): the AI editor
    uses it as a source. Two queries whatever the number of signals.
    """
    length = until - since

    def counts(start, end) -> dict[str, int]:
        rows = (
            Signal.objects.filter(created_at__gte=start, created_at__lt=end)
            .order_by()
            .values("kind")
            .annotate(n=Count("pk"))
        )
        return {row["kind"]: row["n"] for row in rows}

    now, before = counts(since, until), counts(since - length, since)
    labels = dict(Signal.Kind.choices)
    return [
        {"kind": kind, "label": str(labels[kind]), "count": now.get(kind, 0), "previous": before.get(kind, 0)}
        for kind in labels
        if now.get(kind) or before.get(kind)
    ]
