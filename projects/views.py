"""The progress report screens: compose one for a period, download it, send it to the board; and
the board's frozen copies. Thin views: data from projects.queries, freezing in projects.services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from projects import queries, report, services
from projects.forms import ReportPeriodForm, last_quarter
from projects.models import ProgressReport
from stadshart.pdf import pdf_bytes_response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(data: dict, extension: str) -> str:
    return f"voortgangsrapportage-{data['period']['start']}-{data['period']['end']}.{extension}"


def xlsx_response(data: dict) -> HttpResponse:
    response = HttpResponse(report.render_xlsx(data), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(data, "xlsx")}"'
    return response


class ComposeReportView(WagtailAdminTemplateMixin, TemplateView):
    """Choose a period, read the report on screen, download it, or send it to the board."""

    template_name = "projects/report_compose.html"
    header_icon = "doc-full"
    page_title = gettext_lazy("New progress report")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("projects.add_progressreport"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("progress_reports:index"), "label": _("Progress reports")},
            {"url": "", "label": _("New progress report")},
        ]

    def get(self, request):
        if "start" not in request.GET:
            start, end = last_quarter(timezone.localdate())
            form = ReportPeriodForm(initial={"start": start, "end": end})
            return self.render_to_response(self.get_context_data(form=form))
        form = ReportPeriodForm(request.GET)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = queries.progress_report(**form.cleaned_data)
        fmt = request.GET.get("format")
        if fmt == "pdf":
            return pdf_bytes_response(report.render_pdf(data), filename=_filename(data, "pdf"))
        if fmt == "xlsx":
            return xlsx_response(data)
        query = {
            "start": form.cleaned_data["start"].isoformat(),
            "end": form.cleaned_data["end"].isoformat(),
            "introduction": form.cleaned_data["introduction"],
        }
        return self.render_to_response(
            self.get_context_data(
                form=form,
                report_html=report.render_html(data),
                pdf_query=urlencode({**query, "format": "pdf"}),
                xlsx_query=urlencode({**query, "format": "xlsx"}),
            )
        )

    def post(self, request):
        form = ReportPeriodForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            sent = services.send_progress_report(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("The progress report has been sent to the board and is kept as sent."))
        return redirect("progress_reports:inspect", sent.pk)


def _sent_report(request, pk) -> ProgressReport:
    if not request.user.has_perm("projects.view_progressreport"):
        raise PermissionDenied
    return get_object_or_404(ProgressReport, pk=pk)


def sent_report_pdf(request, pk):
    """The PDF exactly as the board received it."""
    sent = _sent_report(request, pk)
    return pdf_bytes_response(sent.pdf, filename=_filename(sent.data, "pdf"))


def sent_report_xlsx(request, pk):
    """The spreadsheet of the frozen data: the figures the board was given, not today's."""
    sent = _sent_report(request, pk)
    return xlsx_response(sent.data)
