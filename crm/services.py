"""State changes of the CRM that matter: each is one transaction and leaves an audit trail.

Audit rows come from django-auditlog (registered in crm/apps.py); the acting user is set with
auditlog's context so that changes made outside a web request are attributed too.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from auditlog.context import set_actor
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from crm import importing
from crm.models import (
    Consent,
    FollowUp,
    ImportBatch,
    Interaction,
    Interest,
    Organisation,
    Person,
    Signal,
    StakeholderPositionChange,
)
from crm.models.organisations import Attitude
from crm.signals import follow_up_completed, follow_up_reopened
from crm.tasks import read_import, run_import


@dataclass
class FollowUpDraft:
    description: str
    due_on: dt.date
    assigned_to: AbstractBaseUser | None = None


@dataclass
class SignalDraft:
    kind: str
    note: str = ""


@dataclass
class VisitLog:
    interaction: Interaction
    signals: list[Signal] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)


def log_interaction(
    *,
    staff: AbstractBaseUser,
    organisations: Sequence[Organisation],
    kind: str = Interaction.Kind.VISIT,
    occurred_at: dt.datetime | None = None,
    notes: str = "",
    subject: str = "",
    topics: Iterable[Interest] = (),
    attendees: Iterable[Person] = (),
    attitude: str = "",
    signals: Iterable[SignalDraft] = (),
    follow_ups: Iterable[FollowUpDraft] = (),
) -> VisitLog:
    """Record a visit, call, email or meeting with what came out of it.

    A change of attitude updates each organisation's stakeholder position and its history;
    every organisation's last contact moves forward.
    """
    if not organisations:
        raise ValidationError(_("Choose at least one organisation."))
    if kind not in Interaction.Kind.values:
        raise ValidationError(_("Unknown kind of contact."))
    if attitude and attitude not in Attitude.values:
        raise ValidationError(_("Unknown attitude."))
    occurred_at = occurred_at or timezone.now()
    if occurred_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError(_("A contact cannot take place in the future."))

    with transaction.atomic(), set_actor(staff):
        interaction = Interaction(
            kind=kind,
            occurred_at=occurred_at,
            staff=staff,
            notes=notes.strip(),
            subject=subject.strip(),
            attitude=attitude,
        )
        interaction.full_clean()
        interaction.save()
        interaction.organisations.set(organisations)
        interaction.topics.set(topics)
        interaction.attendees.set(attendees)

        created_signals = []
        for draft in signals:
            if draft.kind not in Signal.Kind.values:
                raise ValidationError(_("Unknown kind of signal."))
            for organisation in organisations:
                created_signals.append(
                    Signal.objects.create(
                        interaction=interaction,
                        organisation=organisation,
                        kind=draft.kind,
                        note=draft.note.strip(),
                        created_at=occurred_at,
                    )
                )
        created_follow_ups = []
        for draft in follow_ups:
            follow_up = FollowUp(
                interaction=interaction,
                organisation=organisations[0] if len(organisations) == 1 else None,
                description=draft.description.strip(),
                assigned_to=draft.assigned_to or staff,
                due_on=draft.due_on,
            )
            follow_up.full_clean()
            follow_up.save()
            created_follow_ups.append(follow_up)

        for organisation in organisations:
            if attitude and attitude != organisation.attitude:
                change_stakeholder_position(
                    organisation=organisation,
                    user=staff,
                    attitude=attitude,
                    interaction=interaction,
                    changed_at=occurred_at,
                )
        Organisation.objects.filter(pk__in=[org.pk for org in organisations]).filter(
            Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=occurred_at)
        ).update(last_contact_at=occurred_at)
    return VisitLog(interaction=interaction, signals=created_signals, follow_ups=created_follow_ups)


def change_stakeholder_position(
    *,
    organisation: Organisation,
    user: AbstractBaseUser | None,
    influence: int | None = None,
    interest_level: int | None = None,
    attitude: str | None = None,
    interaction: Interaction | None = None,
    changed_at: dt.datetime | None = None,
) -> StakeholderPositionChange:
    """Move an organisation on the stakeholder map and keep where it was."""
    with transaction.atomic(), set_actor(user):
        if influence is not None:
            organisation.influence = influence
        if interest_level is not None:
            organisation.interest_level = interest_level
        if attitude is not None:
            organisation.attitude = attitude
        organisation.full_clean(exclude=["kvk_number", "branch_number", "postcode"])
        organisation.save(update_fields=["influence", "interest_level", "attitude", "updated_at"])
        return record_stakeholder_position(
            organisation=organisation, user=user, interaction=interaction, changed_at=changed_at
        )


def record_stakeholder_position(
    *,
    organisation: Organisation,
    user: AbstractBaseUser | None,
    interaction: Interaction | None = None,
    changed_at: dt.datetime | None = None,
) -> StakeholderPositionChange:
    """Keep the organisation's current position (already saved, e.g. by the edit form) in its history."""
    return StakeholderPositionChange.objects.create(
        organisation=organisation,
        influence=organisation.influence,
        interest_level=organisation.interest_level,
        attitude=organisation.attitude,
        changed_at=changed_at or timezone.now(),
        changed_by=user,
        interaction=interaction,
    )


# How long a completed follow-up can be put back ("Undo" in My work). Mail that completing causes
# (the member's "your report is resolved") waits until this has passed.
FOLLOW_UP_UNDO_MINUTES = 10


def follow_up_mails_member(follow_up: FollowUp) -> bool:
    """Whether completing this follow-up tells a member: it handles a report from the portal."""
    return follow_up.interaction is not None and follow_up.interaction.kind == Interaction.Kind.REPORT


def complete_follow_up(*, follow_up: FollowUp, user: AbstractBaseUser, outcome: str = "") -> FollowUp:
    """Mark a follow-up done with what came of it (doing it twice keeps the first moment).

    The outcome is required when completing tells a member (a report's follow-up): it is the text
    the member gets. It can be undone for FOLLOW_UP_UNDO_MINUTES (reopen_follow_up).
    """
    outcome = (outcome or "").strip()
    with transaction.atomic(), set_actor(user):
        follow_up = (
            FollowUp.objects.select_for_update(of=("self",))
            .select_related("interaction")
            .get(pk=follow_up.pk)
        )
        if follow_up.done_at is None:
            if not outcome and follow_up_mails_member(follow_up):
                raise ValidationError(
                    {"outcome": _("Say what was done: the member who reported it gets this text by mail.")}
                )
            follow_up.outcome = outcome[:1000]
            follow_up.done_at = timezone.now()
            follow_up.done_by = user
            follow_up.full_clean(
                exclude=["interaction", "organisation", "assigned_to", "due_on", "description"]
            )
            follow_up.save(update_fields=["done_at", "done_by", "outcome"])
            follow_up_completed.send(sender=FollowUp, follow_up=follow_up, user=user)
    return follow_up


def undo_deadline(follow_up: FollowUp) -> dt.datetime | None:
    if follow_up.done_at is None:
        return None
    return follow_up.done_at + dt.timedelta(minutes=FOLLOW_UP_UNDO_MINUTES)


def reopen_follow_up(*, follow_up: FollowUp, user: AbstractBaseUser) -> FollowUp:
    """Undo completing a follow-up, within FOLLOW_UP_UNDO_MINUTES: it is open again and nothing is mailed."""
    with transaction.atomic(), set_actor(user):
        follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if follow_up.done_at is None:
            return follow_up
        if timezone.now() > undo_deadline(follow_up):
            raise ValidationError(
                _("Completing can be undone for %(minutes)s minutes; that time has passed.")
                % {"minutes": FOLLOW_UP_UNDO_MINUTES}
            )
        follow_up.done_at = None
        follow_up.done_by = None
        follow_up.outcome = ""
        follow_up.save(update_fields=["done_at", "done_by", "outcome"])
        follow_up_reopened.send(sender=FollowUp, follow_up=follow_up, user=user)
    return follow_up


def record_consent(
    *,
    person: Person,
    topic: str,
    granted: bool,
    source: str,
    wording: str = "",
    user: AbstractBaseUser | None = None,
    at: dt.datetime | None = None,
) -> Consent:
    """Add a consent record; the newest record per topic is the person's current choice."""
    if topic not in Consent.Topic.values or source not in Consent.Source.values:
        raise ValidationError(_("Unknown consent topic or source."))
    with transaction.atomic(), set_actor(user):
        return Consent.objects.create(
            person=person,
            topic=topic,
            granted=granted,
            source=source,
            wording=wording,
            recorded_by=user,
            recorded_at=at or timezone.now(),
        )


# What a member may keep current about their own business in the portal (the public profile).
BUSINESS_PROFILE_FIELDS = (
    "name",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "town",
    "kvk_number",
    "website",
    "description",
    "opening_hours",
    "instagram",
    "facebook",
    "linkedin",
    "logo",
    "in_directory",
)


def update_business_profile(
    *,
    organisation: Organisation,
    user: AbstractBaseUser,
    changes: dict,
    interests: Iterable[Interest] | None = None,
) -> list[str]:
    """A business's public profile changed by someone of that business (a portal member) or staff.

    Only the profile fields may change; the audit trail names `user` as the actor, so staff see in
    the organisation's history what the member changed. Returns the names of the changed fields.
    """
    unknown = set(changes) - set(BUSINESS_PROFILE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields are not part of the business profile: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic(), set_actor(user):
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        changed = [name for name, value in changes.items() if getattr(organisation, name) != value]
        for name in changed:
            setattr(organisation, name, changes[name])
        if changed:
            organisation.full_clean()
            organisation.save(update_fields=[*changed, "updated_at"])
        if interests is not None:
            wanted = {interest.pk for interest in interests}
            if wanted != set(organisation.interests.values_list("pk", flat=True)):
                organisation.interests.set(wanted)
                changed.append("interests")
    return changed


def find_or_add_person(
    *, email: str, first_name: str, last_name: str, user: AbstractBaseUser | None = None
) -> Person:
    """The person who has this address, or a new person with the name and the address.

    An address belongs to one person only, so a known address never makes a second person.
    """
    from crm.models import EmailAddress

    email = email.strip()
    with transaction.atomic(), set_actor(user):
        address = EmailAddress.objects.select_related("person").filter(email__iexact=email).first()
        if address is not None:
            return address.person
        person = Person(first_name=first_name.strip(), last_name=last_name.strip() or email)
        person.full_clean()
        person.save()
        EmailAddress.objects.create(person=person, email=email, is_primary=True)
        person.refresh_search_text()
    return person


def add_contact_person(
    *,
    organisation: Organisation,
    first_name: str,
    last_name: str,
    email: str,
    user: AbstractBaseUser | None,
    title: str = "",
) -> Person:
    """The person behind `email` at `organisation`: found by address, or added as a new contact.

    An address belongs to one person only, so a known address is never copied to a new person;
    that person gets a role at the organisation when they had none.
    """
    from crm.models import Role

    with transaction.atomic(), set_actor(user):
        person = find_or_add_person(email=email, first_name=first_name, last_name=last_name, user=user)
        Role.objects.get_or_create(
            person=person, organisation=organisation, defaults={"title": title.strip()[:100]}
        )
    return person


def register_business(*, name: str, kvk_number: str, user: AbstractBaseUser | None) -> Organisation:
    """The business with this KvK number, or a new entrepreneur's organisation when there is none."""
    with transaction.atomic(), set_actor(user):
        organisation = Organisation.objects.filter(kvk_number=kvk_number).order_by("pk").first()
        if organisation is None:
            organisation = Organisation(name=name.strip(), kvk_number=kvk_number)
            organisation.full_clean()
            organisation.save()
    return organisation


def set_portal_member(
    *, organisation: Organisation, user: AbstractBaseUser | None, member: bool = True
) -> None:
    """Mark whether the business has someone with an account in the member portal."""
    with transaction.atomic(), set_actor(user):
        organisation = Organisation.objects.get(pk=organisation.pk)
        if organisation.portal_member != member:
            organisation.portal_member = member
            organisation.save(update_fields=["portal_member", "updated_at"])


# Imports from the admin: the file is read and checked by crm.importing, kept between the mapping
# screen and the worker, and imported by the task crm.tasks.run_import.


def open_import(*, file, filename: str, user: AbstractBaseUser) -> ImportBatch:
    """Keep an uploaded file and open its import batch; a worker reads it (crm.tasks.read_import).

    The request only stores the bytes (size-checked): a file is parsed in the worker, never in a
    web process, so a hostile one (a zip bomb, millions of rows) cannot keep the site busy.
    Raises importing.ImportFileError (with a message for the user) when the file is too large.
    """
    data = importing.read_bytes(file)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            filename=filename[:255],
            file_sha256=importing.file_sha256(data),
            status=ImportBatch.Status.READING,
            created_by=user,
        )
        importing.store_upload(batch=batch, data=data)
        batch_id = batch.pk
        transaction.on_commit(lambda: read_import.delay(batch_id))
    return batch


def save_import_mapping(*, batch: ImportBatch, mapping: dict[str, str]) -> None:
    """Remember what each column of the file is; the worker reads the file again for the preview."""
    with transaction.atomic():
        batch.column_mapping = mapping
        batch.status = ImportBatch.Status.READING
        batch.save(update_fields=["column_mapping", "status"])
        batch_id = batch.pk
        transaction.on_commit(lambda: read_import.delay(batch_id))


def start_import(*, batch: ImportBatch, mapping: dict[str, str]) -> None:
    """Start importing the batch with this mapping; a worker runs it once the transaction commits."""
    with transaction.atomic():
        batch.column_mapping = mapping
        batch.status = ImportBatch.Status.RUNNING
        batch.save(update_fields=["column_mapping", "status"])
        batch_id = batch.pk
        transaction.on_commit(lambda: run_import.delay(batch_id))
