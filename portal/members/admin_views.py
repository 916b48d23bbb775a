"""The staff side of the members' app in the Wagtail admin: inviting, deciding on applications, and
the report views (their view sets are in portal.members.viewsets)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views import generic

from crm.models import Organisation, Role
from crm.visibility import readable_by
from portal.members import services
from portal.members.models import Application, Invitation, Membership, Report


class InviteForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Who?"), queryset=Role.objects.none(), widget=forms.RadioSelect, empty_label=None
    )
    note = forms.CharField(
        label=_("Personal note in the mail (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            Role.objects.filter(organisation=organisation, person__erased_at__isnull=True)
            .select_related("person")
            .prefetch_related("person__emails")
            .order_by("-is_primary_contact", "person__last_name")
        )
        self.fields["person"].label_from_instance = self.person_label

    @staticmethod
    def person_label(role):
        emails = [address.email for address in role.person.emails.all()]
        address = emails[0] if emails else gettext("no email address")
        return f"{role.person.full_name} ({address})"


class InviteView(generic.base.WagtailAdminTemplateMixin, TemplateView):
    """ "Invite to the portal" from an organisation's page: choose the person, send the link."""

    template_name = "members/admin/invite.html"
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("members.add_invitation"):
            raise PermissionDenied
        self.organisation = get_object_or_404(Organisation, pk=kwargs["pk"])
        initial = {}
        person = request.GET.get("person", "")
        if person.isdigit():
            initial["person"] = Role.objects.filter(organisation=self.organisation, person_id=person).first()
        self.form = InviteForm(
            request.POST if request.method == "POST" else None,
            organisation=self.organisation,
            initial=initial,
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return gettext("Invite to the portal")

    def get_page_subtitle(self):
        return self.organisation.name

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("crm_organisation:index"), "label": _("Organisations")},
            {
                "url": reverse("crm_organisation:detail", args=[self.organisation.pk]),
                "label": self.organisation.name,
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def post(self, request, *args, **kwargs):
        if self.form.is_valid():
            role = self.form.cleaned_data["person"]
            try:
                invitation, _token = services.invite_person(
                    person=role.person,
                    organisation=self.organisation,
                    invited_by=request.user,
                    note=self.form.cleaned_data["note"],
                )
            except ValidationError as error:
                self.form.add_error(None, error)
            else:
                messages.success(
                    request, gettext("Invitation sent to %(email)s.") % {"email": invitation.email}
                )
                return redirect("crm_organisation:detail", self.organisation.pk)
        return self.get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=self.form,
            organisation=self.organisation,
            invitations=Invitation.objects.filter(organisation=self.organisation).select_related(
                "invited_by"
            )[:20],
            members=Membership.objects.filter(organisation=self.organisation).select_related(
                "person", "user"
            ),
        )
        return context


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the applicant)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class DecideApplicationView(generic.base.WagtailAdminTemplateMixin, TemplateView):
    """One application with its decision: approve (the invitation is sent) or reject with a reason."""

    template_name = "members/admin/decide.html"
    header_icon = "form"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("members.change_application"):
            raise PermissionDenied
        self.application = get_object_or_404(
            Application.objects.select_related("organisation", "decided_by"), pk=kwargs["pk"]
        )
        self.reject_form = RejectForm(request.POST if request.POST.get("action") == "reject" else None)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return gettext("Application: %(name)s") % {"name": self.application.business_name}

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("members_application:index"), "label": _("Applications")},
            {"url": "", "label": self.application.business_name},
        ]

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        try:
            if action == "approve":
                invitation = services.approve_application(application=self.application, user=request.user)
                messages.success(
                    request,
                    gettext("Approved; the invitation was sent to %(email)s.") % {"email": invitation.email},
                )
                return redirect("members_application:index")
            if action == "reject" and self.reject_form.is_valid():
                services.reject_application(
                    application=self.application,
                    user=request.user,
                    reason=self.reject_form.cleaned_data["reason"],
                )
                messages.success(request, gettext("Rejected; the applicant has been told."))
                return redirect("members_application:index")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return self.get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.application
        context.update(
            application=application,
            reject_form=self.reject_form,
            known=Organisation.objects.filter(kvk_number=application.kvk_number).first(),
        )
        return context


class ReportEditView(generic.EditView):
    """Staff change a report's status and answer; resolving also ticks off its CRM follow-up.
    What was reported (description, photo, place, reporter, times) is shown beside the form."""

    template_name = "members/admin/report_edit.html"

    def get_object(self, queryset=None):
        return super().get_object(queryset or Report.objects.select_related("organisation", "reported_by"))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "reads": readable_by(self.request.user)}

    def save_instance(self):
        data = self.form.cleaned_data
        return services.change_report_status(
            report=self.object,
            status=data["status"],
            response=data.get("response", ""),
            user=self.request.user,
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            for field, errors in getattr(error, "error_dict", {None: error.messages}).items():
                form.add_error(field, errors)
            return self.form_invalid(form)


class ReportInspectView(generic.InspectView):
    """A report for the roles that may read but not handle it (accountmanagers, the board): the
    same details the edit screen shows beside its form, in local time."""

    template_name = "members/admin/report_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(Report.objects.select_related("organisation", "reported_by"), pk=self.pk)

    def get_page_title(self):
        return gettext("Problem report")

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        # A report's text and photo are what the member told staff: read as notes (crm.visibility).
        return {**super().get_context_data(**kwargs), "reads": readable_by(self.request.user)}


def report_photo(request, pk):
    """The photo of a report, for staff who may see reports (never a public media address)."""
    if not request.user.has_perm("members.view_report") or not readable_by(request.user).notes:
        raise PermissionDenied
    report = get_object_or_404(Report, pk=pk)
    if not report.photo:
        raise Http404
    response = FileResponse(report.photo.open("rb"))
    response["Cache-Control"] = "private, no-store"
    return response


class ReportIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("organisation")
