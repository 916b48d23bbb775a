"""What lets a send reach a million: the deliveries written in the database in one statement, and
the progress read from counts the database keeps (PostgreSQL), both exact."""

from django.db.models import Count

from crm.models import EmailAddress
from newsletter import services
from newsletter.models import Delivery, Suppression
from newsletter.queries.audience import recipients
from newsletter.queries.sending import progress
from newsletter.sending import worker as sending_worker
from tests.builders import audience, make_segment, published_newsletter, subscriber
from tests.newsletter.test_sending import anymail_backend, no_broker  # noqa: F401 (fixtures)


def test_queuing_writes_exactly_the_recipients_the_send_screen_shows(db):
    one = subscriber("Een", "Info@Zaak.nl")
    subscriber("Twee", "info@zaak.nl")  # the same address: one message, to the first person
    EmailAddress.objects.create(person=one, email="prive@zaak.nl", is_primary=False)
    subscriber("Drie", "drie@zaak.nl")
    subscriber("Vier", "vier@zaak.nl")
    Suppression.objects.create(email="VIER@zaak.nl", reason=Suppression.Reason.HARD_BOUNCE)
    page = published_newsletter(segments=[make_segment()])

    send = services.queue_send(page)

    queued = sorted(Delivery.objects.filter(send=send).values_list("email", "person_id"))
    assert queued == sorted((recipient.email, recipient.person_id) for recipient in recipients(page))
    assert queued == [("drie@zaak.nl", queued[0][1]), ("info@zaak.nl", one.pk)]


def test_the_progress_follows_every_change_of_the_deliveries(db, anymail_backend, settings):  # noqa: F811
    settings.NEWSLETTER_BATCH_SIZE = 2
    addresses = audience(6)
    send = services.queue_send(published_newsletter(segments=[make_segment()]))

    def counted():
        rows = Delivery.objects.filter(send=send).values_list("status").annotate(n=Count("pk")).order_by()
        found = {status: 0 for status in Delivery.Status.values} | dict(rows)
        return found | {"total": sum(found.values())}

    assert progress(send) == counted() and progress(send)["queued"] == 6
    sending_worker.send_next_batch(send.pk)
    services.unsubscribe(email=addresses[-1], delivery=Delivery.objects.get(send=send, email=addresses[-1]))
    assert progress(send) == counted() and (progress(send)["sent"], progress(send)["skipped"]) == (2, 1)
    services.cancel_send(send)
    assert progress(send) == counted() and progress(send)["cancelled"] == 3
    Delivery.objects.filter(send=send, status=Delivery.Status.CANCELLED).delete()
    assert progress(send) == counted() and progress(send)["total"] == 3
