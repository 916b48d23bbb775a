"""Staff invite a person of a business; the link creates the account once, and only for a week."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from crm.models import Organisation
from portal.members import services
from portal.members.models import Invitation, Membership
from tests.builders import MEMBER_PASSWORD, make_person

pytestmark = pytest.mark.django_db


def _invite(bakery, sanne, django_capture_on_commit_callbacks, email="fatima@korenschoof.example"):
    person = make_person("Fatima", "Bouzid", email=email, organisation=bakery)
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = services.invite_person(person=person, organisation=bakery, invited_by=sanne)
    return person, invitation, token


def test_staff_send_an_invitation_from_the_organisation_page(
    client, sanne, bakery, django_capture_on_commit_callbacks
):
    person = make_person("Fatima", "Bouzid", email="fatima@korenschoof.example", organisation=bakery)
    client.force_login(sanne)
    page = client.get(reverse("crm_organisation:detail", args=[bakery.pk]))
    invite_url = reverse("members_invite", args=[bakery.pk])
    assert invite_url in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url, {"person": person.roles.get().pk, "note": "Tot snel!"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["fatima@korenschoof.example"]
    assert "Bakkerij De Korenschoof" in message.subject
    assert "Tot snel!" in message.body
    assert "/uitnodiging/" in message.body
    invitation = Invitation.objects.get()
    # Only a hash is stored: the token in the mail is not in the database.
    token = message.body.split("/uitnodiging/")[1].split("/")[0]
    assert token not in invitation.token_hash
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=7)


def test_the_person_page_offers_the_invitation_per_business(client, sanne, bakery):
    person = make_person("Fatima", "Bouzid", email="fatima@korenschoof.example", organisation=bakery)
    client.force_login(sanne)
    page = client.get(reverse("crm_person:detail", args=[person.pk])).content.decode()
    assert reverse("members_invite", args=[bakery.pk]) + f"?person={person.pk}" in page


def test_a_role_without_the_permission_sees_no_invite_button(client, bakery, db):
    from tests.builders import make_staff

    board = make_staff("anouk", "Bestuur")
    client.force_login(board)
    page = client.get(reverse("crm_organisation:detail", args=[bakery.pk])).content.decode()
    assert reverse("members_invite", args=[bakery.pk]) not in page
    refused = client.get(reverse("members_invite", args=[bakery.pk]))
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")


def test_accepting_creates_a_member_account_linked_to_person_and_business(
    client, sanne, bakery, django_capture_on_commit_callbacks
):
    person, _invitation, token = _invite(bakery, sanne, django_capture_on_commit_callbacks)
    url = reverse("members:accept_invitation", args=[token])
    page = client.get(url)
    assert "fatima@korenschoof.example" in page.content.decode()

    response = client.post(url, {"password1": MEMBER_PASSWORD, "password2": MEMBER_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("members:onboarding")
    membership = Membership.objects.select_related("user").get()
    assert membership.person == person and membership.organisation == bakery
    user = membership.user
    assert user.username == user.email == "fatima@korenschoof.example"
    assert not user.is_staff and not user.groups.exists()
    assert user.check_password(MEMBER_PASSWORD)
    bakery.refresh_from_db()
    assert bakery.portal_member is True


def test_an_invitation_works_only_once(client, sanne, bakery, django_capture_on_commit_callbacks):
    _person, _invitation, token = _invite(bakery, sanne, django_capture_on_commit_callbacks)
    url = reverse("members:accept_invitation", args=[token])
    client.post(url, {"password1": MEMBER_PASSWORD, "password2": MEMBER_PASSWORD})
    client.logout()
    again = client.get(url)
    assert again.status_code == 410
    assert "al gebruikt" in again.content.decode()
    second = client.post(
        url, {"password1": "Nog-een-ander-wachtwoord-9", "password2": "Nog-een-ander-wachtwoord-9"}
    )
    assert second.status_code == 410
    assert get_user_model().objects.get(username="fatima@korenschoof.example").check_password(MEMBER_PASSWORD)


def test_an_expired_invitation_is_refused_with_a_clear_message(
    client, sanne, bakery, django_capture_on_commit_callbacks
):
    _person, invitation, token = _invite(bakery, sanne, django_capture_on_commit_callbacks)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.post(
        reverse("members:accept_invitation", args=[token]),
        {"password1": MEMBER_PASSWORD, "password2": MEMBER_PASSWORD},
    )
    assert response.status_code == 410
    assert "verlopen" in response.content.decode()
    assert not Membership.objects.exists()


def test_a_new_invitation_replaces_the_old_one(sanne, bakery, django_capture_on_commit_callbacks):
    person, _first, old_token = _invite(bakery, sanne, django_capture_on_commit_callbacks)
    services.invite_person(person=person, organisation=bakery, invited_by=sanne)
    with pytest.raises(services.InvitationInvalid, match="nieuwere"):
        services.read_invitation(old_token)


def test_a_made_up_token_is_not_valid(client, db):
    response = client.get(reverse("members:accept_invitation", args=["verzonnen-token"]))
    assert response.status_code == 410
    assert "niet geldig" in response.content.decode()


def test_a_weak_password_is_refused_and_the_form_says_why(
    client, sanne, bakery, django_capture_on_commit_callbacks
):
    _person, _invitation, token = _invite(bakery, sanne, django_capture_on_commit_callbacks)
    response = client.post(
        reverse("members:accept_invitation", args=[token]), {"password1": "12345678", "password2": "12345678"}
    )
    assert response.status_code == 200
    assert "te algemeen" in response.content.decode() or "te kort" in response.content.decode()
    assert not Membership.objects.exists()


def test_a_person_without_email_cannot_be_invited(sanne, bakery):
    person = make_person("Kees", "Zonder", organisation=bakery)
    with pytest.raises(Exception, match="geen e-mailadres"):
        services.invite_person(person=person, organisation=bakery, invited_by=sanne)


def test_someone_of_another_business_cannot_be_invited_for_this_one(sanne, bakery):
    other = Organisation.objects.create(name="Elders")
    person = make_person("Piet", "Elders", email="piet@elders.example", organisation=other)
    with pytest.raises(Exception, match="werkt niet bij"):
        services.invite_person(person=person, organisation=bakery, invited_by=sanne)


def test_an_invitation_never_turns_a_staff_login_into_a_member(
    client, sanne, bakery, django_capture_on_commit_callbacks
):
    sanne.username = "sanne@veldhaven.example"
    sanne.save()
    _person, _invitation, token = _invite(
        bakery, sanne, django_capture_on_commit_callbacks, email="sanne@veldhaven.example"
    )
    response = client.post(
        reverse("members:accept_invitation", args=[token]),
        {"password1": MEMBER_PASSWORD, "password2": MEMBER_PASSWORD},
    )
    assert response.status_code == 410
    sanne.refresh_from_db()
    assert sanne.is_staff and sanne.check_password("een-lang-wachtwoord-42")
    assert not Membership.objects.exists()
