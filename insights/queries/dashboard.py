"""The whole dashboard for one period and segment, and the board's five headline figures."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from crm.models import Organisation
from insights.queries.contact import contact
from insights.queries.members import members
from insights.queries.period import QUARTER, Period
from insights.queries.reach import reach
from insights.queries.shapes import MIN_GROUP, Figure, Section, SegmentFilter
from insights.queries.support import support
from insights.queries.year_plan import year_plan


@dataclass
class Dashboard:
    period: Period
    segment: SegmentFilter
    sections: list[Section] = field(default_factory=list)
    # Set when the chosen segment is too small to show figures about its people and businesses.
    withheld: str = ""

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)

    def figure(self, key: str) -> Figure:
        return next(f for section in self.sections for f in section.figures if f.key == key)


def dashboard(period: Period, segment: SegmentFilter | None = None) -> Dashboard:
    """Every section for `period` and `segment`; a fixed number of queries whatever the data size."""
    segment = segment or SegmentFilter()
    result = Dashboard(period, segment)
    # Counting stops at MIN_GROUP: whether a segment is too small, not how big it is (a kind
    # filter counted all 26,000 of its businesses at scale 100 otherwise).
    if segment and segment.organisations()[:MIN_GROUP].count() < MIN_GROUP:
        result.withheld = _(
            "Fewer than %(n)s organisations match this filter: its figures are not shown, so no one can be "
            "singled out. Choose a wider filter."
        ) % {"n": MIN_GROUP}
        result.sections = [year_plan(period)]
        return result
    result.sections = [
        reach(period, segment),
        contact(period, segment),
        members(period, segment),
        support(period, segment),
        year_plan(period),
    ]
    return result


HEADLINE = ("open_rate", "visits", "coverage", "portal_share", "participation")


def headline(period: Period | None = None) -> list[Figure]:
    """The board's five figures for its home page: this quarter so far against the same days of the
    last one. The dashboard's own numbers without the detail: eight queries."""
    period = period or Period.of(QUARTER)
    everyone = SegmentFilter()
    sections = [
        reach(period, everyone, detail=False),
        contact(period, everyone, detail=False),
        members(period, everyone, detail=False),
        support(period, everyone, detail=False),
    ]
    figures = {f.key: f for section in sections for f in section.figures}
    return [figures[key] for key in HEADLINE]


def street_choices() -> list[str]:
    """The streets with at least MIN_GROUP organisations, for the filter (one query)."""
    return list(
        Organisation.objects.exclude(street="")
        .values("street")
        .annotate(n=Count("pk"))
        .filter(n__gte=MIN_GROUP)
        .order_by("street")
        .values_list("street", flat=True)
    )
