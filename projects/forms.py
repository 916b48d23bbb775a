from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm


class ProjectForm(WagtailAdminModelForm):
    """The project with a remark that goes into the status history when the traffic light changes."""

    status_note = forms.CharField(
        label=_("Remark on the status"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the status changes; kept in the project's history and shown to the board."),
    )
