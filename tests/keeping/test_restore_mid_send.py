"""A backup taken in the middle of a send, restored: nothing goes out twice without a person's decision."""

from collections import Counter

import pytest
from django.utils import timezone

from keeping import backups
from keeping.restore import after_restore
from newsletter import restore, services, tasks
from newsletter.models import Delivery, DeliveryEvent, Send
from newsletter.sending import prepared as sending_prepared
from newsletter.sending import worker as sending_worker
from tests.builders import audience, make_segment, make_staff
from tests.builders import published_newsletter as make_newsletter
from tests.services import Sink

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def smtp(settings):
    with Sink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        yield sink


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    """The worker's work is done by calling it here; nothing goes to a broker."""
    monkeypatch.setattr(tasks, "start_workers", lambda send_id: None)
    sending_prepared._prepared.clear()


def esp_reports_delivery(deliveries):
    """The ESP's webhook reports arriving after the restore for messages sent after the backup."""
    for delivery in deliveries:
        DeliveryEvent.objects.create(
            delivery=delivery,
            send_id=delivery.send_id,
            esp="mailgun",
            event_id=f"after-restore-{delivery.pk}",
            event_type=DeliveryEvent.Type.DELIVERED,
            timestamp=timezone.now(),
            recipient=delivery.email,
        )


def test_a_send_restored_from_a_backup_taken_mid_send_waits_for_a_person(
    backup_folder, smtp, settings, client
):
    settings.NEWSLETTER_BATCH_SIZE = 10
    audience(30)
    send = services.queue_send(make_newsletter(segments=[make_segment()]))
    assert sending_worker.send_next_batch(send.pk) == 10
    run = backups.make_backup()  # ten sent, twenty waiting
    sending_worker.work_on_send(send.pk, budget_seconds=30)  # the twenty leave after the backup
    assert len(smtp.recipients()) == 30

    backups.restore(backups.find_manifest(run.name))
    held = after_restore(backup_name=run.name)

    send.refresh_from_db()
    assert held.held_sends == [send.pk]
    assert send.status == Send.Status.PAUSED and send.held_after_restore == run.started_at
    # Neither the beat job nor a worker sends anything of a held send.
    assert tasks.dispatch_due_work() == []
    assert sending_worker.send_next_batch(send.pk) is None
    assert len(smtp.recipients()) == 30
    # A plain "resume" (an old form, a crafted POST) is refused: the person must choose.
    user = make_staff("carla", "Communicatie")
    client.force_login(user)
    url = f"/admin/newsletters/send/{send.newsletter_id}/"
    client.post(url, {"action": "resume"})
    send.refresh_from_db()
    assert send.status == Send.Status.PAUSED

    waiting = list(Delivery.objects.filter(send=send, status=Delivery.Status.QUEUED).order_by("pk"))
    assert len(waiting) == 20
    esp_reports_delivery(waiting[:12])

    screen = client.get(url).content.decode()
    assert "Vastgehouden na het terugzetten van een back-up" in screen
    assert "Volgens de back-up waren 20 berichten nog niet verstuurd" in screen
    assert "Voor 12 daarvan heeft de verzenddienst inmiddels een afleverbericht gemeld" in screen

    client.post(url, {"action": restore.Choice.RESUME_UNPROVEN})
    sending_worker.work_on_send(send.pk, budget_seconds=30)

    received = Counter(smtp.recipients())
    proven = {delivery.email for delivery in waiting[:12]}
    unproven = {delivery.email for delivery in waiting[12:]}
    # Those the ESP confirmed get nothing more; the eight without evidence get it again (the person's
    # choice, said on the screen); the ten sent before the backup are never touched.
    assert {address for address, count in received.items() if count == 2} == unproven
    assert all(received[address] == 1 for address in proven)
    assert sum(received.values()) == 38
    send.refresh_from_db()
    assert send.status == Send.Status.SENT and send.held_after_restore is None


def test_a_scheduled_send_that_fell_due_meanwhile_waits_and_a_later_one_keeps_its_time(db):
    audience(3)
    now = timezone.now()
    due = services.queue_send(
        make_newsletter(segments=[make_segment()]), at=now + timezone.timedelta(hours=1)
    )
    later = services.queue_send(
        make_newsletter(segments=[make_segment()]), at=now + timezone.timedelta(days=3)
    )

    held = restore.hold_after_restore(backup_taken_at=now, now=now + timezone.timedelta(hours=2))

    assert held == [due.pk]
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == Send.Status.PAUSED and due.held_after_restore == now
    assert later.status == Send.Status.SCHEDULED and later.held_after_restore is None
    # Cancelling is one of the choices.
    assert restore.release_hold(due, choice=restore.Choice.CANCEL) == 3
    due.refresh_from_db()
    assert due.status == Send.Status.CANCELLED
