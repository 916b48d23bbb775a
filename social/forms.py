"""Forms of the social screens; the rules themselves are in services and channels."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateTimeInput

from social import channels, services
from social.widgets import CounterTextarea


class SocialPostForm(WagtailAdminModelForm):
    """The editor: the text with a live counter; a post that does not fit its channel is not saved
    (the text stays in the form, with the reason)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "text" in self.fields:
            self.fields["text"].widget = CounterTextarea()

    def clean(self):
        cleaned = super().clean()
        channel = cleaned.get("channel") or getattr(self.instance, "channel", "")
        if channel and "text" in cleaned:
            try:
                services.validate_post(
                    channel=channel,
                    text=cleaned.get("text", ""),
                    link=cleaned.get("link", ""),
                    hashtags=cleaned.get("hashtags", ""),
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    for message in messages:
                        self.add_error(field if field in self.fields else None, message)
        if "hashtags" in cleaned:
            cleaned["hashtags"] = " ".join(channels.parse_hashtags(cleaned["hashtags"]))
        return cleaned


class DraftPostsForm(forms.Form):
    """ "Maak socialemediaberichten": a source, the channels, a brief, a planned moment."""

    source = forms.ChoiceField(label=_("Source"))
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=channels.Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[c.value for c in channels.Channel],
    )
    brief = forms.CharField(
        label=_("Brief"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the posts should say and to whom; no names or contact details of people."),
    )
    planned_at = forms.DateTimeField(label=_("Planned for"), required=False, widget=AdminDateTimeInput)

    def __init__(self, *args, source_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", "---------"), *source_choices]

    def clean_source(self):
        from wagtail.models import Page

        from projects.models import Project

        value = self.cleaned_data["source"]
        kind, _sep, pk = value.partition(":")
        if not pk.isdigit():
            raise ValidationError(_("Choose a newsletter, news item, event or project."))
        if kind == "project":
            found = Project.objects.filter(pk=pk).first()
            return {"project": found} if found else self._missing()
        found = Page.objects.filter(pk=pk).first()
        return {"page": found} if found else self._missing()

    def _missing(self):
        raise ValidationError(_("This source no longer exists."))


class RecordPostedForm(forms.Form):
    posted_url = forms.CharField(
        label=_("Address of the post"),
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_("Open the post on the network and copy its address."),
    )


class PlanForm(forms.Form):
    planned_at = forms.DateTimeField(label=_("Planned for"), required=False, widget=AdminDateTimeInput)
