"""A newsletter's results computed from known events, in a fixed number of queries."""

import datetime as dt

import pytest
from django.utils import timezone

from newsletter.models import DeliveryEvent, Suppression
from newsletter.queries.stats import delivery_outcomes, recent_results, send_results
from tests.builders import make_delivery, make_send

pytestmark = pytest.mark.django_db

SENT_AT = timezone.make_aware(dt.datetime(2026, 11, 2, 9, 0))


def event(delivery, event_type, minutes, *, url="", machine=False, hard=False, n=[0]):  # noqa: B006
    n[0] += 1
    return DeliveryEvent(
        delivery=delivery,
        send=delivery.send,
        esp="Mailgun",
        event_id=f"evt-{n[0]}",
        event_type=event_type,
        timestamp=SENT_AT + dt.timedelta(minutes=minutes),
        recipient=delivery.email,
        url=url,
        is_machine=machine,
        machine_reason="test" if machine else "",
        is_hard_bounce=hard,
    )


@pytest.fixture
def november_issue():
    """Ten deliveries: 9 delivered, 1 hard bounce; 4 people open (one also via Apple's proxy), 2 click."""
    send = make_send("November", sent_at=SENT_AT)
    people = [make_delivery(send, f"lezer{i}@example.nl", sent_at=SENT_AT) for i in range(10)]
    rows = [event(d, "delivered", 1) for d in people[:9]]
    rows.append(event(people[9], "bounced", 1, hard=True))
    rows += [event(people[0], "opened", 30), event(people[0], "opened", 90), event(people[1], "opened", 70)]
    rows += [event(people[2], "opened", 65), event(people[3], "opened", 200)]
    rows.append(event(people[4], "opened", 0, machine=True))  # Apple MPP prefetch: not a reader
    agenda, parkeren = "https://stadshart.example/agenda/", "https://stadshart.example/parkeren/"
    rows += [event(people[0], "clicked", 31, url=agenda), event(people[0], "clicked", 95, url=agenda)]
    rows += [event(people[1], "clicked", 71, url=parkeren)]
    rows.append(event(people[5], "clicked", 0, url=agenda, machine=True))  # a link scanner
    rows.append(event(people[6], "complained", 300))
    rows.append(event(people[7], "unsubscribed", 310))
    DeliveryEvent.objects.bulk_create(rows)
    # Someone left through our own unsubscribe link (a suppression naming the delivery).
    Suppression.objects.create(
        email=people[8].email, reason=Suppression.Reason.UNSUBSCRIBED, delivery=people[8]
    )
    return send, people


def test_results_count_people_not_events_and_leave_out_machines(november_issue):
    send, _ = november_issue

    results = send_results(send)

    assert results.sent == 10
    assert results.delivered == 9
    assert results.bounced == 1 and results.hard_bounced == 1
    assert results.bounce_rate == 10.0
    assert results.unique_opens == 4
    assert results.machine_opens == 1
    assert results.open_rate == 44.4  # 4 of 9 delivered
    assert results.unique_clicks == 2
    assert results.machine_clicks == 1
    assert results.complaints == 1
    assert results.unsubscribes == 2  # one at the ESP, one through our link


def test_clicks_per_link_are_counted_per_person(november_issue):
    send, _ = november_issue

    links = send_results(send).links

    assert [(link.url, link.clicks, link.unique_clicks) for link in links] == [
        ("https://stadshart.example/agenda/", 2, 1),
        ("https://stadshart.example/parkeren/", 1, 1),
    ]


def test_timeline_has_hourly_buckets_with_human_opens_and_clicks(november_issue):
    send, _ = november_issue

    results = send_results(send)

    assert results.bucket == "hour"
    by_hour = {bucket.start.hour: (bucket.opens, bucket.clicks) for bucket in results.timeline}
    # Sent at 09:00 local time: one open and click at 09:3x, three opens and two clicks at 10:xx.
    assert by_hour[9] == (1, 1)
    assert by_hour[10] == (3, 2)
    assert by_hour[11] == (0, 0)  # empty hours are there too, so the chart's time axis is even
    assert by_hour[12] == (1, 0)
    assert sum(bucket.opens for bucket in results.timeline) == 5
    assert sum(bucket.clicks for bucket in results.timeline) == 3


def test_results_of_one_send_take_a_fixed_number_of_queries(november_issue, django_assert_num_queries):
    send, _ = november_issue
    with django_assert_num_queries(5):
        send_results(send)

    more = make_send("December", sent_at=SENT_AT)
    many = [make_delivery(more, f"veel{i}@example.nl", sent_at=SENT_AT) for i in range(40)]
    DeliveryEvent.objects.bulk_create([event(d, "opened", i) for i, d in enumerate(many)])
    with django_assert_num_queries(5):
        send_results(more)


def test_overview_lists_sends_with_their_numbers_in_three_queries(november_issue, django_assert_num_queries):
    send, _ = november_issue
    make_send("Oktober", sent_at=SENT_AT - dt.timedelta(days=30))

    with django_assert_num_queries(4):
        overview = recent_results()

    november = next(item for item in overview if item.send == send)
    assert (november.sent, november.delivered, november.unique_opens, november.unsubscribes) == (10, 9, 4, 2)
    assert len(overview) == 2


def test_delivery_outcomes_per_delivery(november_issue):
    _, people = november_issue

    outcomes = delivery_outcomes([people[0].pk, people[4].pk, people[9].pk])

    assert outcomes[people[0].pk] == {"delivered", "opened", "clicked"}
    assert outcomes[people[4].pk] == {"delivered"}  # the proxy's open is not the reader's
    assert outcomes[people[9].pk] == {"bounced"}
