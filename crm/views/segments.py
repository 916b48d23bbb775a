"""The live count of the segment form (the segments' view set is in ``crm.viewsets``)."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from crm.forms.segments import SegmentFilterForm
from crm.queries import segments as segment_queries
from crm.queries.search import admin_url

PREVIEW_SIZE = 10


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
