"""The segment form: a segment's filters as ordinary form fields, stored as the `filters` JSON.

SegmentFilterForm holds the filter fields alone (the live count posts those); SegmentForm adds
name and description and saves the filters onto the Segment.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import Consent, Interest, Organisation, Segment
from crm.models.organisations import Attitude
from crm.queries.segments import validate_filters

LIST_FIELDS = ["kinds", "sectors", "fund_statuses", "attitudes", "lifecycles"]
NUMBER_FIELDS = [
    "postcode_from",
    "postcode_to",
    "min_influence",
    "not_contacted_days",
    "contacted_within_days",
]


def _checkboxes(label, choices):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class SegmentFilterForm(forms.Form):
    kinds = _checkboxes(_("Kind"), Organisation.Kind.choices)
    sectors = _checkboxes(_("Sector"), Organisation.Sector.choices)
    streets = forms.CharField(
        label=_("Streets"),
        required=False,
        help_text=_("One or more street names, separated by commas."),
    )
    postcode_from = forms.IntegerField(
        label=_("Postcode from"), required=False, min_value=1000, max_value=9999, help_text=_("e.g. 4811")
    )
    postcode_to = forms.IntegerField(
        label=_("Postcode to"), required=False, min_value=1000, max_value=9999, help_text=_("e.g. 4813")
    )
    interests = forms.ModelMultipleChoiceField(
        label=_("Interests"),
        queryset=Interest.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Organisations with any of these interests."),
    )
    fund_statuses = _checkboxes(_("Fund status"), Organisation.FundStatus.choices)
    attitudes = _checkboxes(_("Attitude"), Attitude.choices)
    lifecycles = _checkboxes(_("Lifecycle"), Organisation.Lifecycle.choices)
    min_influence = forms.TypedChoiceField(
        label=_("Influence at least"),
        choices=[("", _("Any")), *[(level, str(level)) for level in range(1, 6)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    consent = forms.ChoiceField(
        label=_("Consent"),
        choices=[("", _("Any")), *Consent.Topic.choices],
        required=False,
        help_text=_("Only people who currently consent to this, and their organisations."),
    )
    not_contacted_days = forms.IntegerField(
        label=_("Not contacted for (days)"), required=False, min_value=1, max_value=36500
    )
    contacted_within_days = forms.IntegerField(
        label=_("Contacted within (days)"), required=False, min_value=1, max_value=36500
    )

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("postcode_from"), cleaned.get("postcode_to")
        if low and high and low > high:
            self.add_error("postcode_to", _("The end of the postcode range must not be below its start."))
        return cleaned

    def filters(self) -> dict:
        """The valid form as the segment's filters dict (only the filters that are set)."""
        data = self.cleaned_data
        filters = {key: [str(value) for value in data[key]] for key in LIST_FIELDS if data.get(key)}
        filters["interests"] = [interest.slug for interest in data.get("interests") or []]
        streets = [street.strip() for street in (data.get("streets") or "").split(",") if street.strip()]
        filters["streets"] = streets
        filters.update({key: data[key] for key in NUMBER_FIELDS if data.get(key) is not None})
        filters["consent"] = data.get("consent") or ""
        return validate_filters(filters)

    @staticmethod
    def initial_from(filters: dict) -> dict:
        initial = {key: value for key, value in filters.items() if key in SegmentFilterForm.base_fields}
        if "streets" in initial:
            initial["streets"] = ", ".join(initial["streets"])
        return initial


class SegmentForm(SegmentFilterForm, forms.ModelForm):
    class Meta:
        model = Segment
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.filters:
            kwargs["initial"] = {
                **SegmentFilterForm.initial_from(instance.filters),
                **kwargs.get("initial", {}),
            }
        super().__init__(*args, **kwargs)

    def save(self, commit=True):
        self.instance.filters = self.filters()
        return super().save(commit=commit)
