"""The Beheerder's view of keeping the data: where backups go, the last ones, restores, retention."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from keeping.backups import destination
from keeping.models import BackupRun, RestoreRun, RetentionRun
from keeping.retention import LABELS


class KeepingView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "keeping/overview.html"
    page_title = gettext_lazy("Backups and retention")
    header_icon = "history"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("keeping.view_retentionrun"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        # Empty, as on the send screen: the header then shows this screen's own title.
        return []

    def get_context_data(self, **kwargs):
        runs = list(RetentionRun.objects.select_related("started_by")[:14])
        return super().get_context_data(
            destination=destination(),
            keep_days=settings.BACKUP_KEEP_DAYS,
            encrypted=bool(settings.BACKUP_GPG_RECIPIENT),
            nightly="keeping-backup" in settings.CELERY_BEAT_SCHEDULE,
            periods=[(LABELS.get(kind, kind), days) for kind, days in settings.RETENTION_DAYS.items()],
            backups=BackupRun.objects.all()[:14],
            restores=RestoreRun.objects.all()[:5],
            runs=[
                (run, [(LABELS.get(kind, kind), result) for kind, result in run.results.items()])
                for run in runs
            ],
            **kwargs,
        )
