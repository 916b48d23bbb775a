"""The CRM search page: one box over organisations, people and premises."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm.queries.search import KINDS, group_by_kind, search

# One or two letters match half the CRM; the page waits for a little more.
MIN_QUERY_LENGTH = 2


def searchable_kinds(user) -> list[str]:
    return [kind for kind in KINDS if user.has_perm(f"crm.view_{kind}")]


class SearchView(WagtailAdminTemplateMixin, TemplateView):
    """The full page (a plain GET form that works without JavaScript) or, with results_only, the results."""

    template_name = "crm/search/search.html"
    results_only = False
    page_title = _("Search")
    header_icon = "search"

    def dispatch(self, request, *args, **kwargs):
        self.kinds = searchable_kinds(request.user)
        if not self.kinds:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        return ["crm/search/results.html" if self.results_only else self.template_name]

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:200]
        searched = len(query) >= MIN_QUERY_LENGTH
        results = search(query, kinds=self.kinds) if searched else []
        context.update(query=query, searched=searched, groups=group_by_kind(results))
        return context
