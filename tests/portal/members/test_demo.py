"""The demo centre has members at every onboarding step, applications and reports in every state."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from portal.members.models import Application, Membership, Report


@pytest.mark.django_db
def test_the_demo_has_members_at_every_step_and_reports_and_applications_in_every_state(demo_centre, client):
    assert "members:" in demo_centre
    steps = set(Membership.objects.values_list("onboarding_step", flat=True))
    assert steps == set(Membership.Step.values)
    assert set(Report.objects.values_list("status", flat=True)) == set(Report.Status.values)
    assert set(Application.objects.values_list("status", flat=True)) == set(Application.Status.values)
    members = [membership.user for membership in Membership.objects.select_related("user")]
    assert not any(user.is_staff or user.has_usable_password() for user in members)
    assert all(user.groups.count() == 0 for user in members)
    resolved = Report.objects.filter(status=Report.Status.RESOLVED).select_related("follow_up").first()
    assert resolved.follow_up.done_at is not None

    # A demo member can be given a password to try the portal.
    out = io.StringIO()
    call_command("set_member_password", "--onboarded", stdout=out)
    login, password = out.getvalue().split(" as ")[1].split(" with password ")
    response = client.post(reverse("members:login"), {"username": login, "password": password.strip()})
    assert response.url == reverse("members:home")
    assert client.get(reverse("members:home")).status_code == 200
