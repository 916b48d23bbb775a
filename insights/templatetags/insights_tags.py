"""How the dashboard writes its numbers: Dutch formats, a unit, and a change in words."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from insights.queries.shapes import DAYS, EURO, PERCENT

register = template.Library()


@register.filter(expects_localtime=True)
def day(value):
    """ "10 dec" in this year, "10 dec 2025" otherwise: a follow-up overdue since last December
    must not read as one coming up."""
    if not value:
        return ""
    return date_filter(value, "j b" if value.year == timezone.localdate().year else "j b Y")


@register.filter
def amount(value, unit="count"):
    """12,3 % · € 1.234 · 3,5 dagen · 1.234; a dash when there is no figure."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        return value
    if unit == PERCENT:
        return f"{number_format(value, 1, use_l10n=True)} %"
    if unit == EURO:
        return f"€ {number_format(value, 0, use_l10n=True, force_grouping=True)}"
    if unit == DAYS:
        return _("%(n)s days") % {"n": number_format(value, 1, use_l10n=True)}
    return number_format(value, use_l10n=True, force_grouping=True)


@register.filter
def change(figure):
    """The change against the previous period in words ("+2,5 points", "−3", "no change")."""
    difference = figure.change
    if difference is None:
        return _("no comparison")
    if not difference:
        return _("no change")
    sign = "+" if difference > 0 else "−"
    size = abs(difference)
    if figure.unit == PERCENT:
        return _("%(sign)s%(n)s points") % {"sign": sign, "n": number_format(size, 1, use_l10n=True)}
    if figure.unit == EURO:
        return f"{sign}€ {number_format(size, 0, use_l10n=True, force_grouping=True)}"
    if figure.unit == DAYS:
        return f"{sign}{number_format(size, 1, use_l10n=True)}"
    return f"{sign}{number_format(size, use_l10n=True, force_grouping=True)}"


@register.filter
def cell(row, index):
    return row[index]
