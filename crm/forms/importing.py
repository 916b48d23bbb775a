"""Forms of the import and export screens: they check input; the rules live in crm.importing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.exporting import FORMATS
from crm.importing import FIELDS, MAX_FILE_SIZE, too_large_message
from crm.models import Organisation, Segment

EXTENSIONS = (".csv", ".txt", ".xlsx", ".xlsm")


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (separated by ; or ,) or Excel .xlsx, with the column names on the first line; "
            "at most 20 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_FILE_SIZE:
            raise forms.ValidationError(too_large_message())
        if not file.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return file


class ImportMappingForm(forms.Form):
    """One choice per column of the file: which field it fills, or nothing."""

    def __init__(self, *args, headers: list[str], mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— do not import —")), *FIELDS.items()]
        self.headers = headers
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header or _("(column without a name)"),
                choices=choices,
                required=False,
                initial=mapping.get(str(index), ""),
            )

    def mapping(self) -> dict[str, str]:
        return {
            str(index): self.cleaned_data[f"column_{index}"]
            for index in range(len(self.headers))
            if self.cleaned_data.get(f"column_{index}")
        }

    def clean(self):
        cleaned = super().clean()
        chosen = [value for name, value in cleaned.items() if name.startswith("column_") and value]
        if "name" not in chosen:
            raise forms.ValidationError(_("Choose the column that holds the name of the organisation."))
        doubles = sorted({value for value in chosen if chosen.count(value) > 1})
        if doubles:
            raise forms.ValidationError(
                _("More than one column is mapped to: %(fields)s."),
                params={"fields": ", ".join(str(FIELDS[value]) for value in doubles)},
            )
        return cleaned


class ExportForm(forms.Form):
    """What to export and which part of it; the same names work as query parameters of the download."""

    LISTS = [("organisations", _("Organisations")), ("people", _("People"))]

    list = forms.ChoiceField(label=_("List"), choices=LISTS, initial="organisations")
    segment = forms.ModelChoiceField(
        label=_("Segment"),
        queryset=Segment.objects.order_by("name"),
        required=False,
        empty_label=_("All"),
        help_text=_("Only the organisations or people in this saved segment; the filters below narrow it."),
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=[(fmt, fmt.upper()) for fmt in FORMATS], initial="xlsx"
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *Organisation.Kind.choices]
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All")), *Organisation.Sector.choices]
    )
    lifecycle = forms.ChoiceField(
        label=_("Lifecycle"), required=False, choices=[("", _("All")), *Organisation.Lifecycle.choices]
    )
    town = forms.CharField(label=_("Town"), required=False, max_length=80)

    def clean_segment(self):
        segment = self.cleaned_data.get("segment")
        if segment is not None:
            from crm.queries.segments import validate_filters

            try:
                validate_filters(segment.filters)
            except ValueError:
                raise forms.ValidationError(
                    _("The filters of this segment are no longer valid; open the segment and save it again.")
                ) from None
        return segment
