"""The board's dashboard (Inzichten) in the admin: the filter, the figures, and the same figures as
XLSX and PDF. Thin: the numbers come from insights.queries, the files from insights.exports."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from insights import exports
from insights.forms import DashboardFilterForm
from insights.queries import dashboard
from stadshart.pdf import pdf_bytes_response

PERMISSION = "insights.view_dashboard"


class DashboardView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "insights/dashboard.html"
    header_icon = "table"
    page_title = gettext_lazy("Insights")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request):
        form = DashboardFilterForm(request.GET or None)
        if request.GET and not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        if not request.GET:
            form = DashboardFilterForm({"period": "quarter"})
            form.is_valid()
        board = dashboard(*form.chosen())
        fmt = request.GET.get("format")
        if fmt == "xlsx":
            response = HttpResponse(exports.render_xlsx(board), content_type=exports.XLSX)
            response["Content-Disposition"] = f'attachment; filename="{exports.filename(board, "xlsx")}"'
            return response
        if fmt == "pdf":
            return pdf_bytes_response(exports.render_pdf(board), filename=exports.filename(board, "pdf"))
        query = {key: value for key, value in form.cleaned_data.items() if value}
        query = {
            key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in query.items()
        }
        return self.render_to_response(
            self.get_context_data(
                form=form,
                board=board,
                period_label=exports.period_label(board),
                previous_label=exports.previous_label(board),
                xlsx_query=urlencode({**query, "format": "xlsx"}),
                pdf_query=urlencode({**query, "format": "pdf"}),
            )
        )
