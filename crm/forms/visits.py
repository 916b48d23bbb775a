"""Logging a visit: what an accountmanager types in the street."""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import Interaction, Interest, Organisation, Person, Signal
from crm.models.organisations import Attitude


class LogVisitForm(forms.Form):
    """What an accountmanager types in the street; field names are kept stable for saved drafts."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(),
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose the business you spoke to.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of contact"),
        choices=Interaction.Kind.choices,
        initial=Interaction.Kind.VISIT,
        widget=forms.RadioSelect,
    )
    occurred_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Interest.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Who did you speak to?"),
        queryset=Person.objects.filter(erased_at__isnull=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 6})
    )
    attitude = forms.ChoiceField(
        label=_("Attitude towards the centre organisation"),
        choices=[("", _("unchanged"))] + list(Attitude.choices),
        required=False,
    )
    signal_kind = forms.ChoiceField(
        label=_("Signal"), choices=[("", _("none"))] + list(Signal.Kind.choices), required=False
    )
    signal_note = forms.CharField(label=_("About the signal"), max_length=300, required=False)
    follow_up = forms.CharField(label=_("Follow-up: what needs doing?"), max_length=300, required=False)
    follow_up_due = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    follow_up_by = forms.ModelChoiceField(
        label=_("By whom"),
        queryset=get_user_model().objects.filter(is_active=True, is_staff=True),
        required=False,
        empty_label=_("me"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["follow_up_by"].label_from_instance = lambda user: (
            user.get_full_name() or user.get_username()
        )
        self.fields["attendees"].label_from_instance = lambda person: person.full_name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("follow_up") and not cleaned.get("follow_up_due"):
            self.add_error("follow_up_due", _("When should the follow-up be done?"))
        if cleaned.get("follow_up_due") and not cleaned.get("follow_up"):
            self.add_error("follow_up", _("Describe the follow-up."))
        if cleaned.get("signal_note") and not cleaned.get("signal_kind"):
            self.add_error("signal_kind", _("Choose the kind of signal."))
        if not any(cleaned.get(name) for name in ("notes", "topics", "signal_kind", "follow_up")):
            raise forms.ValidationError(_("Write a note, pick a topic, or add a signal or follow-up."))
        occurred_at = cleaned.get("occurred_at")
        if occurred_at and occurred_at > timezone.now() + dt.timedelta(minutes=5):
            self.add_error("occurred_at", _("A contact cannot take place in the future."))
        return cleaned
