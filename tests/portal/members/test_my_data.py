"""A member's own data at once; everything we hold (AVG art. 15) as a request staff answer within a month."""

import datetime as dt
import json

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from crm import services as crm_services
from crm.models import AccessRequest, Consent, EmailAddress
from crm.models.privacy import one_month_after
from crm.privacy import AccessRequestError, request_access, send_access_export
from portal.members import services
from tests.builders import make_staff

pytestmark = pytest.mark.django_db

VISIT_NOTE = "Zzgesprek: twijfelt over de bijdrage, buurman klaagt over hem"


@pytest.fixture
def visited(fatima, sanne):
    """Sanne visited Fatima's bakery and wrote down what was said."""
    crm_services.log_interaction(
        staff=sanne,
        organisations=[fatima.organisation],
        attendees=[fatima.person],
        subject="Gesprek over het fonds",
        notes=VISIT_NOTE,
        follow_ups=[crm_services.FollowUpDraft("Zzactie bellen", timezone.localdate())],
    )
    services.save_newsletter_choices(membership=fatima, service=True, marketing=False)
    services.submit_report(
        membership=fatima,
        draft=services.ReportDraft(category="heel", description="Losse stoeptegel", location="Marktstraat 1"),
    )
    return fatima


def test_my_data_gives_my_own_data_at_once_without_staff_notes_or_names(member_client, visited):
    response = member_client.get(reverse("members:download_data"))
    text = response.content.decode()
    data = json.loads(text)
    assert data["first_name"] == "Fatima"
    assert data["business"]["name"] == "Bakkerij De Korenschoof"
    assert data["newsletters"] == {"nieuwsbrief_dienst": True, "nieuwsbrief_marketing": False}
    assert [c["topic"] for c in data["consents"] if c["granted"]] == ["nieuwsbrief_dienst"]
    assert data["reports"][0]["description"] == "Losse stoeptegel"
    # What staff wrote and who they are is not in it.
    for staff_text in ("Zzgesprek", "Gesprek over het fonds", "Zzactie", "Sanne", "de Vries", "sanne@"):
        assert staff_text not in text, staff_text
    assert "interactions" not in data and "audit_trail" not in data
    entry = LogEntry.objects.filter(additional_data__event="own_data").get()
    assert entry.actor == visited.user


def test_a_member_asks_for_everything_and_staff_send_it_within_the_month(
    member_client, visited, marloes, lotte, django_capture_on_commit_callbacks
):
    home = member_client.get(reverse("members:home")).content.decode()
    assert "Al mijn gegevens opvragen" in home
    response = member_client.post(reverse("members:request_access"))
    assert response.status_code == 302
    access_request = AccessRequest.objects.get()
    today = timezone.localdate()
    assert access_request.due_on == one_month_after(today)
    assert access_request.channel == AccessRequest.Channel.PORTAL
    due = access_request.due_on.strftime("%d-%m-%Y")
    home = member_client.get(reverse("members:home")).content.decode()
    assert f"uiterlijk {due} per e-mail" in home
    assert "Al mijn gegevens opvragen" not in home
    # Asking again while it is open is the same request: the term runs from the first.
    member_client.post(reverse("members:request_access"))
    assert AccessRequest.objects.count() == 1
    assert member_client.get(reverse("members:request_access")).status_code == 405

    staff = Client()
    staff.force_login(lotte)  # Communicatie: not theirs to answer
    assert staff.get(reverse("crm_access_requests")).status_code in (302, 403)
    assert staff.post(reverse("crm_access_request_send", args=[access_request.pk])).status_code in (302, 403)
    assert AccessRequest.objects.get().status == AccessRequest.Status.OPEN

    staff.force_login(marloes)
    screen = staff.get(reverse("crm_access_requests")).content.decode()
    assert "Fatima Bouzid" in screen and due in screen and "Ledenportaal" in screen
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("crm_access_request_send", args=[access_request.pk]))
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.SENT and access_request.sent_by == marloes
    assert access_request.sent_to == "fatima@korenschoof.example"
    (message,) = mail.outbox
    assert message.to == ["fatima@korenschoof.example"]
    assert message.subject == "Uw persoonsgegevens (inzageverzoek)"
    filename, content, mimetype = message.attachments[0]
    assert mimetype == "application/json"
    sent = json.loads(content)
    # The full answer holds what staff wrote about her and who wrote it.
    (visit,) = [interaction for interaction in sent["interactions"] if interaction["kind"] == "bezoek"]
    assert visit["notes"] == VISIT_NOTE and visit["staff"] == "Sanne de Vries"
    events = list(
        LogEntry.objects.filter(additional_data__event__in=["access_requested", "exported"])
        .order_by("pk")
        .values_list("additional_data__event", "actor__username")
    )
    assert events == [("access_requested", visited.user.username), ("exported", "marloes")]
    history = staff.get(reverse("crm_history", args=["person", visited.person.pk])).content.decode()
    assert "Inzageverzoek ontvangen" in history
    screen = staff.get(reverse("crm_access_requests")).content.decode()
    assert "Geen openstaande verzoeken." in screen and "verzonden" in screen
    # Answered once: a second send is refused.
    with pytest.raises(AccessRequestError):
        send_access_export(access_request=access_request, user=marloes)


def test_staff_register_a_request_from_a_letter_and_see_when_it_is_overdue(client, fatima, marloes):
    client.force_login(marloes)
    client.post(reverse("crm_person_access_request", args=[fatima.person.pk]))
    access_request = AccessRequest.objects.get()
    assert access_request.channel == AccessRequest.Channel.STAFF and access_request.requested_by == marloes
    # A request that came in 40 days ago is late.
    AccessRequest.objects.update(
        requested_at=timezone.now() - dt.timedelta(days=40),
        due_on=timezone.localdate() - dt.timedelta(days=9),
    )
    screen = client.get(reverse("crm_access_requests")).content.decode()
    assert "9 dag(en) te laat" in screen and "crm-overdue" in screen


def test_a_person_without_an_email_address_cannot_be_sent_the_data_and_the_request_stays_open(
    fatima, marloes
):
    access_request = request_access(person=fatima.person, user=marloes, channel=AccessRequest.Channel.STAFF)
    EmailAddress.objects.filter(person=fatima.person).delete()
    with pytest.raises(AccessRequestError, match="geen e-mailadres"):
        send_access_export(access_request=access_request, user=marloes)
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.OPEN and not mail.outbox


@pytest.mark.parametrize(
    "received, due",
    [
        (dt.date(2027, 1, 15), dt.date(2027, 2, 15)),
        (dt.date(2027, 1, 31), dt.date(2027, 2, 28)),
        (dt.date(2028, 1, 31), dt.date(2028, 2, 29)),
        (dt.date(2027, 12, 20), dt.date(2028, 1, 20)),
    ],
)
def test_the_legal_term_is_one_calendar_month(received, due):
    assert one_month_after(received) == due


def test_consent_choices_in_my_data_follow_the_newest_record(member_client, fatima):
    services.save_newsletter_choices(membership=fatima, service=True, marketing=True)
    crm_services.record_consent(
        person=fatima.person,
        topic=Consent.Topic.MARKETING_NEWSLETTER,
        granted=False,
        source=Consent.Source.STAFF,
        wording="afgemeld",
        user=make_staff("balie", None),
    )
    data = json.loads(member_client.get(reverse("members:download_data")).content)
    assert data["newsletters"] == {"nieuwsbrief_dienst": True, "nieuwsbrief_marketing": False}
    assert "balie" not in json.dumps(data)
