"""Retention by law (AVG art. 5(1)(e): no longer than needed): each kind of data has a period.

The periods are settings (settings.RETENTION_DAYS, in days; 0 keeps a kind forever); the README
explains each default. `apply_retention` runs every night (keeping.tasks) and records per kind
what it removed or anonymised in a RetentionRun, which the Beheerder sees under Instellingen →
Bewaren en back-ups. Counts the board sees stay right: a send's results are frozen as totals
before its per-message events go, and anonymised contact moments still count as contacts.

Each rule takes the cutoff moment and whether this is a trial run, and returns what it did (or
would do). Every rule is idempotent: running it twice changes nothing the second time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from auditlog.models import LogEntry
from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import Interaction, Organisation, Signal
from keeping.models import RetentionRun
from newsletter.models import Delivery, DeliveryEvent, Send, SubscriptionRequest
from newsletter.queries.stats import freeze_results
from portal.members.models import Application, Invitation, Report

logger = logging.getLogger(__name__)

Outcome = dict[str, int]


def _delivery_events(cutoff: datetime, dry_run: bool) -> Outcome:
    """Sends finished before the cutoff keep their results as totals; their per-message events
    go, and their deliveries no longer say who got the message."""
    sends = Send.objects.filter(finished_at__lt=cutoff, results_summary__isnull=True)
    outcome = {"sends": sends.count()}
    events = DeliveryEvent.objects.filter(Q(send__in=sends) | Q(send__isnull=True, timestamp__lt=cutoff))
    deliveries = Delivery.objects.filter(send__in=sends)
    outcome["removed"] = events.count()
    outcome["anonymised"] = deliveries.count()
    if dry_run:
        return outcome
    for send in sends:
        with transaction.atomic():
            Send.objects.filter(pk=send.pk).update(results_summary=freeze_results(send))
            DeliveryEvent.objects.filter(send=send).delete()
            # Unique per send: a placeholder per row keeps the constraint and says nothing.
            Delivery.objects.filter(send=send).update(
                email=Concat(Cast("pk", CharField()), Value("@verwijderd.invalid")), person=None
            )
    DeliveryEvent.objects.filter(send__isnull=True, timestamp__lt=cutoff).delete()
    return outcome


def _left_business_contacts(cutoff: datetime, dry_run: bool) -> Outcome:
    """Contact moments only with businesses that left the centre before the cutoff: notes, subject,
    signal notes and who attended are removed; that a contact took place (and when) stays."""
    left = Organisation.objects.filter(lifecycle=Organisation.Lifecycle.LEFT, ended_on__lt=cutoff.date())
    still_here = Organisation.objects.exclude(pk__in=left.values("pk"))
    moments = (
        Interaction.objects.filter(organisations__in=left)
        .exclude(organisations__in=still_here)
        .filter(Q(notes__gt="") | Q(subject__gt="") | Q(attendees__isnull=False) | Q(signals__note__gt=""))
        .distinct()
    )
    ids = list(moments.values_list("pk", flat=True))
    if not dry_run and ids:
        with transaction.atomic():
            Interaction.objects.filter(pk__in=ids).update(notes="", subject="")
            Interaction.attendees.through.objects.filter(interaction_id__in=ids).delete()
            Signal.objects.filter(interaction_id__in=ids).update(note="")
    return {"anonymised": len(ids)}


def _rejected_applications(cutoff: datetime, dry_run: bool) -> Outcome:
    rows = Application.objects.filter(status=Application.Status.REJECTED, decided_at__lt=cutoff)
    return {"removed": rows.count() if dry_run else rows.delete()[1].get(Application._meta.label, 0)}


def _expired_invitations(cutoff: datetime, dry_run: bool) -> Outcome:
    rows = Invitation.objects.filter(used_at__isnull=True).filter(
        Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)
    )
    return {"removed": rows.count() if dry_run else rows.delete()[1].get(Invitation._meta.label, 0)}


def _unconfirmed_signups(cutoff: datetime, dry_run: bool) -> Outcome:
    rows = SubscriptionRequest.objects.filter(confirmed_at__isnull=True, expires_at__lt=cutoff)
    return {"removed": rows.count() if dry_run else rows.delete()[1].get(SubscriptionRequest._meta.label, 0)}


def _report_photos(cutoff: datetime, dry_run: bool) -> Outcome:
    """Photos of problem reports closed before the cutoff; the report itself stays."""
    reports = Report.objects.filter(
        status__in=[Report.Status.RESOLVED, Report.Status.REJECTED], resolved_at__lt=cutoff
    ).exclude(photo="")
    count = 0
    for report in reports.iterator() if not dry_run else []:
        report.photo.delete(save=False)
        Report.objects.filter(pk=report.pk).update(photo="")
        count += 1
    return {"removed": reports.count() if dry_run else count}


def _audit_trail(cutoff: datetime, dry_run: bool) -> Outcome:
    rows = LogEntry.objects.filter(timestamp__lt=cutoff)
    return {"removed": rows.count() if dry_run else rows.delete()[0]}


# What each kind is called on the Beheerder's screen.
LABELS = {
    "delivery_events": _("Newsletter events per reader (opens, clicks, bounces)"),
    "left_business_contacts": _("Contact moments with businesses that left the centre"),
    "rejected_applications": _("Rejected portal applications"),
    "expired_invitations": _("Expired or revoked portal invitations"),
    "unconfirmed_signups": _("Newsletter sign-ups never confirmed"),
    "report_photos": _("Photos of closed problem reports"),
    "audit_trail": _("Audit trail"),
}

RULES: dict[str, Callable[[datetime, bool], Outcome]] = {
    "delivery_events": _delivery_events,
    "left_business_contacts": _left_business_contacts,
    "rejected_applications": _rejected_applications,
    "expired_invitations": _expired_invitations,
    "unconfirmed_signups": _unconfirmed_signups,
    "report_photos": _report_photos,
    "audit_trail": _audit_trail,
}


def apply_retention(*, now: datetime | None = None, dry_run: bool = False, user=None) -> RetentionRun:
    """Apply every retention period; returns the recorded run (also for a trial run)."""
    now = now or timezone.now()
    run = RetentionRun.objects.create(started_at=now, dry_run=dry_run, started_by=user)
    results, errors = {}, []
    for kind, rule in RULES.items():
        days = settings.RETENTION_DAYS.get(kind, 0)
        if days <= 0:
            results[kind] = {"period_days": 0, "kept": True}
            continue
        cutoff = now - timedelta(days=days)
        try:
            outcome = rule(cutoff, dry_run)
        except Exception as error:  # one kind failing must not stop the others
            logger.exception("Retention of %s failed", kind)
            errors.append(f"{kind}: {error}")
            outcome = {"failed": True}
        results[kind] = {"period_days": days, "before": cutoff.isoformat(), **outcome}
    RetentionRun.objects.filter(pk=run.pk).update(
        results=results, finished_at=timezone.now(), error="\n".join(errors)
    )
    run.refresh_from_db()
    return run
