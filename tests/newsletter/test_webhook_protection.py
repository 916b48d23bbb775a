"""Tracking webhooks are safe by default: refused until protected, events must match their delivery,
malformed bodies are a 400, and `check --deploy` names what is missing.

Payloads are the ESPs' own formats (as in test_webhooks.py, after the ESPs' docs and anymail's tests).
"""

import json

import pytest
from anymail import urls as anymail_urls
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from django.urls import reverse
from django.utils.module_loading import import_string

from crm.models import Consent
from crm.services import record_consent
from newsletter.checks import check_webhooks_protected
from newsletter.models import DeliveryEvent, Suppression
from newsletter.webhooks import PROTECTIONS
from newsletter.webhooks import urlpatterns as webhook_urls
from tests.builders import make_delivery, make_person, make_send
from tests.newsletter.test_webhooks import (
    BASIC_AUTH,
    MAILERSEND_SECRET,
    MAILGUN_KEY,
    POSTMARK_MESSAGE_ID,
    auth_header,
    brevo_event,
    mailersend_activity,
    mailgun_delivered,
    mailgun_event,
    sparkpost_event,
)
from tests.services import child_env, manage

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailInsecureWebhookWarning"),
    pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailNotSupportedWarning"),
]

NOOR = "noor@boekhandel-ginneken.nl"
SERVICE, MARKETING = Consent.Topic.SERVICE_NEWSLETTER, Consent.Topic.MARKETING_NEWSLETTER
BOTH_GRANTED = {SERVICE: True, MARKETING: True}

CONFIGURED = {
    "WEBHOOK_SECRET": BASIC_AUTH,
    "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY,
    "MAILERSEND_SIGNING_SECRET": MAILERSEND_SECRET,
}


def postmark_bounce(email=NOOR, **fields):
    return {
        "RecordType": "Bounce",
        "ID": 4323372036854775807,
        "Type": "HardBounce",
        "TypeCode": 1,
        "Name": "Hard bounce",
        "MessageID": POSTMARK_MESSAGE_ID,
        "MessageStream": "broadcast",
        "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": email,
        "From": "nieuws@stadshart.example",
        "BouncedAt": "2026-11-01T09:01:00Z",
        "Inactive": True,
        "Subject": "Nieuws uit het Stadshart",
        "Metadata": {},
        **fields,
    }


def postmark_subscription_change(recipient=NOOR, *, message_id=POSTMARK_MESSAGE_ID, metadata=None):
    """Postmark's SubscriptionChange: the recipient unsubscribed through Postmark's own link."""
    return {
        "RecordType": "SubscriptionChange",
        "MessageID": message_id,
        "ServerID": 23,
        "MessageStream": "broadcast",
        "ChangedAt": "2026-11-01T10:53:34.416071Z",
        "Recipient": recipient,
        "Origin": "Recipient",
        "SuppressSending": True,
        "SuppressionReason": "ManualSuppression",
        "Tag": "nieuwsbrief",
        "Metadata": metadata or {},
    }


def sendgrid_events(email=NOOR):
    return [
        {
            "email": email,
            "timestamp": 1793000400,
            "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-555>",
            "event": "bounce",
            "category": ["nieuwsbrief"],
            "sg_event_id": "6g4ZI7SA-xmRDv57GoPIPw==",
            "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
            "reason": "550 5.1.1 The email account that you tried to reach does not exist.",
            "status": "5.1.1",
            "type": "bounce",
        }
    ]


# Each wired endpoint with a real payload of its ESP (the rest get a plausible JSON body).
REAL_PAYLOADS = {
    "postmark": postmark_bounce(),
    "mailgun": mailgun_event(mailgun_delivered(NOOR) | {"event": "failed", "severity": "permanent"}),
    "mailersend": mailersend_activity("spam_complaint"),
    "brevo": brevo_event("hard_bounce", email=NOOR),
    "sendinblue": brevo_event("hard_bounce", email=NOOR),
    "sparkpost": [sparkpost_event("bounce", "92356927693813858", NOOR, bounce_class="10")],
    "sendgrid": sendgrid_events(),
    "mailjet": {"event": "bounce", "email": NOOR, "hard_bounce": True, "time": 1793000400, "MessageID": 1},
}


def endpoints():
    return sorted({str(pattern.pattern) for pattern in webhook_urls})


def esp_of(path: str) -> str:
    return path.split("/")[0]


@pytest.fixture
def noor_delivery(db):
    return make_delivery(make_send(), NOOR, message_id=POSTMARK_MESSAGE_ID)


@pytest.fixture
def noor_subscribed(noor_delivery):
    noor = make_person("Noor", "Jansen", email=NOOR)
    record_consent(
        person=noor, topic=Consent.Topic.SERVICE_NEWSLETTER, granted=True, source=Consent.Source.STAFF
    )
    record_consent(
        person=noor, topic=Consent.Topic.MARKETING_NEWSLETTER, granted=True, source=Consent.Source.STAFF
    )
    return noor


def consents(person) -> dict[str, bool]:
    newest = {}
    for consent in person.consents.order_by("recorded_at", "pk"):
        newest[consent.topic] = consent.granted
    return newest


def post(client, path, payload, **headers):
    body = payload if isinstance(payload, bytes) else json.dumps(payload)
    return client.post(f"/anymail/{path}", data=body, content_type="application/json", **headers)


def test_only_tracking_endpoints_are_wired_and_every_esp_has_its_protection():
    assert "postmark/tracking/" in endpoints() and "sparkpost/tracking/" in endpoints()
    assert not [path for path in endpoints() if "inbound" in path]
    assert client_404_for_inbound() == 404


def test_the_tracking_endpoints_are_anymails_own_with_their_views():
    """newsletter.webhooks lists the endpoints itself (anymail.urls would import every ESP's module):
    the same addresses and names as anymail's, each reaching anymail's view for that ESP."""
    anymails = {
        (str(pattern.pattern), pattern.name, pattern.callback.view_class)
        for pattern in anymail_urls.urlpatterns
        if "inbound" not in pattern.name
    }
    ours = {(str(pattern.pattern), pattern.name) for pattern in webhook_urls}
    assert ours == {(route, name) for route, name, _view in anymails}
    views = {import_string(protection.view_path) for protection in PROTECTIONS.values()}
    assert views == {view for _route, _name, view in anymails}
    assert {view.esp_name for view in views} == set(PROTECTIONS)


def test_no_process_loads_boto3_for_the_webhooks():
    """Amazon SES's webhook module imports boto3: loaded only when an SES webhook arrives, it stays
    out of every web and worker process (8 MB each) of a centre that sends through another ESP."""
    code = (
        "import sys; from django.urls import get_resolver; get_resolver().url_patterns; "
        "from django.core.checks import run_checks; run_checks(); print('boto3' in sys.modules)"
    )
    result = manage("shell", "--no-imports", "-c", code, env=child_env(DEBUG="1"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False"]


def client_404_for_inbound():
    from django.test import Client

    return Client().post("/anymail/postmark/inbound/", data="{}", content_type="application/json").status_code


# Nothing configured (the default of the run command and docker/example.env) -------------------


@override_settings(ANYMAIL={})
@pytest.mark.parametrize("path", endpoints())
def test_without_protection_every_tracking_endpoint_answers_404_and_stores_nothing(
    client, noor_subscribed, path
):
    payload = REAL_PAYLOADS.get(esp_of(path), {"event": "bounce", "email": NOOR})

    unsigned = post(client, path, payload)
    with_some_basic_auth = post(client, path, payload, **auth_header())

    assert unsigned.status_code == 404
    assert with_some_basic_auth.status_code == 404
    assert not DeliveryEvent.objects.exists()
    assert not Suppression.objects.exists()
    assert consents(noor_subscribed) == BOTH_GRANTED


@override_settings(ANYMAIL={})
def test_unprotected_postmark_subscription_change_withdraws_no_consent(client, noor_subscribed):
    """The probe's finding: an unsigned SubscriptionChange withdrew consent for every kind."""
    response = post(client, "postmark/tracking/", postmark_subscription_change())

    assert response.status_code == 404
    assert consents(noor_subscribed) == BOTH_GRANTED


@override_settings(ANYMAIL={"MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY})
def test_a_signing_key_opens_only_its_own_esp(client, noor_delivery):
    mailgun = post(client, "mailgun/tracking/", mailgun_event(mailgun_delivered(NOOR)))
    postmark = post(client, "postmark/tracking/", postmark_bounce())

    assert mailgun.status_code == 200
    assert postmark.status_code == 404
    assert DeliveryEvent.objects.get().esp == "Mailgun"
    assert not Suppression.objects.exists()


@override_settings(ANYMAIL={"WEBHOOK_SECRET": BASIC_AUTH})
def test_basic_auth_alone_does_not_open_esps_that_sign_their_calls(client, noor_delivery):
    """Mailgun and MailerSend sign every call: without their key anymail cannot check it."""
    assert (
        post(client, "mailgun/tracking/", mailgun_event(mailgun_delivered(NOOR)), **auth_header()).status_code
        == 404
    )
    assert post(client, "postmark/tracking/", postmark_bounce(), **auth_header()).status_code == 200
    assert Suppression.objects.get().email == NOOR


# Configured: real payloads through anymail's views ---------------------------------------------


@override_settings(ANYMAIL=CONFIGURED)
def test_sendgrid_bounce_with_basic_auth_suppresses_and_without_is_refused(client):
    send = make_send()
    make_delivery(send, NOOR, message_id="<14c5d75ce93.dfd.64b469@ismtpd-555>")

    assert post(client, "sendgrid/tracking/", sendgrid_events()).status_code == 400
    assert not Suppression.objects.exists()

    assert post(client, "sendgrid/tracking/", sendgrid_events(), **auth_header()).status_code == 200
    assert Suppression.objects.get().email == NOOR


@override_settings(ANYMAIL=CONFIGURED)
def test_postmark_subscription_change_withdraws_consent_for_that_newsletter_only(client, noor_subscribed):
    response = post(client, "postmark/tracking/", postmark_subscription_change(), **auth_header())

    assert response.status_code == 200
    assert DeliveryEvent.objects.get(esp="Postmark").event_type == "unsubscribed"
    assert consents(noor_subscribed) == {SERVICE: False, MARKETING: True}


@override_settings(ANYMAIL=CONFIGURED)
@pytest.mark.parametrize("recipient", ["someone-else@example.nl", ""])
def test_event_naming_a_delivery_but_another_or_no_recipient_attaches_to_nothing(
    client, noor_subscribed, noor_delivery, recipient
):
    forged = [
        postmark_subscription_change(recipient, metadata={"delivery_id": str(noor_delivery.pk)}),
        postmark_subscription_change(
            recipient, message_id="unknown", metadata={"delivery_id": str(noor_delivery.pk)}
        ),
        postmark_bounce(recipient, ID=1, Metadata={"delivery_id": str(noor_delivery.pk)}),
    ]

    for payload in forged:
        assert post(client, "postmark/tracking/", payload, **auth_header()).status_code == 200

    assert DeliveryEvent.objects.count() == 3
    assert not DeliveryEvent.objects.filter(delivery__isnull=False).exists()
    assert not Suppression.objects.exists()
    assert consents(noor_subscribed) == BOTH_GRANTED


@override_settings(ANYMAIL=CONFIGURED)
def test_sparkpost_event_with_another_address_in_the_same_transmission_attaches_to_nothing(client):
    send = make_send()
    make_delivery(send, NOOR, message_id="30223642853201218")
    stranger = sparkpost_event("spam_complaint", "92356927693813999", "stranger@example.nl")

    assert post(client, "sparkpost/tracking/", [stranger], **auth_header()).status_code == 200

    assert DeliveryEvent.objects.get().delivery is None
    assert not Suppression.objects.exists()


# Malformed bodies: 400, never 500, nothing stored ------------------------------------------------

MALFORMED_BODIES = [
    b"{not json",
    b"\xff\xfe\x00 invalid utf-8",
    b"",
    b"null",
    b'"a string"',
    b"12",
    b"[1, 2, 3]",
    b'{"RecordType": ["Bounce"], "Email": {"x": 1}}',
    b'[{"msys": []}]',
    b'[{"event": null}]',
    b'{"event": 5, "email": [1]}',
]


@override_settings(ANYMAIL=CONFIGURED)
@pytest.mark.parametrize(
    "path",
    [
        "postmark/tracking/",
        "sparkpost/tracking/",
        "brevo/tracking/",
        "sendgrid/tracking/",
        "mailjet/tracking/",
        "amazon_ses/tracking/",
    ],
)
@pytest.mark.parametrize("body", MALFORMED_BODIES)
def test_malformed_body_from_an_authenticated_caller_is_a_400_or_ignored_never_a_500(client, path, body):
    response = post(client, path, body, **auth_header())

    assert response.status_code in (200, 400), response.content
    assert not Suppression.objects.exists()


@override_settings(ANYMAIL=CONFIGURED)
@pytest.mark.parametrize("body", MALFORMED_BODIES)
def test_malformed_body_to_signing_esps_is_a_400(client, body):
    assert post(client, "mailgun/tracking/", body, **auth_header()).status_code == 400
    assert post(client, "mailersend/tracking/", body, **auth_header()).status_code == 400


@override_settings(ANYMAIL=CONFIGURED)
def test_broken_json_to_postmark_is_a_400_and_wrong_shape_too(client):
    assert post(client, "postmark/tracking/", b"{not json", **auth_header()).status_code == 400
    assert post(client, "sparkpost/tracking/", {"msys": "not a list"}, **auth_header()).status_code == 400
    assert not DeliveryEvent.objects.exists()


@override_settings(ANYMAIL=CONFIGURED)
def test_wrong_types_in_a_valid_event_are_stored_as_text(client, noor_delivery):
    odd = postmark_bounce(Email=12345, Details=["x"], Description={"a": 1})

    assert post(client, "postmark/tracking/", odd, **auth_header()).status_code == 200

    event = DeliveryEvent.objects.get()
    assert event.recipient == "12345" and event.delivery is None
    assert not Suppression.objects.exists()


# check --deploy ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("backend", "anymail", "missing"),
    [
        ("anymail.backends.postmark.EmailBackend", {"POSTMARK_SERVER_TOKEN": "t"}, "ANYMAIL_WEBHOOK_SECRET"),
        ("anymail.backends.sparkpost.EmailBackend", {}, "ANYMAIL_WEBHOOK_SECRET"),
        ("anymail.backends.brevo.EmailBackend", {}, "ANYMAIL_WEBHOOK_SECRET"),
        (
            "anymail.backends.mailgun.EmailBackend",
            {"WEBHOOK_SECRET": BASIC_AUTH},
            "ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY",
        ),
        ("anymail.backends.mailersend.EmailBackend", {}, "ANYMAIL_MAILERSEND_SIGNING_SECRET"),
        ("anymail.backends.sendgrid.EmailBackend", {}, "ANYMAIL_SENDGRID_TRACKING_WEBHOOK_VERIFICATION_KEY"),
    ],
)
def test_check_deploy_fails_naming_what_is_missing(backend, anymail, missing):
    with override_settings(EMAIL_BACKEND=backend, ANYMAIL=anymail):
        with pytest.raises(SystemCheckError) as raised:
            call_command("check", deploy=True, tags=["security"], fail_level="ERROR")

    assert "newsletter.E001" in str(raised.value)
    assert missing in str(raised.value)


@pytest.mark.parametrize(
    ("backend", "anymail"),
    [
        ("anymail.backends.postmark.EmailBackend", {"WEBHOOK_SECRET": BASIC_AUTH}),
        ("anymail.backends.mailgun.EmailBackend", {"MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY}),
        ("django.core.mail.backends.smtp.EmailBackend", {}),  # no ESP: no webhook to protect
    ],
)
def test_check_deploy_is_clean_once_protected(backend, anymail):
    with override_settings(EMAIL_BACKEND=backend, ANYMAIL=anymail):
        assert check_webhooks_protected() == []


def test_check_deploy_refuses_a_basic_auth_secret_without_password():
    with override_settings(ANYMAIL={"WEBHOOK_SECRET": "just-a-word"}):
        assert [error.id for error in check_webhooks_protected()] == ["newsletter.E002"]


def test_check_runs_only_with_deploy():
    with override_settings(EMAIL_BACKEND="anymail.backends.postmark.EmailBackend", ANYMAIL={}):
        call_command("check", tags=["security"])  # no error without --deploy (development)


def test_webhook_urls_resolve_by_anymail_names():
    assert reverse("anymail:postmark_tracking_webhook") == "/anymail/postmark/tracking/"
