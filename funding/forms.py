from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from funding.models import Ballot, ContributionKind, Vote


def _year_choices():
    this_year = timezone.localdate().year
    return [(year, str(year)) for year in range(this_year + 1, this_year - 6, -1)]


class LevyUploadForm(forms.Form):
    file = forms.FileField(label=_("Levy list (CSV or XLSX)"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_year_choices)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (ContributionKind.BIZ, ContributionKind.BIZ.label),
            (ContributionKind.FUND, ContributionKind.FUND.label),
        ],
        initial=ContributionKind.BIZ,
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: show what would be imported, change nothing"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class BallotForm(forms.ModelForm):
    class Meta:
        model = Ballot
        fields = [
            "zone",
            "period_start",
            "period_end",
            "held_on",
            "mode",
            "streets",
            "entitled",
            "votes_for",
            "votes_against",
            "votes_blank",
            "votes_invalid",
            "woz_for",
            "woz_against",
            "note",
        ]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "streets": forms.Textarea(attrs={"rows": 4}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "mode": forms.RadioSelect,
        }

    TOTALS = ["entitled", "votes_for", "votes_against", "woz_for", "woz_against"]

    def clean(self):
        data = super().clean()
        if data.get("mode") == Ballot.Mode.TOTALS:
            for name in self.TOTALS:
                if data.get(name) is None:
                    self.add_error(name, _("Needed for a ballot registered as totals."))
        return data

    def validate_unique(self):
        # The service refuses a second ballot for the zone and period with its own message.
        pass


class TotalsForm(forms.ModelForm):
    class Meta:
        model = Ballot
        fields = [
            "held_on",
            "entitled",
            "votes_for",
            "votes_against",
            "votes_blank",
            "votes_invalid",
            "woz_for",
            "woz_against",
            "note",
        ]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean(self):
        data = super().clean()
        for name in BallotForm.TOTALS:
            if data.get(name) is None:
                self.add_error(name, _("Needed for a ballot registered as totals."))
        return data


VOTE_CHOICES = [("", _("no vote")), *Vote.choices]


def parse_votes(post, party_ids: list[int]) -> tuple[dict[int, tuple[str, int | None]], list[str]]:
    """The votes table's POST: {party id: (vote, WOZ value)} and the errors, in words for the user."""
    changes: dict[int, tuple[str, int | None]] = {}
    errors = []
    valid = {value for value, _label in VOTE_CHOICES}
    for pk in party_ids:
        vote = post.get(f"vote-{pk}", "")
        woz = post.get(f"woz-{pk}", "").replace(".", "").replace(" ", "").replace("€", "").strip()
        if vote not in valid:
            errors.append(str(_("“%(vote)s” is not a vote.") % {"vote": vote[:20]}))
            continue
        if woz and not woz.isdigit():
            errors.append(
                str(_("WOZ value “%(value)s” is not a whole number of euros.") % {"value": woz[:20]})
            )
            continue
        changes[pk] = (vote, int(woz) if woz else None)
    return changes, errors
