"""The accountmanager's daily work in the admin: logging a visit, My work, and its panel on the
admin's home page."""

import datetime as dt

from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from crm.models import FollowUp
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


class MyWorkPanel(Component):
    """The first thing a staff member sees in the admin: what is due, with a way into My work."""

    name = "crm_my_work"
    order = 50
    template_name = "crm/home_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        today = timezone.localdate()
        counts = FollowUp.objects.filter(assigned_to=self.user, done_at__isnull=True).aggregate(
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            this_week=Count("pk", filter=Q(due_on__gte=today, due_on__lt=today + dt.timedelta(days=7))),
        )
        return {"counts": counts, "can_log": self.user.has_perm("crm.add_interaction")}


@hooks.register("construct_homepage_panels")
def add_my_work_panel(request, panels):
    if request.user.has_perm("crm.view_organisation"):
        panels.insert(0, MyWorkPanel(request.user))
