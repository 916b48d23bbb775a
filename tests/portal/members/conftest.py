"""Named people and businesses for the members' tests: Fatima runs Bakkerij De Korenschoof.

Hanneke (facilitair) and Sanne (accountmanager) are fixtures of tests/conftest.py; make_member and
image_upload are in tests/builders.py.
"""

import pytest

from tests.builders import make_member, make_organisation


@pytest.fixture
def bakery(db):
    return make_organisation("Bakkerij De Korenschoof", kvk_number="12345678")


@pytest.fixture
def florist(db):
    return make_organisation(
        "Bloemenhuis Flora", kvk_number="87654321", street="Kerkstraat", house_number="8"
    )


@pytest.fixture
def fatima(bakery):
    """Fatima Bouzid, owner of the bakery, with an account in the portal."""
    return make_member(bakery)


@pytest.fixture
def member_client(client, fatima):
    client.force_login(fatima.user)
    return client
