"""Self sign-up: a business asks to join; staff approve (an invitation follows) or reject (with why)."""

import pytest
from django.core import mail
from django.urls import reverse

from crm.models import Organisation
from portal.members.models import Application, Invitation
from tests.builders import make_organisation

pytestmark = pytest.mark.django_db

APPLY = {
    "business_name": "Koffiebar Bonen",
    "kvk_number": "1122 3344",
    "first_name": "Daan",
    "last_name": "de Wit",
    "email": "Daan@Bonen.example",
    "message": "",
}


def _apply(client, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("members:signup"), {**APPLY, **changes})


def test_a_business_applies_and_gets_a_receipt(client, db, django_capture_on_commit_callbacks):
    response = _apply(client, django_capture_on_commit_callbacks)
    assert response.url == reverse("members:signup_sent")
    application = Application.objects.get()
    assert application.kvk_number == "11223344" and application.email == "daan@bonen.example"
    assert application.status == Application.Status.PENDING
    assert mail.outbox[0].to == ["daan@bonen.example"]
    assert "ontvangen" in mail.outbox[0].subject


def test_a_wrong_kvk_number_is_refused_and_the_rest_is_kept(client, db, django_capture_on_commit_callbacks):
    response = _apply(client, django_capture_on_commit_callbacks, kvk_number="12ab")
    assert response.status_code == 200
    page = response.content.decode()
    assert "precies 8 cijfers" in page
    assert 'value="Koffiebar Bonen"' in page
    assert not Application.objects.exists() and not mail.outbox


def test_a_kvk_number_of_zeros_is_refused_and_the_rest_is_kept(
    client, db, django_capture_on_commit_callbacks
):
    response = _apply(client, django_capture_on_commit_callbacks, kvk_number="0000 0000")
    page = response.content.decode()
    assert response.status_code == 200
    assert "geen KvK-nummer begint met 00" in page
    assert 'value="Koffiebar Bonen"' in page
    assert not Application.objects.exists() and not mail.outbox


def test_staff_approve_and_the_applicant_gets_an_invitation(
    client, sanne, db, django_capture_on_commit_callbacks
):
    _apply(client, django_capture_on_commit_callbacks)
    application = Application.objects.get()
    client.force_login(sanne)
    assert "Koffiebar Bonen" in client.get(reverse("members_application:index")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members_application:decide", args=[application.pk]), {"action": "approve"}
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED and application.decided_by == sanne
    organisation = Organisation.objects.get(kvk_number="11223344")
    assert organisation.name == "Koffiebar Bonen"
    invitation = Invitation.objects.get()
    assert invitation.organisation == organisation and invitation.email == "daan@bonen.example"
    assert invitation.person.full_name == "Daan de Wit"
    assert "/uitnodiging/" in mail.outbox[-1].body
    assert "goedgekeurd" in mail.outbox[-1].body


def test_approval_matches_a_business_the_crm_already_knows_by_kvk(
    client, sanne, db, django_capture_on_commit_callbacks
):
    known = make_organisation("Bonen & Co", kvk_number="11223344")
    _apply(client, django_capture_on_commit_callbacks)
    client.force_login(sanne)
    page = client.get(
        reverse("members_application:decide", args=[Application.objects.get().pk])
    ).content.decode()
    assert "Bonen &amp; Co" in page
    client.post(
        reverse("members_application:decide", args=[Application.objects.get().pk]), {"action": "approve"}
    )
    assert Organisation.objects.filter(kvk_number="11223344").count() == 1
    assert Invitation.objects.get().organisation == known


def test_staff_reject_with_a_reason_the_applicant_receives(
    client, sanne, db, django_capture_on_commit_callbacks
):
    _apply(client, django_capture_on_commit_callbacks)
    application = Application.objects.get()
    client.force_login(sanne)
    url = reverse("members_application:decide", args=[application.pk])
    no_reason = client.post(url, {"action": "reject", "reason": ""})
    assert no_reason.status_code == 200
    application.refresh_from_db()
    assert application.status == Application.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "reject", "reason": "Uw bedrijf ligt buiten het centrumgebied."})
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert "buiten het centrumgebied" in mail.outbox[-1].body
    # A decided application cannot be decided again.
    client.post(url, {"action": "approve"})
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert not Invitation.objects.exists()
