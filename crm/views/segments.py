"""Segments in the admin: a list with live counts, a form with a live count, and the count endpoint."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from crm.forms_segments import SegmentFilterForm, SegmentForm
from crm.models import Segment
from crm.queries import segments as segment_queries
from crm.queries.search import admin_url

PREVIEW_SIZE = 10
INVALID = _("invalid filters")


class SegmentIndexView(generic.IndexView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Counts for the segments on this page: two queries however many segments there are.
        page = list(context["object_list"])
        counts = segment_queries.count_many({segment.pk: segment.filters for segment in page})
        for segment in page:
            found = counts.get(segment.pk)
            # Filters stored by an older version or by hand may no longer be valid: say so.
            segment.organisation_count = INVALID if found is None else found["organisations"]
            segment.people_count = INVALID if found is None else found["people"]
        return context


class SegmentCreateView(generic.CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


@require_GET
def count_view(request):
    """The live count of the segment form: the filters in the query string, counts and a preview as JSON."""
    if not any(request.user.has_perm(f"crm.{action}_segment") for action in ("view", "add", "change")):
        raise PermissionDenied
    form = SegmentFilterForm(request.GET)
    if not form.is_valid():
        errors = {field: [str(error) for error in errors] for field, errors in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    filters = form.filters()
    counts = segment_queries.count(filters)
    first = segment_queries.organisations_in(filters).order_by("name", "pk").only("pk", "name", "street")
    preview = [
        {"name": organisation.name, "street": organisation.street, "url": admin_url(organisation)}
        for organisation in first[:PREVIEW_SIZE]
    ]
    return JsonResponse({**counts, "filters": filters, "preview": preview})


class SegmentViewSet(ModelViewSet):
    model = Segment
    icon = "list-ul"
    url_prefix = "crm/segments"
    url_namespace = "crm_segment"
    menu_label = _("Segments")
    index_view_class = SegmentIndexView
    add_view_class = SegmentCreateView
    create_template_name = "crm/segments/form.html"
    edit_template_name = "crm/segments/form.html"
    list_display = [
        TitleColumn("name", label=_("Name"), url_name="crm_segment:edit", sort_key="name"),
        Column("description", label=_("Description")),
        Column("organisation_count", label=_("Organisations")),
        Column("people_count", label=_("People")),
    ]
    search_fields = ["name", "description"]
    search_backend_name = None
    ordering = ["name"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return SegmentForm

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("count/", count_view, name="count")]


segment_viewset = SegmentViewSet("crm_segment")
