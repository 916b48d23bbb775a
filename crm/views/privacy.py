"""The AVG screens of a person: download everything we hold (request of access) and erase."""

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
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm.models import Person
from crm.privacy import AlreadyErased, erase_person, export_person, log_person_export


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
