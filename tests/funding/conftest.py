"""Named people, one per role, and small builders for the funding tests."""

import datetime as dt
from decimal import Decimal

import pytest

from crm.models import Occupancy, Organisation, Premises
from funding.models import Contribution
from tests.builders import make_organisation, make_staff  # noqa: F401 (re-exported for the tests)

ROLES = ["Beheerder", "Centrummanager", "Accountmanager", "Communicatie", "Facilitair", "Bestuur"]


@pytest.fixture
def staff(db):
    """One person per role: {"Centrummanager": Marloes, …}."""
    return {role: make_staff(f"user-{role.lower()}", role, first_name=role) for role in ROLES}


@pytest.fixture
def marloes(staff):
    return staff["Centrummanager"]


def business(
    name: str, *, street="Marktstraat", woz: int | None = 400_000, attitude="", **fields
) -> Organisation:
    """An active business using one premises with the given WOZ value (None: not recorded)."""
    organisation = make_organisation(name, street=street, attitude=attitude, **fields)
    premises = Premises.objects.create(street=street, house_number=organisation.house_number, woz_value=woz)
    Occupancy.objects.create(premises=premises, organisation=organisation, started_on=dt.date(2020, 1, 1))
    return organisation


def contribution(organisation, year: int, amount="250.00", kind="biz", **fields) -> Contribution:
    return Contribution.objects.create(
        organisation=organisation, year=year, kind=kind, amount=Decimal(amount), **fields
    )
