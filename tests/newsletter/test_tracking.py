"""record_event: what an ESP event changes (suppressions, unsubscribes), machine flags, stored once."""

import datetime as dt

import pytest
from anymail.signals import AnymailTrackingEvent
from django.utils import timezone

from crm.models import Consent
from crm.services import record_consent
from newsletter.esp_events import record_unsubscribe
from newsletter.models import DeliveryEvent, Suppression
from newsletter.queries.stats import delivery_outcomes
from newsletter.tracking import record_event
from tests.builders import make_delivery, make_person, make_send

pytestmark = pytest.mark.django_db

SENT_AT = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
READER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"


@pytest.fixture
def delivery():
    return make_delivery(make_send(sent_at=SENT_AT), "fatima@bakkerij-korenschoof.nl", message_id="msg-1")


def esp_event(event_type, *, seconds=600, event_id=None, raw=None, **fields):
    fields.setdefault("message_id", "msg-1")
    fields.setdefault("recipient", "fatima@bakkerij-korenschoof.nl")
    return AnymailTrackingEvent(
        event_type=event_type,
        timestamp=SENT_AT + dt.timedelta(seconds=seconds),
        event_id=event_id,
        esp_event=raw if raw is not None else {"event": event_type, "seconds": seconds, **fields},
        **fields,
    )


def test_hard_bounce_suppresses_with_the_delivery_named(delivery):
    record_event(esp="Mailgun", event=esp_event("bounced", reject_reason="bounced", event_id="b1"))

    suppression = Suppression.objects.get()
    assert (suppression.email, suppression.reason, suppression.delivery) == (
        "fatima@bakkerij-korenschoof.nl",
        Suppression.Reason.HARD_BOUNCE,
        delivery,
    )


def test_soft_bounce_and_deferral_do_not_suppress(delivery):
    record_event(
        esp="Brevo", event=esp_event("bounced", reject_reason="bounced", raw={"event": "soft_bounce"})
    )
    record_event(esp="Mailgun", event=esp_event("deferred", event_id="d1"))

    assert DeliveryEvent.objects.count() == 2
    assert not Suppression.objects.exists()


def test_complaint_suppresses(delivery):
    record_event(esp="Postmark", event=esp_event("complained", event_id="c1"))

    assert Suppression.objects.get().reason == Suppression.Reason.COMPLAINT


def test_the_first_reason_to_suppress_is_kept(delivery):
    record_event(esp="Mailgun", event=esp_event("complained", event_id="c1"))
    record_event(esp="Mailgun", event=esp_event("bounced", reject_reason="bounced", event_id="b1"))

    assert Suppression.objects.get().reason == Suppression.Reason.COMPLAINT


def test_unsubscribe_at_the_esp_withdraws_consent_for_that_newsletter(delivery):
    fatima = make_person("Fatima", "Bouzid", email="fatima@bakkerij-korenschoof.nl")
    record_consent(
        person=fatima, topic=Consent.Topic.SERVICE_NEWSLETTER, granted=True, source=Consent.Source.STAFF
    )

    record_event(esp="MailerSend", event=esp_event("unsubscribed", event_id="u1"))

    newest = (
        fatima.consents.filter(topic=Consent.Topic.SERVICE_NEWSLETTER).order_by("-recorded_at", "-pk").first()
    )
    assert not newest.granted and newest.source == Consent.Source.UNSUBSCRIBE


def test_same_event_twice_is_stored_once_and_says_so(delivery):
    first = record_event(esp="Mailgun", event=esp_event("opened", event_id="o1", user_agent=READER))
    again = record_event(esp="Mailgun", event=esp_event("opened", event_id="o1", user_agent=READER))

    assert first is not None and again is None
    assert DeliveryEvent.objects.count() == 1


def test_same_event_id_at_two_esps_is_two_events(delivery):
    record_event(esp="Mailgun", event=esp_event("delivered", event_id="same"))
    record_event(esp="Postmark", event=esp_event("delivered", event_id="same"))

    assert DeliveryEvent.objects.count() == 2


def test_event_without_id_gets_a_stable_id_from_its_payload(delivery):
    record_event(esp="Brevo", event=esp_event("opened", user_agent=READER))
    record_event(esp="Brevo", event=esp_event("opened", user_agent=READER))
    record_event(esp="Brevo", event=esp_event("opened", seconds=900, user_agent=READER))

    assert DeliveryEvent.objects.count() == 2


def test_event_is_linked_by_our_delivery_id_when_the_message_id_is_unknown(delivery):
    record_event(
        esp="SparkPost",
        event=esp_event(
            "delivered", event_id="x", message_id="unknown", metadata={"delivery_id": str(delivery.pk)}
        ),
    )

    assert DeliveryEvent.objects.get().delivery == delivery


def test_event_of_an_unknown_message_is_kept_without_a_delivery(delivery):
    record_event(
        esp="Mailgun", event=esp_event("opened", event_id="x", message_id="elsewhere", user_agent=READER)
    )

    assert DeliveryEvent.objects.get().delivery is None


@pytest.mark.parametrize(
    ("user_agent", "seconds", "reason"),
    [
        ("Mozilla/5.0", 3600, "Apple Mail Privacy Protection"),
        (READER, 1, "opened on arrival"),
        ("Mozilla/5.0 (compatible; Barracuda Sentinel)", 3600, "scanner user agent"),
        (READER, 3600, ""),
    ],
)
def test_machine_opens_are_flagged(delivery, user_agent, seconds, reason):
    record_event(esp="Postmark", event=esp_event("opened", seconds=seconds, user_agent=user_agent))

    event = DeliveryEvent.objects.get()
    assert event.machine_reason == reason
    assert event.is_machine == bool(reason)


def test_esp_reported_machine_opens_are_flagged(delivery):
    record_event(esp="SendGrid", event=esp_event("opened", event_id="s1", raw={"sg_machine_open": True}))
    record_event(esp="Brevo", event=esp_event("opened", raw={"event": "proxy_open", "ts": 1}))

    assert set(DeliveryEvent.objects.values_list("is_machine", flat=True)) == {True}


def test_click_on_arrival_is_a_link_scanner(delivery):
    record_event(
        esp="Mailgun", event=esp_event("clicked", seconds=4, event_id="k1", click_url="https://a.example/")
    )

    assert DeliveryEvent.objects.get().machine_reason == "clicked on arrival"


def test_many_links_clicked_within_a_second_are_all_flagged(delivery):
    for n, url in enumerate(["https://a.example/", "https://b.example/", "https://c.example/"]):
        record_event(
            esp="Mailgun",
            event=esp_event("clicked", seconds=600, event_id=f"k{n}", click_url=url, user_agent=READER),
        )

    assert list(DeliveryEvent.objects.values_list("is_machine", flat=True)) == [True, True, True]


def test_a_reader_clicking_two_links_minutes_apart_is_a_reader(delivery):
    record_event(
        esp="Mailgun", event=esp_event("clicked", seconds=600, event_id="k1", click_url="https://a.example/")
    )
    record_event(
        esp="Mailgun", event=esp_event("clicked", seconds=780, event_id="k2", click_url="https://b.example/")
    )

    assert not DeliveryEvent.objects.filter(is_machine=True).exists()


def test_each_delivery_shows_what_became_of_it(delivery):
    other = make_delivery(delivery.send, "jan@cafe-de-zwaan.nl", message_id="msg-2")
    record_event(esp="Mailgun", event=esp_event("delivered", event_id="1"))
    record_event(esp="Mailgun", event=esp_event("opened", event_id="2", user_agent=READER))
    record_event(
        esp="Mailgun",
        event=esp_event("clicked", event_id="3", user_agent=READER, click_url="https://a.example/"),
    )
    record_event(
        esp="Mailgun",
        event=esp_event(
            "bounced", event_id="4", reject_reason="bounced", message_id="msg-2", recipient=other.email
        ),
    )

    outcomes = delivery_outcomes([delivery.pk, other.pk])

    assert outcomes == {delivery.pk: {"delivered", "opened", "clicked"}, other.pk: {"bounced"}}


def test_our_own_unsubscribe_link_is_counted_once_per_delivery(delivery):
    assert record_unsubscribe(delivery=delivery) is not None
    assert record_unsubscribe(delivery=delivery) is None

    assert DeliveryEvent.objects.get().event_type == "unsubscribed"
