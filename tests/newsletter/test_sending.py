"""The sending pipeline in one process: queue, claim, send, retry, fail, pause, cancel, schedule, reap.

Messages go through anymail's test backend or a real SMTP server on loopback (aiosmtpd).
"""

from datetime import timedelta

import pytest
from anymail.exceptions import AnymailAPIError
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm.models import Consent
from crm.services import record_consent
from newsletter import services, tasks
from newsletter.models import Delivery, Send, Suppression
from newsletter.sending import claims as sending_claims
from newsletter.sending import prepared as sending_prepared
from newsletter.sending import rate as sending_rate
from newsletter.sending import worker as sending_worker
from tests.builders import audience, make_segment, published_newsletter, subscriber
from tests.services import Sink

ANYMAIL_TEST = "anymail.backends.test.EmailBackend"
REAL_START_WORKERS = tasks.start_workers


@pytest.fixture
def anymail_backend(settings):
    settings.EMAIL_BACKEND = ANYMAIL_TEST
    mail.outbox = []
    return mail.outbox


@pytest.fixture
def smtp(settings):
    with Sink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        yield sink


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    """Tasks are run by calling the services here; nothing goes to a broker."""
    started = []
    monkeypatch.setattr(tasks, "start_workers", started.append)
    sending_prepared._prepared.clear()
    return started


def statuses(send):
    return dict(Delivery.objects.filter(send=send).values_list("email", "status"))


def test_a_newsletter_without_approval_is_refused(db):
    subscriber("Fatima", "fatima@zaak.nl")
    page = published_newsletter(segments=[make_segment()], approve=False)
    with pytest.raises(services.SendRefused, match="goedgekeurde versie"):
        services.queue_send(page)
    assert not Send.objects.exists()


def test_queuing_freezes_the_approved_revision_and_makes_one_delivery_per_recipient(db):
    addresses = audience(5)
    page = published_newsletter(segments=[make_segment()])
    approved = page.get_latest_revision()
    page.subject = "Een latere, niet goedgekeurde versie"
    page.save_revision()

    with pytest.raises(services.SendRefused):
        services.queue_send(page)  # the latest revision is not the approved one

    page.subject = "Nieuws uit het centrum"
    revision = page.save_revision()
    from newsletter.models import NewsletterApproval

    NewsletterApproval.objects.create(revision=revision)
    send = services.queue_send(page)
    assert send.revision_id == revision.pk != approved.pk
    assert send.status == Send.Status.QUEUED
    assert sorted(statuses(send)) == sorted(addresses)
    assert set(statuses(send).values()) == {"queued"}
    with pytest.raises(services.SendRefused, match="al verzonden"):
        services.queue_send(page)


def test_every_recipient_gets_one_personal_message_with_one_click_unsubscribe(db, anymail_backend):
    addresses = audience(3)
    send = services.queue_send(published_newsletter(segments=[make_segment()]))

    assert sending_worker.work_on_send(send.pk) is False

    send.refresh_from_db()
    assert send.status == Send.Status.SENT and send.finished_at is not None
    assert sorted(message.to[0] for message in anymail_backend) == sorted(addresses)
    for message in anymail_backend:
        unsubscribe = message.extra_headers["List-Unsubscribe"]
        assert (
            unsubscribe.startswith("<http://testserver/nieuwsbrief/afmelden/") and "/direct/>" in unsubscribe
        )
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "%%" not in message.body and "%%" not in message.alternatives[0][0]
        assert "/nieuwsbrief/afmelden/" in message.body
    tokens = {message.extra_headers["List-Unsubscribe"] for message in anymail_backend}
    assert len(tokens) == 3  # signed per recipient
    deliveries = Delivery.objects.filter(send=send)
    assert {d.status for d in deliveries} == {"sent"}
    assert all(d.sent_at and d.esp_message_id != "" for d in deliveries)


def test_over_smtp_one_connection_serves_a_batch(db, smtp, settings):
    settings.NEWSLETTER_BATCH_SIZE = 10
    addresses = audience(25)
    send = services.queue_send(published_newsletter(segments=[make_segment()]))

    sending_worker.work_on_send(send.pk)

    assert sorted(smtp.recipients()) == sorted(addresses)
    assert len({message["List-Unsubscribe"] for _to, message in smtp.messages}) == 25
    assert all(
        message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for _to, message in smtp.messages
    )
    assert len(smtp.peers()) == 3  # batches of 10, 10 and 5
    ids = set(Delivery.objects.filter(send=send).values_list("esp_message_id", flat=True))
    assert ids == {message["Message-ID"] for _to, message in smtp.messages}


def test_a_permanent_rejection_fails_that_delivery_with_its_reason_and_the_rest_goes_out(db, smtp):
    audience(3)
    subscriber("Weg", "bestaat-niet@zaak.nl")
    smtp.refuse.add("bestaat-niet@zaak.nl")
    send = services.queue_send(published_newsletter(segments=[make_segment()]))

    sending_worker.work_on_send(send.pk)

    failed = Delivery.objects.get(send=send, email="bestaat-niet@zaak.nl")
    assert failed.status == "failed" and "550" in failed.error
    assert Delivery.objects.filter(send=send, status="sent").count() == 3
    send.refresh_from_db()
    assert send.status == Send.Status.SENT


def test_a_temporary_refusal_is_retried_later_with_backoff(db, smtp):
    audience(2)
    subscriber("Vol", "vol@zaak.nl")
    smtp.tempfail.add("vol@zaak.nl")
    send = services.queue_send(published_newsletter(segments=[make_segment()]))

    sending_worker.work_on_send(send.pk)

    waiting = Delivery.objects.get(send=send, email="vol@zaak.nl")
    assert waiting.status == "queued" and "451" in waiting.error
    assert waiting.not_before > timezone.now() + timedelta(seconds=20)
    assert Delivery.objects.filter(send=send, status="sent").count() == 2
    assert sending_worker.send_next_batch(send.pk) is None  # not due yet
    send.refresh_from_db()
    assert send.status == Send.Status.SENDING

    smtp.tempfail.clear()
    Delivery.objects.filter(pk=waiting.pk).update(not_before=timezone.now() - timedelta(seconds=1))
    sending_worker.work_on_send(send.pk)
    waiting.refresh_from_db()
    assert waiting.status == "sent" and waiting.attempts == 2
    assert sorted(smtp.recipients()).count("vol@zaak.nl") == 1


def test_an_esp_outage_puts_the_batch_back_and_the_delays_grow(db, anymail_backend, monkeypatch, settings):
    audience(3)
    send = services.queue_send(published_newsletter(segments=[make_segment()]))

    def outage(self, payload, message):
        raise AnymailAPIError("Service unavailable", status_code=503)

    from anymail.backends.test import EmailBackend

    monkeypatch.setattr(EmailBackend, "post_to_esp", outage)
    sending_worker.work_on_send(send.pk)
    first = Delivery.objects.filter(send=send).first()
    assert first.status == "queued" and first.attempts == 1
    first_delay = first.not_before - timezone.now()

    Delivery.objects.filter(send=send).update(not_before=None)
    sending_worker.work_on_send(send.pk)
    first.refresh_from_db()
    assert first.attempts == 2
    assert first.not_before - timezone.now() > first_delay + timedelta(seconds=20)

    settings.NEWSLETTER_MAX_ATTEMPTS = 3
    Delivery.objects.filter(send=send).update(not_before=None)
    sending_worker.work_on_send(send.pk)
    assert set(statuses(send).values()) == {"failed"}
    assert "Service unavailable" in Delivery.objects.filter(send=send).first().error


def test_pause_stops_claiming_resume_continues_cancel_stops_the_rest(db, anymail_backend, no_broker):
    audience(4)
    send = services.queue_send(published_newsletter(segments=[make_segment()]))

    assert services.pause_send(send)
    assert sending_worker.send_next_batch(send.pk) is None
    assert anymail_backend == []

    assert services.resume_send(send)
    send.refresh_from_db()
    assert send.status == Send.Status.QUEUED
    sending_claims.claim_batch(send.pk, size=1)  # one message in flight when cancelled
    assert services.cancel_send(send) == 3
    sending_worker.work_on_send(send.pk)
    assert anymail_backend == []
    send.refresh_from_db()
    assert send.status == Send.Status.CANCELLED
    assert sorted(statuses(send).values()) == ["cancelled", "cancelled", "cancelled", "sending"]


def test_a_send_paused_in_the_middle_of_a_batch_gives_the_rest_back(db, anymail_backend, monkeypatch):
    audience(5)
    send = services.queue_send(published_newsletter(segments=[make_segment()]))
    monkeypatch.setattr(sending_worker.BatchSender, "STATUS_CHECK_SECONDS", 0)
    original = sending_worker.BatchSender.record

    def record_then_pause(self, row, message):
        original(self, row, message)
        if len(anymail_backend) == 2:
            services.pause_send(send)

    monkeypatch.setattr(sending_worker.BatchSender, "record", record_then_pause)
    sending_worker.work_on_send(send.pk)

    assert len(anymail_backend) == 2
    assert sorted(statuses(send).values()) == ["queued", "queued", "queued", "sent", "sent"]
    assert not Delivery.objects.filter(send=send, status="queued").exclude(claimed_by="").exists()


def test_consent_withdrawn_or_an_address_suppressed_after_queuing_is_skipped(db, anymail_backend):
    audience(2)
    gone = subscriber("Weg", "weg@zaak.nl")
    subscriber("Bounce", "bounce@zaak.nl")
    send = services.queue_send(published_newsletter(segments=[make_segment()]))
    record_consent(
        person=gone, topic=Consent.Topic.SERVICE_NEWSLETTER, granted=False, source=Consent.Source.PORTAL
    )
    Suppression.objects.create(email="bounce@zaak.nl", reason=Suppression.Reason.HARD_BOUNCE)

    sending_worker.work_on_send(send.pk)

    assert statuses(send)["weg@zaak.nl"] == statuses(send)["bounce@zaak.nl"] == "skipped"
    assert len(anymail_backend) == 2


def test_a_scheduled_send_waits_in_the_database_until_beat_finds_it_due(db, no_broker):
    audience(2)
    at = timezone.now() + timedelta(hours=2)
    send = services.queue_send(published_newsletter(segments=[make_segment()]), at=at)
    assert send.status == Send.Status.SCHEDULED
    assert no_broker == []

    assert tasks.dispatch_due_work(now=at - timedelta(minutes=1)) == []
    send.refresh_from_db()
    assert send.status == Send.Status.SCHEDULED

    assert tasks.dispatch_due_work(now=at + timedelta(seconds=5)) == [send.pk]
    send.refresh_from_db()
    assert send.status == Send.Status.QUEUED
    assert no_broker == [send.pk]


def test_the_reaper_hands_back_what_a_dead_worker_claimed_and_leaves_live_claims(db, no_broker):
    audience(4)
    send = services.queue_send(published_newsletter(segments=[make_segment()]))
    _token, dead = sending_claims.claim_batch(send.pk, size=2, now=timezone.now() - timedelta(minutes=5))
    _token, alive = sending_claims.claim_batch(send.pk, size=2)

    tasks.dispatch_due_work()

    assert {row.email for row in dead} == set(
        Delivery.objects.filter(send=send, status="queued").values_list("email", flat=True)
    )
    assert Delivery.objects.filter(send=send, status="sending").count() == len(alive) == 2
    assert no_broker == []  # a worker claimed a batch just now: it is being worked on

    # Half a minute without a claim: beat hands the send to the workers again.
    tasks.dispatch_due_work(now=timezone.now() + timedelta(seconds=40))
    assert no_broker == [send.pk]
    assert Delivery.objects.filter(send=send, status="sending").count() == 2


def test_two_claims_never_share_a_row(db):
    audience(5)
    send = services.queue_send(published_newsletter(segments=[make_segment()]))
    _a, first = sending_claims.claim_batch(send.pk, size=3)
    _b, second = sending_claims.claim_batch(send.pk, size=3)
    _c, third = sending_claims.claim_batch(send.pk, size=3)
    assert len(first) == 3 and len(second) == 2 and third == []
    assert not {row.delivery_id for row in first} & {row.delivery_id for row in second}


def test_rendered_once_per_send_and_about_one_query_per_message(db, anymail_backend, monkeypatch, settings):
    settings.NEWSLETTER_BATCH_SIZE = 20
    calls = []
    original = sending_prepared.render_newsletter
    monkeypatch.setattr(
        sending_prepared, "render_newsletter", lambda *a, **k: calls.append(1) or original(*a, **k)
    )

    def queries_for(count):
        audience(count, domain=f"n{count}.nl")
        Send.objects.update(status=Send.Status.SENT)
        send = services.queue_send(published_newsletter(segments=[make_segment(streets=["Marktstraat"])]))
        with CaptureQueriesContext(connection) as captured:
            sending_worker.work_on_send(send.pk)
        assert (
            Delivery.objects.filter(send=send, status="sent").count()
            == Send.objects.get(pk=send.pk).deliveries.count()
        )
        return len(captured), send.deliveries.count()

    small, small_count = queries_for(20)
    large, large_count = queries_for(80)
    per_message = (large - small) / (large_count - small_count)
    # one UPDATE per message, plus a fixed dozen per batch of 20 (claim, checks, status)
    assert per_message <= 1 + 12 / 20, (small, large)
    assert len(calls) == 2  # once for each send, not per batch or per message


def test_an_esp_with_batch_sending_gets_one_call_per_batch_with_merge_data(db, anymail_backend, settings):
    settings.NEWSLETTER_BATCH_SEND = True
    settings.NEWSLETTER_BATCH_SIZE = 50
    addresses = audience(4)
    send = services.queue_send(published_newsletter(segments=[make_segment()]))

    sending_worker.work_on_send(send.pk)

    assert len(anymail_backend) == 1
    message = anymail_backend[0]
    assert sorted(message.to) == sorted(addresses)
    params = message.anymail_test_params
    assert params["is_batch_send"]
    assert set(params["merge_data"]) == set(addresses)
    assert "/nieuwsbrief/afmelden/" in params["merge_data"][addresses[0]]["unsubscribe_url"]
    assert "{{unsubscribe_url}}" in message.body  # the ESP fills in each recipient's own link
    assert set(statuses(send).values()) == {"sent"}


def test_the_rate_limit_paces_messages_and_keeps_batches_short(settings, monkeypatch):
    settings.CELERY_BROKER_URL = "filesystem://"  # without Redis each process paces itself
    slept = []
    clock = [100.0]
    monkeypatch.setattr(sending_rate.time, "monotonic", lambda: clock[0])

    def sleep(seconds):
        slept.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr(sending_rate.time, "sleep", sleep)
    limiter = sending_rate.RateLimiter(20)
    for _message in range(5):
        limiter.wait()
    assert sum(slept) == pytest.approx(4 / 20)  # the first goes at once, then one every 1/20 s

    settings.NEWSLETTER_RATE_LIMIT, settings.NEWSLETTER_BATCH_SIZE = 2, 100
    assert sending_rate.batch_size() == 10  # about five seconds of work per claim


def test_a_broker_that_is_down_does_not_lose_the_send(db, monkeypatch, no_broker):
    from newsletter import tasks

    audience(2)
    send = services.queue_send(published_newsletter(segments=[make_segment()]))

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.send_newsletter_batches, "apply_async", broker_down)
    REAL_START_WORKERS(send.pk)  # logs the failure instead of failing the user's request

    tasks.dispatch_due_work(now=timezone.now() + timedelta(minutes=1))
    assert no_broker == [send.pk]  # beat hands it to the workers again
    assert Delivery.objects.filter(send=send, status="queued").count() == 2


def test_each_message_is_marked_sent_with_its_own_message_id(db, smtp):
    audience(12)
    send = services.queue_send(published_newsletter(segments=[make_segment()]))

    with CaptureQueriesContext(connection) as captured:
        sending_worker.work_on_send(send.pk)

    marks = [
        q
        for q in captured
        if q["sql"].startswith('UPDATE "newsletter_delivery" SET "status"') and "'sent'" in q["sql"]
    ]
    assert len(marks) == 12  # one per message: a killed worker repeats at most the one in flight
    by_recipient = {to[0]: message["Message-ID"] for to, message in smtp.messages}
    stored = dict(Delivery.objects.filter(send=send).values_list("email", "esp_message_id"))
    assert stored == by_recipient
