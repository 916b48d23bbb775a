"""Staff roles: each role can do its work in the back office, and no more."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page

from portal.models import HomePage
from tests.builders import make_staff


def staff(role: str, username: str | None = None):
    return make_staff(username or role.lower(), role)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["Beheerder", "Centrummanager", "Accountmanager", "Communicatie", "Facilitair", "Bestuur"]
)
def test_every_role_can_enter_the_back_office(client, role):
    client.force_login(staff(role))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Welkom bij" in response.text


@pytest.mark.django_db
def test_communications_can_publish_portal_pages_but_the_board_cannot_edit_them():
    home = HomePage.objects.get()
    communicatie = home.permissions_for_user(staff("Communicatie"))
    bestuur = home.permissions_for_user(staff("Bestuur"))
    assert communicatie.can_edit() and communicatie.can_publish()
    assert not bestuur.can_edit() and not bestuur.can_publish()


@pytest.mark.django_db
def test_an_accountmanager_cannot_open_the_page_editor(client):
    client.force_login(staff("Accountmanager"))
    home = Page.objects.get(depth=2)
    response = client.get(f"/admin/pages/{home.pk}/edit/")
    assert response.status_code in (302, 403)


@pytest.mark.django_db
def test_only_the_administrator_manages_users(client):
    client.force_login(staff("Centrummanager"))
    assert client.get("/admin/users/").status_code in (302, 403)
    client.force_login(staff("Beheerder"))
    assert client.get("/admin/users/").status_code == 200


@pytest.mark.django_db
def test_wagtails_sample_groups_are_gone():
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
