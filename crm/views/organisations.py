import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm.models import EmailAddress, FollowUp, Occupancy, Organisation, Relation, Role
from crm.queries.timeline import PAGE_SIZE, organisation_timeline
from crm.visibility import readable_by


def extra_actions(hook_name: str, request, record) -> list[tuple[str, str]]:
    """Buttons other apps add to a record's page, as (label, url): the CRM does not know those apps.

    Each function registered under `hook_name` takes (request, record) and returns a list of pairs.
    """
    actions = []
    for hook in hooks.get_hooks(hook_name):
        actions.extend(hook(request, record) or [])
    return actions


def optional_url(name: str, *args) -> str | None:
    """A URL of a screen that may not be installed yet (history, merge, …)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


class OrganisationDetailView(WagtailAdminTemplateMixin, TemplateView):
    """An organisation on one page: who they are, their people and premises, and their whole history."""

    template_name = "crm/organisation_detail.html"
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("crm.view_organisation"):
            raise PermissionDenied
        self.organisation = get_object_or_404(
            Organisation.objects.select_related("account_manager").prefetch_related("interests"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.organisation.name

    def get_page_subtitle(self):
        return self.organisation.get_kind_display()

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("crm_organisation:index"), "label": _("Organisations")},
            {"url": "", "label": self.organisation.name},
        ]

    def get_context_data(self, **kwargs):
        organisation = self.organisation
        before = parse_datetime(self.request.GET.get("before", "") or "")
        timeline = organisation_timeline(organisation, before=before)
        roles = (
            Role.objects.filter(organisation=organisation)
            .select_related("person")
            .prefetch_related(
                Prefetch("person__emails", queryset=EmailAddress.objects.filter(is_primary=True))
            )
        )
        context = super().get_context_data(**kwargs)
        context.update(
            organisation=organisation,
            timeline=timeline,
            older_url=(f"?before={timeline[-1].when.isoformat()}" if len(timeline) == PAGE_SIZE else None),
            roles=roles.order_by("-is_primary_contact", "person__last_name"),
            occupancies=Occupancy.objects.filter(organisation=organisation).select_related("premises"),
            owned_premises=organisation.owned_premises.all(),
            relations=Relation.objects.filter(from_organisation=organisation).select_related(
                "to_organisation"
            ),
            related_from=Relation.objects.filter(to_organisation=organisation).select_related(
                "from_organisation"
            ),
            open_follow_ups=FollowUp.objects.filter(
                interaction__organisations=organisation, done_at__isnull=True
            ).select_related("assigned_to"),
            today=dt.date.today(),
            reads=readable_by(self.request.user),
            can_edit=self.request.user.has_perm("crm.change_organisation"),
            can_log=self.request.user.has_perm("crm.add_interaction"),
            log_visit_url=optional_url("crm_log_visit"),
            history_url=optional_url("crm_history", "organisation", organisation.pk),
            merge_url=optional_url("crm_merge_choose", "organisation", organisation.pk),
            extra_actions=extra_actions("crm_organisation_actions", self.request, organisation),
            # Sections other apps add to the page (funding's ledger, …): Components or None.
            extra_panels=[
                panel
                for hook in hooks.get_hooks("crm_organisation_panels")
                if (panel := hook(self.request, organisation)) is not None
            ],
        )
        return context
