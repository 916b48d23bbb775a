"""Merging duplicate organisations and people: everything the duplicate had moves to the record kept.

Rows are moved with queryset updates (one query per relation, whatever their number); the moves are
summarised in one audit entry on the kept record, and the duplicate's deletion is in the trail too.
Relations of other apps to an organisation or person (newsletter deliveries, portal accounts, …)
are moved by a generic pass over the model's reverse relations, so crm needs to know none of them.
"""

from typing import Any

from auditlog.context import disable_auditlog
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from crm.models import (
    Consent,
    EmailAddress,
    ImportedRecord,
    Interaction,
    Organisation,
    Person,
    PhoneNumber,
    Relation,
    Role,
)
from crm.privacy import acting_as, log_event


class MergeError(Exception):
    """The two records cannot be merged; the message says why, in the user's language."""


# Fields never copied from the duplicate: identity, bookkeeping and derived values.
_NOT_FILLED = {"id", "created_at", "updated_at", "search_text", "name_text", "erased_at"}


@transaction.atomic
def merge_organisations(
    *, keep: Organisation, duplicate: Organisation, user: AbstractBaseUser
) -> Organisation:
    """Move everything of `duplicate` to `keep`, fill `keep`'s empty fields from it, delete it."""
    if keep.pk == duplicate.pk:
        raise MergeError(_("A record cannot be merged with itself."))
    keep, duplicate = _lock(Organisation, keep, duplicate)
    moved: dict[str, int] = {}
    with acting_as(user):
        moved["roles"] = _move_roles(Role.objects.filter(organisation=duplicate), "person", organisation=keep)
        moved["interactions"] = _move_m2m(Interaction.organisations.through, "organisation", duplicate, keep)
        moved["signals"] = duplicate.signals.update(organisation=keep)
        moved["follow_ups"] = duplicate.follow_ups.update(organisation=keep)
        moved["occupancies"] = duplicate.occupancies.update(organisation=keep)
        moved["premises"] = duplicate.owned_premises.update(owner=keep)
        moved["position_changes"] = duplicate.position_changes.update(organisation=keep)
        moved["relations"] = _move_relations(keep=keep, duplicate=duplicate)
        moved["interests"] = _union_interests(keep=keep, duplicate=duplicate)
        import_batches = _detach_imported(Organisation, keep=keep, duplicate=duplicate)
        moved.update(
            _move_other_relations(
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
        filled = _fill_empty_fields(keep=keep, duplicate=duplicate)
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
    log_event(instance=keep, user=user, event="merged", changes=filled, details=summary)
    return keep


@transaction.atomic
def merge_people(*, keep: Person, duplicate: Person, user: AbstractBaseUser) -> Person:
    """Move everything of `duplicate` to `keep`, fill `keep`'s empty fields from it, delete it.

    Email addresses all move; `keep` keeps its primary address if it has one. Consent rows all
    move: the newest row per topic, of either person, is then the current choice.
    """
    if keep.pk == duplicate.pk:
        raise MergeError(_("A record cannot be merged with itself."))
    keep, duplicate = _lock(Person, keep, duplicate)
    if keep.erased_at or duplicate.erased_at:
        raise MergeError(_("An erased person cannot be merged."))
    moved: dict[str, int] = {}
    with acting_as(user):
        moved["roles"] = _move_roles(Role.objects.filter(person=duplicate), "organisation", person=keep)
        moved["interactions"] = _move_m2m(Interaction.attendees.through, "person", duplicate, keep)
        if EmailAddress.objects.filter(person=keep, is_primary=True).exists():
            EmailAddress.objects.filter(person=duplicate).update(is_primary=False)
        moved["emails"] = EmailAddress.objects.filter(person=duplicate).update(person=keep)
        known_numbers = set(PhoneNumber.objects.filter(person=keep).values_list("number", flat=True))
        PhoneNumber.objects.filter(person=duplicate, number__in=known_numbers).delete()
        moved["phones"] = PhoneNumber.objects.filter(person=duplicate).update(person=keep)
        moved["consents"] = Consent.objects.filter(person=duplicate).update(person=keep)
        moved["interests"] = _union_interests(keep=keep, duplicate=duplicate)
        import_batches = _detach_imported(Person, keep=keep, duplicate=duplicate)
        moved.update(
            _move_other_relations(
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
        filled = _fill_empty_fields(keep=keep, duplicate=duplicate)
        summary = {
            "duplicate_id": duplicate.pk,
            "duplicate_name": str(duplicate),
            "moved": _nonzero(moved),
            "import_batches": import_batches,
        }
        duplicate.delete()
        with disable_auditlog():  # the merge entry below records the filled-in fields
            keep.save()  # Person.save() also refreshes the search text with the moved addresses
    log_event(instance=keep, user=user, event="merged", changes=filled, details=summary)
    return keep


def _lock(model: type[Model], keep: Model, duplicate: Model) -> tuple[Any, Any]:
    # Lock in a fixed order so that two merges of the same pair cannot deadlock.
    rows = model.objects.select_for_update().in_bulk(sorted([keep.pk, duplicate.pk]))
    if keep.pk not in rows or duplicate.pk not in rows:
        raise MergeError(_("One of the records no longer exists."))
    return rows[keep.pk], rows[duplicate.pk]


def _move_roles(roles, other_side: str, **target) -> int:
    """Move roles to the kept record; where it already has a role at the same place, merge the two."""
    ((target_field, target_value),) = target.items()
    existing = {
        getattr(role, f"{other_side}_id"): role
        for role in Role.objects.filter(**{target_field: target_value})
    }
    moved = 0
    for role in roles:
        current = existing.get(getattr(role, f"{other_side}_id"))
        if current is None:
            setattr(role, target_field, target_value)
            role.save()
        else:
            current.title = current.title or role.title
            current.is_primary_contact = current.is_primary_contact or role.is_primary_contact
            current.save()
            role.delete()
        moved += 1
    return moved


def _move_m2m(through: type[Model], field: str, duplicate: Model, keep: Model) -> int:
    """Repoint an auto-created many-to-many table, dropping the links `keep` already has."""
    other = next(
        f.name for f in through._meta.get_fields() if f.is_relation and f.many_to_one and f.name != field
    )
    already = through.objects.filter(**{field: keep}).values(other)
    through.objects.filter(**{field: duplicate, f"{other}__in": already}).delete()
    return through.objects.filter(**{field: duplicate}).update(**{field: keep})


def _move_relations(*, keep: Organisation, duplicate: Organisation) -> int:
    """Move relations without creating a relation of `keep` with itself or the same relation twice."""
    moved = 0
    for own, other in (("from_organisation", "to_organisation"), ("to_organisation", "from_organisation")):
        for relation in Relation.objects.filter(**{own: duplicate}):
            target = getattr(relation, f"{other}_id")
            duplicate_of_existing = Relation.objects.filter(
                **{own: keep, f"{other}_id": target, "kind": relation.kind}
            ).exists()
            if target == keep.pk or duplicate_of_existing:
                relation.delete()
                continue
            setattr(relation, own, keep)
            relation.save()
            moved += 1
    return moved


def _union_interests(*, keep: Model, duplicate: Model) -> int:
    new = duplicate.interests.exclude(pk__in=keep.interests.values("pk"))
    added = list(new)
    keep.interests.add(*added)
    return len(added)


def _detach_imported(model: type[Model], *, keep: Model, duplicate: Model) -> list[int]:
    """Take both records out of the imports that created them; return those imports' ids.

    Not a repoint to `keep`: undo_import() deletes the records an import lists, and the merged
    record holds what the other record had (and maybe predates the import), so undoing either
    import must not delete it. The ids go into the merge's audit entry, so the link stays traceable.
    """
    imported = ImportedRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=[keep.pk, duplicate.pk]
    )
    batches = sorted(set(imported.values_list("batch_id", flat=True)))
    imported.delete()
    return batches


def _move_other_relations(model: type[Model], *, keep: Model, duplicate: Model, handled: set[str]) -> dict:
    """Repoint foreign keys and many-to-many links of other apps that this module does not know."""
    moved = {}
    for relation in model._meta.get_fields():
        if not relation.auto_created or relation.concrete:
            continue
        name = relation.get_accessor_name() if hasattr(relation, "get_accessor_name") else relation.name
        if name in handled or relation.related_name == "+" or relation.related_model is None:
            continue
        if relation.one_to_many or relation.one_to_one:
            field = relation.field.name
            manager = relation.related_model._base_manager
            try:
                with transaction.atomic():
                    moved[name] = manager.filter(**{field: duplicate}).update(**{field: keep})
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
            moved[name] = _move_m2m(through, field, duplicate, keep)
    return moved


def _fill_empty_fields(*, keep: Model, duplicate: Model) -> dict[str, list[str]]:
    """Copy the duplicate's values into the fields `keep` left empty; return them as audit changes."""
    filled = {}
    for field in keep._meta.concrete_fields:
        if field.name in _NOT_FILLED or not field.editable or field.primary_key:
            continue
        current, offered = getattr(keep, field.attname), getattr(duplicate, field.attname)
        if current in (None, "") and offered not in (None, ""):
            setattr(keep, field.attname, offered)
            filled[field.name] = ["None" if current is None else str(current), str(offered)]
    if filled:
        exclude = [f.name for f in keep._meta.concrete_fields if f.name not in filled]
        try:
            keep.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise MergeError(" ".join(error.messages)) from error
    return filled


def _nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {name: count for name, count in counts.items() if count}
