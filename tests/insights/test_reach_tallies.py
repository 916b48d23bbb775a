"""Reach per send and segment is kept (insights.tallies) and must stay exact: after every way its
inputs can change, the board reads what the raw rows say, and `check()` finds nothing kept wrong.

The centre (tests/insights/conftest.py): six shops in the Marktstraat and two cafés in the
Kerkstraat, one person each, one newsletter to all eight; the shops' owners 0 and 1 opened it.
"""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm.merging import merge_people, undo_merge
from crm.models import MergeRecord, Organisation, Person, Role
from insights import tallies
from insights.models import ReachTally, ReachTallyBasis
from insights.queries import SegmentFilter, dashboard
from insights.tasks import refresh_reach
from keeping.retention import _delivery_events
from newsletter.esp_events import record_unsubscribe
from newsletter.models import Delivery, DeliveryEvent, Send, Suppression
from tests.builders import make_delivery, make_person
from tests.insights.conftest import ago

MARKT = SegmentFilter(street="Marktstraat")
# Five organisations at least, or the dashboard withholds the figures (no one may be singled out).
SHOPS = SegmentFilter(sector=Organisation.Sector.RETAIL_DAILY)


WHOLE = SegmentFilter()


def reach(period, segment=WHOLE):
    board = dashboard(period, segment)
    return {key: board.figure(key).value for key in ("sent", "open_rate", "unsubscribes")}


def owner(number: int) -> Person:
    """The owner of the n-th shop (0-5) or café (6-7) of the centre, in the order they were made."""
    return Person.objects.filter(roles__isnull=False).distinct().order_by("pk")[number]


def delivery_of(person: Person) -> Delivery:
    return Delivery.objects.get(person=person)


def open_event(delivery: Delivery, **fields) -> DeliveryEvent:
    return DeliveryEvent.objects.create(
        delivery=delivery,
        send_id=delivery.send_id,
        esp="test",
        event_id=f"late-open-{delivery.pk}-{fields.get('id', '')}",
        event_type=DeliveryEvent.Type.OPENED,
        timestamp=ago(1),
        recipient=delivery.email,
        **fields,
    )


def test_the_board_reads_kept_figures_the_second_time(centre):
    with CaptureQueriesContext(connection) as first:
        before = reach(centre, MARKT)
    assert before == {"sent": 6, "open_rate": round(100 * 2 / 6, 1), "unsubscribes": 0}
    # Kept for the street alone and the street per sector (the table beside the figures).
    assert set(ReachTallyBasis.objects.values_list("shape", flat=True)) == {
        tallies.STREET,
        tallies.STREET | tallies.SECTOR,
    }
    with CaptureQueriesContext(connection) as second:
        assert reach(centre, MARKT) == before
    # Nothing changed: no send is derived again, so the messages and events are not counted again.
    assert len(second) < len(first)
    assert not any(
        'newsletter_delivery"' in query["sql"] and "COUNT(DISTINCT" in query["sql"] for query in second
    )
    assert tallies.check() == []


def test_every_combination_of_street_sector_and_kind_is_kept_once_per_send(centre):
    call_command("reach_tallies", "--rebuild")
    rows = {(row.shape, row.street, row.sector, row.kind): row.sent for row in ReachTally.objects.all()}
    assert rows[(0, "", "", "")] == 8
    assert rows[(tallies.STREET, "marktstraat", "", "")] == 6
    assert rows[(tallies.SECTOR, "", Organisation.Sector.HORECA, "")] == 2
    assert rows[(tallies.STREET | tallies.SECTOR | tallies.KIND, "kerkstraat", "horeca", "ondernemer")] == 2
    # Any street written any way finds the same row (the filter ignores case).
    assert reach(centre, SegmentFilter(street="MARKTSTRAAT"))["sent"] == 6


def test_a_person_with_two_businesses_in_the_segment_counts_once(centre):
    # Owner 2's open was a privacy proxy's; owner 0 opened and clicked. Both also run shop 3.
    shop = Organisation.objects.get(roles__person=owner(3))
    for number in (0, 2):
        Role.objects.create(person=owner(number), organisation=shop)
    board = dashboard(centre, MARKT)
    assert board.figure("sent").value == 6
    assert board.figure("open_rate").value == round(100 * 2 / 6, 1)
    assert board.figure("click_rate").value == round(100 * 1 / 6, 1)
    assert "1 opening en 0 kliks door machines" in board.section("reach").notes[0]
    assert tallies.check() == []


def _an_open_arrives_days_later(centre):
    open_event(delivery_of(owner(3)))
    return MARKT, {"open_rate": 50.0}


def _an_event_committed_after_a_later_one(centre):
    # Two webhooks at once: the one that took the higher id commits first and is read, then the
    # other commits with a lower id. The number of events changes, so the send is derived again.
    highest = DeliveryEvent.objects.order_by("-pk").first().pk
    open_event(delivery_of(owner(5)), id=highest + 1000, is_machine=True)
    reach(centre, MARKT)
    open_event(delivery_of(owner(3)), id=highest + 1)
    return MARKT, {"open_rate": 50.0}


def _an_open_arrives_after_the_events_settled(centre):
    # Events older than a day are compared by the newest id alone (no counting a million rows).
    DeliveryEvent.objects.update(received_at=ago(3))
    reach(centre, MARKT)
    open_event(delivery_of(owner(3)))
    return MARKT, {"open_rate": 50.0}


def _someone_unsubscribes_through_our_link(centre):
    record_unsubscribe(delivery=delivery_of(owner(4)))
    return MARKT, {"unsubscribes": 1}


def _an_unsubscribe_suppression_is_lifted(centre):
    delivery = delivery_of(owner(4))
    suppression = Suppression.objects.create(
        email=delivery.email, reason=Suppression.Reason.UNSUBSCRIBED, delivery=delivery
    )
    assert reach(centre, MARKT)["unsubscribes"] == 1
    suppression.delete()
    return MARKT, {"unsubscribes": 0}


def _an_owner_moves_to_a_cafe(centre):
    role = Role.objects.get(person=owner(5))
    role.organisation = Organisation.objects.filter(street="Kerkstraat").first()
    role.save()
    return MARKT, {"sent": 5}


def _a_shop_moves_street_by_a_bulk_update(centre):
    # A queryset update sends no signal: the inputs are read from the rows, not told by writers.
    Organisation.objects.filter(roles__person=owner(5)).update(street="Nieuwstraat")
    return MARKT, {"sent": 5}


def _a_shop_becomes_a_cafe(centre):
    shop = Organisation.objects.get(roles__person=owner(0))
    shop.sector = Organisation.Sector.HORECA
    shop.save()
    return SHOPS, {"sent": 5, "open_rate": 20.0}


def _a_role_is_ended_by_deleting_it(centre):
    Role.objects.filter(person=owner(1)).delete()
    return MARKT, {"sent": 5, "open_rate": 20.0}


def _a_person_is_deleted(centre):
    owner(1).delete()
    return MARKT, {"sent": 5, "open_rate": 20.0}


def _a_duplicate_without_a_role(centre):
    """Before the first read: a second record of owner 0, without a role, that got the newsletter."""
    duplicate = make_person("Eigenaar", "dubbel", email="dubbel@example.nl")
    make_delivery(Send.objects.get(), "dubbel@example.nl", person=duplicate)


def _a_duplicate_without_a_role_is_merged(centre, staff):
    assert reach(centre, MARKT)["sent"] == 6 and reach(centre)["sent"] == 9
    merge_people(keep=owner(0), duplicate=Person.objects.get(last_name="dubbel"), user=staff)
    return MARKT, {"sent": 7}


def _a_merge_is_undone(centre, staff):
    _a_duplicate_without_a_role_is_merged(centre, staff)
    assert reach(centre, MARKT)["sent"] == 7
    undo_merge(merge=MergeRecord.objects.get(), user=staff)
    return MARKT, {"sent": 6}


def _the_retention_freezes_the_send(centre):
    Send.objects.update(finished_at=timezone.now() - dt.timedelta(days=800))
    _delivery_events(timezone.now() - dt.timedelta(days=400), dry_run=False)
    # Frozen totals know nobody's street: with a street chosen the send is left out.
    return MARKT, {"sent": 0, "open_rate": None}


WRITERS = [
    _an_open_arrives_days_later,
    _an_event_committed_after_a_later_one,
    _an_open_arrives_after_the_events_settled,
    _someone_unsubscribes_through_our_link,
    _an_unsubscribe_suppression_is_lifted,
    _an_owner_moves_to_a_cafe,
    _a_shop_moves_street_by_a_bulk_update,
    _a_shop_becomes_a_cafe,
    _a_role_is_ended_by_deleting_it,
    _a_person_is_deleted,
    _a_duplicate_without_a_role_is_merged,
    _a_merge_is_undone,
    _the_retention_freezes_the_send,
]


@pytest.mark.parametrize("change", WRITERS, ids=[writer.__name__.strip("_") for writer in WRITERS])
def test_after_every_change_of_its_inputs_the_board_reads_the_raw_rows(centre, sanne, change):
    merging = change in (_a_duplicate_without_a_role_is_merged, _a_merge_is_undone)
    if merging:
        _a_duplicate_without_a_role(centre)
    reach(centre)
    reach(centre, MARKT)
    reach(centre, SHOPS)
    assert tallies.check() == []
    if merging:
        segment, expected = change(centre, sanne)
    else:
        segment, expected = change(centre)
    figures = reach(centre, segment)
    assert {key: figures[key] for key in expected} == expected
    assert tallies.check() == []


def test_a_send_still_sending_is_counted_afresh_on_every_read(centre):
    send = Send.objects.get()
    Send.objects.filter(pk=send.pk).update(status=Send.Status.SENDING)
    queued = make_delivery(
        send,
        "nieuw@example.nl",
        person=make_person(
            "Nieuwe", "eigenaar", organisation=(Organisation.objects.filter(street="Marktstraat").first())
        ),
    )
    Delivery.objects.filter(pk=queued.pk).update(status=Delivery.Status.QUEUED)
    assert reach(centre, MARKT)["sent"] == 6
    assert not ReachTallyBasis.objects.exists()  # nothing kept for a send whose messages still go
    Delivery.objects.filter(pk=queued.pk).update(status=Delivery.Status.SENT)
    assert reach(centre, MARKT)["sent"] == 7
    Send.objects.filter(pk=send.pk).update(status=Send.Status.SENT)
    assert reach(centre, MARKT)["sent"] == 7
    assert ReachTallyBasis.objects.filter(send=send).exists()


def test_check_finds_a_kept_figure_that_is_wrong_and_rebuild_mends_it(centre, capsys):
    reach(centre, MARKT)
    ReachTally.objects.filter(shape=tallies.STREET, street="marktstraat").update(sent=60)
    assert reach(centre, MARKT)["sent"] == 60  # the inputs did not change: the kept row is read
    [difference] = tallies.check()
    assert "kept" in difference and "'sent': 60" in difference and "'sent': 6" in difference
    with pytest.raises(CommandError, match="1 differences"):
        call_command("reach_tallies", "--check")
    call_command("reach_tallies", "--rebuild")
    assert reach(centre, MARKT)["sent"] == 6
    call_command("reach_tallies", "--check")
    assert "exact" in capsys.readouterr().out


def test_a_crm_change_derives_the_segments_again_and_keeps_the_whole_centre(centre):
    reach(centre)
    reach(centre, MARKT)
    _an_owner_moves_to_a_cafe(centre)
    sends = list(Send.objects.all())
    assert tallies.fresh(sends, {0}) == []  # all recipients' figures know nobody's business
    assert tallies.fresh(sends, {tallies.STREET}) == [sends[0].pk]
    assert reach(centre, MARKT)["sent"] == 5


def test_beat_derives_what_a_crm_change_made_stale_before_the_board_reads(centre, settings):
    reach(centre)
    reach(centre, MARKT)
    send = Send.objects.get()
    _an_owner_moves_to_a_cafe(centre)
    entry = settings.CELERY_BEAT_SCHEDULE["insights-refresh-reach"]
    assert entry["task"] == refresh_reach.name
    assert refresh_reach.apply().get() == {"derived": [send.pk]}
    # The board's next read finds every shape it kept before as it is now: nothing left to derive.
    kept = set(ReachTallyBasis.objects.values_list("shape", flat=True))
    assert kept == {0, tallies.STREET, tallies.SECTOR, tallies.STREET | tallies.SECTOR}
    assert tallies.fresh([send], kept) == []
    assert reach(centre, MARKT)["sent"] == 5
    assert tallies.check() == []
    assert refresh_reach.apply().get() == {"derived": []}  # a round with nothing changed does nothing


def test_beat_leaves_a_send_still_sending_and_a_frozen_one_alone(centre):
    reach(centre, MARKT)
    send = Send.objects.get()
    Send.objects.filter(pk=send.pk).update(status=Send.Status.SENDING)
    _an_owner_moves_to_a_cafe(centre)
    assert refresh_reach.apply().get() == {"derived": []}
    Send.objects.filter(pk=send.pk).update(status=Send.Status.SENT)
    _the_retention_freezes_the_send(centre)
    assert refresh_reach.apply().get() == {"derived": []}
