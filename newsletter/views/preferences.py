"""The preference page every newsletter links to: which newsletters and themes, or none; no login."""

from django import forms
from django.core import signing
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from crm.models import Consent, Interest
from newsletter import subscriptions, tokens


class PreferencesForm(forms.Form):
    topics = forms.MultipleChoiceField(
        label=_("Newsletters"),
        choices=[(topic, Consent.Topic(topic).label) for topic in subscriptions.NEWSLETTER_TOPICS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    interests = forms.MultipleChoiceField(
        label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interests"].choices = list(
            Interest.objects.filter(is_active=True).values_list("slug", "name")
        )


@require_http_methods(["GET", "POST"])
def preferences(request, token: str):
    try:
        email = tokens.read_token(tokens.PREFERENCES, token)["email"]
    except signing.BadSignature:
        return render(request, "newsletter/preferences/invalid.html", status=400)
    current = subscriptions.current_preferences(email=email)
    saved = False
    if request.method == "POST" and current.people:
        data = request.POST
        if "none" in data:
            data = {"topics": [], "interests": []}
            form = PreferencesForm({})
        else:
            form = PreferencesForm(data)
        if form.is_valid():
            current = subscriptions.save_preferences(
                email=email, topics=form.cleaned_data["topics"], interests=form.cleaned_data["interests"]
            )
            saved = True
    initial = {
        "topics": [topic for topic, on in current.topics.items() if on],
        "interests": sorted(current.interests),
    }
    form = PreferencesForm(initial=initial)
    return render(
        request,
        "newsletter/preferences/form.html",
        {"form": form, "email": email, "known": bool(current.people), "saved": saved, "current": current},
    )
