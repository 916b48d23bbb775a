"""My business: the profile, colleagues, newsletter preferences, my data and closing the account."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from crm.models import Consent
from portal.members import services
from portal.members.models import Invitation, Membership
from tests.builders import MEMBER_PASSWORD, make_member

pytestmark = pytest.mark.django_db


def test_my_business_needs_a_login(client, db):
    response = client.get(reverse("members:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("members:login"))


def test_a_staff_member_without_a_business_is_told_this_is_for_members(client, sanne):
    client.force_login(sanne)
    response = client.get(reverse("members:home"))
    assert response.status_code == 403
    assert "Alleen voor leden" in response.content.decode()


def test_my_business_shows_the_business_and_runs_a_fixed_number_of_queries(
    member_client, fatima, django_assert_max_num_queries
):
    services.submit_report(
        membership=fatima,
        draft=services.ReportDraft(category="schoon", description="Afval", location="Marktstraat 3"),
    )
    with django_assert_max_num_queries(16):
        page = member_client.get(reverse("members:home")).content.decode()
    assert "Bakkerij De Korenschoof" in page
    assert "Marktstraat 3" in page


def test_editing_the_profile_uses_the_wizard_form(member_client, fatima):
    data = {
        "name": "Bakkerij De Korenschoof",
        "street": "Marktstraat",
        "house_number": "1",
        "postcode": "4811 AB",
        "town": "Veldhaven",
        "kvk_number": fatima.organisation.kvk_number,
        "opening_hours": "ma–za 8–18",
        "website": "",
        "instagram": "https://instagram.com/korenschoof",
        "description": "",
    }
    response = member_client.post(reverse("members:edit_profile", args=["gegevens"]), data)
    assert response.url == reverse("members:home")
    fatima.organisation.refresh_from_db()
    assert fatima.organisation.instagram == "https://instagram.com/korenschoof"


def test_newsletter_preferences_record_only_what_changed(member_client, fatima):
    url = reverse("members:edit_profile", args=["nieuwsbrieven"])
    member_client.post(url, {"service": "on", "marketing": "on"})
    member_client.post(url, {"service": "on"})
    rows = list(Consent.objects.filter(person=fatima.person).order_by("pk").values_list("topic", "granted"))
    assert rows == [
        (Consent.Topic.SERVICE_NEWSLETTER, True),
        (Consent.Topic.MARKETING_NEWSLETTER, True),
        (Consent.Topic.MARKETING_NEWSLETTER, False),
    ]


def test_a_member_invites_a_colleague_who_becomes_a_contact(
    member_client, fatima, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            reverse("members:colleagues"),
            {"first_name": "Joris", "last_name": "Bakker", "email": "Joris@Korenschoof.example"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="joris@korenschoof.example")
    assert invitation.organisation == fatima.organisation
    assert invitation.invited_by == fatima.user
    assert invitation.person.roles.get().organisation == fatima.organisation
    assert mail.outbox[-1].to == ["joris@korenschoof.example"]


def test_downloading_my_data_gives_json_with_the_account_and_is_logged(member_client, fatima):
    response = member_client.get(reverse("members:download_data"))
    assert response["Content-Disposition"] == 'attachment; filename="mijn-gegevens.json"'
    data = json.loads(response.content)
    assert data["first_name"] == "Fatima"
    assert data["portal_account"]["email"] == "fatima@korenschoof.example"
    assert data["email_addresses"] == [{"email": "fatima@korenschoof.example", "primary": True}]


def test_closing_the_account_needs_the_password(member_client, fatima):
    response = member_client.post(reverse("members:close_account"), {"password": "fout", "confirm": "on"})
    assert response.status_code == 200
    assert "niet uw wachtwoord" in response.content.decode()
    fatima.refresh_from_db()
    assert fatima.closed_at is None


def test_closing_the_account_stops_the_login_and_withdraws_consent(member_client, fatima, client):
    services.save_newsletter_choices(membership=fatima, service=True, marketing=True)
    services.save_directory_choice(membership=fatima, listed=True)
    response = member_client.post(
        reverse("members:close_account"), {"password": MEMBER_PASSWORD, "confirm": "on"}
    )
    assert "Account opgeheven" in response.content.decode()
    fatima.refresh_from_db()
    assert fatima.closed_at is not None
    user = get_user_model().objects.get(pk=fatima.user_id)
    assert not user.is_active and not user.has_usable_password()
    current = services.current_consents(fatima.person)
    assert not any(current.values())
    fatima.organisation.refresh_from_db()
    assert fatima.organisation.in_directory is False and fatima.organisation.portal_member is False
    # The person stays in the CRM.
    assert fatima.person.__class__.objects.filter(pk=fatima.person_id).exists()
    assert client.get(reverse("members:home")).status_code == 302


def test_a_business_with_another_member_stays_in_the_directory(bakery, fatima):
    services.save_directory_choice(membership=fatima, listed=True)
    make_member(bakery, "Joris", "Bakker", "joris@korenschoof.example")
    services.close_account(membership=fatima)
    bakery.refresh_from_db()
    assert bakery.in_directory is True and bakery.portal_member is True
    assert Membership.objects.filter(closed_at__isnull=True).count() == 1
