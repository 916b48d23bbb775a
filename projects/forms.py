import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from projects.models import DecisionRequest


class ProjectForm(WagtailAdminModelForm):
    """The project with a remark that goes into the status history when the traffic light changes.

    A project lead without the centre manager's rights keeps the project in its year plan and in
    their hands: year plan and lead are shown but cannot be changed.
    """

    status_note = forms.CharField(
        label=_("Remark on the status"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the status changes; kept in the project's history and shown to the board."),
    )

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and not for_user.has_perm("projects.change_project"):
            for name in ("year_plan", "lead"):
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("Only the centre manager changes this.")

    def is_valid(self):
        # What the board has answered stays as it was asked: the answer refers to that question.
        valid = super().is_valid()
        decisions = self.formsets.get("decisions") if valid else None
        for form in decisions.forms if decisions else []:
            if not (form.instance.pk and form.instance.answer):
                continue
            if decisions._should_delete_form(form):
                form.add_error(None, _("The board has answered this question; it cannot be removed."))
                valid = False
            elif {"question", "meeting_date"} & set(form.changed_data):
                form.add_error("question", _("The board has answered this question; it cannot be changed."))
                valid = False
        return valid


class AnswerForm(WagtailAdminModelForm):
    """The board's answer to a requested decision: only the answer, never the question."""

    answer = forms.ChoiceField(label=_("Answer"), choices=DecisionRequest.Answer.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.initial.get("answered_on"):
            self.initial["answered_on"] = timezone.localdate()

    class Meta:
        model = DecisionRequest
        fields = ["answer", "answer_text", "answered_on"]
        widgets = {"answered_on": AdminDateInput}


def last_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    first_month = ((today.month - 1) // 3) * 3 + 1
    this_quarter = today.replace(month=first_month, day=1)
    end = this_quarter - dt.timedelta(days=1)
    return end.replace(month=((end.month - 1) // 3) * 3 + 1, day=1), end


class ReportPeriodForm(forms.Form):
    """The period a progress report covers, and an introduction in the centre manager's words."""

    start = forms.DateField(label=_("Start of the period"), widget=AdminDateInput)
    end = forms.DateField(label=_("End of the period"), widget=AdminDateInput)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Opens the report, above the successes."),
    )

    def clean(self):
        from django.core.exceptions import ValidationError

        from projects.queries import check_period

        data = super().clean()
        if data.get("start") and data.get("end"):
            try:
                check_period(start=data["start"], end=data["end"])
            except ValidationError as error:
                self.add_error(None, error)
        return data
