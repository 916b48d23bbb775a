"""The CRM in the Wagtail admin: one "Relaties" menu that every CRM screen adds itself to.

Each feature keeps its hooks in a module of its own (crm/hooks_<feature>.py), imported at the
bottom of this file, and adds its menu entries with @hooks.register("register_crm_menu_item").
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

crm_menu = Menu(register_hook_name="register_crm_menu_item", construct_hook_name="construct_crm_menu")


@hooks.register("register_admin_menu_item")
def register_crm_menu():
    return SubmenuMenuItem(_("Relations"), crm_menu, icon_name="group", name="crm", order=150)


@hooks.register("register_admin_viewset")
def register_record_viewsets():
    from crm.viewsets import InterestViewSet, OrganisationViewSet, PersonViewSet, PremisesViewSet

    return [OrganisationViewSet(), PersonViewSet(), PremisesViewSet(), InterestViewSet()]


@hooks.register("register_admin_urls")
def register_visit_urls():
    from django.urls import path

    from crm.views import visits, work

    return [
        path("crm/log-visit/", visits.log_visit, name="crm_log_visit"),
        path("crm/lookup/organisations/", visits.organisation_lookup, name="crm_organisation_lookup"),
        path("crm/my-work/", work.my_work, name="crm_my_work"),
        path("crm/follow-ups/<int:pk>/done/", work.complete_follow_up, name="crm_follow_up_done"),
    ]


@hooks.register("register_crm_menu_item")
def register_my_work_menu_item():
    from crm.menu import PermissionMenuItem

    return PermissionMenuItem(
        _("My work"), reverse("crm_my_work"), icon_name="tasks", order=5, permission="crm.view_organisation"
    )


@hooks.register("register_crm_menu_item")
def register_log_visit_menu_item():
    from crm.menu import PermissionMenuItem

    return PermissionMenuItem(
        _("Log a visit"),
        reverse("crm_log_visit"),
        icon_name="edit",
        order=10,
        permission="crm.add_interaction",
    )


@hooks.register("construct_homepage_panels")
def add_my_work_panel(request, panels):
    from crm.panels import MyWorkPanel

    if request.user.has_perm("crm.view_organisation"):
        panels.insert(0, MyWorkPanel(request.user))


# Each feature's own hooks (menu items, URLs); imported for their registration.
import crm.hooks_importing  # noqa: E402,F401
import crm.hooks_privacy  # noqa: E402,F401
import crm.hooks_search  # noqa: E402,F401
