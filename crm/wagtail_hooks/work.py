"""The accountmanager's daily work in the admin: logging a visit and My work (its panel on the
admin's home page is insights.home's "My work")."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from crm.views import visits, work
from crm.wagtail_hooks.menu import PermissionMenuItem


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("crm/log-visit/", visits.log_visit, name="crm_log_visit"),
        path("crm/lookup/organisations/", visits.organisation_lookup, name="crm_organisation_lookup"),
        path("crm/my-work/", work.my_work, name="crm_my_work"),
        path("crm/follow-ups/<int:pk>/done/", work.complete_follow_up, name="crm_follow_up_done"),
        path("crm/follow-ups/<int:pk>/undo/", work.reopen_follow_up, name="crm_follow_up_undo"),
    ]


@hooks.register("register_crm_menu_item")
def register_my_work_menu_item():
    return PermissionMenuItem(
        _("My work"), reverse("crm_my_work"), icon_name="tasks", order=5, permission="crm.view_organisation"
    )


@hooks.register("register_crm_menu_item")
def register_log_visit_menu_item():
    return PermissionMenuItem(
        _("Log a visit"),
        reverse("crm_log_visit"),
        icon_name="edit",
        order=10,
        permission="crm.add_interaction",
    )
