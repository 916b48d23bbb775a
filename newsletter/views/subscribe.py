"""The portal's newsletter sign-up form and the confirmation link from its mail (double opt-in)."""

from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from crm.models import Consent, Interest
from newsletter import subscriptions


class SubscribeForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("Email address"),
        error_messages={
            "required": _("Fill in your email address."),
            "invalid": _("This is not a valid email address."),
        },
    )
    topics = forms.MultipleChoiceField(
        label=_("Which newsletters?"),
        choices=[(topic, Consent.Topic(topic).label) for topic in subscriptions.NEWSLETTER_TOPICS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one newsletter.")},
    )
    interests = forms.MultipleChoiceField(
        label=_("Themes that interest you (optional)"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interests"].choices = list(
            Interest.objects.filter(is_active=True).values_list("slug", "name")
        )


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None, initial={"topics": [Consent.Topic.SERVICE_NEWSLETTER]})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            subscriptions.request_subscription(
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                topics=form.cleaned_data["topics"],
                interests=form.cleaned_data["interests"],
                client_ip=client_ip(request),
            )
        except subscriptions.TooManySignups:
            form.add_error(None, _("Too many sign-ups from your connection. Please try again in an hour."))
            status = 429
        else:
            # The same answer whether the address was known or not (nothing leaks about who is on the list).
            request.session["newsletter_signup_email"] = form.cleaned_data["email"]
            return redirect("newsletter:subscribe_sent")
    wording = subscriptions.consent_wording(subscriptions.NEWSLETTER_TOPICS)
    return render(
        request,
        "newsletter/subscribe/form.html",
        {"form": form, "wording": wording, "hours": subscriptions.CONFIRM_HOURS},
        status=status,
    )


def subscribe_sent(request):
    return render(
        request,
        "newsletter/subscribe/sent.html",
        {"email": request.session.get("newsletter_signup_email", ""), "hours": subscriptions.CONFIRM_HOURS},
    )


@require_http_methods(["GET", "POST"])
def subscribe_confirm(request, token: str):
    """GET shows a button; only its POST confirms (mail scanners follow every link in a message)."""
    if request.method == "GET":
        return render(request, "newsletter/subscribe/confirm.html", {"token": token})
    result = subscriptions.confirm_subscription(token=token)
    status = {"confirmed": 200, "already": 200, "expired": 410, "invalid": 404}[result.status]
    return render(request, "newsletter/subscribe/confirmed.html", {"result": result}, status=status)
