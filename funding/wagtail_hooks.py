"""Funding in the admin: its own "Money" menu, the ledger, and a panel on the CRM organisation page."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from funding import queries, services, views
from funding.models import Contribution


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


funding_menu = Menu(
    register_hook_name="register_funding_menu_item", construct_hook_name="construct_funding_menu"
)


class FundingMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        # Communicatie and Facilitair have no part in the money: no empty menu for them.
        return any(item.is_shown(request) for item in funding_menu.registered_menu_items)


@hooks.register("register_admin_menu_item")
def register_funding_menu():
    return FundingMenuItem(_("Money"), funding_menu, icon_name="doc-full", name="funding", order=160)


class _SavesThroughService:
    def save_instance(self):
        return services.save_contribution(contribution=self.form.instance, user=self.request.user)


class ContributionCreateView(_SavesThroughService, generic.CreateView):
    pass


class ContributionEditView(_SavesThroughService, generic.EditView):
    pass


class ContributionViewSet(ModelViewSet):
    """The ledger: every contribution line, filtered by year and kind."""

    model = Contribution
    icon = "doc-full"
    menu_label = _("Contributions")
    add_to_admin_menu = False
    add_view_class = ContributionCreateView
    edit_view_class = ContributionEditView
    form_fields = [
        "organisation",
        "year",
        "kind",
        "amount",
        "invoiced_on",
        "paid_on",
        "paid_amount",
        "note",
    ]
    list_display = ["organisation", "year", "kind", "amount", "invoiced_on", "paid_on", "paid_amount"]
    list_filter = ["year", "kind"]
    search_fields = ["organisation__name"]
    search_backend_name = None
    inspect_view_enabled = True

    def get_queryset(self, request):
        return Contribution.objects.select_related("organisation")


contribution_viewset = ContributionViewSet("funding_contributions")


@hooks.register("register_admin_viewset")
def register_contribution_viewset():
    return contribution_viewset


levy_urls = (
    [
        path("", views.LevyUploadView.as_view(), name="upload"),
        path("<int:pk>/", views.LevyReportView.as_view(), name="report"),
    ],
    "funding_levy",
)
ballot_urls = (
    [
        path("", views.BallotListView.as_view(), name="list"),
        path("new/", views.BallotCreateView.as_view(), name="create"),
        path("<int:pk>/", views.BallotDetailView.as_view(), name="detail"),
        path("<int:pk>/totals/", views.BallotTotalsView.as_view(), name="totals"),
    ],
    "funding_ballot",
)


@hooks.register("register_admin_urls")
def register_funding_urls():
    return [
        path("funding/participation/", views.ParticipationView.as_view(), name="funding_participation"),
        path("funding/levy/", include(levy_urls)),
        path("funding/ballots/", include(ballot_urls)),
    ]


@hooks.register("register_funding_menu_item")
def register_contributions_item():
    return PermissionMenuItem(
        _("Contributions"),
        reverse("funding_contributions:index"),
        icon_name="doc-full",
        order=10,
        permission="funding.view_contribution",
    )


@hooks.register("register_funding_menu_item")
def register_participation_item():
    return PermissionMenuItem(
        _("Participation"),
        reverse("funding_participation"),
        icon_name="group",
        order=20,
        permission="funding.view_participation",
    )


@hooks.register("register_funding_menu_item")
def register_ballots_item():
    return PermissionMenuItem(
        _("BIZ ballots"),
        reverse("funding_ballot:list"),
        icon_name="tasks",
        order=30,
        permission="funding.view_ballot",
    )


@hooks.register("register_funding_menu_item")
def register_levy_item():
    return PermissionMenuItem(
        _("Import the levy list"),
        reverse("funding_levy:upload"),
        icon_name="upload",
        order=40,
        permission="funding.import_levy_list",
    )


class LedgerPanel(Component):
    """An organisation's contributions, on its CRM page (the CRM does not know this app)."""

    template_name = "funding/organisation_panel.html"

    def __init__(self, request, organisation):
        self.request = request
        self.organisation = organisation

    def get_context_data(self, parent_context=None):
        user = self.request.user
        return {
            "organisation": self.organisation,
            "lines": queries.ledger(self.organisation),
            "can_add": user.has_perm("funding.add_contribution"),
            "can_edit": user.has_perm("funding.change_contribution"),
        }


@hooks.register("crm_organisation_panels")
def organisation_ledger_panel(request, organisation):
    if request.user.has_perm("funding.view_contribution"):
        return LedgerPanel(request, organisation)
    return None
