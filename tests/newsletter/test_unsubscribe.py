"""Unsubscribing: a GET changes nothing (scanners follow links), a POST or the RFC 8058 one-click
POST unsubscribes at once without a login, and the person's consent history records it."""

import contextlib
import re

import pytest
from django.core import mail

from crm.models import Consent
from newsletter import services, tasks
from newsletter.models import Delivery, Suppression
from newsletter.sending import worker as sending_worker
from tests.builders import make_segment, published_newsletter, subscriber


@pytest.fixture
def sent(db, settings, monkeypatch):
    """A service newsletter sent to Fatima and Joost; a second one queued for both, not sent yet."""
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    mail.outbox = []
    monkeypatch.setattr(tasks, "start_workers", lambda send_id: None)
    fatima = subscriber("Fatima", "fatima@bakkerij.nl")
    subscriber("Joost", "joost@cafe.nl")
    first = services.queue_send(published_newsletter(segments=[make_segment()], subject="Oktober"))
    sending_worker.work_on_send(first.pk)
    second = services.queue_send(published_newsletter(segments=[make_segment()], subject="November"))
    message = next(m for m in mail.outbox if m.to == ["fatima@bakkerij.nl"])
    one_click = re.search(r"<(http[^>]+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    page = re.search(r"http://testserver(/nieuwsbrief/afmelden/[^/\s]+/)\s", message.body).group(1)
    return {
        "fatima": fatima,
        "one_click": one_click.removeprefix("http://testserver"),
        "page": page,
        "next": second,
    }


def service_consent(person):
    return (
        person.consents.filter(topic=Consent.Topic.SERVICE_NEWSLETTER).order_by("-recorded_at", "-pk").first()
    )


def test_opening_the_footer_link_changes_nothing_and_shows_a_button(client, sent):
    response = client.get(sent["page"])
    assert response.status_code == 200
    assert b'<form method="post">' in response.content
    assert b"fatima@bakkerij.nl" in response.content
    assert service_consent(sent["fatima"]).granted
    assert Delivery.objects.filter(send=sent["next"], status="queued").count() == 2
    # a scanner following the one-click address with GET is sent to the page with the button
    response = client.get(sent["one_click"])
    assert response.status_code == 302 and response["Location"] == sent["page"]
    assert service_consent(sent["fatima"]).granted


def test_the_button_unsubscribes_at_once_and_records_it_in_the_consent_history(client, sent):
    response = client.post(sent["page"])

    assert response.status_code == 200
    assert b"afgemeld" in response.content.lower()
    consent = service_consent(sent["fatima"])
    assert not consent.granted
    assert consent.source == Consent.Source.UNSUBSCRIBE
    assert "Oktober" in consent.wording
    assert Delivery.objects.get(send=sent["next"], email="fatima@bakkerij.nl").status == "skipped"
    assert Delivery.objects.get(send=sent["next"], email="joost@cafe.nl").status == "queued"


def test_one_click_post_needs_no_login_or_csrf_token_and_is_safe_to_repeat(sent):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    for _attempt in range(2):
        response = client.post(sent["one_click"], {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
    history = sent["fatima"].consents.filter(topic=Consent.Topic.SERVICE_NEWSLETTER, granted=False)
    assert history.count() == 1
    assert Delivery.objects.get(send=sent["next"], email="fatima@bakkerij.nl").status == "skipped"


def test_only_the_kind_of_newsletter_that_carried_the_link_is_withdrawn(client, sent):
    marketing = Consent.objects.create(
        person=sent["fatima"],
        topic=Consent.Topic.MARKETING_NEWSLETTER,
        granted=True,
        source=Consent.Source.STAFF,
        recorded_at=service_consent(sent["fatima"]).recorded_at,
    )
    client.post(sent["page"])
    assert sent["fatima"].consents.filter(topic=Consent.Topic.MARKETING_NEWSLETTER).first() == marketing


@pytest.mark.parametrize("change", ["forged", "damaged"])
def test_a_forged_or_damaged_link_is_refused_in_dutch_and_changes_nothing(client, sent, change):
    token = sent["page"].split("/")[-2]
    bad = {"forged": token[:-3] + "abc", "damaged": token[: len(token) // 2]}[change]
    for url in (f"/nieuwsbrief/afmelden/{bad}/", f"/nieuwsbrief/afmelden/{bad}/direct/"):
        response = client.post(url)
        assert response.status_code == 400
    response = client.get(f"/nieuwsbrief/afmelden/{bad}/")
    assert b"niet geldig" in response.content
    assert service_consent(sent["fatima"]).granted
    assert not Suppression.objects.exists()
    assert Delivery.objects.filter(send=sent["next"], status="queued").count() == 2


def test_an_address_nobody_in_the_crm_has_is_suppressed(db):
    result = services.unsubscribe(email="Onbekend@Example.nl")
    assert result["people"] == 0
    assert Suppression.objects.get().email == "onbekend@example.nl"


def test_an_unsubscribe_through_our_link_counts_once_in_the_newsletters_results(client, sent):
    from newsletter.models import Send
    from newsletter.queries.stats import send_results

    october = Send.objects.get(subject="Oktober")
    assert send_results(october).unsubscribes == 0
    client.post(sent["page"])
    client.post(sent["one_click"], {"List-Unsubscribe": "One-Click"})
    assert send_results(october).unsubscribes == 1


# Tokens reveal nothing ---------------------------------------------------------------------------


def _every_decoding(text: str) -> str:
    """What anyone can read from a token: the text itself and its base64 decoded in every framing."""
    import base64
    import zlib

    readable = [text]
    for part in re.split(r"[:.]", text):
        for start in range(4):
            chunk = part[start:]
            try:
                raw = base64.urlsafe_b64decode(chunk + "=" * (-len(chunk) % 4))
            except ValueError:
                continue
            readable.append(raw.decode("latin-1"))
            for offset in range(3):
                with contextlib.suppress(zlib.error):
                    readable.append(zlib.decompress(raw[offset:]).decode("latin-1"))
    return "\n".join(readable)


def test_the_links_in_a_mail_reveal_no_address(sent):
    message = next(m for m in mail.outbox if m.to == ["fatima@bakkerij.nl"])
    links = re.findall(
        r"/nieuwsbrief/(?:afmelden|voorkeuren)/([^/\s>]+)/",
        message.body + message.extra_headers["List-Unsubscribe"],
    )

    assert len(links) >= 2
    for token in links:
        readable = _every_decoding(token)
        assert "fatima" not in readable and "bakkerij" not in readable, token


def test_the_old_readable_test_would_have_found_the_address_in_an_old_link():
    """The check above can fail: an old-style signed token shows the address once decoded."""
    from django.core import signing

    old = signing.dumps({"e": "fatima@bakkerij.nl", "d": 1}, salt="newsletter.unsubscribe", compress=True)

    assert "fatima@bakkerij.nl" in _every_decoding(old)


def test_links_sent_before_the_tokens_were_encrypted_still_unsubscribe(client, sent):
    """Old mails carry Django-signed tokens; an unsubscribe link must work as long as the mail exists."""
    from django.core import signing

    delivery = Delivery.objects.get(email="fatima@bakkerij.nl", send__subject="Oktober")
    old = signing.dumps(
        {"e": "fatima@bakkerij.nl", "d": delivery.pk}, salt="newsletter.unsubscribe", compress=True
    )

    response = client.post(f"/nieuwsbrief/afmelden/{old}/")

    assert response.status_code == 200
    assert not service_consent(sent["fatima"]).granted


def test_a_token_for_another_purpose_or_made_with_another_secret_is_refused(client, sent, settings):
    from newsletter import tokens

    preferences = tokens.make_token(tokens.PREFERENCES, email="fatima@bakkerij.nl")
    assert client.post(f"/nieuwsbrief/afmelden/{preferences}/").status_code == 400

    token = sent["page"].split("/")[-2]
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert client.post(f"/nieuwsbrief/afmelden/{token}/").status_code == 400
    assert service_consent(sent["fatima"]).granted


def test_a_rotated_secret_keeps_links_already_sent_working(client, sent, settings):
    token = sent["page"].split("/")[-2]
    old_secret = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-" + "y" * 40
    settings.SECRET_KEY_FALLBACKS = [old_secret]

    assert client.post(f"/nieuwsbrief/afmelden/{token}/").status_code == 200
    assert not service_consent(sent["fatima"]).granted
