"""Merging duplicate organisations and people: everything the duplicate had moves to the record kept,
and the merge can be undone for UNDO_DAYS.

Rows are moved with queryset updates (one query per relation, whatever their number); the moves are
summarised in one audit entry on the kept record, and the duplicate's deletion is in the trail too.
Relations of other apps to an organisation or person (newsletter deliveries, portal accounts, …)
are moved by a generic pass over the model's reverse relations, so crm needs to know none of them.

Every merge writes a MergeRecord: the duplicate as it was, the kept record's fields before the merge,
the ids of every row that moved and every row the merge deleted or changed (a role merged into the
kept one, a link both had). undo_merge() puts the duplicate back with its own id (so its audit trail
is whole again), moves those rows back and gives the kept record its old values.
"""

import datetime as dt
import json
from decimal import Decimal
from typing import Any
from uuid import UUID

from auditlog.context import disable_auditlog
from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from crm import tallies
from crm.models import (
    Consent,
    EmailAddress,
    ImportedRecord,
    Interaction,
    MergeRecord,
    NotADuplicate,
    Organisation,
    Person,
    PhoneNumber,
    Relation,
    Role,
)
from crm.privacy import acting_as, log_event

# How long a merge can be undone. After that the record's details are of no use (and are personal
# data): the undo button is gone and forget_old_merges() may delete them.
UNDO_DAYS = 30


class MergeError(Exception):
    """The two records cannot be merged; the message says why, in the user's language."""


# Fields never copied from the duplicate: identity, bookkeeping and derived values.
_NOT_FILLED = {"id", "created_at", "updated_at", "search_text", "name_text", "erased_at", "last_contact_at"}
# Numbers that tell two businesses apart: merging two records that have different ones needs a
# confirmation that names them (numbers_confirmed=True).
NUMBER_FIELDS = ("kvk_number", "branch_number")


def choosable_fields(model: type[Model]) -> list:
    """The fields a person chooses per merge: which record's value the merged record gets."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.name not in _NOT_FILLED and field.editable and not field.primary_key
    ]


def different_numbers(keep: Model, duplicate: Model) -> list[tuple[str, str, str]]:
    """(label, kept value, duplicate's value) for every business number both have, differently."""
    found = []
    for name in NUMBER_FIELDS:
        if not hasattr(keep, name):
            continue
        kept, offered = getattr(keep, name), getattr(duplicate, name)
        if kept and offered and kept != offered:
            found.append((str(keep._meta.get_field(name).verbose_name), kept, offered))
    return found


class _Recorder:
    """Collects what a merge changes, for its MergeRecord."""

    def __init__(self):
        self.moved: list[dict] = []
        self.deleted: list[dict] = []
        self.changed: list[dict] = []
        self.added_to_kept: dict[str, list[int]] = {}

    def move(self, queryset: QuerySet, field: str, target: Model) -> int:
        ids = list(queryset.values_list("pk", flat=True))
        if ids:
            self.moved.append({"model": queryset.model._meta.label_lower, "field": field, "ids": ids})
            queryset.model._base_manager.filter(pk__in=ids).update(**{field: target})
        return len(ids)

    def delete(self, queryset_or_rows) -> int:
        rows = list(queryset_or_rows)
        if rows:
            self.deleted.extend(_serialise(rows))
            type(rows[0])._base_manager.filter(pk__in=[row.pk for row in rows]).delete()
        return len(rows)

    def before_change(self, row: Model) -> None:
        self.changed.extend(_serialise([row]))


def _serialise(rows) -> list[dict]:
    # Django's "python" form made JSON-safe by hand: its "json" form cuts times to milliseconds, and
    # an undo must give back the exact values.
    return json.loads(json.dumps(serializers.serialize("python", rows), default=_jsonable))


def _jsonable(value):
    if isinstance(value, dt.date | dt.time):  # datetimes too
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    raise TypeError(f"Cannot keep {type(value).__name__} in a merge record")


def _restore(rows: list[dict]) -> None:
    for restored in serializers.deserialize("python", rows):
        restored.save()


@transaction.atomic
def merge_organisations(
    *,
    keep: Organisation,
    duplicate: Organisation,
    user: AbstractBaseUser,
    take: set[str] | None = None,
    numbers_confirmed: bool = False,
) -> Organisation:
    """Move everything of `duplicate` to `keep`, then delete it; undo_merge() can split them again.

    `take`: the fields whose value comes from the duplicate (the person's choice per field); without
    it, the duplicate fills the fields `keep` left empty. Two records with different KvK or branch
    numbers are usually two businesses: they merge only with `numbers_confirmed`.
    """
    if keep.pk == duplicate.pk:
        raise MergeError(_("A record cannot be merged with itself."))
    keep, duplicate = _lock(Organisation, keep, duplicate)
    numbers = different_numbers(keep, duplicate)
    if numbers and not numbers_confirmed:
        raise MergeError(
            _(
                "Different %(what)s (%(kept)s and %(offered)s): these may be two businesses. "
                "Confirm to merge them anyway."
            )
            % {"what": numbers[0][0], "kept": numbers[0][1], "offered": numbers[0][2]}
        )
    record = _Recorder()
    absorbed, kept_before = _serialise([duplicate])[0], {**_serialise([keep])[0], "_name": str(keep)}
    moved: dict[str, int] = {}
    with acting_as(user):
        moved["roles"] = _move_roles(
            record, Role.objects.filter(organisation=duplicate), "person", organisation=keep
        )
        moved["interactions"] = _move_m2m(
            record, Interaction.organisations.through, "organisation", duplicate, keep
        )
        moved["signals"] = record.move(duplicate.signals.all(), "organisation", keep)
        moved["follow_ups"] = record.move(duplicate.follow_ups.all(), "organisation", keep)
        moved["occupancies"] = record.move(duplicate.occupancies.all(), "organisation", keep)
        moved["premises"] = record.move(duplicate.owned_premises.all(), "owner", keep)
        moved["position_changes"] = record.move(duplicate.position_changes.all(), "organisation", keep)
        moved["relations"] = _move_relations(record, keep=keep, duplicate=duplicate)
        moved["interests"] = _union_interests(record, keep=keep, duplicate=duplicate)
        import_batches = _detach_imported(record, Organisation, keep=keep, duplicate=duplicate)
        moved.update(
            _move_other_relations(
                record,
                Organisation,
                keep=keep,
                duplicate=duplicate,
                handled={
                    "roles",
                    "interactions",
                    "signals",
                    "follow_ups",
                    "occupancies",
                    "owned_premises",
                    "position_changes",
                    "relations_from",
                    "relations_to",
                    "interests",
                    "people",
                },
            )
        )
        filled = _take_fields(keep=keep, duplicate=duplicate, take=take)
        if duplicate.last_contact_at and (
            not keep.last_contact_at or duplicate.last_contact_at > keep.last_contact_at
        ):
            keep.last_contact_at = duplicate.last_contact_at
        summary = {
            "duplicate_id": duplicate.pk,
            "duplicate_name": str(duplicate),
            "moved": _nonzero(moved),
            "import_batches": import_batches,
        }
        duplicate.delete()
        # Saved after the duplicate is gone (a filled-in branch number is unique), without an entry
        # of its own: the merge entry below records the filled-in fields.
        with disable_auditlog():
            keep.save()
        # The contacts moved with UPDATE (no signals): count them with the business they now belong to.
        tallies.refresh(days=tallies.days_of(organisations=[keep.pk]), organisations=[keep.pk])
    merge = _keep_record(
        record,
        MergeRecord.Kind.ORGANISATION,
        keep,
        duplicate,
        absorbed,
        kept_before,
        [*filled, "last_contact_at"],
        user,
    )
    log_event(
        instance=keep, user=user, event="merged", changes=filled, details={**summary, "merge": merge.pk}
    )
    keep.merge_record = merge
    return keep


@transaction.atomic
def merge_people(
    *, keep: Person, duplicate: Person, user: AbstractBaseUser, take: set[str] | None = None
) -> Person:
    """Move everything of `duplicate` to `keep`, then delete it; undo_merge() can split them again.

    Email addresses all move; `keep` keeps its primary address if it has one. Consent rows all
    move: the newest row per topic, of either person, is then the current choice.
    """
    if keep.pk == duplicate.pk:
        raise MergeError(_("A record cannot be merged with itself."))
    keep, duplicate = _lock(Person, keep, duplicate)
    if keep.erased_at or duplicate.erased_at:
        raise MergeError(_("An erased person cannot be merged."))
    record = _Recorder()
    absorbed, kept_before = _serialise([duplicate])[0], {**_serialise([keep])[0], "_name": str(keep)}
    moved: dict[str, int] = {}
    with acting_as(user):
        moved["roles"] = _move_roles(
            record, Role.objects.filter(person=duplicate), "organisation", person=keep
        )
        moved["interactions"] = _move_m2m(record, Interaction.attendees.through, "person", duplicate, keep)
        if EmailAddress.objects.filter(person=keep, is_primary=True).exists():
            for address in EmailAddress.objects.filter(person=duplicate, is_primary=True):
                record.before_change(address)
            EmailAddress.objects.filter(person=duplicate).update(is_primary=False)
        moved["emails"] = record.move(EmailAddress.objects.filter(person=duplicate), "person", keep)
        known_numbers = set(PhoneNumber.objects.filter(person=keep).values_list("number", flat=True))
        record.delete(PhoneNumber.objects.filter(person=duplicate, number__in=known_numbers))
        moved["phones"] = record.move(PhoneNumber.objects.filter(person=duplicate), "person", keep)
        moved["consents"] = record.move(Consent.objects.filter(person=duplicate), "person", keep)
        moved["interests"] = _union_interests(record, keep=keep, duplicate=duplicate)
        import_batches = _detach_imported(record, Person, keep=keep, duplicate=duplicate)
        moved.update(
            _move_other_relations(
                record,
                Person,
                keep=keep,
                duplicate=duplicate,
                handled={
                    "roles",
                    "interactions",
                    "emails",
                    "phones",
                    "consents",
                    "interests",
                    "organisations",
                },
            )
        )
        filled = _take_fields(keep=keep, duplicate=duplicate, take=take)
        summary = {
            "duplicate_id": duplicate.pk,
            "duplicate_name": str(duplicate),
            "moved": _nonzero(moved),
            "import_batches": import_batches,
        }
        duplicate.delete()
        with disable_auditlog():  # the merge entry below records the filled-in fields
            keep.save()  # Person.save() also refreshes the search text with the moved addresses
    merge = _keep_record(
        record, MergeRecord.Kind.PERSON, keep, duplicate, absorbed, kept_before, [*filled], user
    )
    log_event(
        instance=keep, user=user, event="merged", changes=filled, details={**summary, "merge": merge.pk}
    )
    keep.merge_record = merge
    return keep


def _keep_record(record, kind, keep, duplicate, absorbed, kept_before, fields, user) -> MergeRecord:
    return MergeRecord.objects.create(
        kind=kind,
        kept_id=keep.pk,
        absorbed_id=absorbed["pk"],
        # Its name before the merge: the merged record may have taken the other's name.
        kept_name=str(kept_before.get("_name", keep))[:250],
        absorbed_name=str(duplicate)[:250],  # its pk is gone since delete(); the name stays
        absorbed=absorbed,
        # Only the fields the merge changed, with their value after it: an undo puts back the old
        # value only where nobody changed the field since.
        kept_before={"row": kept_before, "after": _serialise([keep])[0], "fields": sorted(set(fields))},
        deleted_rows=record.deleted,
        changed_rows=record.changed,
        moved=record.moved,
        links={"added_to_kept": record.added_to_kept},
        merged_by=user,
    )


def undo_deadline(merge: MergeRecord) -> dt.datetime:
    return merge.merged_at + dt.timedelta(days=UNDO_DAYS)


def can_undo(merge: MergeRecord) -> bool:
    return merge.undone_at is None and timezone.now() < undo_deadline(merge)


@transaction.atomic
def undo_merge(*, merge: MergeRecord, user: AbstractBaseUser) -> tuple[Model, Model]:
    """Split a merge again: the absorbed record comes back with its own id and everything it brought
    goes back to it; the kept record gets back the values it had. Returns (kept, restored)."""
    merge = MergeRecord.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise MergeError(_("This merge was already undone."))
    if not can_undo(merge):
        raise MergeError(
            _("A merge can be undone for %(days)s days; this one is older.") % {"days": UNDO_DAYS}
        )
    model = Organisation if merge.kind == MergeRecord.Kind.ORGANISATION else Person
    kept = model.objects.select_for_update().filter(pk=merge.kept_id).first()
    if kept is None:
        raise MergeError(_("The merged record no longer exists, so the merge cannot be undone."))
    if model.objects.filter(pk=merge.absorbed_id).exists():
        raise MergeError(_("This merge was already undone."))
    try:
        with transaction.atomic(), acting_as(user):
            before = next(serializers.deserialize("python", [merge.kept_before["row"]])).object
            now, after = _serialise([kept])[0]["fields"], merge.kept_before["after"]["fields"]
            for name in merge.kept_before["fields"]:
                if now.get(name) == after.get(name):  # not changed since the merge
                    field = model._meta.get_field(name)
                    setattr(kept, field.attname, getattr(before, field.attname))
            for name, ids in merge.links.get("added_to_kept", {}).items():
                getattr(kept, name).remove(*ids)
            with disable_auditlog():
                kept.save()
            _restore([merge.absorbed])
            _restore(merge.deleted_rows)
            for moved in merge.moved:
                related = apps.get_model(moved["model"])
                field = related._meta.get_field(moved["field"])
                related._base_manager.filter(pk__in=moved["ids"], **{field.attname: kept.pk}).update(
                    **{field.attname: merge.absorbed_id}
                )
            _restore(merge.changed_rows)
            restored = model.objects.get(pk=merge.absorbed_id)
            if model is Organisation:
                both = [kept.pk, restored.pk]
                tallies.refresh(days=tallies.days_of(organisations=both), organisations=both)
            if model is Person:
                kept.refresh_search_text()
                restored.refresh_search_text()
    except IntegrityError as error:
        raise MergeError(
            _("The merge cannot be undone: what was merged has changed too much since.")
        ) from error
    merge.undone_at = timezone.now()
    merge.undone_by = user
    merge.save(update_fields=["undone_at", "undone_by"])
    details = {"merge": merge.pk, "duplicate_id": restored.pk, "duplicate_name": str(restored)}
    log_event(instance=kept, user=user, event="merge_undone", details=details)
    log_event(instance=restored, user=user, event="merge_undone", details={**details, "kept_id": kept.pk})
    return kept, restored


def forget_old_merges() -> int:
    """Delete the details of merges that can no longer be undone (they hold the absorbed record's data)."""
    deleted, _counts = MergeRecord.objects.filter(
        merged_at__lt=timezone.now() - dt.timedelta(days=UNDO_DAYS)
    ).delete()
    return deleted


def _lock(model: type[Model], keep: Model, duplicate: Model) -> tuple[Any, Any]:
    # Lock in a fixed order so that two merges of the same pair cannot deadlock.
    rows = model.objects.select_for_update().in_bulk(sorted([keep.pk, duplicate.pk]))
    if keep.pk not in rows or duplicate.pk not in rows:
        raise MergeError(_("One of the records no longer exists."))
    return rows[keep.pk], rows[duplicate.pk]


def _move_roles(record: _Recorder, roles, other_side: str, **target) -> int:
    """Move roles to the kept record; where it already has a role at the same place, merge the two."""
    ((target_field, target_value),) = target.items()
    existing = {
        getattr(role, f"{other_side}_id"): role
        for role in Role.objects.filter(**{target_field: target_value})
    }
    moving = []
    count = 0
    for role in roles:
        current = existing.get(getattr(role, f"{other_side}_id"))
        if current is None:
            moving.append(role.pk)
        else:
            record.before_change(current)
            current.title = current.title or role.title
            current.is_primary_contact = current.is_primary_contact or role.is_primary_contact
            current.save()
            record.delete([role])
        count += 1
    record.move(Role.objects.filter(pk__in=moving), target_field, target_value)
    return count


def _move_m2m(record: _Recorder, through: type[Model], field: str, duplicate: Model, keep: Model) -> int:
    """Repoint an auto-created many-to-many table, dropping the links `keep` already has."""
    other = next(
        f.name for f in through._meta.get_fields() if f.is_relation and f.many_to_one and f.name != field
    )
    already = through.objects.filter(**{field: keep}).values(other)
    record.delete(through.objects.filter(**{field: duplicate, f"{other}__in": already}))
    return record.move(through.objects.filter(**{field: duplicate}), field, keep)


def _move_relations(record: _Recorder, *, keep: Organisation, duplicate: Organisation) -> int:
    """Move relations without creating a relation of `keep` with itself or the same relation twice."""
    moved = 0
    for own, other in (("from_organisation", "to_organisation"), ("to_organisation", "from_organisation")):
        moving = []
        for relation in Relation.objects.filter(**{own: duplicate}):
            target = getattr(relation, f"{other}_id")
            duplicate_of_existing = Relation.objects.filter(
                **{own: keep, f"{other}_id": target, "kind": relation.kind}
            ).exists()
            if target == keep.pk or duplicate_of_existing:
                record.delete([relation])
                continue
            moving.append(relation.pk)
        moved += record.move(Relation.objects.filter(pk__in=moving), own, keep)
    return moved


def _union_interests(record: _Recorder, *, keep: Model, duplicate: Model) -> int:
    # The duplicate's own links come back with it on an undo (they are in its serialised row).
    added = list(duplicate.interests.exclude(pk__in=keep.interests.values("pk")))
    keep.interests.add(*added)
    record.added_to_kept["interests"] = [interest.pk for interest in added]
    return len(added)


def _detach_imported(record: _Recorder, model: type[Model], *, keep: Model, duplicate: Model) -> list[int]:
    """Take both records out of the imports that created them; return those imports' ids.

    Not a repoint to `keep`: undo_import() deletes the records an import lists, and the merged
    record holds what the other record had (and maybe predates the import), so undoing either
    import must not delete it. The ids go into the merge's audit entry, so the link stays traceable.
    """
    imported = list(
        ImportedRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=[keep.pk, duplicate.pk]
        )
    )
    batches = sorted({row.batch_id for row in imported})
    record.delete(imported)
    return batches


def _move_other_relations(
    record: _Recorder, model: type[Model], *, keep: Model, duplicate: Model, handled: set[str]
) -> dict:
    """Repoint foreign keys and many-to-many links of other apps that this module does not know."""
    moved = {}
    # Hidden ones too (related_name="+", e.g. a member's reports, a ballot's parties): left behind
    # they would be deleted with the duplicate.
    for relation in model._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete or relation.related_model is None:
            continue
        if relation.related_model._meta.auto_created:
            continue  # the table of a many-to-many field: moved through the field itself below
        name = relation.get_accessor_name() if hasattr(relation, "get_accessor_name") else relation.name
        if not name or name.endswith("+"):
            name = f"{relation.related_model._meta.label_lower}.{relation.field.name}"
        if name in handled:
            continue
        if relation.one_to_many or relation.one_to_one:
            field = relation.field.name
            manager = relation.related_model._base_manager
            try:
                with transaction.atomic():
                    moved[name] = record.move(manager.filter(**{field: duplicate}), field, keep)
            except IntegrityError as error:
                raise MergeError(
                    _("The records cannot be merged: %(what)s would be linked twice.")
                    % {"what": relation.related_model._meta.verbose_name_plural}
                ) from error
        elif relation.many_to_many:
            through = relation.through
            field = next(
                f.name
                for f in through._meta.get_fields()
                if f.is_relation and f.many_to_one and f.related_model is model
            )
            moved[name] = _move_m2m(record, through, field, duplicate, keep)
    return moved


def _take_fields(*, keep: Model, duplicate: Model, take: set[str] | None) -> dict[str, list[str]]:
    """Give `keep` the duplicate's value of each field in `take` (without `take`: of each field `keep`
    left empty); return them as audit changes."""
    filled = {}
    choosable = {field.name: field for field in choosable_fields(type(keep))}
    if take is not None:
        unknown = set(take) - set(choosable)
        if unknown:
            raise MergeError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name, field in choosable.items():
        current, offered = getattr(keep, field.attname), getattr(duplicate, field.attname)
        wanted = name in take if take is not None else current in (None, "") and offered not in (None, "")
        if wanted and current != offered:
            setattr(keep, field.attname, offered)
            filled[name] = ["None" if current is None else str(current), str(offered)]
    if filled:
        exclude = [f.name for f in keep._meta.concrete_fields if f.name not in filled]
        try:
            keep.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise MergeError(" ".join(error.messages)) from error
    return filled


def _nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {name: count for name, count in counts.items() if count}


def mark_not_duplicate(*, kind: str, first_id: int, second_id: int, user: AbstractBaseUser) -> NotADuplicate:
    """Remember that two records are different, so they are not offered as likely duplicates again."""
    if kind not in MergeRecord.Kind.values or first_id == second_id:
        raise MergeError(_("Choose two different records."))
    low, high = sorted([first_id, second_id])
    judgement, _created = NotADuplicate.objects.get_or_create(
        kind=kind, first_id=low, second_id=high, defaults={"decided_by": user}
    )
    return judgement
