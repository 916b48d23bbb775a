"""Admin: "Bewaren en back-ups" under Instellingen, for the Beheerder."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from crm.wagtail_hooks.menu import PermissionMenuItem
from keeping.views import KeepingView

PERMISSION = "keeping.view_retentionrun"


@hooks.register("register_admin_urls")
def register_keeping_urls():
    return [path("keeping/", KeepingView.as_view(), name="keeping")]


@hooks.register("register_settings_menu_item")
def register_keeping_menu_item():
    return PermissionMenuItem(
        _("Backups and retention"), reverse("keeping"), icon_name="history", order=900, permission=PERMISSION
    )
