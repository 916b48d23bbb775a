"""Reach: what the newsletters did in a period (and social posts published), from the newsletter
app's own counting (newsletter.queries.stats): people, not events, and machines left out.

The figures per send and segment are kept (insights.tallies) and checked against what they were
derived from before every read; a send whose inputs changed is derived again first. Sends whose
per-message events passed their retention period are read from the totals kept on the send; those
totals know nobody's street or sector, so with a segment chosen such sends are left out (and the
screen says so). A fixed number of queries whatever the number of sends, messages or events.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from crm.models import Organisation
from insights import tallies
from insights.queries.period import Period
from insights.queries.shapes import (
    COUNT,
    PERCENT,
    TEXT,
    Column,
    Figure,
    Section,
    SegmentFilter,
    Table,
    merge_small,
    rate,
    small_groups_note,
)
from newsletter.models import DeliveryEvent, NewsletterKind, Send
from newsletter.queries.stats import COUNTS, SendResults
from social.channels import Channel
from social.models import PostState, SocialPost

T = DeliveryEvent.Type
FINISHED = [Send.Status.SENT, Send.Status.SENDING]
GROUP_COUNTS = ("size", "sent", "delivered", "opens", "clicks")


def _send_results(sends: list[Send], segment: SegmentFilter) -> dict[int, SendResults]:
    """Each send's results among the segment's recipients, from the kept tallies (insights.tallies)."""
    live = [send.pk for send in sends if send.results_summary is None]
    kept = {row.send_id: row for row in tallies.rows(live, shape=_shape(segment), **segment.as_dict())}
    results = {}
    for send in sends:
        if send.results_summary is not None:
            if segment:
                continue
            results[send.pk] = SendResults(send=send, **{n: send.results_summary.get(n, 0) for n in COUNTS})
            continue
        row = kept.get(send.pk)
        results[send.pk] = SendResults(send=send, **{n: getattr(row, n) if row else 0 for n in COUNTS})
    return results


def _shape(segment: SegmentFilter) -> int:
    return tallies.shape_of(segment.street, segment.sector, segment.kind)


def _total(results: list[SendResults]) -> SendResults:
    total = SendResults(send=None)
    for item in results:
        for name in COUNTS:
            setattr(total, name, getattr(total, name) + getattr(item, name))
    return total


def _rates(results: SendResults) -> dict:
    """The rates as None instead of 0 when nothing was sent: "no data" is not "0 %"."""
    if not results.sent and not results.delivered:
        return dict.fromkeys(("bounce", "complaint", "open", "click"), None)
    return {
        "bounce": results.bounce_rate,
        "complaint": results.complaint_rate,
        "open": results.open_rate,
        "click": results.click_rate,
    }


def _per_sector(send_ids: list[int], segment: SegmentFilter) -> Table:
    """Messages, opens and clicks per sector of the recipients' businesses (one query). A group's
    size for the small-group rule is the most people one newsletter reached in it: never more
    people than the group has, so a group shown always holds at least MIN_GROUP people."""
    by_sector: dict[str, dict] = {}
    for row in tallies.rows(send_ids, shape=_shape(segment) | tallies.SECTOR, **segment.as_dict()):
        group = by_sector.setdefault(row.sector, dict.fromkeys(GROUP_COUNTS, 0))
        group["size"] = max(group["size"], row.people)
        group["sent"] += row.sent
        group["delivered"] += row.delivered
        group["opens"] += row.unique_opens
        group["clicks"] += row.unique_clicks
    labels = dict(Organisation.Sector.choices)
    groups = [
        {**row, "label": str(labels.get(key, "")) or _("No sector")}
        for key, row in sorted(by_sector.items(), key=lambda item: str(labels.get(item[0], "~")))
    ]
    groups, merged = merge_small(groups, sums=["sent", "delivered", "opens", "clicks"])
    table = Table(
        "reach_sector",
        _("Reach per sector"),
        [
            Column(_("Sector"), TEXT),
            Column(_("Sent"), COUNT),
            Column(_("Open rate"), PERCENT),
            Column(_("Click rate"), PERCENT),
        ],
        chart="bar",
        series=[2, 3],
    )
    for group in groups:
        base = group["delivered"] or group["sent"]
        table.rows.append(
            [group["label"], group["sent"], rate(group["opens"], base), rate(group["clicks"], base)]
        )
    if merged:
        table.note = small_groups_note()
    return table


def reach(period: Period, segment: SegmentFilter, *, detail: bool = True) -> Section:
    """Without `detail` only the figures (and fewer queries), for the board's home page."""
    now_since, now_until = period.bounds()
    before_since, _before_until = period.previous.bounds()
    sends = list(
        Send.objects.filter(status__in=FINISHED, started_at__gte=before_since, started_at__lt=now_until)
        .select_related("newsletter")
        .order_by("started_at")
    )
    shape = _shape(segment)
    tallies.fresh(
        [send for send in sends if send.results_summary is None],
        {shape, shape | tallies.SECTOR} if detail else {shape},
    )
    results = _send_results(sends, segment)
    now = [results[s.pk] for s in sends if s.pk in results and s.started_at >= now_since]
    before = [results[s.pk] for s in sends if s.pk in results and s.started_at < now_since]
    total_now, total_before = _total(now), _total(before)
    rates_now, rates_before = _rates(total_now), _rates(total_before)

    section = Section("reach", _("Reach"))
    section.figures = [
        Figure("newsletters", _("Newsletters sent"), len(now), len(before)),
        Figure("sent", _("Messages sent"), total_now.sent, total_before.sent),
        Figure("delivered", _("Delivered"), total_now.delivered, total_before.delivered),
        Figure(
            "bounce_rate",
            _("Bounce rate"),
            rates_now["bounce"],
            rates_before["bounce"],
            PERCENT,
            higher_is_better=False,
        ),
        Figure(
            "complaint_rate",
            _("Complaint rate"),
            rates_now["complaint"],
            rates_before["complaint"],
            PERCENT,
            higher_is_better=False,
        ),
        Figure("open_rate", _("Open rate"), rates_now["open"], rates_before["open"], PERCENT),
        Figure("click_rate", _("Click rate"), rates_now["click"], rates_before["click"], PERCENT),
        Figure(
            "unsubscribes",
            _("Unsubscribes"),
            total_now.unsubscribes,
            total_before.unsubscribes,
            higher_is_better=False,
        ),
    ]
    opens, clicks = total_now.machine_opens, total_now.machine_clicks
    section.notes.append(
        _(
            "Opens by privacy proxies (such as Apple Mail) and clicks by link scanners are left out of the "
            "rates: %(opens)s and %(clicks)s by machines in this period."
        )
        % {
            "opens": ngettext("%(count)s open", "%(count)s opens", opens) % {"count": opens},
            "clicks": ngettext("%(count)s click", "%(count)s clicks", clicks) % {"count": clicks},
        }
    )
    if segment and any(s.results_summary is not None for s in sends):
        section.notes.append(
            _(
                "Newsletters older than the retention period are kept as totals only; they are left out "
                "when a street, sector or kind is chosen."
            )
        )

    if not detail:
        return section
    per_newsletter = Table(
        "reach_newsletters",
        _("Per newsletter"),
        [
            Column(_("Newsletter"), TEXT),
            Column(_("Sent"), COUNT),
            Column(_("Delivered"), COUNT),
            Column(_("Open rate"), PERCENT),
            Column(_("Click rate"), PERCENT),
            Column(_("Unsubscribes"), COUNT),
        ],
        chart="bar",
        series=[3, 4],
    )
    for item in now:
        per_newsletter.rows.append(
            [
                f"{item.send.started_at:%d-%m} {item.send.subject}",
                item.sent,
                item.delivered,
                _rates(item)["open"],
                _rates(item)["click"],
                item.unsubscribes,
            ]
        )
    per_kind = Table(
        "reach_kinds",
        _("Per kind of newsletter"),
        [
            Column(_("Kind"), TEXT),
            Column(_("Newsletters"), COUNT),
            Column(_("Sent"), COUNT),
            Column(_("Open rate"), PERCENT),
            Column(_("Click rate"), PERCENT),
        ],
        chart="bar",
        series=[3, 4],
    )
    for kind, label in NewsletterKind.choices:
        of_kind = [item for item in now if item.send.newsletter.kind == kind]
        total = _total(of_kind)
        per_kind.rows.append(
            [str(label), len(of_kind), total.sent, _rates(total)["open"], _rates(total)["click"]]
        )
    live_now = [item.send.pk for item in now if item.send.results_summary is None]
    section.tables = [per_newsletter, per_kind, _per_sector(live_now, segment), _social(period)]
    return section


def _social(period: Period) -> Table:
    """Social posts published per channel, this period and the one before (one query)."""
    now_since, now_until = period.bounds()
    before_since, _until = period.previous.bounds()
    in_now = Q(posted_at__gte=now_since, posted_at__lt=now_until)
    in_before = Q(posted_at__gte=before_since, posted_at__lt=now_since)
    counts = {
        row["channel"]: row
        for row in SocialPost.objects.filter(state=PostState.PUBLISHED, posted_at__gte=before_since)
        .values("channel")
        .annotate(now=Count("pk", filter=in_now), before=Count("pk", filter=in_before))
        .order_by()
    }
    table = Table(
        "social",
        _("Social posts published per channel"),
        [Column(_("Channel"), TEXT), Column(_("This period"), COUNT), Column(_("Previous period"), COUNT)],
        chart="bar",
        note=_("Social posts are about the whole centre: the street, sector and kind filters do not apply."),
    )
    for channel, label in Channel.choices:
        row = counts.get(channel, {})
        table.rows.append([str(label), row.get("now", 0), row.get("before", 0)])
    return table
