"""Putting the migrations' data back after a transactional test, one INSERT per table.

Django restores it (`serialized_rollback`, and tests/conftest.py's MigrationsData) by saving each of
the ~700 rows on its own, an UPDATE and then an INSERT: a second per transactional test, over a
minute of a run. The tables were just emptied, so each model's rows can go in at once. The rows,
the order, the transaction and the constraint check stay Django's; what is left out are the
pre/post_save signals a raw save sends, which a restore of rows has no use for.

The first transactional test after the others finds the migrations' rows still there (theirs were
rolled back, not emptied): as Django's save() updates a row whose key exists, a row whose key is
taken is written over (INSERT … ON CONFLICT DO UPDATE, on PostgreSQL and SQLite alike).
"""

from io import StringIO

from django.core import serializers
from django.db import models
from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.transaction import atomic


def _bulk_insertable(model) -> bool:
    # A model with a parent table (a Wagtail page type) is saved as Django saves it: bulk_create
    # refuses multi-table inheritance.
    return not model._meta.parents


def _insert(batch, using) -> None:
    """One model's deserialized rows, then their many-to-many links, each table in one INSERT."""
    if not batch:
        return
    model = type(batch[0].object)
    pk = model._meta.pk
    fields = [f.name for f in model._meta.concrete_fields if f is not pk and not f.generated]
    objects = model._base_manager.using(using)
    if fields:
        objects.bulk_create(
            [item.object for item in batch],
            update_conflicts=True,
            unique_fields=[pk.name],
            update_fields=fields,
        )
    else:
        objects.bulk_create([item.object for item in batch], ignore_conflicts=True)
    links: dict = {}
    for item in batch:
        for accessor, values in (item.m2m_data or {}).items():
            field = model._meta.get_field(accessor)
            through = getattr(field.remote_field, "through", None)
            if isinstance(field, models.ManyToManyField) and through._meta.auto_created:
                own, other = field.m2m_field_name(), field.m2m_reverse_field_name()
                links.setdefault(through, []).extend(
                    through(**{f"{own}_id": item.object.pk, f"{other}_id": value}) for value in values
                )
            else:
                getattr(item.object, accessor).set(values)
    for through, rows in links.items():
        through._base_manager.using(using).bulk_create(rows, ignore_conflicts=True)


def deserialize_db_from_string(self, data):
    """BaseDatabaseCreation.deserialize_db_from_string, with each model's rows inserted together."""
    using = self.connection.alias
    table_names = set()
    with atomic(using=using):
        with self.connection.constraint_checks_disabled():
            batch = []
            for item in serializers.deserialize("json", StringIO(data), using=using):
                model = type(item.object)
                table_names.add(model._meta.db_table)
                if batch and type(batch[0].object) is not model:
                    _insert(batch, using)
                    batch = []
                if _bulk_insertable(model):
                    batch.append(item)
                else:
                    item.save()
            _insert(batch, using)
        self.connection.check_constraints(table_names=table_names)


def install() -> None:
    BaseDatabaseCreation.deserialize_db_from_string = deserialize_db_from_string
