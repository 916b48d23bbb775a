"""The "Schrijf met AI" form: the brief, kind and audience, tone and length, and the sources to use."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsletter.drafting import DraftChoices
from newsletter.models import NewsletterKind

AUDIENCES = [
    ("ondernemers", _("Entrepreneurs in the centre")),
    ("vastgoedeigenaren", _("Property owners")),
    ("partners", _("Partners (municipality, associations)")),
    ("bewoners", _("Residents and visitors")),
]
TONES = [
    ("warm", _("Warm and personal")),
    ("zakelijk", _("Businesslike")),
    ("enthousiast", _("Enthusiastic")),
]
LENGTHS = [
    ("kort", _("Short (3 topics)")),
    ("middel", _("Medium (4-5 topics)")),
    ("lang", _("Long (6+ topics)")),
]
SOURCES = [
    ("news", _("Portal news of the period")),
    ("event", _("Events of the period")),
    ("project", _("Projects of the year plan")),
    ("status_change", _("Status changes in the year plan")),
    ("newsletter", _("The previous newsletter")),
    ("signals", _("Signals from entrepreneurs, counted per theme")),
]


class DraftForm(forms.Form):
    brief = forms.CharField(
        label=_("What should the newsletter say, and to whom?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        help_text=_("The facts you name here count as sources for the fact check."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=NewsletterKind.choices)
    audience = forms.ChoiceField(label=_("Audience"), choices=AUDIENCES)
    tone = forms.ChoiceField(label=_("Tone"), choices=TONES)
    length = forms.ChoiceField(label=_("Length"), choices=LENGTHS, initial="middel")
    sources = forms.MultipleChoiceField(
        label=_("Sources"),
        choices=SOURCES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=["news", "event"],
    )
    since = forms.DateField(
        label=_("Period from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    until = forms.DateField(
        label=_("Period until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, with_title: bool = False, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["since"].initial = today - dt.timedelta(days=30)
        self.fields["until"].initial = today + dt.timedelta(days=45)
        if with_title:
            self.fields = {
                "title": forms.CharField(
                    label=_("Title of the new newsletter"),
                    max_length=150,
                    initial=_("Newsletter %(month)s") % {"month": today.strftime("%m-%Y")},
                ),
                **self.fields,
            }

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The period ends before it begins."))
        if since and until and (until - since).days > 366:
            self.add_error("until", _("Choose a period of at most a year."))
        return data

    def choices(self) -> DraftChoices:
        data = self.cleaned_data
        return DraftChoices(
            brief=data["brief"].strip(),
            kind=data["kind"],
            audience=data["audience"],
            tone=data["tone"],
            length=data["length"],
            since=data["since"],
            until=data["until"],
            sources=tuple(data["sources"]),
        )
