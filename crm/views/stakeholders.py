"""The stakeholder map: influence × interest as an inline SVG chart, and who could help whom."""

import math
from collections import defaultdict
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm.models import Interest, Organisation
from crm.models.organisations import Attitude
from crm.queries.search import admin_url
from crm.queries.stakeholders import MAX_POINTS, MapFilters, circles, map_points

# The chart's geometry, in SVG units: five by five cells with room for the axes.
CELL = 90
LEFT, TOP, BOTTOM, RIGHT = 56, 12, 52, 12
PLOT = 5 * CELL
WIDTH, HEIGHT = LEFT + PLOT + RIGHT, TOP + PLOT + BOTTOM
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))

# Colours that stay apart for colour-blind readers (blue / amber / red); unknown is an open dot.
COLOURS = {
    Attitude.SUPPORTER: "#2166ac",
    Attitude.NEUTRAL: "#e0a800",
    Attitude.CRITIC: "#c0392b",
    "": "#ffffff",
}


class MapFilterForm(forms.Form):
    interest = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Interest.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        empty_label=_("All themes"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Organisation.Kind.choices], required=False
    )
    street = forms.CharField(label=_("Street"), required=False, max_length=120)

    def map_filters(self) -> MapFilters:
        if not self.is_valid():
            return MapFilters()
        interest = self.cleaned_data.get("interest")
        return MapFilters(
            interest=interest.slug if interest else "",
            kind=self.cleaned_data.get("kind") or "",
            street=(self.cleaned_data.get("street") or "").strip(),
        )


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    colour: str
    url: str
    label: str


def layout(points) -> list[Dot]:
    """Dots in their cells, spread on a sunflower spiral so that none covers another.

    The spiral order follows the primary key, so the same data always draws the same picture.
    """
    cells = defaultdict(list)
    for point in points:
        cells[(point.influence, point.interest_level)].append(point)
    attitudes = {value: str(label).lower() for value, label in Attitude.choices}
    unknown = str(_("attitude unknown"))
    label_format = str(_("%(name)s: influence %(influence)s, interest %(interest)s, %(attitude)s"))
    # Up to 1,500 dots: one reverse() and one translation lookup, not one per dot.
    url_format = admin_url(Organisation(pk=0)).replace("/0/", "/{}/")
    dots = []
    for (influence, interest_level), members in cells.items():
        centre_x = LEFT + (interest_level - 0.5) * CELL
        centre_y = TOP + (5 - influence + 0.5) * CELL
        spacing = min(14.0, (CELL * 0.42) / math.sqrt(max(len(members) - 1, 1)))
        radius = max(1.2, min(7.0, spacing * 0.45))
        for index, point in enumerate(sorted(members, key=lambda member: member.pk)):
            distance = spacing * math.sqrt(index)
            angle = index * GOLDEN_ANGLE
            label = label_format % {
                "name": point.name,
                "influence": point.influence,
                "interest": point.interest_level,
                "attitude": attitudes.get(point.attitude, unknown),
            }
            dots.append(
                Dot(
                    x=round(centre_x + distance * math.cos(angle), 1),
                    y=round(centre_y + distance * math.sin(angle), 1),
                    r=round(radius, 1),
                    colour=COLOURS.get(point.attitude, COLOURS[""]),
                    url=url_format.format(point.pk),
                    label=label,
                )
            )
    return dots


def dots_svg(dots: list[Dot]) -> str:
    """The dots as SVG markup, escaped: built here because a template loop over 1,500 dots with
    seven variables each was most of the page's time. Numbers are written with points (repr), never
    a Dutch decimal comma."""
    return format_html_join(
        "",
        '<a href="{}" aria-label="{}"><circle cx="{}" cy="{}" r="{}" fill="{}" stroke="#333" '
        'stroke-width="0.75"><title>{}</title></circle></a>',
        ((dot.url, dot.label, repr(dot.x), repr(dot.y), repr(dot.r), dot.colour, dot.label) for dot in dots),
    )


def axes() -> dict:
    ticks = [
        {"value": value, "x": LEFT + (value - 0.5) * CELL, "y": TOP + (5 - value + 0.5) * CELL}
        for value in range(1, 6)
    ]
    lines = [LEFT + index * CELL for index in range(6)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "top": TOP,
        "plot": PLOT,
        "middle_x": LEFT + PLOT / 2,
        "middle_y": TOP + PLOT / 2,
        "bottom": TOP + PLOT,
        "right": LEFT + PLOT,
        "ticks": ticks,
        "grid": [{"x": x, "y": TOP + (x - LEFT)} for x in lines],
        "x_label_y": TOP + PLOT + 42,
        "y_label_x": 16,
    }


class StakeholderMapView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "crm/stakeholders/map.html"
    page_title = _("Stakeholder map")
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("crm.view_organisation"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = MapFilterForm(self.request.GET or None, label_suffix="")
        filters = form.map_filters() if form.is_bound else MapFilters()
        points = map_points(filters)
        too_many = len(points) > MAX_POINTS
        legend = [{"label": label, "colour": COLOURS[value]} for value, label in Attitude.choices]
        legend.append({"label": _("Attitude unknown"), "colour": COLOURS[""]})
        context.update(
            form=form,
            dots=dots_svg([] if too_many else layout(points)),
            too_many=too_many,
            max_points=MAX_POINTS,
            chart=axes(),
            legend=legend,
            circles=[
                {
                    "interest": circle.interest,
                    "size": circle.size,
                    "members": [
                        {"member": member, "url": admin_url(Organisation(pk=member.pk))}
                        for member in circle.members
                    ],
                }
                for circle in circles(filters)
            ],
        )
        return context
