"""The AVG screens: a person's data downloaded (request of access) or erased, and the requests of
access that staff answer within a month."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm.models import AccessRequest, Person
from crm.privacy import (
    AccessRequestError,
    AlreadyErased,
    erase_person,
    export_person,
    log_person_export,
    request_access,
    send_access_export,
)


class PersonExportView(View):
    """A JSON download of everything stored about a person."""

    def get(self, request, pk: int):
        if not request.user.has_perm("crm.export_person_data"):
            raise PermissionDenied
        person = get_object_or_404(Person, pk=pk)
        data = export_person(person=person)
        log_person_export(person=person, user=request.user)
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        filename = f"persoonsgegevens-{person.pk}-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class PersonEraseView(WagtailAdminTemplateMixin, TemplateView):
    """GET: say what erasure will do and ask to confirm. POST: erase."""

    template_name = "crm/privacy/confirm_erase.html"
    header_icon = "bin"
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("crm.erase_person"):
            raise PermissionDenied
        self.person = get_object_or_404(
            Person.objects.prefetch_related("emails", "phones", "roles__organisation"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return gettext("Erase personal data")

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("crm_history", args=["person", self.person.pk]), "label": str(self.person)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            person=self.person,
            interaction_count=self.person.interactions.count(),
            consent_count=self.person.consents.count(),
            history_url=reverse("crm_history", args=["person", self.person.pk]),
        )
        return context

    def post(self, request, pk: int):
        try:
            erase_person(person=self.person, user=request.user)
        except AlreadyErased as error:
            messages.error(request, str(error))
        else:
            messages.success(request, gettext("The personal data were erased."))
        return redirect("crm_history", "person", self.person.pk)


class AccessRequestListView(WagtailAdminTemplateMixin, TemplateView):
    """Requests of access (AVG art. 15): the open ones by deadline, then the ones answered lately."""

    template_name = "crm/privacy/access_requests.html"
    header_icon = "doc-full"
    page_title = _("Requests of access (AVG)")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("crm.export_person_data"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        requests = AccessRequest.objects.select_related("person", "requested_by", "sent_by")
        today = timezone.localdate()
        open_requests = list(requests.filter(status=AccessRequest.Status.OPEN).order_by("due_on", "pk"))
        for item in open_requests:
            item.left = item.days_left(today)
            item.overdue = max(0, -item.left)
        context.update(
            open_requests=open_requests,
            answered=requests.filter(status=AccessRequest.Status.SENT).order_by("-sent_at")[:50],
        )
        return context


@require_POST
def register_access_request(request, pk: int):
    """Staff register a request of access that came in by mail, letter or at the counter."""
    if not request.user.has_perm("crm.export_person_data"):
        raise PermissionDenied
    person = get_object_or_404(Person, pk=pk, erased_at__isnull=True)
    access_request = request_access(person=person, user=request.user, channel=AccessRequest.Channel.STAFF)
    messages.success(
        request,
        gettext("Request of access registered; answer by %(date)s.")
        % {"date": access_request.due_on.strftime("%d-%m-%Y")},
    )
    return redirect("crm_access_requests")


@require_POST
def send_access_request(request, pk: int):
    if not request.user.has_perm("crm.export_person_data"):
        raise PermissionDenied
    access_request = get_object_or_404(AccessRequest, pk=pk)
    try:
        send_access_export(access_request=access_request, user=request.user)
    except AccessRequestError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, gettext("The data were sent to %(person)s.") % {"person": access_request.person}
        )
    return redirect("crm_access_requests")
