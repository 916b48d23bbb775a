"""ESP tracking webhooks end to end: each ESP's own payload format and signature, through anymail's views.

Payload shapes follow the ESPs' documentation and anymail's own test suite (sanitised real events).
"""

import base64
import hashlib
import hmac
import json

import pytest
from django.test import override_settings

from newsletter.models import DeliveryEvent, Suppression
from tests.builders import make_delivery, make_send

BASIC_AUTH = "stadshart:webhook-geheim-42"
MAILGUN_KEY = "mailgun-signing-key-0123456789"
MAILERSEND_SECRET = "mailersend-signing-secret-abcdef"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailInsecureWebhookWarning"),
]


@pytest.fixture(autouse=True)
def webhook_settings():
    with override_settings(
        ANYMAIL={
            "WEBHOOK_SECRET": BASIC_AUTH,
            "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY,
            "MAILERSEND_SIGNING_SECRET": MAILERSEND_SECRET,
        }
    ):
        yield


def auth_header(credentials: str = BASIC_AUTH) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


@pytest.fixture
def delivery(db):
    send = make_send()
    return make_delivery(
        send, "fatima@bakkerij-korenschoof.nl", message_id="<20261101.1.ABC@mg.stadshart.nl>"
    )


# Mailgun: HMAC-SHA256 of timestamp + token with the webhook signing key, inside the JSON body.


def mailgun_event(
    event_data: dict, *, token="651869375b9df3c98fc15c4889b102119add1235c38fc92824", key=MAILGUN_KEY
):
    timestamp = str(int(event_data.get("timestamp", 1793000000)))
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature},
        "event-data": event_data,
    }


def mailgun_delivered(email="fatima@bakkerij-korenschoof.nl"):
    return {
        "event": "delivered",
        "timestamp": 1793000000.153125,
        "id": "hTWCTD81RtiDN-abc",
        "recipient": email,
        "recipient-domain": "bakkerij-korenschoof.nl",
        "tags": [],
        "user-variables": {},
        "log-level": "info",
        "envelope": {"sender": "nieuws@mg.stadshart.nl", "transport": "smtp", "targets": email},
        "message": {
            "headers": {
                "to": email,
                "message-id": "20261101.1.ABC@mg.stadshart.nl",
                "from": "nieuws@mg.stadshart.nl",
                "subject": "Nieuws uit het Stadshart",
            },
            "attachments": [],
            "size": 809,
        },
        "delivery-status": {
            "tls": True,
            "mx-host": "mx.example.nl",
            "attempt-no": 1,
            "code": 250,
            "message": "OK",
        },
    }


def post_mailgun(client, payload, **headers):
    return client.post(
        "/anymail/mailgun/tracking/",
        data=json.dumps(payload),
        content_type="application/json",
        **(auth_header() | headers),
    )


def test_mailgun_delivered_event_is_stored_with_its_delivery(client, delivery):
    response = post_mailgun(client, mailgun_event(mailgun_delivered()))

    assert response.status_code == 200
    event = DeliveryEvent.objects.get()
    assert event.event_type == "delivered"
    assert event.esp == "Mailgun"
    assert event.delivery == delivery
    assert event.send == delivery.send
    assert event.event_id == "651869375b9df3c98fc15c4889b102119add1235c38fc92824"


def test_mailgun_event_delivered_twice_is_stored_once(client, delivery):
    payload = mailgun_event(mailgun_delivered())
    assert post_mailgun(client, payload).status_code == 200
    assert post_mailgun(client, payload).status_code == 200

    assert DeliveryEvent.objects.count() == 1


def test_mailgun_forged_signature_is_refused_and_nothing_stored(client, delivery):
    forged = mailgun_event(mailgun_delivered(), key="not-the-signing-key")

    response = post_mailgun(client, forged)

    assert response.status_code == 400
    assert not DeliveryEvent.objects.exists()


def test_mailgun_unsigned_call_is_refused(client, delivery):
    payload = {"event-data": mailgun_delivered()}

    assert post_mailgun(client, payload).status_code == 400
    assert not DeliveryEvent.objects.exists()


def test_mailgun_call_without_basic_auth_is_refused(client, delivery):
    response = client.post(
        "/anymail/mailgun/tracking/",
        data=json.dumps(mailgun_event(mailgun_delivered())),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert not DeliveryEvent.objects.exists()


def test_mailgun_permanent_failure_suppresses_the_address(client, delivery):
    failed = mailgun_delivered() | {
        "event": "failed",
        "severity": "permanent",
        "reason": "bounce",
        "delivery-status": {
            "code": 550,
            "message": "5.1.1 The email account that you tried to reach does not exist.",
        },
    }

    post_mailgun(client, mailgun_event(failed, token="b" * 50))

    event = DeliveryEvent.objects.get()
    assert event.event_type == "bounced" and event.is_hard_bounce
    suppression = Suppression.objects.get(email="fatima@bakkerij-korenschoof.nl")
    assert suppression.reason == Suppression.Reason.HARD_BOUNCE
    assert suppression.delivery == delivery


def test_mailgun_temporary_failure_does_not_suppress(client, delivery):
    failed = mailgun_delivered() | {
        "event": "failed",
        "severity": "temporary",
        "reason": "generic",
        "delivery-status": {"code": 452, "message": "Mailbox full", "retry-seconds": 1800},
    }

    post_mailgun(client, mailgun_event(failed, token="c" * 50))

    assert DeliveryEvent.objects.get().event_type == "deferred"
    assert not Suppression.objects.exists()


# MailerSend: HMAC-SHA256 of the raw body in the Signature header.


def post_mailersend(client, payload, *, secret=MAILERSEND_SECRET):
    # MailerSend escapes every "/" in its JSON; harmless, but the signature covers those exact bytes.
    body = json.dumps(payload).replace("/", "\\/").encode()
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post(
        "/anymail/mailersend/tracking/",
        data=body,
        content_type="application/json",
        HTTP_SIGNATURE=signature,
        **auth_header(),
    )


def mailersend_activity(activity: str, *, activity_id="63fd251d5c00f8e52001fce6", morph=None):
    return {
        "type": f"activity.{activity}",
        "domain_id": "7z3m5jgrogdpyo6n",
        "created_at": "2026-11-01T09:00:13.593000Z",
        "webhook_id": "2351ndgwr4zq5vkr",
        "url": "https://stadshart.example/anymail/mailersend/tracking/",
        "data": {
            "object": "activity",
            "id": activity_id,
            "type": activity,
            "created_at": "2026-11-01T09:00:13.593000Z",
            "email": {
                "object": "email",
                "id": "63fd1c1de225707fa905f0a8",
                "status": "rejected",
                "subject": "Nieuws uit het Stadshart",
                "tags": ["nieuwsbrief"],
                "message": {"object": "message", "id": "63fd25194d5edba3da09e044"},
                "recipient": {"object": "recipient", "email": "jan@cafe-de-zwaan.nl"},
            },
            "morph": morph,
        },
    }


@pytest.fixture
def mailersend_delivery(db):
    return make_delivery(make_send(), "jan@cafe-de-zwaan.nl", message_id="63fd25194d5edba3da09e044")


def test_mailersend_hard_bounce_suppresses_the_address(client, mailersend_delivery):
    payload = mailersend_activity(
        "hard_bounced", morph={"object": "recipient_bounce", "reason": "Host or domain name not found"}
    )

    assert post_mailersend(client, payload).status_code == 200

    event = DeliveryEvent.objects.get()
    assert event.delivery == mailersend_delivery
    assert event.description == "Host or domain name not found"
    assert Suppression.objects.get().reason == Suppression.Reason.HARD_BOUNCE


def test_mailersend_soft_bounce_is_stored_but_does_not_suppress(client, mailersend_delivery):
    payload = mailersend_activity(
        "soft_bounced", morph={"object": "recipient_bounce", "reason": "Mailbox full"}
    )

    post_mailersend(client, payload)

    event = DeliveryEvent.objects.get()
    assert event.event_type == "bounced" and not event.is_hard_bounce
    assert not Suppression.objects.exists()


def test_mailersend_spam_complaint_suppresses_the_address(client, mailersend_delivery):
    payload = mailersend_activity("spam_complaint", morph={"object": "spam_complaint", "reason": None})

    post_mailersend(client, payload)

    assert Suppression.objects.get(email="jan@cafe-de-zwaan.nl").reason == Suppression.Reason.COMPLAINT


def test_mailersend_forged_signature_is_refused_and_nothing_stored(client, mailersend_delivery):
    payload = mailersend_activity("spam_complaint", morph={"object": "spam_complaint", "reason": None})

    response = post_mailersend(client, payload, secret="guessed-secret")

    assert response.status_code == 400
    assert not DeliveryEvent.objects.exists()
    assert not Suppression.objects.exists()


def test_mailersend_event_delivered_twice_is_stored_once(client, mailersend_delivery):
    payload = mailersend_activity("delivered")
    post_mailersend(client, payload)
    post_mailersend(client, payload)

    assert DeliveryEvent.objects.count() == 1


# Postmark: basic auth in the webhook URL is its only protection; opens carry no event id.

POSTMARK_MESSAGE_ID = "883953f4-6105-42a2-a16a-77a8eac79483"


@pytest.fixture
def postmark_delivery(db):
    return make_delivery(make_send(), "noor@boekhandel-ginneken.nl", message_id=POSTMARK_MESSAGE_ID)


def postmark_open(user_agent: str, received_at: str = "2026-11-01T10:15:00Z"):
    return {
        "RecordType": "Open",
        "MessageStream": "broadcast",
        "Metadata": {},
        "FirstOpen": True,
        "Recipient": "noor@boekhandel-ginneken.nl",
        "MessageID": POSTMARK_MESSAGE_ID,
        "ReceivedAt": received_at,
        "Platform": "WebMail",
        "ReadSeconds": 5,
        "Tag": "nieuwsbrief",
        "UserAgent": user_agent,
        "OS": {"Name": "OS X 10.15", "Family": "OS X 10", "Company": "Apple Computer, Inc."},
        "Client": {"Name": "Apple Mail", "Family": "Apple Mail", "Company": "Apple"},
        "Geo": {"CountryISOCode": "NL", "Country": "Netherlands", "City": "Breda"},
    }


def post_postmark(client, payload, **headers):
    return client.post(
        "/anymail/postmark/tracking/", data=json.dumps(payload), content_type="application/json", **headers
    )


def test_postmark_open_by_a_reader_is_stored(client, postmark_delivery):
    reader = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"

    assert post_postmark(client, postmark_open(reader), **auth_header()).status_code == 200

    event = DeliveryEvent.objects.get()
    assert event.event_type == "opened" and event.delivery == postmark_delivery
    assert not event.is_machine


def test_postmark_open_by_apple_privacy_proxy_is_flagged(client, postmark_delivery):
    post_postmark(client, postmark_open("Mozilla/5.0"), **auth_header())

    event = DeliveryEvent.objects.get()
    assert event.is_machine
    assert event.machine_reason == "Apple Mail Privacy Protection"


def test_postmark_open_retried_is_stored_once_though_it_has_no_event_id(client, postmark_delivery):
    payload = postmark_open("Mozilla/5.0 (Windows NT 10.0) Outlook")
    post_postmark(client, payload, **auth_header())
    post_postmark(client, payload, **auth_header())

    assert DeliveryEvent.objects.count() == 1
    assert DeliveryEvent.objects.get().event_id.startswith("sha256:")


def test_postmark_call_without_basic_auth_is_refused(client, postmark_delivery):
    response = post_postmark(client, postmark_open("Mozilla/5.0"))

    assert response.status_code == 400
    assert not DeliveryEvent.objects.exists()


def test_postmark_call_with_wrong_basic_auth_is_refused(client, postmark_delivery):
    response = post_postmark(client, postmark_open("Mozilla/5.0"), **auth_header("stadshart:geraden"))

    assert response.status_code == 400
    assert not DeliveryEvent.objects.exists()


def test_postmark_hard_bounce_suppresses_but_soft_bounce_does_not(client, postmark_delivery):
    bounce = {
        "RecordType": "Bounce",
        "ID": 4323372036854775807,
        "Type": "HardBounce",
        "TypeCode": 1,
        "Name": "Hard bounce",
        "Tag": "nieuwsbrief",
        "MessageID": POSTMARK_MESSAGE_ID,
        "ServerID": 23,
        "MessageStream": "broadcast",
        "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": "noor@boekhandel-ginneken.nl",
        "From": "nieuws@stadshart.example",
        "BouncedAt": "2026-11-01T09:01:00Z",
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": True,
        "Subject": "Nieuws uit het Stadshart",
        "Metadata": {},
    }
    soft = bounce | {"ID": 4323372036854775808, "Type": "SoftBounce", "TypeCode": 4096, "Inactive": False}

    post_postmark(client, soft, **auth_header())
    assert not Suppression.objects.exists()

    post_postmark(client, bounce, **auth_header())
    assert Suppression.objects.get().reason == Suppression.Reason.HARD_BOUNCE
    assert DeliveryEvent.objects.count() == 2


# Brevo: basic auth; one JSON event per call, no event id; proxy opens are their own event names.


def brevo_event(event: str, **fields):
    return {
        "event": event,
        "email": "emma@modehuis-lange-brug.nl",
        "id": 5785627,
        "date": "2026-11-01 10:20:30",
        "ts": 1793006430,
        "message-id": "<202611010920.84510948461@smtp-relay.mailin.fr>",
        "ts_event": 1793006430,
        "subject": "Nieuws uit het Stadshart",
        "tag": '["nieuwsbrief"]',
        "sending_ip": "185.41.28.109",
        "ts_epoch": 1793006430123,
        "tags": ["nieuwsbrief"],
        **fields,
    }


@pytest.fixture
def brevo_delivery(db):
    return make_delivery(
        make_send(),
        "emma@modehuis-lange-brug.nl",
        message_id="<202611010920.84510948461@smtp-relay.mailin.fr>",
    )


def post_brevo(client, payload, **headers):
    return client.post(
        "/anymail/brevo/tracking/", data=json.dumps(payload), content_type="application/json", **headers
    )


def test_brevo_proxy_open_is_flagged_as_machine(client, brevo_delivery):
    post_brevo(client, brevo_event("unique_proxy_open"), **auth_header())
    post_brevo(client, brevo_event("unique_opened", ts_epoch=1793006490123), **auth_header())

    machine, reader = DeliveryEvent.objects.order_by("timestamp")
    assert machine.is_machine and machine.machine_reason == "privacy proxy (ESP)"
    assert not reader.is_machine


def test_brevo_click_and_complaint(client, brevo_delivery):
    post_brevo(client, brevo_event("click", link="https://stadshart.example/agenda/"), **auth_header())
    post_brevo(client, brevo_event("spam", ts_epoch=1793009999000), **auth_header())

    click = DeliveryEvent.objects.get(event_type="clicked")
    assert click.url == "https://stadshart.example/agenda/"
    assert Suppression.objects.get().reason == Suppression.Reason.COMPLAINT


def test_brevo_call_without_basic_auth_stores_nothing(client, brevo_delivery):
    assert post_brevo(client, brevo_event("spam")).status_code == 400
    assert not DeliveryEvent.objects.exists()
    assert not Suppression.objects.exists()


# SparkPost: basic auth; posts batches of events in one request (one transaction for the batch).

SPARKPOST_TRANSMISSION = "30223642853201218"


def sparkpost_event(event_type: str, event_id: str, email: str, **fields):
    return {
        "msys": {
            "message_event" if event_type in ("delivery", "bounce", "spam_complaint") else "track_event": {
                "type": event_type,
                "event_id": event_id,
                "transmission_id": SPARKPOST_TRANSMISSION,
                "message_id": "0e0d94b7-9085-4e3c-ab30-e3f2cd9c273e",
                "raw_rcpt_to": email,
                "rcpt_to": email,
                "timestamp": "1793000400",
                "campaign_id": "nieuwsbrief-december",
                "friendly_from": "nieuws@stadshart.example",
                "ip_address": "127.0.0.1",
                "rcpt_meta": {},
                "rcpt_tags": [],
                **fields,
            }
        }
    }


@pytest.fixture
def sparkpost_batch(db):
    """One SparkPost transmission to three readers (SparkPost gives them one id)."""
    send = make_send()
    emails = ["anna@bloemenhuis.nl", "bas@fietsenmaker.nl", "cem@kapsalon.nl"]
    for email in emails:
        make_delivery(send, email, message_id=SPARKPOST_TRANSMISSION)
    return emails


def post_sparkpost(client, events, **headers):
    return client.post(
        "/anymail/sparkpost/tracking/", data=json.dumps(events), content_type="application/json", **headers
    )


def test_sparkpost_batch_is_stored_per_reader_and_once(sparkpost_batch):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)  # as an ESP calls: no CSRF token
    anna, bas, cem = sparkpost_batch
    batch = [
        sparkpost_event("delivery", "92356927693813856", anna),
        sparkpost_event("delivery", "92356927693813857", bas),
        sparkpost_event(
            "bounce", "92356927693813858", cem, bounce_class="10", reason="550 5.1.1 unknown user"
        ),
        sparkpost_event(
            "open", "92356927693813859", anna, user_agent="Mozilla/5.0 (Windows NT 10.0) Outlook"
        ),
        sparkpost_event(
            "click", "92356927693813860", bas, target_link_url="https://stadshart.example/agenda/"
        ),
        {"msys": {}},  # SparkPost's "ping"
    ]

    assert post_sparkpost(client, batch, **auth_header()).status_code == 200
    assert (
        post_sparkpost(client, batch + [sparkpost_event("delivery", "x1", cem)], **auth_header()).status_code
        == 200
    )

    assert DeliveryEvent.objects.count() == 6
    assert {e.delivery.email for e in DeliveryEvent.objects.filter(event_type="delivered")} == {
        anna,
        bas,
        cem,
    }
    assert DeliveryEvent.objects.get(event_type="clicked").delivery.email == bas
    assert Suppression.objects.get().email == cem


def test_sparkpost_soft_bounce_does_not_suppress(client, sparkpost_batch):
    mailbox_full = sparkpost_event("bounce", "92356927693813870", sparkpost_batch[0], bounce_class="22")

    post_sparkpost(client, [mailbox_full], **auth_header())

    assert not DeliveryEvent.objects.get().is_hard_bounce
    assert not Suppression.objects.exists()


def test_sparkpost_batch_without_basic_auth_stores_nothing(client, sparkpost_batch):
    batch = [sparkpost_event("spam_complaint", "92356927693813880", sparkpost_batch[0])]

    assert post_sparkpost(client, batch).status_code == 400
    assert not DeliveryEvent.objects.exists()
    assert not Suppression.objects.exists()


# Committed for real (no test transaction around it), as in production; the pages the
# migrations made come back for the tests after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_event_per_request_costs_a_lookup_and_an_insert_and_a_click_one_transaction(client):
    """Mailgun posts every event on its own: the commonest request must stay this small."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from newsletter import esp_events

    esp_events.clear_delivery_cache()
    delivery = make_delivery(
        make_send(), "fatima@bakkerij-korenschoof.nl", message_id="<20261101.1.ABC@mg.stadshart.nl>"
    )

    def post(event_data, token):
        with CaptureQueriesContext(connection) as captured:
            assert post_mailgun(client, mailgun_event(event_data, token=token)).status_code == 200
        return [query["sql"].split()[0] for query in captured]

    delivered = mailgun_delivered()
    assert post(delivered, "a" * 50) == ["SELECT", "INSERT"]  # find the delivery, store the event
    opened = delivered | {
        "event": "opened",
        "timestamp": 1793000900.0,
        "client-info": {"user-agent": "Outlook"},
    }
    assert post(opened, "b" * 50) == ["INSERT"]  # the delivery is known now
    clicked = opened | {"event": "clicked", "url": "https://stadshart.nl/agenda/"}
    # A click may flag a scanner's burst: the event and that flag commit together.
    assert post(clicked, "c" * 50) == ["BEGIN", "INSERT", "UPDATE", "COMMIT"]

    stored = DeliveryEvent.objects.filter(delivery=delivery).order_by("pk")
    assert [event.event_type for event in stored] == ["delivered", "opened", "clicked"]
    assert not any(event.is_machine for event in stored)
