"""Search and the stakeholder map in the admin's "Relaties" menu (segments are in ``records``)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from crm.views.search import SearchView, searchable_kinds
from crm.views.stakeholders import StakeholderMapView
from crm.wagtail_hooks.menu import PermissionMenuItem

search_urls = (
    [
        path("", SearchView.as_view(), name="index"),
        path("results/", SearchView.as_view(results_only=True), name="results"),
    ],
    "crm_search",
)
stakeholder_urls = ([path("", StakeholderMapView.as_view(), name="map")], "crm_stakeholders")


class SearchMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(searchable_kinds(request.user))


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("crm/search/", include(search_urls)),
        path("crm/stakeholders/", include(stakeholder_urls)),
    ]


@hooks.register("register_crm_menu_item")
def register_search_menu_item():
    return SearchMenuItem(
        _("Search"), reverse("crm_search:index"), name="crm-search", icon_name="search", order=10
    )


@hooks.register("register_crm_menu_item")
def register_stakeholder_menu_item():
    return PermissionMenuItem(
        _("Stakeholder map"),
        reverse("crm_stakeholders:map"),
        name="crm-stakeholders",
        icon_name="group",
        order=410,
        permission="crm.view_organisation",
    )
