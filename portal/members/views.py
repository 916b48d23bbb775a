"""The members' pages: log in, accept an invitation, sign up, onboarding, My business and reports.

Every page that shows a business's private data finds that business through the logged-in
member's membership, never through an id in the address: another business's report is a 404.
"""

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.models import Consent
from portal.members import forms, services
from portal.members.models import Membership
from portal.members.queries import colleagues_of, membership_of, reports_of

BACKEND = "django.contrib.auth.backends.ModelBackend"


def member_required(view):
    """Logged in with an active membership; the membership is handed to the view."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("members:login"))
        membership = membership_of(request.user)
        if membership is None:
            return render(request, "members/not_a_member.html", status=403)
        return view(request, membership, *args, **kwargs)

    return wrapper


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# Accounts ------------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "members/login.html"
    authentication_form = forms.MemberLoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        membership = membership_of(self.request.user)
        if membership is None:
            return reverse("wagtailadmin_home") if self.request.user.is_staff else "/"
        if membership.onboarding_step != Membership.Step.DONE:
            return reverse("members:onboarding")
        return reverse("members:home")


@require_POST
def logout_view(request):
    logout(request)
    return redirect("/")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "members/password_reset.html"
    email_template_name = "email/members/password_reset.txt"
    subject_template_name = "email/members/password_reset_subject.txt"
    success_url = reverse_lazy("members:password_reset_sent")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "members/password_reset_confirm.html"
    success_url = reverse_lazy("members:password_reset_done")


def accept_invitation(request, token):
    try:
        invitation = services.read_invitation(token)
    except services.InvitationInvalid as problem:
        return render(request, "members/invitation_invalid.html", {"problem": str(problem)}, status=410)
    form = forms.NewPasswordForm(request.POST if request.method == "POST" else None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.accept_invitation(token=token, password=form.cleaned_data["password1"])
        except services.InvitationInvalid as problem:
            return render(request, "members/invitation_invalid.html", {"problem": str(problem)}, status=410)
        login(request, membership.user, backend=BACKEND)
        return redirect("members:onboarding")
    return render(request, "members/accept_invitation.html", {"form": form, "invitation": invitation})


def signup(request):
    form = forms.ApplicationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.apply_for_membership(**form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect("members:signup_sent")
    return render(request, "members/signup.html", {"form": form})


def signup_sent(request):
    return render(request, "members/signup_sent.html")


# Onboarding ----------------------------------------------------------------------------------

STEPS = [step for step in Membership.Step.values if step != Membership.Step.DONE]


@member_required
def onboarding(request, membership):
    """Continue where the member stopped."""
    if membership.onboarding_step == Membership.Step.DONE:
        return redirect("members:home")
    return redirect("members:onboarding_step", membership.onboarding_step)


def _step_form(step, membership, data=None, files=None):
    organisation = membership.organisation
    if step == Membership.Step.BUSINESS:
        return forms.BusinessForm(data, files, instance=type(organisation).objects.get(pk=organisation.pk))
    if step == Membership.Step.INTERESTS:
        return forms.InterestsForm(data, initial={"interests": list(organisation.interests.all())})
    if step == Membership.Step.NEWSLETTER:
        current = services.current_consents(membership.person)
        return forms.NewsletterForm(
            data,
            initial={
                "service": current[Consent.Topic.SERVICE_NEWSLETTER],
                "marketing": current[Consent.Topic.MARKETING_NEWSLETTER],
            },
        )
    if step == Membership.Step.DIRECTORY:
        listed = organisation.in_directory
        return forms.DirectoryForm(data, initial={"listed": "ja" if listed else None})
    raise Http404


def _save_step(step, membership, form, *, wizard: bool):
    data = form.cleaned_data
    if step == Membership.Step.BUSINESS:
        services.save_business_details(
            membership=membership, changes=form.profile_changes(), logo_upload=data.get("new_logo")
        )
    elif step == Membership.Step.INTERESTS:
        services.save_interests(membership=membership, interests=list(data["interests"]))
    elif step == Membership.Step.NEWSLETTER:
        services.save_newsletter_choices(
            membership=membership, service=data["service"], marketing=data["marketing"], always_record=wizard
        )
    elif step == Membership.Step.DIRECTORY:
        services.save_directory_choice(membership=membership, listed=data["listed"] == "ja")


def _submit_step(request, step, membership, *, wizard: bool):
    """The form of a step, bound to a POST; `saved` when it was valid and the CRM took it (the
    CRM's objections are shown on the form)."""
    posted = request.method == "POST"
    form = _step_form(step, membership, request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            _save_step(step, membership, form, wizard=wizard)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return form, True
    return form, False


@member_required
def onboarding_step(request, membership, step):
    if step not in STEPS:
        raise Http404
    # A step further than the member has reached is not open yet.
    if STEPS.index(step) > STEPS.index(
        membership.onboarding_step if membership.onboarding_step in STEPS else STEPS[-1]
    ):
        return redirect("members:onboarding_step", membership.onboarding_step)
    form, saved = _submit_step(request, step, membership, wizard=True)
    if saved:
        following = STEPS.index(step) + 1
        next_step = STEPS[following] if following < len(STEPS) else Membership.Step.DONE
        services.reach_step(membership=membership, step=next_step)
        if next_step == Membership.Step.DONE:
            messages.success(request, _("Welcome! Your business is ready in the portal."))
            return redirect("members:home")
        return redirect("members:onboarding_step", next_step)
    number = STEPS.index(step) + 1
    return render(
        request,
        "members/onboarding.html",
        {
            "membership": membership,
            "form": form,
            "step": step,
            "step_label": Membership.Step(step).label,
            "number": number,
            "total": len(STEPS),
            "steps": [(s, Membership.Step(s).label, STEPS.index(s) < number - 1) for s in STEPS],
            "previous": STEPS[number - 2] if number > 1 else None,
        },
    )


# My business ---------------------------------------------------------------------------------


@member_required
def home(request, membership):
    organisation = membership.organisation
    return render(
        request,
        "members/home.html",
        {
            "membership": membership,
            "organisation": organisation,
            "interests": organisation.interests.all(),
            "consents": services.current_consents(membership.person),
            "reports": reports_of(organisation)[:5],
            "colleagues": colleagues_of(membership),
            "access_request": services.open_access_request(membership),
        },
    )


# The profile pages of My business reuse the wizard's forms.
PROFILE_PAGES = {
    "gegevens": Membership.Step.BUSINESS,
    "interesses": Membership.Step.INTERESTS,
    "nieuwsbrieven": Membership.Step.NEWSLETTER,
    "bedrijvengids": Membership.Step.DIRECTORY,
}


@member_required
def edit_profile(request, membership, part):
    step = PROFILE_PAGES.get(part)
    if step is None:
        raise Http404
    form, saved = _submit_step(request, step, membership, wizard=False)
    if saved:
        messages.success(request, _("Saved."))
        return redirect("members:home")
    return render(
        request,
        "members/edit.html",
        {"membership": membership, "form": form, "title": Membership.Step(step).label, "step": step},
    )


@member_required
def colleagues(request, membership):
    form = forms.ColleagueForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite_colleague(membership=membership, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("members:colleagues")
    return render(
        request,
        "members/colleagues.html",
        {"membership": membership, "form": form, "colleagues": colleagues_of(membership)},
    )


@member_required
def download_data(request, membership):
    data = services.export_member_data(membership=membership)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False, default=str), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="mijn-gegevens.json"'
    return response


@member_required
@require_POST
def request_access(request, membership):
    access_request = services.request_full_access(membership=membership)
    messages.success(
        request,
        _("We received your request. You will receive all data we hold about you by %(date)s at the latest.")
        % {"date": access_request.due_on.strftime("%d-%m-%Y")},
    )
    return redirect("members:home")


@member_required
def close_account(request, membership):
    form = forms.CloseAccountForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.close_account(membership=membership)
        logout(request)
        return render(request, "members/account_closed.html")
    return render(request, "members/close_account.html", {"membership": membership, "form": form})


# Reports -------------------------------------------------------------------------------------


@member_required
def reports(request, membership):
    return render(
        request,
        "members/reports.html",
        {"membership": membership, "reports": reports_of(membership.organisation)},
    )


@member_required
def new_report(request, membership):
    form = forms.ReportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft = services.ReportDraft(
            category=data["category"],
            description=data["description"],
            location=data["location"],
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
        )
        try:
            report = services.submit_report(
                membership=membership, draft=draft, photo_upload=data.get("photo")
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your report has been passed on."))
            return redirect("members:report", report.pk)
    return render(request, "members/report_form.html", {"membership": membership, "form": form})


@member_required
def report(request, membership, pk):
    item = get_object_or_404(reports_of(membership.organisation), pk=pk)
    return render(request, "members/report.html", {"membership": membership, "report": item})


@member_required
def report_photo(request, membership, pk):
    item = get_object_or_404(reports_of(membership.organisation), pk=pk)
    if not item.photo:
        raise Http404
    response = FileResponse(item.photo.open("rb"))
    # A private photo: not kept in shared caches.
    response["Cache-Control"] = "private, max-age=3600"
    return response
