"""The shapes every section of the dashboard is made of: figures, tables (each table is also a
chart's data) and the filter. The screen, the charts, the XLSX and the PDF all read these, so there
is one source of numbers."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.models import Organisation

#: Groups with fewer members than this are not shown on their own, so nobody can be singled out.
MIN_GROUP = 5

COUNT, PERCENT, EURO, DAYS, TEXT, DATE = "count", "percent", "euro", "days", "text", "date"


def rate(part: int, whole: int) -> float | None:
    """A percentage with one decimal; None when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Figure:
    """One headline number, with the same number for the previous period."""

    key: str
    label: str
    value: float | int | None
    previous: float | int | None = None
    unit: str = COUNT
    note: str = ""
    # Whether a rise is good news (bounces and overdue follow-ups: it is not).
    higher_is_better: bool = True

    @property
    def change(self) -> float | int | None:
        if self.value is None or self.previous is None:
            return None
        change = self.value - self.previous
        return round(change, 1) if isinstance(change, float) else change

    @property
    def trend(self) -> str:
        """ "up", "down" or "same", for the arrow beside the figure."""
        change = self.change
        if not change:
            return "same"
        return "up" if change > 0 else "down"

    @property
    def good(self) -> bool | None:
        change = self.change
        if not change:
            return None
        return (change > 0) == self.higher_is_better


@dataclass
class Column:
    label: str
    unit: str = COUNT


@dataclass
class Table:
    """Rows of figures; with `chart` set the same rows are drawn (first column: the labels)."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    chart: str | None = None  # "bar", "line", "stacked" or None
    note: str = ""
    # The columns a chart draws (indexes); by default every column after the first that is a number.
    series: list[int] | None = None

    @property
    def chart_series(self) -> list[int]:
        if self.series is not None:
            return self.series
        return [
            i for i, column in enumerate(self.columns) if i and column.unit in (COUNT, PERCENT, EURO, DAYS)
        ]

    def chart_data(self) -> dict:
        """What the chart library draws (served as JSON beside the table)."""
        return {
            "type": self.chart,
            "labels": [str(row[0]) for row in self.rows],
            "datasets": [
                {
                    "label": str(self.columns[i].label),
                    "data": [row[i] if row[i] is not None else 0 for row in self.rows],
                    "unit": self.columns[i].unit,
                }
                for i in self.chart_series
            ],
        }

    def bars(self) -> list[dict]:
        """The same chart as plain bars for the PDF (which runs no JavaScript): widths in percent of
        the largest value of each series (of 100 for percentages)."""
        series = self.chart_series
        top = {i: max((row[i] or 0 for row in self.rows), default=0) for i in series}
        # Percentages are drawn against 100 %, so 99,5 % never looks like a full bar's neighbour.
        top = {i: max(top[i], 100) if self.columns[i].unit == PERCENT else top[i] for i in series}
        return [
            {
                "label": row[0],
                "bars": [
                    {
                        "series": index,
                        "value": row[i],
                        "width": round(100 * (row[i] or 0) / top[i], 1) if top[i] else 0,
                        "unit": self.columns[i].unit,
                    }
                    for index, i in enumerate(series)
                ],
            }
            for row in self.rows
        ]


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def merge_small(groups: list[dict], *, sums: list[str], size: str = "size") -> tuple[list[dict], bool]:
    """Groups (dicts with "label", a size and counts) with fewer than MIN_GROUP members are added
    up into one "smaller groups together"; if even that one is too small it is left out.
    Returns the groups to show and whether any was merged or left out."""
    shown = [group for group in groups if group[size] >= MIN_GROUP]
    small = [group for group in groups if group[size] < MIN_GROUP]
    if not small:
        return shown, False
    merged = {"label": _("Smaller groups together"), size: sum(group[size] for group in small)}
    for name in sums:
        merged[name] = sum(group[name] or 0 for group in small)
    if merged[size] >= MIN_GROUP:
        shown.append(merged)
    return shown, True


def small_groups_note() -> str:
    return _("Groups of fewer than %(n)s are not shown separately, so no one can be singled out.") % {
        "n": MIN_GROUP
    }


# The filter -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SegmentFilter:
    """Which organisations the figures are about: a street, a sector, a kind (all when empty)."""

    street: str = ""
    sector: str = ""
    kind: str = ""

    def __bool__(self) -> bool:
        return bool(self.street or self.sector or self.kind)

    def condition(self, prefix: str = "") -> Q:
        """The filter on Organisation, reached through `prefix` (e.g. "organisation__")."""
        condition = Q()
        if self.street:
            condition &= Q(**{f"{prefix}street__iexact": self.street})
        if self.sector:
            condition &= Q(**{f"{prefix}sector": self.sector})
        if self.kind:
            condition &= Q(**{f"{prefix}kind": self.kind})
        return condition

    def organisations(self):
        return Organisation.objects.filter(self.condition())

    def businesses(self):
        """The active organisations the shares are about: of the chosen kind, else entrepreneurs."""
        kind = self.kind or Organisation.Kind.ENTREPRENEUR
        return Organisation.objects.filter(
            self.condition(), kind=kind, lifecycle=Organisation.Lifecycle.ACTIVE
        )

    def label(self) -> str:
        parts = []
        if self.street:
            parts.append(self.street)
        if self.sector:
            parts.append(str(dict(Organisation.Sector.choices).get(self.sector, self.sector)))
        if self.kind:
            parts.append(str(dict(Organisation.Kind.choices).get(self.kind, self.kind)))
        return ", ".join(parts) or str(gettext_lazy("Whole centre"))

    def as_dict(self) -> dict:
        return {"street": self.street, "sector": self.sector, "kind": self.kind}
