"""The export screen: choose a list, a part of it and a format; download CSV or XLSX.

Other screens link to the download with their filters as query parameters
(`?list=organisations&format=xlsx&kind=ondernemer&q=bakker`, see crm.forms.importing.ExportForm);
a segment's screen links to it with `?segment=<id>`, so a segment just built can be taken home.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm.exporting import export_organisations, export_people
from crm.forms.importing import ExportForm
from crm.models import Organisation, Person
from crm.queries import segments
from crm.queries.search import forgiving

PERMISSION = "crm.export_records"
# Each list also needs the right to see its records: an export is a view, taken home.
VIEW_PERMISSION = {"organisations": "crm.view_organisation", "people": "crm.view_person"}


def filtered_organisations(data: dict):
    segment = data.get("segment")
    organisations = segments.organisations_in(segment.filters) if segment else Organisation.objects.all()
    if data.get("q"):
        # An export takes exactly what was asked for: every word, typos forgiven.
        found = forgiving(Organisation.objects.all(), data["q"], every_word=True)
        organisations = organisations.filter(pk__in=found.values("pk"))
    for key in ("kind", "sector", "lifecycle"):
        if data.get(key):
            organisations = organisations.filter(**{key: data[key]})
    if data.get("town"):
        organisations = organisations.filter(town__iexact=data["town"].strip())
    return organisations.order_by("name", "pk")


def filtered_people(data: dict):
    segment = data.get("segment")
    people = segments.people_in(segment.filters) if segment else Person.objects.all()
    people = people.filter(erased_at__isnull=True)
    if data.get("q"):
        people = people.filter(pk__in=forgiving(people, data["q"], every_word=True).values("pk"))
    organisation_filters = {key: data[key] for key in ("kind", "sector", "lifecycle") if data.get(key)}
    if data.get("town"):
        organisation_filters["town__iexact"] = data["town"].strip()
    if organisation_filters:
        organisations = Organisation.objects.filter(**organisation_filters)
        people = people.filter(roles__organisation__in=organisations).distinct()
    return people.order_by("last_name", "first_name", "pk")


class ExportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "crm/export/index.html"
    header_icon = "download"
    page_title = gettext_lazy("Export")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": "", "label": _("Export")},
        ]

    def get(self, request):
        if "format" not in request.GET:
            # Opened from a segment's screen: that segment is chosen already.
            initial = {key: request.GET[key] for key in ("list", "segment") if request.GET.get(key)}
            return self.render_to_response(self.get_context_data(form=ExportForm(initial=initial)))
        form = ExportForm(request.GET)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        if not request.user.has_perm(VIEW_PERMISSION[data["list"]]):
            raise PermissionDenied
        if data["list"] == "people":
            export = export_people(filtered_people(data), data["format"])
        else:
            export = export_organisations(filtered_organisations(data), data["format"])
        response = HttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response
