"""Retention: each kind of data goes (or loses who it was about) after its period; totals stay right."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from crm.models import Interaction, Organisation
from keeping.models import RetentionRun
from keeping.retention import apply_retention
from newsletter.models import Delivery, DeliveryEvent, Send
from newsletter.queries.stats import recent_results, send_results
from portal.members.models import Application, Invitation

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def demo(demo_centre):
    return demo_centre


def test_a_trial_run_counts_and_changes_nothing(demo):
    events = DeliveryEvent.objects.count()
    run = apply_retention(dry_run=True, now=NOW + dt.timedelta(days=800))
    assert run.dry_run and run.results["delivery_events"]["removed"] == events
    assert DeliveryEvent.objects.count() == events
    assert RetentionRun.objects.count() == 1


def test_old_sends_keep_their_results_as_totals_while_their_events_and_readers_go(demo):
    before_overview = {item.send.pk: item for item in recent_results()}
    before = {send.pk: send_results(send) for send in Send.objects.filter(status=Send.Status.SENT)}
    assert sum(result.unique_opens for result in before.values()) > 100

    run = apply_retention(now=NOW + dt.timedelta(days=400 + 365))

    assert DeliveryEvent.objects.count() == 0
    assert run.results["delivery_events"]["sends"] == len(before)
    assert (
        not Delivery.objects.exclude(email__endswith="@verwijderd.invalid").filter(send__in=before).exists()
    )
    assert not Delivery.objects.filter(send__in=before, person__isnull=False).exists()
    for send in Send.objects.filter(pk__in=before):
        after = send_results(send)
        old = before[send.pk]
        for name in (
            "sent",
            "delivered",
            "bounced",
            "unique_opens",
            "unique_clicks",
            "unsubscribes",
            "complaints",
        ):
            assert getattr(after, name) == getattr(old, name), name
        assert [(link.url, link.unique_clicks) for link in after.links] == [
            (link.url, link.unique_clicks) for link in old.links
        ]
        assert len(after.timeline) == len(old.timeline)
    for item in recent_results():
        assert item.unique_opens == before_overview[item.send.pk].unique_opens
    # Idempotent: a second night finds nothing more to do.
    again = apply_retention(now=NOW + dt.timedelta(days=400 + 365))
    assert again.results["delivery_events"]["removed"] == 0


def test_recent_sends_are_left_alone(demo):
    events = DeliveryEvent.objects.count()
    run = apply_retention(now=NOW)
    assert DeliveryEvent.objects.count() == events
    assert run.results["delivery_events"]["sends"] == 0


def test_contacts_with_a_business_that_left_long_ago_lose_their_notes_but_still_count(demo):
    left = Organisation.objects.filter(lifecycle=Organisation.Lifecycle.LEFT).first()
    Organisation.objects.filter(pk=left.pk).update(ended_on=(NOW - dt.timedelta(days=3 * 365)).date())
    moment = Interaction.objects.create(
        occurred_at=NOW - dt.timedelta(days=4 * 365),
        subject="Huurcontract",
        notes="Wil stoppen i.v.m. gezondheid",
    )
    moment.organisations.add(left)
    shared = Interaction.objects.create(
        occurred_at=NOW - dt.timedelta(days=4 * 365), notes="Samen met de buren"
    )
    shared.organisations.add(
        left, Organisation.objects.exclude(pk=left.pk).filter(lifecycle="actief").first()
    )
    contacts = left.interactions.count()

    run = apply_retention(now=NOW)

    moment.refresh_from_db()
    shared.refresh_from_db()
    assert (moment.subject, moment.notes) == ("", "")
    assert shared.notes == "Samen met de buren"  # also about a business that is still here
    assert run.results["left_business_contacts"]["anonymised"] >= 1
    assert left.interactions.count() == contacts  # every contact still counts


def test_rejected_applications_expired_invitations_and_old_audit_entries_go(demo):
    long_ago = NOW - dt.timedelta(days=6 * 365)
    rejected = Application.objects.filter(status=Application.Status.REJECTED)
    assert rejected.exists()
    rejected.update(decided_at=long_ago)
    Invitation.objects.filter(used_at__isnull=True).update(expires_at=long_ago)
    LogEntry.objects.filter(pk__in=list(LogEntry.objects.values_list("pk", flat=True)[:10])).update(
        timestamp=long_ago
    )
    counts = (rejected.count(), Invitation.objects.filter(used_at__isnull=True).count())

    run = apply_retention(now=NOW)

    assert run.results["rejected_applications"]["removed"] == counts[0]
    assert run.results["expired_invitations"]["removed"] == counts[1]
    assert run.results["audit_trail"]["removed"] == 10
    assert not Application.objects.filter(status=Application.Status.REJECTED).exists()
    assert not LogEntry.objects.filter(timestamp__lt=NOW - dt.timedelta(days=5 * 365)).exists()


def test_a_period_of_zero_keeps_a_kind_forever(demo, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "delivery_events": 0}
    events = DeliveryEvent.objects.count()
    run = apply_retention(now=NOW + dt.timedelta(days=3000))
    assert run.results["delivery_events"] == {"period_days": 0, "kept": True}
    assert DeliveryEvent.objects.count() == events
