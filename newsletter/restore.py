"""What a restore from a backup means for sending: nothing goes out twice without a person's decision.

A backup taken during a send holds deliveries as "queued" that were sent after it. Restored as
they are, the workers would send them again. So a restore (keeping.restore.after_restore) holds
every send that was in progress, or due, and was not finished: it is paused with the backup's time
on it, and its send screen says why and what is known. A person then chooses:

- resume: send every message the restored database has as not sent (some readers may get it twice);
- resume only for recipients without a later delivery event: messages the ESP reported on after
  the backup (delivered, bounced, opened, …: proof they left) are marked sent, the rest go out;
- cancel.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from newsletter import services
from newsletter.models import Delivery, DeliveryEvent, Send

UNSENT = (Delivery.Status.QUEUED, Delivery.Status.SENDING)
# Events that prove a message left: the ESP accepted, delivered, deferred, bounced or saw it read.
PROOF = (
    DeliveryEvent.Type.SENT,
    DeliveryEvent.Type.DELIVERED,
    DeliveryEvent.Type.DEFERRED,
    DeliveryEvent.Type.BOUNCED,
    DeliveryEvent.Type.OPENED,
    DeliveryEvent.Type.CLICKED,
    DeliveryEvent.Type.COMPLAINED,
    DeliveryEvent.Type.UNSUBSCRIBED,
    DeliveryEvent.Type.AUTORESPONDED,
)


def hold_after_restore(*, backup_taken_at: datetime, now: datetime | None = None) -> list[int]:
    """Pause every unfinished send that could have sent after the backup; the ids of those held.

    Held: sends queued or sending, sends paused by a person (someone may have resumed them after
    the backup), and scheduled sends whose time has come. Scheduled sends still in the future wait
    as they are. Claims of workers that no longer exist go back to the queue.
    """
    now = now or timezone.now()
    unsent = Delivery.objects.filter(send=OuterRef("pk"), status__in=UNSENT)
    candidates = Send.objects.filter(Exists(unsent)).filter(
        status__in=[Send.Status.QUEUED, Send.Status.SENDING, Send.Status.PAUSED]
    ) | Send.objects.filter(status=Send.Status.SCHEDULED, scheduled_at__lte=now)
    with transaction.atomic():
        held = list(candidates.values_list("pk", flat=True))
        Send.objects.filter(pk__in=held).update(
            status=Send.Status.PAUSED, held_after_restore=backup_taken_at, worked_at=None
        )
        Delivery.objects.filter(send_id__in=held, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.QUEUED, claimed_by="", claimed_at=None
        )
    return held


def _proven(send: Send):
    """Unsent deliveries of a held send that an ESP event after the backup shows did leave."""
    later = DeliveryEvent.objects.filter(
        delivery=OuterRef("pk"), event_type__in=PROOF, timestamp__gte=send.held_after_restore
    )
    return Delivery.objects.filter(send=send, status__in=UNSENT).filter(Exists(later))


def hold_evidence(send: Send) -> dict:
    """What the send screen tells about a held send (two queries)."""
    return {
        "backup_taken_at": send.held_after_restore,
        "unsent": Delivery.objects.filter(send=send, status__in=UNSENT).count(),
        "proven_sent": _proven(send).count(),
    }


class Choice:
    RESUME = "resume_all"
    RESUME_UNPROVEN = "resume_unproven"
    CANCEL = "cancel"


def release_hold(send: Send, *, choice: str) -> int:
    """A person's decision on a held send. Returns how many messages were marked sent (proven
    by ESP events) or cancelled, depending on the choice."""
    send.refresh_from_db()
    if send.held_after_restore is None:
        return 0
    with transaction.atomic():
        changed = 0
        if choice == Choice.RESUME_UNPROVEN:
            proven = list(_proven(send).values_list("pk", flat=True))
            changed = Delivery.objects.filter(pk__in=proven).update(
                status=Delivery.Status.SENT,
                sent_at=timezone.now(),
                error=_("Sent before the restore: the ESP reported on it after the backup."),
            )
        Send.objects.filter(pk=send.pk).update(held_after_restore=None)
        if choice == Choice.CANCEL:
            changed = services.cancel_send(send)
        else:
            services.resume_send(send)
    return changed
