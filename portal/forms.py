from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import Organisation


class DirectoryFilterForm(forms.Form):
    """Filter and search of the business directory (GET: every choice stays in the address)."""

    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    street = forms.ChoiceField(label=_("Street"), required=False)

    def __init__(self, *args, streets: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("All sectors")), *Organisation.Sector.choices]
        self.fields["street"].choices = [("", _("All streets")), *((street, street) for street in streets)]

    def clean(self):
        cleaned = super().clean()
        return {key: value for key, value in cleaned.items() if value}
