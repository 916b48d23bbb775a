"""Named people for the members' tests: Fatima runs Bakkerij De Korenschoof, Hanneke is facilitair."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.members import services
from tests.crm.conftest import make_organisation, make_person, make_staff

PASSWORD = "Korenschoof-brood-2026"


def make_member(organisation, first_name="Fatima", last_name="Bouzid", email="fatima@korenschoof.example"):
    """A member who accepted an invitation (and has not onboarded yet)."""
    person = make_person(first_name, last_name, email=email, organisation=organisation)
    _invitation, token = services.invite_person(person=person, organisation=organisation, invited_by=None)
    return services.accept_invitation(token=token, password=PASSWORD)


def image_upload(name="foto.jpg", *, size=(64, 48), image_format="JPEG", exif=True):
    image = Image.new("RGB", size, (200, 30, 40))
    buffer = io.BytesIO()
    kwargs = {}
    if exif and image_format == "JPEG":
        data = Image.Exif()
        data[0x010F] = "SpyCam"  # Make
        data[0x8825] = {2: (52.0, 5.0, 0.0)}  # GPS info
        kwargs["exif"] = data.tobytes()
    image.save(buffer, image_format, **kwargs)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png"}.get(image_format, "application/octet-stream")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


@pytest.fixture
def hanneke(db):
    """Hanneke Mulder, facilitair coördinator: handles the reports."""
    return make_staff("hanneke", "Facilitair", first_name="Hanneke", last_name="Mulder")


@pytest.fixture
def sanne(db):
    """Sanne de Vries, accountmanager."""
    return make_staff("sanne", "Accountmanager", first_name="Sanne", last_name="de Vries")


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
