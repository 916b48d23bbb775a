"""A person's rights under the AVG (GDPR): the request of access (export) and erasure.

Also home to the small audit helpers the privacy and merge services share: the acting user for
django-auditlog's automatic entries, and the one summary entry each of these actions writes.
"""

import contextlib
import json
from collections.abc import Iterator
from typing import Any

from auditlog.context import auditlog_value, disable_auditlog, set_extra_data
from auditlog.models import LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Model, Prefetch, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crm.models import (
    AccessRequest,
    Consent,
    EmailAddress,
    FollowUp,
    Interaction,
    MergeRecord,
    Person,
    PhoneNumber,
    Role,
)
from stadshart.models import CentreSettings

# What an erased person is called from then on: the record stays so that history still counts.
ERASED_LAST_NAME = "Verwijderd"
REDACTED = "***"
# The records that belong to a person and whose audit entries therefore hold personal data.
PERSON_RECORD_MODELS: tuple[type[Model], ...] = (EmailAddress, PhoneNumber, Role, Consent)


class AlreadyErased(Exception):
    """The person was erased before: erasing twice would rewrite the evidence of the first time."""


@contextlib.contextmanager
def acting_as(user: AbstractBaseUser | None) -> Iterator[None]:
    """Attribute auditlog's automatic entries to `user`, also outside a web request.

    Like auditlog's set_actor(), but nestable: auditlog's context managers leave their own context
    in the ContextVar when they exit, which would stop an enclosing one (AuditlogMiddleware's) from
    disconnecting its receiver and would lose the request's remote address; both are restored.
    """
    outer = auditlog_value.get(None)
    # Keep what an enclosing context knows (the request's remote address); only the actor changes.
    context = {key: value for key, value in (outer or {}).items() if key != "signal_duid"}
    context["actor"] = user
    try:
        with set_extra_data(context):
            yield
    finally:
        if outer is not None:
            auditlog_value.set(outer)


def log_event(
    *,
    instance: Model,
    user: AbstractBaseUser | None,
    event: str,
    changes: dict[str, list[str]] | None = None,
    details: dict[str, Any] | None = None,
    action: int = LogEntry.Action.UPDATE,
) -> LogEntry:
    """Write one audit entry for an action that auditlog cannot see by itself (erase, merge, export).

    `additional_data["event"]` names the action; the history screen shows it as a sentence.
    """
    return LogEntry.objects.log_create(
        instance,
        force_log=True,
        action=action,
        changes=changes or {},
        actor=user,
        actor_email=getattr(user, "email", None) or None,
        additional_data={"event": event, **(details or {})},
    )


def person_log_entries(*, person: Person) -> Q:
    """A filter for the audit entries about a person and the records that belong to them.

    Records the person no longer has (a deleted email address) are found through the `person`
    value their creation entry recorded, so that erasure also reaches those.
    """
    content_types = ContentType.objects.get_for_models(Person, *PERSON_RECORD_MODELS)
    person_type = content_types[Person]
    # People merged into this one were the same person: their trail is about them too.
    person_ids, new_ids = {person.pk}, {person.pk}
    while new_ids:
        merged = LogEntry.objects.filter(
            content_type=person_type, object_id__in=new_ids, additional_data__event="merged"
        ).values_list("additional_data__duplicate_id", flat=True)
        new_ids = {int(pk) for pk in merged if pk is not None} - person_ids
        person_ids |= new_ids
    child_types = [content_types[model] for model in PERSON_RECORD_MODELS]
    child_ids: dict[int, set[int]] = {content_type.pk: set() for content_type in child_types}
    created_for_person = LogEntry.objects.filter(
        content_type__in=child_types,
        action=LogEntry.Action.CREATE,
        changes__person__1__in=[str(pk) for pk in person_ids],
    ).values_list("content_type_id", "object_id")
    for content_type_id, object_id in created_for_person:
        child_ids[content_type_id].add(object_id)
    for model in PERSON_RECORD_MODELS:
        child_ids[content_types[model].pk].update(
            model._base_manager.filter(person=person).values_list("pk", flat=True)
        )
    condition = Q(content_type=person_type, object_id__in=person_ids)
    for content_type_id, ids in child_ids.items():
        if ids:
            condition |= Q(content_type_id=content_type_id, object_id__in=ids)
    return condition


def export_person(*, person: Person) -> dict[str, Any]:
    """Everything stored about a person, as JSON-ready data (AVG article 15, request of access).

    Runs a fixed number of queries whatever the number of interactions: all relations are prefetched.
    Notes of contacts they attended are included, because they are about them.
    """
    person = (
        Person.objects.filter(pk=person.pk)
        .prefetch_related(
            "emails",
            "phones",
            "interests",
            "consents",
            Prefetch("roles", queryset=Role.objects.select_related("organisation")),
            Prefetch(
                "interactions",
                queryset=Interaction.objects.select_related("staff").prefetch_related(
                    "organisations",
                    "topics",
                    Prefetch(
                        "follow_ups",
                        queryset=FollowUp.objects.select_related("organisation", "assigned_to"),
                    ),
                ),
            ),
        )
        .get()
    )
    entries = (
        LogEntry.objects.filter(person_log_entries(person=person))
        .select_related("actor", "content_type")
        .order_by("timestamp", "pk")
    )
    return {
        "id": person.pk,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "preferred_language": person.preferred_language,
        "created_at": _iso(person.created_at),
        "updated_at": _iso(person.updated_at),
        "erased_at": _iso(person.erased_at),
        "email_addresses": [
            {"email": address.email, "primary": address.is_primary} for address in person.emails.all()
        ],
        "phone_numbers": [{"number": phone.number, "kind": phone.kind} for phone in person.phones.all()],
        "roles": [
            {
                "organisation": role.organisation.name,
                "organisation_id": role.organisation_id,
                "title": role.title,
                "primary_contact": role.is_primary_contact,
            }
            for role in person.roles.all()
        ],
        "interests": [interest.name for interest in person.interests.all()],
        "consents": [
            {
                "topic": consent.topic,
                "granted": consent.granted,
                "recorded_at": _iso(consent.recorded_at),
                "source": consent.source,
                "wording": consent.wording,
            }
            for consent in person.consents.all()
        ],
        "interactions": [_export_interaction(interaction) for interaction in person.interactions.all()],
        "audit_trail": [
            {
                "timestamp": _iso(entry.timestamp),
                "record": entry.content_type.model,
                "record_id": entry.object_id,
                "action": entry.get_action_display(),
                "by": _user_name(entry.actor) or entry.actor_email or "",
                "changes": entry.changes or {},
                "event": (entry.additional_data or {}).get("event", ""),
            }
            for entry in entries
        ],
    }


def _export_interaction(interaction: Interaction) -> dict[str, Any]:
    return {
        "occurred_at": _iso(interaction.occurred_at),
        "kind": interaction.kind,
        "subject": interaction.subject,
        "notes": interaction.notes,
        "staff": _user_name(interaction.staff),
        "organisations": [organisation.name for organisation in interaction.organisations.all()],
        "topics": [topic.name for topic in interaction.topics.all()],
        "follow_ups": [
            {
                "description": follow_up.description,
                "due_on": follow_up.due_on.isoformat(),
                "done_at": _iso(follow_up.done_at),
                "organisation": follow_up.organisation.name if follow_up.organisation else "",
                "assigned_to": _user_name(follow_up.assigned_to),
            }
            for follow_up in interaction.follow_ups.all()
        ],
    }


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _user_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def own_data(*, person: Person) -> dict[str, Any]:
    """What a person gets at once when they ask for their data themselves (the member portal): what
    they gave us and what they agreed to. Nothing staff wrote about them and no staff names: that is
    part of the full request of access (`request_access`), which a person reads before it goes out,
    because notes of a contact may be about others too. A fixed number of queries.
    """
    person = (
        Person.objects.filter(pk=person.pk)
        .prefetch_related(
            "emails",
            "phones",
            "interests",
            "consents",
            Prefetch("roles", queryset=Role.objects.select_related("organisation")),
        )
        .get()
    )
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "preferred_language": person.preferred_language,
        "email_addresses": [
            {"email": address.email, "primary": address.is_primary} for address in person.emails.all()
        ],
        "phone_numbers": [{"number": phone.number, "kind": phone.kind} for phone in person.phones.all()],
        "roles": [
            {"organisation": role.organisation.name, "title": role.title} for role in person.roles.all()
        ],
        "interests": [interest.name for interest in person.interests.all()],
        "consents": [
            {
                "topic": consent.topic,
                "granted": consent.granted,
                "recorded_at": _iso(consent.recorded_at),
                "source": consent.source,
                "wording": consent.wording,
            }
            for consent in person.consents.all()
        ],
    }


def log_own_data_download(*, person: Person, user: AbstractBaseUser) -> LogEntry:
    return log_event(instance=person, user=user, event="own_data", action=LogEntry.Action.ACCESS)


class AccessRequestError(Exception):
    """A request of access cannot be answered this way; the message says why and what to do."""


@transaction.atomic
def request_access(*, person: Person, user: AbstractBaseUser | None, channel: str) -> AccessRequest:
    """Register a request of access (AVG art. 15); its answer is due within one month.

    Asking again while a request is open gives that request: the term runs from the first.
    """
    Person.objects.select_for_update().filter(pk=person.pk).first()
    existing = AccessRequest.objects.filter(person=person, status=AccessRequest.Status.OPEN).first()
    if existing is not None:
        return existing
    access_request = AccessRequest.objects.create(person=person, channel=channel, requested_by=user)
    log_event(
        instance=person,
        user=user,
        event="access_requested",
        details={"access_request": access_request.pk, "due_on": access_request.due_on.isoformat()},
    )
    return access_request


@transaction.atomic
def send_access_export(*, access_request: AccessRequest, user: AbstractBaseUser) -> AccessRequest:
    """Mail the person everything we hold about them (`export_person`) and close the request.

    The mail goes to the person's primary address; it leaves before the request is marked sent, so
    a mail server that refuses leaves the request open. Recorded in the person's audit trail.
    """
    access_request = (
        AccessRequest.objects.select_for_update().select_related("person").get(pk=access_request.pk)
    )
    if access_request.status != AccessRequest.Status.OPEN:
        raise AccessRequestError(_("This request was already answered."))
    person = access_request.person
    address = person.emails.order_by("-is_primary", "pk").values_list("email", flat=True).first()
    if not address:
        raise AccessRequestError(
            _("%(person)s has no email address: add one, or hand the data over another way.")
            % {"person": person}
        )
    data = export_person(person=person)
    with translation.override(person.preferred_language or "nl"):
        message = EmailMessage(
            subject=_("Your personal data (request of access)"),
            body="\n\n".join(
                [
                    _("Dear %(name)s,") % {"name": person.full_name},
                    _(
                        "You asked us which personal data we hold about you. The attached file holds "
                        "all of it: your details, your consents, the contacts we had with you and what "
                        "we noted about them, and every change to your data."
                    ),
                    _("Kind regards,"),
                ]
            )
            + "\n"
            + _centre_name(),
            to=[address],
        )
    filename = f"persoonsgegevens-{timezone.localdate():%Y-%m-%d}.json"
    message.attach(
        filename, json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2), "application/json"
    )
    message.send()
    access_request.status = AccessRequest.Status.SENT
    access_request.sent_at = timezone.now()
    access_request.sent_by = user
    access_request.sent_to = address
    access_request.save(update_fields=["status", "sent_at", "sent_by", "sent_to"])
    log_event(
        instance=person,
        user=user,
        event="exported",
        action=LogEntry.Action.ACCESS,
        details={"access_request": access_request.pk},
    )
    return access_request


def _centre_name() -> str:
    centre = CentreSettings.objects.order_by("pk").first()
    return centre.name if centre else "Stadshart"


def log_person_export(*, person: Person, user: AbstractBaseUser) -> LogEntry:
    """Record that someone downloaded a person's data: access to personal data is accounted for."""
    return log_event(instance=person, user=user, event="exported", action=LogEntry.Action.ACCESS)


@transaction.atomic
def erase_person(*, person: Person, user: AbstractBaseUser) -> list[str]:
    """Erase a person's personal data (AVG article 17), keeping what the organisation's history needs.

    What happens:
    - name → "" / "Verwijderd", preferred language back to the default, interests and search text
      cleared, `erased_at` set. The row itself stays, so contacts they attended still count and
      still show "Verwijderd" as an attendee.
    - Email addresses and phone numbers are deleted.
    - Roles are kept, anonymous: the organisation still sees that a contact was there (shown as
      "Verwijderd"), but the title and the primary-contact flag are cleared, because a title at a
      small business ("owner") can single out the person.
    - Interactions, their notes and follow-ups are kept: they are the organisation's history. Free
      text in notes is not rewritten; staff edit a note by hand if it names the person.
    - Consent rows are kept with their wording (the organisation's own text, not personal data) as
      evidence of what was agreed and withdrawn; a withdrawal row is added for every topic still
      granted, so the current choice of an erased person is always "no".
    - Audit entries about the person's records (person, emails, phones, roles, consents) have every
      old and new value replaced by "***"; one new entry "erased by <user>" holds no personal data.
      The changes above are made with auditlog switched off, or they would log the old values again.

    Returns the erased email addresses, which are stored nowhere else any more: a caller that must
    keep an erased address out of future newsletters (the newsletter's suppression list) does so
    with this list, as a hash if it can.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.erased_at is not None:
        raise AlreadyErased(
            _("This person was already erased on %(date)s.") % {"date": _date(person.erased_at)}
        )

    # Collect the audit filter before the records go: it needs the ids of emails and phones.
    entries_filter = person_log_entries(person=person)
    emails = list(person.emails.values_list("email", flat=True))
    counts = {
        "emails": len(emails),
        "phones": person.phones.count(),
        "roles": person.roles.count(),
        "interactions": person.interactions.count(),
    }
    now = timezone.now()
    with disable_auditlog():
        person.emails.all().delete()
        person.phones.all().delete()
        person.roles.update(title="", is_primary_contact=False)
        person.interests.clear()
        # A merge into this person keeps the other record's data for its undo: erased with the rest
        # (the merge can no longer be undone).
        MergeRecord.objects.filter(kind=MergeRecord.Kind.PERSON).filter(
            Q(kept_id=person.pk) | Q(absorbed_id=person.pk)  # an undone merge still holds its data
        ).delete()
        _withdraw_consents(person=person, user=user, now=now)
        Person.objects.filter(pk=person.pk).update(
            first_name="",
            last_name=ERASED_LAST_NAME,
            preferred_language=Person.Language.DUTCH,
            search_text="",
            erased_at=now,
            updated_at=now,
        )
    person.refresh_from_db()
    _redact_entries(LogEntry.objects.filter(entries_filter), person=person)
    log_event(
        instance=person,
        user=user,
        event="erased",
        changes={"erased_at": ["None", now.isoformat()]},
        details={"counts": counts},
    )
    return emails


def _withdraw_consents(*, person: Person, user: AbstractBaseUser, now) -> None:
    current: dict[str, Consent] = {}
    for consent in person.consents.order_by("-recorded_at", "-pk"):
        current.setdefault(consent.topic, consent)
    Consent.objects.bulk_create(
        Consent(
            person=person,
            topic=topic,
            granted=False,
            recorded_at=now,
            source=Consent.Source.STAFF,
            wording="Persoonsgegevens verwijderd op verzoek (AVG art. 17).",
            recorded_by=user,
        )
        for topic, consent in current.items()
        if consent.granted
    )


def _redact_entries(entries, *, person: Person) -> None:
    person_type = ContentType.objects.get_for_model(Person)
    redacted = []
    for entry in entries.only("pk", "content_type_id", "changes", "object_repr", "additional_data"):
        entry.changes = _redact_changes(entry.changes or {})
        entry.changes_text = ""
        entry.serialized_data = None
        entry.additional_data = _redact_additional_data(entry.additional_data)
        entry.object_repr = str(person) if entry.content_type_id == person_type.pk else REDACTED
        redacted.append(entry)
    LogEntry.objects.bulk_update(
        redacted,
        ["changes", "changes_text", "serialized_data", "additional_data", "object_repr"],
        batch_size=500,
    )


def _redact_changes(changes: dict) -> dict:
    """Every value becomes "***", except empty ones and the link to the (anonymised) person itself,
    which keeps the entries of deleted addresses findable in the person's history."""
    redacted = {}
    for field, values in changes.items():
        if field == "person":
            redacted[field] = values
        elif isinstance(values, dict):  # many-to-many: {"type": "m2m", "operation": ..., "objects": [...]}
            redacted[field] = {**values, "objects": [REDACTED for _object in values.get("objects", [])]}
        elif isinstance(values, list):
            redacted[field] = [_redact(value) for value in values]
        else:
            redacted[field] = _redact(values)
    return redacted


def _redact_additional_data(data: dict | None) -> dict | None:
    # What the history needs to read an event (which, how many, which record) is not personal.
    if not data:
        return None
    kept = {
        key: data[key]
        for key in ("event", "duplicate_id", "moved", "counts", "import_batches")
        if key in data
    }
    return kept or None


def _redact(value):
    return value if value in (None, "None", "") else REDACTED


def _date(value) -> str:
    return timezone.localtime(value).strftime("%d-%m-%Y")
