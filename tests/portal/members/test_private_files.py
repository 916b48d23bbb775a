"""Report photos live in the private storage: no media address serves them, only the access check."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.static import serve

from portal.members import services
from portal.members.models import Report
from stadshart import roles
from tests.builders import image_upload, make_member, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo_report(fatima, hanneke):
    return services.submit_report(
        membership=fatima,
        draft=services.ReportDraft(category="heel", description="Losse stoeptegel", location="Marktstraat 1"),
        photo_upload=image_upload(),
    )


def test_a_report_photo_is_stored_privately_and_no_media_address_serves_it(photo_report):
    name = photo_report.photo.name
    private_path = Path(storages["private"].path(name))
    assert private_path.is_file()
    assert not private_path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert not default_storage.exists(name)
    # What a web server (or Django's development server) hands out under MEDIA_URL does not have it.
    with pytest.raises(Http404):
        serve(RequestFactory().get(settings.MEDIA_URL + name), name, document_root=settings.MEDIA_ROOT)
    # And nothing can print a public address for it by mistake.
    with pytest.raises(ValueError, match="private file"):
        photo_report.photo.url  # noqa: B018


def test_the_photo_is_served_to_its_business_and_the_staff_who_handle_reports_only(
    photo_report, fatima, florist, client
):
    member_url = reverse("members:report_photo", args=[photo_report.pk])
    admin_url = reverse("members_report:photo", args=[photo_report.pk])

    def status(user, url):
        browser = Client()
        if user is not None:
            browser.force_login(user)
        return browser.get(url).status_code

    assert status(fatima.user, member_url) == 200
    colleague = make_member(fatima.organisation, "Joris", "Bakker", "joris@korenschoof.example")
    assert status(colleague.user, member_url) == 200
    other = make_member(florist, "Eva", "Bloem", "eva@flora.example")
    assert status(other.user, member_url) == 404
    assert status(None, member_url) == 302  # to the login
    assert status(other.user, admin_url) == 302  # a member is no staff: to the admin's login

    for role, expected in [
        (roles.FACILITAIR, 200),
        (roles.CENTRUMMANAGER, 200),
        (roles.ACCOUNTMANAGER, 200),
        (roles.COMMUNICATIE, 302),  # no reports for them: Wagtail sends the refused home
        (roles.BESTUUR, 302),  # sees the list of reports, not what the member wrote or photographed
    ]:
        assert status(make_staff(f"medewerker-{role.lower()}", role), admin_url) == expected, role


def test_the_migration_moves_existing_photos_out_of_the_media_folder(fatima):
    name = "meldingen/2026/01/oud.jpg"
    default_storage.save(name, ContentFile(b"old photo"))
    report = services.submit_report(
        membership=fatima,
        draft=services.ReportDraft(category="heel", description="Oude melding", location="Markt 2"),
    )
    Report.objects.filter(pk=report.pk).update(photo=name)
    migration = importlib.import_module("portal.members.migrations.0004_report_photos_private")

    migration.to_private(apps, None)
    assert not default_storage.exists(name)
    with storages["private"].open(name) as moved:
        assert moved.read() == b"old photo"
    migration.to_private(apps, None)  # running it again changes nothing
    assert storages["private"].exists(name)

    migration.to_public(apps, None)  # and back, for a migration undone
    assert default_storage.exists(name) and not storages["private"].exists(name)
    default_storage.delete(name)
