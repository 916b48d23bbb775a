"""Signing up on the portal: double opt-in, a link that expires, nothing leaked, consent with its wording."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from crm.models import Consent, EmailAddress, Person
from newsletter import subscriptions
from newsletter.models import SubscriptionRequest, Suppression
from tests.builders import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    yield
    cache.clear()


def sign_up(client, email="noor@boekhandel-ginneken.nl", **extra):
    data = {"name": "Noor de Wit", "email": email, "topics": ["nieuwsbrief_dienst"], **extra}
    return client.post("/nieuwsbrief/aanmelden/", data)


def confirmation_link() -> str:
    return re.search(
        r"http://testserver(/nieuwsbrief/aanmelden/bevestigen/[^/\s]+/)", mail.outbox[-1].body
    ).group(1)


def test_sign_up_sends_a_confirmation_mail_and_records_nothing_yet(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)

    assert response.status_code == 302 and response.url == "/nieuwsbrief/aanmelden/verstuurd/"
    assert "noor@boekhandel-ginneken.nl" in client.get(response.url).text
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["noor@boekhandel-ginneken.nl"]
    assert "48" in mail.outbox[0].body
    assert not Consent.objects.exists()
    assert not Person.objects.exists()


def test_following_the_link_records_person_and_consent_with_the_wording(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, interests=["evenementen"])
    link = confirmation_link()

    assert "Ja, meld mij aan" in client.get(link).text
    assert not Consent.objects.exists()  # a GET (a mail scanner) confirms nothing
    response = client.post(link)

    assert response.status_code == 200
    person = EmailAddress.objects.get(email="noor@boekhandel-ginneken.nl").person
    assert (person.first_name, person.last_name) == ("Noor", "de Wit")
    consent = Consent.objects.get(person=person)
    assert consent.topic == Consent.Topic.SERVICE_NEWSLETTER and consent.granted
    assert consent.source == Consent.Source.SIGN_UP
    assert consent.wording == SubscriptionRequest.objects.get().wording
    assert "Serviceberichten" in consent.wording and "afmelden" in consent.wording
    assert list(person.interests.values_list("slug", flat=True)) == ["evenementen"]


def test_a_known_address_is_not_copied_and_the_answer_is_the_same(client, django_capture_on_commit_callbacks):
    known = make_person("Jan", "Bakker", email="jan@cafe-de-zwaan.nl")
    with django_capture_on_commit_callbacks(execute=True):
        known_answer = sign_up(client, email="jan@cafe-de-zwaan.nl")
        unknown_answer = sign_up(client, email="nieuw@example.nl")

    assert known_answer.status_code == unknown_answer.status_code == 302
    assert known_answer.url == unknown_answer.url
    client.post(confirmation_link())  # the last mail: the unknown address
    mail.outbox.pop()
    client.post(confirmation_link())
    assert Person.objects.filter(emails__email="jan@cafe-de-zwaan.nl").get() == known
    assert known.consents.get().source == Consent.Source.SIGN_UP


def test_an_expired_link_records_nothing_and_says_so(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    SubscriptionRequest.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    response = client.post(confirmation_link())

    assert response.status_code == 410
    assert "verlopen" in response.text
    assert not Consent.objects.exists()


def test_a_forged_link_records_nothing(client):
    response = client.post("/nieuwsbrief/aanmelden/bevestigen/niet-echt-token/")

    assert response.status_code == 404
    assert "werkt niet" in response.text
    assert not Consent.objects.exists()


def test_confirming_twice_records_one_consent(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    link = confirmation_link()
    client.post(link)
    assert client.post(link).status_code == 200

    assert Consent.objects.count() == 1


def test_signing_up_again_lifts_an_unsubscribe_suppression(client, django_capture_on_commit_callbacks):
    Suppression.objects.create(email="noor@boekhandel-ginneken.nl", reason=Suppression.Reason.UNSUBSCRIBED)
    Suppression.objects.create(email="kapot@example.nl", reason=Suppression.Reason.HARD_BOUNCE)
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    client.post(confirmation_link())

    assert list(Suppression.objects.values_list("email", flat=True)) == ["kapot@example.nl"]


def test_bad_input_gets_dutch_errors_and_keeps_what_was_typed(client):
    response = client.post("/nieuwsbrief/aanmelden/", {"name": "Noor de Wit", "email": "noor@", "topics": []})

    assert response.status_code == 200
    assert "Dit is geen geldig e-mailadres." in response.text
    assert "Kies minstens één nieuwsbrief." in response.text
    assert 'value="Noor de Wit"' in response.text and 'value="noor@"' in response.text
    assert not SubscriptionRequest.objects.exists()


def test_a_flood_from_one_connection_is_throttled_with_a_clear_message(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(subscriptions.SIGNUPS_PER_IP_PER_HOUR):
            assert sign_up(client, email=f"lezer{n}@example.nl").status_code == 302
        response = sign_up(client, email="nog-een@example.nl")

    assert response.status_code == 429
    assert "Te veel aanmeldingen" in response.text
    assert 'value="nog-een@example.nl"' in response.text
    assert SubscriptionRequest.objects.count() == subscriptions.SIGNUPS_PER_IP_PER_HOUR


def test_one_address_gets_at_most_a_few_mails_an_hour(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answers = {sign_up(client).url for _ in range(5)}

    assert answers == {"/nieuwsbrief/aanmelden/verstuurd/"}
    assert len(mail.outbox) == subscriptions.MAILS_PER_ADDRESS_PER_HOUR
