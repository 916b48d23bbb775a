"""The dashboard's filter: a period and a segment. It only checks input; the figures come from
insights.queries."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import Organisation
from insights.queries import Period, SegmentFilter, street_choices
from insights.queries.period import CUSTOM, KINDS, MAX_DAYS, QUARTER


class DashboardFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=KINDS, initial=QUARTER)
    at = forms.DateField(
        label=_("In the period of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Any day of the month, quarter or year; today when empty."),
    )
    start = forms.DateField(
        label=_("First day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("Last day"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    street = forms.ChoiceField(label=_("Street"), required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *Organisation.Sector.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Organisation.Kind.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].choices = [("", _("All streets")), *((s, s) for s in street_choices())]

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        if data.get("period") == CUSTOM:
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("A custom period needs a first and a last day."))
            if end < start:
                raise forms.ValidationError(_("The last day comes before the first day."))
            if start > today:
                raise forms.ValidationError(_("The period starts in the future: there are no figures yet."))
            if (end - start).days >= MAX_DAYS:
                raise forms.ValidationError(_("Choose a period of at most three years."))
        elif data.get("at") and data["at"] > today:
            raise forms.ValidationError(_("The period starts in the future: there are no figures yet."))
        if (
            data.get("at")
            and data["at"] < dt.date(1990, 1, 1)
            or data.get("start")
            and data["start"] < dt.date(1990, 1, 1)
        ):
            raise forms.ValidationError(_("Choose a date from 1990 on."))
        return data

    def chosen(self) -> tuple[Period, SegmentFilter]:
        data = self.cleaned_data
        period = Period.of(data["period"], on=data.get("at"), start=data.get("start"), end=data.get("end"))
        segment = SegmentFilter(
            street=data.get("street", ""), sector=data.get("sector", ""), kind=data.get("kind", "")
        )
        return period, segment
