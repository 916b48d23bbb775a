"""The dashboard's address and its place in the admin's menu."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from insights.views import PERMISSION, DashboardView


@hooks.register("register_admin_urls")
def register_urls():
    return [path("insights/", DashboardView.as_view(), name="insights_dashboard")]


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return DashboardMenuItem(
        _("Insights"), reverse("insights_dashboard"), icon_name="table", name="insights", order=180
    )
