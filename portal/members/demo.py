"""Demo members for Veldhaven: accounts at every onboarding step, invitations, applications in every
state and reports (meldingen) in every state, with their contacts and follow-ups in the CRM.

Rows are made directly, not through the services: the services mail people, and a demo sends no
mail. Demo members get no usable password (like demo staff): `manage.py set_member_password`
gives one a password to try the portal with.
"""

import datetime as dt
import hashlib

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Exists, OuterRef
from django.utils import timezone

from crm import search_indexes
from crm.models import Consent, EmailAddress, FollowUp, Interaction, Organisation, Role, Signal
from portal.members.models import Application, Invitation, Membership, Report
from portal.members.services import REPORT_SIGNALS, WORDING
from stadshart import roles
from stadshart.demo import DemoContext

MEMBERS_PER_SCALE = 20
# Every step appears; most members have finished.
STEPS = [
    Membership.Step.BUSINESS,
    Membership.Step.INTERESTS,
    Membership.Step.NEWSLETTER,
    Membership.Step.DIRECTORY,
    Membership.Step.DONE,
    Membership.Step.DONE,
    Membership.Step.DONE,
    Membership.Step.DONE,
]
REPORTS = [
    (Report.Category.CLEAN, "Zwerfafval en volle prullenbak bij de ingang", ""),
    (Report.Category.INTACT, "Losliggende stoeptegels, mensen struikelen erover", ""),
    (Report.Category.SAFE, "Lantaarnpaal is al een week kapot, het is 's avonds erg donker", ""),
    (Report.Category.NUISANCE, "Fietsen worden tegen de etalage gezet", ""),
    (Report.Category.OTHER, "Bloembak is omgereden", ""),
    (Report.Category.CLEAN, "Graffiti op de rolluiken van de buren", ""),
]
ANSWERS = {
    Report.Status.IN_PROGRESS: "De gemeente is ingelicht en komt deze week kijken.",
    Report.Status.RESOLVED: "Opgelost door de buitendienst van de gemeente. Dank voor de melding!",
    Report.Status.REJECTED: "Dit valt onder de verhuurder van het pand; wij hebben u zijn gegevens gemaild.",
}
APPLICANTS = [
    ("Koffiebar De Boon", "Daan", "Verhoeven", Application.Status.PENDING, ""),
    ("Tattooshop Inkt", "Lisa", "Smits", Application.Status.PENDING, ""),
    ("Fietsenmaker Trapkracht", "Bram", "Hendriks", Application.Status.PENDING, ""),
    ("Kapsalon Knip", "Noor", "El Idrissi", Application.Status.APPROVED, ""),
    (
        "Webbureau Pixel",
        "Tim",
        "de Graaf",
        Application.Status.REJECTED,
        "Uw bedrijf is gevestigd buiten het centrumgebied.",
    ),
    (
        "Marktkraam Vers",
        "Eva",
        "Jacobs",
        Application.Status.REJECTED,
        "Marktkramen vallen onder de markt­commissie; zij hebben een eigen overleg.",
    ),
]


def seed(ctx: DemoContext) -> None:
    User = get_user_model()
    now = timezone.now()
    rng = ctx.rng
    coordinator = (ctx.staff.get(roles.FACILITAIR) or [None])[0]
    deciders = ctx.staff.get(roles.ACCOUNTMANAGER) or [None]

    # Entrepreneurs whose primary contact has an email address: they can be members.
    with_email = EmailAddress.objects.filter(person=OuterRef("person"))
    roles_with_email = (
        Role.objects.filter(organisation__kind=Organisation.Kind.ENTREPRENEUR, person__erased_at__isnull=True)
        .filter(Exists(with_email))
        .order_by("organisation_id", "-is_primary_contact", "pk")
    )
    # Keys of the tens of thousands of candidates (--scale 100), instances of the few chosen and
    # invited only.
    by_organisation = {}
    for pk, organisation_id in roles_with_email.values_list("pk", "organisation_id"):
        by_organisation.setdefault(organisation_id, (pk, organisation_id))
    candidates = list(by_organisation.values())
    chosen = rng.sample(candidates, min(len(candidates), MEMBERS_PER_SCALE * ctx.scale))
    # Invitations go to the first businesses that are not members yet.
    members = {organisation_id for _, organisation_id in chosen}
    invited = [role for role in candidates if role[1] not in members][: 4 * ctx.scale]
    roles_by_pk = Role.objects.select_related("person", "organisation").in_bulk(
        [pk for pk, _ in chosen + invited]
    )
    chosen = [roles_by_pk[pk] for pk, _ in chosen]
    invited = [roles_by_pk[pk] for pk, _ in invited]
    emails = dict(
        EmailAddress.objects.filter(person__in=[role.person_id for role in chosen])
        .order_by("person_id", "-is_primary")
        .values_list("person_id", "email")
    )

    users = [
        User(
            username=emails[role.person_id].lower(),
            email=emails[role.person_id].lower(),
            first_name=role.person.first_name[:150],
            last_name=role.person.last_name[:150],
            password=make_password(None),  # unusable, like demo staff
            date_joined=now - dt.timedelta(days=rng.randint(5, 300)),
        )
        for role in chosen
    ]
    # Some members logged in lately (the board's "active in the last 30 days"); no rng draw, so the
    # rest of the demo stays as it was.
    for number, user in enumerate(users):
        if number % 3:
            user.last_login = max(user.date_joined, now - dt.timedelta(days=(number * 7) % 60, hours=3))
    User.objects.bulk_create(users)
    users = {user.username: user for user in User.objects.filter(username__in=[u.username for u in users])}

    memberships, consents, listed, member_orgs = [], [], [], []
    for number, role in enumerate(chosen):
        user = users[emails[role.person_id].lower()]
        step = STEPS[number % len(STEPS)]
        memberships.append(
            Membership(
                user=user,
                person=role.person,
                organisation=role.organisation,
                onboarding_step=step,
                onboarded_at=user.date_joined + dt.timedelta(hours=2)
                if step == Membership.Step.DONE
                else None,
                created_at=user.date_joined,
            )
        )
        member_orgs.append(role.organisation_id)
        reached = STEPS.index(step)
        at = user.date_joined + dt.timedelta(minutes=20)
        if reached > STEPS.index(Membership.Step.NEWSLETTER):
            for topic in (Consent.Topic.SERVICE_NEWSLETTER, Consent.Topic.MARKETING_NEWSLETTER):
                consents.append(
                    Consent(
                        person=role.person,
                        topic=topic,
                        granted=topic == Consent.Topic.SERVICE_NEWSLETTER or rng.random() < 0.4,
                        recorded_at=at,
                        source=Consent.Source.PORTAL,
                        wording=WORDING[topic],
                        recorded_by=user,
                    )
                )
        if step == Membership.Step.DONE:
            in_directory = rng.random() < 0.75
            consents.append(
                Consent(
                    person=role.person,
                    topic=Consent.Topic.DIRECTORY,
                    granted=in_directory,
                    recorded_at=at + dt.timedelta(minutes=3),
                    source=Consent.Source.PORTAL,
                    wording=WORDING[Consent.Topic.DIRECTORY],
                    recorded_by=user,
                )
            )
            if in_directory:
                listed.append(role.organisation_id)
    Membership.objects.bulk_create(memberships)
    Consent.objects.bulk_create(consents)
    # Every updated organisation enters the search indexes again: through their pending lists.
    with search_indexes.bulk_load():
        Organisation.objects.filter(pk__in=member_orgs).update(portal_member=True)
        Organisation.objects.filter(pk__in=listed).update(in_directory=True)

    # Invitations: open ones waiting to be accepted, and one that expired unused.
    invitations = []
    for number, role in enumerate(invited):
        sent = now - dt.timedelta(days=10 if number % 4 == 3 else rng.randint(0, 5))
        invitations.append(
            Invitation(
                email=emails.get(role.person_id)
                or EmailAddress.objects.filter(person=role.person).first().email,
                person=role.person,
                organisation=role.organisation,
                invited_by=rng.choice(deciders),
                # The token of a demo invitation is thrown away: nobody can accept it.
                token_hash=hashlib.sha256(f"demo-{rng.random()}-{number}".encode()).hexdigest(),
                created_at=sent,
                expires_at=sent + dt.timedelta(days=7),
            )
        )
    Invitation.objects.bulk_create(invitations)

    applications = []
    for number, (business, first, last, status, reason) in enumerate(APPLICANTS * ctx.scale):
        submitted = now - dt.timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 10))
        decided = status != Application.Status.PENDING
        applications.append(
            Application(
                business_name=business
                if number < len(APPLICANTS)
                else f"{business} {number // len(APPLICANTS) + 1}",
                kvk_number=f"{rng.randint(10_000_000, 99_999_999)}",
                first_name=first,
                last_name=last,
                email=f"{first.lower()}.{last.lower().replace(' ', '')}{number}@ondernemer.example",
                status=status,
                submitted_at=submitted,
                decided_at=submitted + dt.timedelta(days=1) if decided else None,
                decided_by=rng.choice(deciders) if decided else None,
                reason=reason,
            )
        )
    Application.objects.bulk_create(applications)

    # Reports in every state, each with its contact and follow-up in the CRM.
    statuses = list(Report.Status.values)
    reporters = [
        membership for membership in memberships if membership.onboarding_step == Membership.Step.DONE
    ]
    count = 0
    for number, membership in enumerate(reporters):
        for _report in range(1 + number % 2):
            category, description, _ = REPORTS[count % len(REPORTS)]
            status = statuses[count % len(statuses)]
            count += 1
            created = now - dt.timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 8))
            street = membership.organisation.street or "Marktstraat"
            location = f"{street} {rng.randint(1, 80)}"
            interaction = Interaction.objects.create(
                kind=Interaction.Kind.REPORT,
                occurred_at=created,
                staff=membership.user,
                subject=f"Melding: {Report.Category(category).label} bij {location}",
                notes=description,
            )
            interaction.organisations.add(membership.organisation)
            interaction.attendees.add(membership.person)
            if category in REPORT_SIGNALS:
                Signal.objects.create(
                    interaction=interaction,
                    organisation=membership.organisation,
                    kind=REPORT_SIGNALS[category],
                    note=location,
                    created_at=created,
                )
            closed = status in (Report.Status.RESOLVED, Report.Status.REJECTED)
            follow_up = FollowUp.objects.create(
                interaction=interaction,
                organisation=membership.organisation,
                description=f"Melding afhandelen: {location}",
                assigned_to=coordinator or membership.user,
                due_on=(created + dt.timedelta(days=5)).date(),
                done_at=created + dt.timedelta(days=3) if closed else None,
                outcome=ANSWERS.get(status, "") if closed else "",
            )
            Report.objects.create(
                organisation=membership.organisation,
                reported_by=membership.user,
                category=category,
                description=description,
                location=location,
                status=status,
                response=ANSWERS.get(status, ""),
                interaction=interaction,
                follow_up=follow_up,
                created_at=created,
                resolved_at=created + dt.timedelta(days=3) if closed else None,
                reporter_told_at=created + dt.timedelta(days=3) if closed else None,
            )
    ctx.write(
        f"  members: {len(memberships)} accounts at every onboarding step, {len(invitations)} invitations, "
        f"{len(applications)} applications, {count} reports"
    )
