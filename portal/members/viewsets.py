"""The members' app's admin view sets: applications and reports, in the CRM's "Relaties" menu."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet

from portal.members.admin_views import (
    DecideApplicationView,
    ReportEditView,
    ReportIndexView,
    ReportInspectView,
    report_photo,
)
from portal.members.models import Application, Report

# The CRM's "Relaties" menu (crm.wagtail_hooks.menu).
MENU_HOOK = "register_crm_menu_item"


class ApplicationViewSet(ModelViewSet):
    model = Application
    menu_hook = MENU_HOOK
    menu_label = _("Applications")
    menu_order = 200
    icon = "form"
    url_prefix = "members/applications"
    url_namespace = "members_application"
    list_display = [
        TitleColumn("business_name", label=_("business name"), url_name="members_application:decide"),
        "kvk_number",
        Column("applicant_name", label=_("applicant")),
        "email",
        "status",
        DateColumn("submitted_at", label=_("submitted")),
    ]
    list_filter = ["status"]
    search_fields = ["business_name", "kvk_number", "email", "last_name"]
    search_backend_name = None
    form_fields = ["business_name", "kvk_number", "first_name", "last_name", "email", "message"]

    def get_urlpatterns(self):
        from django.urls import path

        return super().get_urlpatterns() + [
            path("<int:pk>/decide/", DecideApplicationView.as_view(), name="decide"),
        ]


class ReportViewSet(ModelViewSet):
    model = Report
    index_view_class = ReportIndexView
    inspect_view_class = ReportInspectView
    edit_view_class = ReportEditView
    menu_hook = MENU_HOOK
    menu_label = _("Problem reports")
    menu_order = 210
    icon = "warning"
    url_prefix = "members/reports"
    url_namespace = "members_report"
    inspect_view_enabled = True
    list_display = [
        # The report opens as its edit screen for those who handle it, else read-only.
        "__str__",
        Column("organisation", label=_("organisation")),
        "status",
        DateColumn("created_at", label=_("reported")),
    ]
    list_filter = ["status", "category"]
    form_fields = ["status", "response"]

    def get_urlpatterns(self):
        from django.urls import path

        return super().get_urlpatterns() + [path("<int:pk>/photo/", report_photo, name="photo")]
