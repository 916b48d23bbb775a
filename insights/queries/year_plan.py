"""The year plan: the projects' traffic lights at the end of the period, from their recorded
history (projects.ProjectStatusChange), and what changed colour in the period. Two queries."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from insights.queries.period import Period
from insights.queries.shapes import COUNT, TEXT, Column, Figure, Section, Table
from projects.models import Project, ProjectStatusChange, Status

CHANGES_SHOWN = 100


def _light_at(until):
    return Subquery(
        ProjectStatusChange.objects.filter(project_id=OuterRef("pk"), changed_at__lt=until)
        .order_by("-changed_at", "-pk")
        .values("to_status")[:1]
    )


def year_plan(period: Period) -> Section:
    """Not filtered by segment: projects belong to the whole centre."""
    since, until = period.bounds()
    _before_since, before_until = period.previous.bounds()
    years = sorted({period.start.year, period.end.year})
    counts = {}
    rows = (
        Project.objects.filter(year_plan__year__in=years)
        .annotate(now=Coalesce(_light_at(until), "status"), before=_light_at(before_until))
        .values("now", "before")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[("now", row["now"])] = counts.get(("now", row["now"]), 0) + row["n"]
        counts[("before", row["before"])] = counts.get(("before", row["before"]), 0) + row["n"]
    section = Section("year_plan", _("Year plan"))
    short = {
        Status.GREEN: _("Green"),
        Status.ORANGE: _("Orange"),
        Status.RED: _("Red"),
        Status.GREY: _("Grey"),
    }
    section.figures = [
        Figure(
            f"projects_{status}",
            _("Projects %(light)s") % {"light": str(short[status]).lower()},
            counts.get(("now", status), 0),
            counts.get(("before", status), 0),
            higher_is_better=status not in (Status.RED, Status.ORANGE),
        )
        for status in Status.values
    ]
    section.tables.append(
        Table(
            "lights",
            _("Projects per traffic light (%(years)s)") % {"years": ", ".join(str(y) for y in years)},
            [
                Column(_("Traffic light"), TEXT),
                Column(_("End of the period"), COUNT),
                Column(_("End of the previous period"), COUNT),
            ],
            rows=[
                [str(label), counts.get(("now", s), 0), counts.get(("before", s), 0)]
                for s, label in Status.choices
            ],
            chart="bar",
        )
    )
    changes = (
        ProjectStatusChange.objects.filter(changed_at__gte=since, changed_at__lt=until)
        .exclude(from_status="")
        .select_related("project")
        .order_by("changed_at", "pk")[:CHANGES_SHOWN]
    )
    labels = dict(Status.choices)
    section.tables.append(
        Table(
            "light_changes",
            _("Changed colour in the period"),
            [
                Column(_("Date"), TEXT),
                Column(_("Project"), TEXT),
                Column(_("Colour before"), TEXT),
                Column(_("Colour after"), TEXT),
            ],
            rows=[
                [
                    formats.date_format(timezone.localtime(change.changed_at), "d-m-Y"),
                    change.project.name,
                    str(labels.get(change.from_status, change.from_status)),
                    str(labels.get(change.to_status, change.to_status)),
                ]
                for change in changes
            ],
        )
    )
    return section
