"""The import screens: upload, map columns and preview, progress and report, undo.

Thin: the file is read, checked, matched and written by crm.importing; batches are opened and
started by crm.services (open_import, start_import); the import itself runs in a Celery task
(crm.tasks.run_import) while the report page polls the batch's progress.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm import importing, services
from crm.forms.importing import ImportMappingForm, ImportUploadForm
from crm.models import ImportBatch

PERMISSION = "crm.import_organisations"
PREVIEW_ROWS = 25


class ImportPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportScreen(ImportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "upload"
    page_title = gettext_lazy("Import organisations")

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("crm_import:upload"), "label": _("Import organisations")},
            *self.extra_breadcrumbs(),
        ]

    def extra_breadcrumbs(self):
        return []


class UploadView(ImportScreen):
    template_name = "crm/import/upload.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ImportUploadForm())
        return super().get_context_data(
            recent=ImportBatch.objects.select_related("created_by")[:10], **kwargs
        )

    def post(self, request):
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                # Stored only: the worker reads it (crm.tasks.read_import) while the next page waits.
                batch = services.open_import(file=upload, filename=upload.name, user=request.user)
            except importing.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                return redirect("crm_import:mapping", pk=batch.pk)
        return self.render_to_response(self.get_context_data(form=form))


class BatchMixin:
    def get_batch(self, pk: int) -> ImportBatch:
        return get_object_or_404(ImportBatch.objects.select_related("created_by"), pk=pk)


class MappingView(BatchMixin, ImportScreen):
    """Choose what each column is, see what the import would do, and start it.

    Everything shown comes from what the worker stored on the batch (`preview`); this view never
    opens the file. While the worker reads, the page says so and looks again every few seconds.
    """

    template_name = "crm/import/mapping.html"

    def extra_breadcrumbs(self):
        return [{"url": "", "label": self.batch.filename}]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        self.batch = self.get_batch(kwargs["pk"])
        if self.batch.status == ImportBatch.Status.READING:
            return TemplateResponse(
                request, "crm/import/reading.html", self.get_context_data(batch=self.batch, reading=True)
            )
        if self.batch.status != ImportBatch.Status.PREVIEW:
            return redirect("crm_import:report", pk=self.batch.pk)
        self.preview = self.batch.preview or {}
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None) -> ImportMappingForm:
        return ImportMappingForm(
            data, headers=self.preview.get("headers", []), mapping=self.preview.get("mapping", {})
        )

    def get(self, request, pk):
        return self.render_to_response(self.get_context_data(form=self.form(), preview=self.preview))

    def post(self, request, pk):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, preview=self.preview))
        if request.POST.get("action") != "start":
            services.save_import_mapping(batch=self.batch, mapping=form.mapping())
            return redirect("crm_import:mapping", pk=self.batch.pk)
        services.start_import(batch=self.batch, mapping=form.mapping())
        return redirect("crm_import:report", pk=self.batch.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if kwargs.get("reading"):
            return context
        preview = kwargs["preview"]
        form = kwargs["form"]
        context["batch"] = self.batch
        context["columns"] = [
            (form[f"column_{index}"], header, preview["examples"][index])
            for index, header in enumerate(preview.get("headers", []))
        ]
        if preview.get("plan"):
            context["sample"] = preview["plan"]["sample"][:PREVIEW_ROWS]
        return context


class ReportView(BatchMixin, ImportScreen):
    """Progress while the import runs; afterwards what it did and every row it did not take."""

    template_name = "crm/import/report.html"

    def extra_breadcrumbs(self):
        return [{"url": "", "label": self.batch.filename}]

    def get(self, request, pk):
        self.batch = self.get_batch(pk)
        rows = self.batch.rejected_rows or []
        return self.render_to_response(
            self.get_context_data(
                batch=self.batch,
                running=self.batch.status == ImportBatch.Status.RUNNING,
                percent=int(100 * self.batch.processed_rows / self.batch.total_rows)
                if self.batch.total_rows
                else 0,
                rejected=[row for row in rows if not row.get("kept")],
                notes=[row for row in rows if row.get("kept")],
            )
        )


class ProgressView(ImportPermissionMixin, BatchMixin, View):
    """What the report page polls while the import runs."""

    def get(self, request, pk):
        batch = self.get_batch(pk)
        return JsonResponse(
            {
                "status": batch.status,
                "processed_rows": batch.processed_rows,
                "total_rows": batch.total_rows,
            }
        )


class UndoView(BatchMixin, ImportScreen):
    template_name = "crm/import/undo.html"

    def extra_breadcrumbs(self):
        return [
            {"url": reverse("crm_import:report", args=[self.batch.pk]), "label": self.batch.filename},
            {"url": "", "label": _("Undo")},
        ]

    def get(self, request, pk):
        self.batch = self.get_batch(pk)
        return self.render_to_response(
            self.get_context_data(batch=self.batch, record_count=self.batch.records.count())
        )

    def post(self, request, pk):
        self.batch = self.get_batch(pk)
        try:
            result = importing.undo_import(batch=self.batch, user=request.user)
        except importing.ImportUndoError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "The import has been undone: %(count)s new organisation was deleted.",
                    "The import has been undone: %(count)s new organisations were deleted.",
                    result["organisation"],
                )
                % {"count": result["organisation"]},
            )
            if result["kept_people"] or result["kept_organisations"]:
                messages.warning(
                    request,
                    _(
                        "Kept because of what happened since the import: %(people)s people with a "
                        "consent choice and %(organisations)s organisations with logged contacts."
                    )
                    % {"people": result["kept_people"], "organisations": result["kept_organisations"]},
                )
        return redirect("crm_import:report", pk=self.batch.pk)
