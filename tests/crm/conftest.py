"""Named people and small builders for the CRM tests."""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from crm.models import EmailAddress, Interest, Organisation, Person, Role

_numbers = itertools.count(10000001)


def make_staff(username: str, role: str, **fields):
    user = get_user_model().objects.create_user(
        username=username, password="een-lang-wachtwoord-42", is_staff=True, **fields
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def make_organisation(name: str = "Bakkerij De Korenschoof", **fields) -> Organisation:
    defaults = {
        "kind": Organisation.Kind.ENTREPRENEUR,
        "sector": Organisation.Sector.RETAIL_DAILY,
        "kvk_number": str(next(_numbers)),
        "street": "Marktstraat",
        "house_number": "1",
        "postcode": "4811 AB",
        "town": "Veldhaven",
    }
    defaults.update(fields)
    return Organisation.objects.create(name=name, **defaults)


def make_person(first_name="Fatima", last_name="Bouzid", *, email=None, organisation=None, title="Eigenaar"):
    person = Person.objects.create(first_name=first_name, last_name=last_name)
    if email:
        EmailAddress.objects.create(person=person, email=email, is_primary=True)
    if organisation:
        Role.objects.create(person=person, organisation=organisation, title=title, is_primary_contact=True)
    person.refresh_search_text()
    return person


@pytest.fixture
def sanne(db):
    """Sanne de Vries, accountmanager of the Marktstraat."""
    return make_staff("sanne", "Accountmanager", first_name="Sanne", last_name="de Vries")


@pytest.fixture
def marloes(db):
    """Marloes Bakker, the centre manager."""
    return make_staff("marloes", "Centrummanager", first_name="Marloes", last_name="Bakker")


@pytest.fixture
def pieter(db):
    """Pieter van den Berg, board member: reads statistics, never notes."""
    return make_staff("pieter", "Bestuur", first_name="Pieter", last_name="van den Berg")


@pytest.fixture
def themes(db):
    return {interest.slug: interest for interest in Interest.objects.all()}
