"""Import and export in the admin's "Relaties" menu."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from crm.views import exporting, importing
from crm.wagtail_hooks.menu import PermissionMenuItem

import_urls = (
    [
        path("", importing.UploadView.as_view(), name="upload"),
        path("<int:pk>/", importing.MappingView.as_view(), name="mapping"),
        path("<int:pk>/report/", importing.ReportView.as_view(), name="report"),
        path("<int:pk>/progress/", importing.ProgressView.as_view(), name="progress"),
        path("<int:pk>/undo/", importing.UndoView.as_view(), name="undo"),
    ],
    "crm_import",
)
export_urls = ([path("", exporting.ExportView.as_view(), name="index")], "crm_export")


@hooks.register("register_admin_urls")
def register_urls():
    return [path("crm/import/", include(import_urls)), path("crm/export/", include(export_urls))]


@hooks.register("register_crm_menu_item")
def register_import_menu_item():
    return PermissionMenuItem(
        _("Import list"),
        reverse("crm_import:upload"),
        icon_name="upload",
        name="crm-import",
        order=900,
        permission=importing.PERMISSION,
    )


@hooks.register("register_crm_menu_item")
def register_export_menu_item():
    return PermissionMenuItem(
        _("Export"),
        reverse("crm_export:index"),
        icon_name="download",
        name="crm-export",
        order=910,
        permission=exporting.PERMISSION,
    )
