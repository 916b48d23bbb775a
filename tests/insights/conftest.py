"""A small centre with a known history, for the dashboard's tests.

`build_centre(copies)` makes `copies` times the same world (so a test can grow the data and see the
figures, and the number of queries, stay what they should). Dates are relative to today; the tests
read the custom period of the last 60 days, compared with the 60 days before.
"""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from crm.models import FollowUp, Interaction, Organisation, Signal, StakeholderPositionChange
from funding.models import Contribution
from insights.queries import Period
from insights.queries.period import CUSTOM
from newsletter.models import DeliveryEvent
from portal.members.models import Report
from projects.models import Project, ProjectStatusChange, Status, YearPlan
from tests.builders import make_delivery, make_member, make_organisation, make_person, make_send

_numbers = itertools.count(1)


def period() -> Period:
    today = timezone.localdate()
    return Period.of(CUSTOM, start=today - dt.timedelta(days=59), end=today)


def ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def build_centre(accountmanager, copies: int = 1) -> dict:
    """Per copy: six shops in the Marktstraat, two cafés in the Kerkstraat, and what happened to them.

    Per copy, in the last 60 days: 3 visits, 1 signal, a newsletter to all 8 (all delivered, 2 human
    opens, 1 machine open, 1 click), 3 new members, 1 report resolved in 3 days, 1 overdue follow-up;
    60-120 days ago: 1 call. Contributions this year from 3 businesses, last year from 1.
    """
    today = timezone.localdate()
    for _copy in range(copies):
        n = next(_numbers)
        shops = [
            make_organisation(f"Winkel {n}-{i}", street="Marktstraat", house_number=str(i)) for i in range(6)
        ]
        cafes = [
            make_organisation(
                f"Café {n}-{i}", street="Kerkstraat", house_number=str(i), sector=Organisation.Sector.HORECA
            )
            for i in range(2)
        ]
        people = [
            make_person(
                "Eigenaar", f"{n}-{org.pk}", email=f"eigenaar-{n}-{org.pk}@example.nl", organisation=org
            )
            for org in shops + cafes
        ]
        for org in shops[:3]:
            visit = Interaction.objects.create(
                kind=Interaction.Kind.VISIT, occurred_at=ago(10), staff=accountmanager
            )
            visit.organisations.add(org)
        call = Interaction.objects.create(
            kind=Interaction.Kind.CALL, occurred_at=ago(80), staff=accountmanager
        )
        call.organisations.add(shops[0])
        Signal.objects.create(
            interaction=visit, organisation=shops[2], kind=Signal.Kind.VACANCY_THREAT, created_at=ago(10)
        )
        FollowUp.objects.create(
            interaction=visit,
            organisation=shops[2],
            description="Terugbellen over de huur",
            assigned_to=accountmanager,
            due_on=today - dt.timedelta(days=5),
        )

        send = make_send(f"Nieuws {n}", sent_at=ago(10))
        deliveries = [
            make_delivery(send, f"eigenaar-{n}-{o.pk}@example.nl", person=p)
            for o, p in zip(shops + cafes, people, strict=True)
        ]
        events = [(d, DeliveryEvent.Type.DELIVERED, False) for d in deliveries]
        events += [
            (deliveries[0], DeliveryEvent.Type.OPENED, False),
            (deliveries[1], DeliveryEvent.Type.OPENED, False),
        ]
        events += [(deliveries[0], DeliveryEvent.Type.OPENED, False)]  # the same reader again: one open
        events += [(deliveries[2], DeliveryEvent.Type.OPENED, True)]  # a privacy proxy: left out
        events += [(deliveries[0], DeliveryEvent.Type.CLICKED, False)]
        DeliveryEvent.objects.bulk_create(
            DeliveryEvent(
                delivery=d,
                send=send,
                esp="test",
                event_id=f"{n}-{number}",
                event_type=kind,
                timestamp=ago(9),
                recipient=d.email,
                is_machine=machine,
            )
            for number, (d, kind, machine) in enumerate(events)
        )

        for org in shops[3:]:
            make_member(org, "Lid", f"{n}-{org.pk}", email=f"lid-{n}-{org.pk}@example.nl")
        member = make_member(shops[0], "Melder", f"{n}", email=f"melder-{n}@example.nl")
        Report.objects.create(
            organisation=shops[0],
            reported_by=member.user,
            category=Report.Category.CLEAN,
            description="Zwerfafval bij de ingang",
            location="Marktstraat 1",
            status=Report.Status.RESOLVED,
            created_at=ago(20),
            resolved_at=ago(17),
        )

        for org in shops[:3]:
            Contribution.objects.create(
                organisation=org, year=today.year, kind="biz", amount=Decimal("500.00")
            )
        Contribution.objects.create(
            organisation=shops[0], year=today.year - 1, kind="biz", amount=Decimal("400.00")
        )
        for org in shops[:2]:
            StakeholderPositionChange.objects.create(
                organisation=org, attitude="voorstander", changed_at=ago(30)
            )
        StakeholderPositionChange.objects.create(
            organisation=shops[5], attitude="criticus", changed_at=ago(100)
        )

        plan, _created = YearPlan.objects.get_or_create(year=today.year)
        project = Project.objects.create(name=f"Kerstverlichting {n}", year_plan=plan, status=Status.RED)
        ProjectStatusChange.objects.create(project=project, to_status=Status.ORANGE, changed_at=ago(200))
        ProjectStatusChange.objects.create(
            project=project, from_status=Status.ORANGE, to_status=Status.RED, changed_at=ago(15)
        )
    return {}


@pytest.fixture
def centre(sanne):
    build_centre(sanne)
    return period()
