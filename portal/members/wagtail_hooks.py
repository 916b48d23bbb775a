"""The members' app in the admin: applications and reports in the "Relaties" menu, and an
"Invite to the portal" button on organisations and people (through the CRM's action hooks)."""

from django.urls import path, reverse
from django.utils.translation import gettext
from wagtail import hooks


@hooks.register("register_admin_viewset")
def register_member_viewsets():
    from portal.members.viewsets import ApplicationViewSet, ReportViewSet

    return [ApplicationViewSet(), ReportViewSet()]


@hooks.register("register_admin_urls")
def register_invite_url():
    from portal.members.admin_views import InviteView

    return [path("members/invite/<int:pk>/", InviteView.as_view(), name="members_invite")]


@hooks.register("crm_organisation_actions")
def invite_from_organisation(request, organisation):
    if not request.user.has_perm("members.add_invitation"):
        return []
    return [(gettext("Invite to the portal"), reverse("members_invite", args=[organisation.pk]))]


@hooks.register("crm_person_actions")
def invite_from_person(request, person):
    if not request.user.has_perm("members.add_invitation"):
        return []
    return [
        (
            gettext("Invite to the portal for %(name)s") % {"name": role.organisation.name},
            reverse("members_invite", args=[role.organisation_id]) + f"?person={person.pk}",
        )
        for role in person.roles.all()
    ]
