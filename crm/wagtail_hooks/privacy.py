"""Admin URLs of the audit history, the AVG screens (export, erase) and merging duplicates.

The history, export and erase screens are reached from a record's own page; only "Samenvoegen"
(merge) has a menu item, for staff who may merge.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from crm.views.history import HistoryView
from crm.views.merging import DuplicatesView, MergeChooseView, MergeCompareView, MergeRecordView
from crm.views.privacy import (
    AccessRequestListView,
    PersonEraseView,
    PersonExportView,
    register_access_request,
    send_access_request,
)
from crm.wagtail_hooks.menu import PermissionMenuItem


@hooks.register("register_admin_urls")
def register_privacy_urls():
    return [
        path("crm/history/<str:model_name>/<int:pk>/", HistoryView.as_view(), name="crm_history"),
        path("crm/privacy/person/<int:pk>/export/", PersonExportView.as_view(), name="crm_person_export"),
        path("crm/privacy/person/<int:pk>/erase/", PersonEraseView.as_view(), name="crm_person_erase"),
        path(
            "crm/privacy/person/<int:pk>/access-request/",
            register_access_request,
            name="crm_person_access_request",
        ),
        path("crm/privacy/requests/", AccessRequestListView.as_view(), name="crm_access_requests"),
        path("crm/privacy/requests/<int:pk>/send/", send_access_request, name="crm_access_request_send"),
        path("crm/merge/", MergeChooseView.as_view(), name="crm_merge"),
        path("crm/merge/duplicates/", DuplicatesView.as_view(), name="crm_merge_duplicates"),
        path("crm/merge/done/<int:pk>/", MergeRecordView.as_view(), name="crm_merge_record"),
        path("crm/merge/<str:kind>/<int:keep>/", MergeChooseView.as_view(), name="crm_merge_choose"),
        path(
            "crm/merge/<str:kind>/<int:keep>/<int:duplicate>/",
            MergeCompareView.as_view(),
            name="crm_merge_compare",
        ),
    ]


@hooks.register("register_crm_menu_item")
def register_merge_menu_item():
    return PermissionMenuItem(
        _("Merge"),
        reverse("crm_merge"),
        icon_name="resubmit",
        name="crm-merge",
        order=900,
        permission="crm.merge_records",
    )


@hooks.register("register_crm_menu_item")
def register_access_requests_menu_item():
    return PermissionMenuItem(
        _("Requests of access (AVG)"),
        reverse("crm_access_requests"),
        icon_name="doc-full",
        name="crm-access-requests",
        order=950,
        permission="crm.export_person_data",
    )
