"""Reads the members' pages and other apps share."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from crm.models import Organisation
from portal.members.models import Membership, Report
from stadshart import roles


def membership_of(user) -> Membership | None:
    """The active membership of a logged-in user, with its person and business, or None."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("person", "organisation", "user")
        .filter(user=user, closed_at__isnull=True, user__is_active=True)
        .first()
    )


def reports_of(organisation: Organisation) -> QuerySet[Report]:
    """A business's reports, newest first (one query, whatever their number)."""
    return Report.objects.filter(organisation=organisation).select_related("reported_by")


def colleagues_of(membership: Membership) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=membership.organisation, closed_at__isnull=True)
        .select_related("person", "user")
        .order_by("person__last_name", "person__first_name")
    )


def facilitair_coordinator(organisation: Organisation | None = None):
    """Who handles reports: the first active Facilitair staff member, else a centre manager,
    else the business's account manager."""
    User = get_user_model()
    for role in (roles.FACILITAIR, roles.CENTRUMMANAGER):
        user = User.objects.filter(groups__name=role, is_active=True).order_by("pk").first()
        if user is not None:
            return user
    return organisation.account_manager if organisation is not None else None
