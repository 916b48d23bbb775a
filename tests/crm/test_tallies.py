"""The contact tallies behind the board's dashboard stay exact on every way contacts, their
organisations, an organisation's street, sector or kind, or a staff account change; a failed write
leaves them as they were; `manage.py tallies` finds and mends a difference."""

import datetime as dt
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from crm import services, tallies
from crm.merging import merge_organisations, undo_merge
from crm.models import ContactSpan, ContactTally, Interaction
from insights.queries import Period, dashboard
from insights.queries.period import CUSTOM
from insights.queries.shapes import SegmentFilter
from tests.builders import make_organisation, make_staff
from tests.crm.test_import import csv_bytes, run, shop

pytestmark = pytest.mark.django_db


def days_ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def last_60_days() -> Period:
    today = timezone.localdate()
    return Period.of(CUSTOM, start=today - dt.timedelta(days=59), end=today)


def visits(segment: SegmentFilter | None = None) -> int:
    return dashboard(last_60_days(), segment).figure("visits").value


def coverage(segment: SegmentFilter | None = None) -> float | None:
    return dashboard(last_60_days(), segment).figure("coverage").value


def log(staff, *organisations, days: float = 3, kind=Interaction.Kind.VISIT):
    return services.log_interaction(
        staff=staff, organisations=list(organisations), kind=kind, occurred_at=days_ago(days)
    ).interaction


@pytest.fixture
def street(db):
    """Six bakeries and six cafés on the Markt (a filter shows groups of five or more)."""
    bakeries = [make_organisation(f"Bakker {i}", street="Markt", sector="retail_dagelijks") for i in range(6)]
    cafes = [make_organisation(f"Café {i}", street="Markt", sector="horeca") for i in range(6)]
    return bakeries, cafes


def test_a_logged_visit_counts_at_once_for_the_centre_its_street_and_its_sector(sanne, street):
    bakeries, cafes = street
    log(sanne, bakeries[0])
    log(sanne, cafes[0], cafes[1])  # one visit to two cafés is one visit
    log(sanne, bakeries[1], cafes[2])  # and one to a bakery with a café counts for both sectors

    assert visits() == 3
    assert visits(SegmentFilter(street="markt")) == 3  # the filter ignores case, as before
    assert visits(SegmentFilter(sector="horeca")) == 2
    assert visits(SegmentFilter(sector="retail_dagelijks")) == 2
    assert visits(SegmentFilter(street="Markt", sector="horeca", kind="ondernemer")) == 2
    assert coverage(SegmentFilter(street="Markt")) == 41.7  # 5 of the 12 businesses
    assert tallies.check() == []


def test_a_members_report_is_not_a_staff_contact(sanne, street):
    bakeries, _cafes = street
    Interaction.objects.create(kind=Interaction.Kind.REPORT, occurred_at=days_ago(1)).organisations.add(
        bakeries[0]
    )
    assert ContactTally.objects.count() == 0 and ContactSpan.objects.count() == 0
    assert tallies.check() == []


def test_a_changed_sector_moves_the_contacts_history_with_the_business(sanne, street):
    bakeries, cafes = street
    log(sanne, bakeries[0], days=40)
    log(sanne, bakeries[0], days=2)
    assert visits(SegmentFilter(sector="horeca")) == 0

    bakeries[0].sector = "horeca"  # the admin's edit screen saves the model the same way
    bakeries[0].save()

    assert visits(SegmentFilter(sector="horeca")) == 2
    assert visits(SegmentFilter(sector="retail_dagelijks")) == 0
    assert tallies.check() == []


def test_an_import_that_fills_in_a_sector_moves_the_contacts_too(sanne, street):
    known = make_organisation("Winkel 1", kvk_number="40000001", postcode="4811 AB", sector="")
    log(sanne, known)
    assert visits(SegmentFilter(sector="horeca")) == 0

    batch = run(csv_bytes([shop(1)]), user=sanne)  # the same business, now with its sector

    known.refresh_from_db()
    assert (batch.matched_count, known.sector) == (1, "horeca")
    assert visits(SegmentFilter(sector="horeca")) == 1
    assert tallies.check() == []


def test_contacts_removed_from_a_business_or_deleted_leave_the_counts(sanne, street):
    bakeries, cafes = street
    one = log(sanne, bakeries[0], bakeries[1])
    two = log(sanne, cafes[0])
    three = log(sanne, cafes[1])

    one.organisations.remove(bakeries[1])
    assert tallies.check() == []
    cafes[0].interactions.clear()  # from the organisation's side
    assert visits(SegmentFilter(sector="horeca")) == 1
    assert tallies.check() == []
    two.organisations.add(cafes[3])
    assert tallies.check() == []
    three.delete()
    assert visits() == 2
    assert tallies.check() == []


def test_deleting_a_business_or_a_staff_account_keeps_the_counts_exact(sanne, marloes, street):
    bakeries, cafes = street
    log(sanne, bakeries[0], cafes[0])
    log(marloes, cafes[1])

    cafes[0].delete()
    assert visits(SegmentFilter(sector="horeca")) == 1
    assert visits() == 2  # the contact stays, with the bakery
    assert tallies.check() == []

    marloes.delete()
    staff_rows = dict((row[0], row[1]) for row in dashboard(last_60_days()).section("contact").tables[1].rows)
    assert staff_rows == {"Sanne de Vries": 1, "Oud-medewerker": 1}
    assert tallies.check() == []


def test_a_merge_and_its_undo_keep_the_counts_and_coverage_exact(sanne, street):
    bakeries, cafes = street
    duplicate = make_organisation("Bakker 0 (dubbel)", street="Markt", sector="horeca")
    log(sanne, duplicate, days=5)
    log(sanne, duplicate, bakeries[0], days=4)
    log(sanne, bakeries[0], days=150)
    assert visits(SegmentFilter(sector="horeca")) == 2

    kept = merge_organisations(keep=bakeries[0], duplicate=duplicate, user=sanne, numbers_confirmed=True)
    assert visits(SegmentFilter(sector="horeca")) == 0
    assert visits(SegmentFilter(sector="retail_dagelijks")) == 2
    assert tallies.check() == []

    undo_merge(merge=kept.merge_record, user=sanne)
    assert visits(SegmentFilter(sector="horeca")) == 2
    assert tallies.check() == []


def test_a_failed_log_leaves_the_counts_as_they_were(sanne, street):
    bakeries, _cafes = street
    log(sanne, bakeries[0])
    before = list(ContactTally.objects.values_list("day", "kind", "staff_id", "dimension", "value", "n"))

    with pytest.raises(Exception, match="signaal"):
        services.log_interaction(
            staff=sanne,
            organisations=[bakeries[1]],
            occurred_at=days_ago(1),
            signals=[services.SignalDraft("no-such-kind", "Te veel fietsen")],
        )

    after = list(ContactTally.objects.values_list("day", "kind", "staff_id", "dimension", "value", "n"))
    assert sorted(after) == sorted(before)
    assert visits() == 1


def test_coverage_counts_a_business_contacted_in_the_90_days_up_to_each_periods_end(sanne, street):
    bakeries, _cafes = street
    log(sanne, bakeries[0], days=10)
    log(sanne, bakeries[1], days=95)  # outside this period's 90 days, inside the previous one's
    log(sanne, bakeries[2], days=200)
    log(sanne, bakeries[2], days=130)  # a run of two contacts 70 days apart: one span
    assert ContactSpan.objects.filter(organisation=bakeries[2]).count() == 1

    figure = dashboard(last_60_days(), SegmentFilter(street="Markt")).figure("coverage")
    assert figure.value == 8.3  # the bakery of ten days ago, of 12
    assert figure.previous == 16.7  # at the previous period's end: the two of 95 and 130 days ago


def test_the_command_finds_a_difference_and_rebuild_mends_it(sanne, street, capsys):
    bakeries, _cafes = street
    log(sanne, bakeries[0])
    call_command("tallies", "--check")
    assert "match" in capsys.readouterr().out

    ContactTally.objects.filter(dimension="").update(n=7)  # a hand-written change
    ContactSpan.objects.all().delete()
    with pytest.raises(CommandError, match="differences"):
        call_command("tallies", "--check")
    out = capsys.readouterr().out
    assert "kept 7, contacts say 1" in out and "missing" in out

    call_command("tallies", "--rebuild")
    assert tallies.check() == []
    assert visits() == 1 and coverage(SegmentFilter(street="Markt")) == 8.3


def test_the_demo_centre_loads_with_exact_tallies(demo_centre):
    assert ContactTally.objects.exists() and ContactSpan.objects.exists()
    assert tallies.check() == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_writers_on_the_same_day_never_lose_or_double_a_count():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer at a time in; the lock is PostgreSQL's")
    first, second = make_staff("am1", "Accountmanager"), make_staff("am2", "Accountmanager")
    businesses = [make_organisation(f"Winkel {i}", street="Markt") for i in range(6)]
    log(first, businesses[0], days=1)  # the day has its rows already
    first_logged, second_done = threading.Event(), threading.Event()
    failures = []

    def hold_open():
        # Logs a visit and keeps its transaction open while the second person logs theirs.
        try:
            with transaction.atomic():
                log(first, businesses[1], days=1)
                first_logged.set()
                second_done.wait(2)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            first_logged.set()
            connection.close()

    def log_meanwhile():
        # As a bulk write would: the contact without signals, then one refresh of its day.
        try:
            first_logged.wait(10)
            with transaction.atomic():
                contact = Interaction.objects.bulk_create(
                    [Interaction(kind=Interaction.Kind.CALL, occurred_at=days_ago(1), staff=second)]
                )[0]
                Interaction.organisations.through.objects.create(
                    interaction_id=contact.pk, organisation_id=businesses[2].pk
                )
                tallies.refresh(days=[tallies.day_of(contact.occurred_at)], organisations=[businesses[2].pk])
            second_done.set()
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=hold_open), threading.Thread(target=log_meanwhile)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
    board = dashboard(last_60_days())
    assert (board.figure("visits").value, board.figure("calls").value) == (2, 1)
    assert tallies.check() == []
