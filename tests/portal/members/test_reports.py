"""Reports (meldingen): a contact with a follow-up in the CRM; resolved there, the member is told."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from PIL import Image

from crm import services as crm_services
from crm.models import FollowUp, Interaction, Signal
from portal.members import services
from portal.members.models import Report
from portal.members.tasks import tell_reporter_resolved
from tests.builders import image_upload, make_member

pytestmark = pytest.mark.django_db


def _report(member_client, **extra):
    data = {"category": "heel", "description": "Losse stoeptegel voor de deur", "location": "Marktstraat 1"}
    data.update(extra)
    return member_client.post(reverse("members:new_report"), data)


def test_a_report_becomes_a_contact_with_a_follow_up_for_the_facilitair_coordinator(
    member_client, fatima, hanneke
):
    response = _report(member_client)
    report = Report.objects.get()
    assert response.url == reverse("members:report", args=[report.pk])
    assert report.status == Report.Status.NEW
    interaction = report.interaction
    assert interaction.kind == Interaction.Kind.REPORT
    assert list(interaction.organisations.all()) == [fatima.organisation]
    assert list(interaction.attendees.all()) == [fatima.person]
    assert "Losse stoeptegel" in interaction.notes
    follow_up = report.follow_up
    assert follow_up.assigned_to == hanneke and follow_up.done_at is None
    assert Signal.objects.get(interaction=interaction).kind == Signal.Kind.COMPLAINT_INTACT


def test_resolving_the_follow_up_in_the_crm_resolves_the_report_and_mails_the_member(
    member_client, fatima, hanneke, django_capture_on_commit_callbacks
):
    _report(member_client)
    report = Report.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        crm_services.complete_follow_up(follow_up=FollowUp.objects.get(), user=hanneke, outcome="Tegel vast.")
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED and report.resolved_at is not None
    assert report.response == "Tegel vast."
    # The mail waits for the undo period of the follow-up (tests/crm/test_my_work_undo.py).
    Report.objects.update(resolved_at=report.resolved_at - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        tell_reporter_resolved(report.pk)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["fatima@korenschoof.example"]
    assert "opgelost" in mail.outbox[0].subject
    # Completing it again changes nothing and mails nobody.
    with django_capture_on_commit_callbacks(execute=True):
        crm_services.complete_follow_up(follow_up=FollowUp.objects.get(), user=hanneke)
        tell_reporter_resolved(report.pk)
    assert len(mail.outbox) == 1
    page = member_client.get(reverse("members:reports")).content.decode()
    assert "Opgelost" in page


def test_staff_resolving_in_the_reports_screen_also_ticks_off_the_follow_up(
    member_client, fatima, hanneke, django_capture_on_commit_callbacks
):
    from django.test import Client

    _report(member_client)
    report = Report.objects.get()
    client = Client()
    client.force_login(hanneke)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members_report:edit", args=[report.pk]),
            {"status": "opgelost", "response": "Tegel ligt er weer."},
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED
    assert report.follow_up.done_at is not None
    assert len([m for m in mail.outbox if "melding" in m.subject.lower()]) == 1
    assert (
        "Tegel ligt er weer."
        in member_client.get(reverse("members:report", args=[report.pk])).content.decode()
    )


def test_rejecting_a_report_needs_an_answer_for_the_member(fatima, hanneke):
    report = services.submit_report(
        membership=fatima, draft=services.ReportDraft(category="overig", description="x", location="y")
    )
    with pytest.raises(Exception, match="waarom"):
        services.change_report_status(report=report, status=Report.Status.REJECTED, user=hanneke)


def test_a_photo_is_stored_without_its_metadata(member_client, fatima, hanneke):
    upload = image_upload()
    assert b"SpyCam" in upload.read()
    upload.seek(0)
    _report(member_client, photo=upload)
    report = Report.objects.get()
    stored = report.photo.read()
    assert b"SpyCam" not in stored
    report.photo.seek(0)
    with Image.open(report.photo) as image:
        assert not image.getexif()
    assert "foto" not in report.photo.name.split("/")[-1]  # a random name, not the uploaded one
    photo = member_client.get(reverse("members:report_photo", args=[report.pk]))
    assert photo.status_code == 200


def test_a_file_that_is_not_an_image_is_refused_and_the_text_is_kept(member_client, fatima):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = _report(member_client, photo=fake)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Alleen foto" in page
    assert "Losse stoeptegel voor de deur" in page
    assert not Report.objects.exists()


def test_a_too_large_photo_is_refused(member_client, fatima, settings, monkeypatch):
    from portal.members import uploads

    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 100)
    monkeypatch.setattr(uploads.clean_image, "__kwdefaults__", {"max_bytes": 100})
    response = _report(member_client, photo=image_upload())
    assert response.status_code == 200
    assert "te groot" in response.content.decode()
    assert not Report.objects.exists()


def test_a_report_without_a_category_says_so(member_client, fatima):
    response = member_client.post(
        reverse("members:new_report"), {"description": "Iets", "location": "Marktstraat"}
    )
    assert response.status_code == 200
    assert "Dit is een verplicht veld" in response.content.decode()


def test_the_list_of_reports_runs_a_fixed_number_of_queries(
    member_client, fatima, django_assert_max_num_queries
):
    for number in range(12):
        services.submit_report(
            membership=fatima,
            draft=services.ReportDraft(
                category="schoon", description="Afval", location=f"Marktstraat {number}"
            ),
        )
    with django_assert_max_num_queries(13):
        page = member_client.get(reverse("members:reports")).content.decode()
    assert page.count("Marktstraat ") >= 12


def test_colleagues_see_the_reports_of_their_business(bakery, fatima, client):
    services.submit_report(
        membership=fatima,
        draft=services.ReportDraft(category="veilig", description="Donker steegje", location="Steeg"),
    )
    joris = make_member(bakery, "Joris", "Bakker", "joris@korenschoof.example")
    client.force_login(joris.user)
    assert "Steeg" in client.get(reverse("members:reports")).content.decode()


def test_staff_see_the_photo_in_the_admin_and_members_of_other_businesses_do_not(
    member_client, fatima, hanneke
):
    from django.test import Client

    _report(member_client, photo=image_upload())
    report = Report.objects.get()
    staff = Client()
    staff.force_login(hanneke)
    inspect = staff.get(reverse("members_report:inspect", args=[report.pk])).content.decode()
    assert reverse("members_report:photo", args=[report.pk]) in inspect
    assert staff.get(reverse("members_report:photo", args=[report.pk])).status_code == 200
    # A member is no staff: the admin's photo address sends them to the login.
    assert member_client.get(reverse("members_report:photo", args=[report.pk])).status_code == 302
