"""The demo's bulk-loading helpers (stadshart.demo): they leave the schema as they found it."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from crm.models import Interaction, Interest, Role
from stadshart.demo import foreign_keys_checked_once, indexes_built_after, insert_rows
from tests.builders import make_organisation, make_person
from tests.services import missing_service


def require_postgresql():
    # Only PostgreSQL's keys are dropped and added back; elsewhere the helper does nothing.
    if connection.vendor != "postgresql":
        missing_service("PostgreSQL (foreign keys checked once)")


def foreign_keys(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE contype = 'f' AND conrelid = %s::regclass ORDER BY conname",
            [table],
        )
        return cursor.fetchall()


@pytest.mark.django_db
def test_foreign_keys_checked_once_puts_the_same_keys_back_and_still_refuses_a_row_pointing_nowhere():
    require_postgresql()
    before = foreign_keys(Role._meta.db_table)
    assert before
    organisation = make_organisation("Bakkerij De Korenschoof")
    # A role written earlier in the transaction: its check is still pending when the load begins.
    make_person("Fatima", "Bouzid", organisation=organisation)
    person = make_person("Daan", "Verhoeven")
    with foreign_keys_checked_once(Role):
        assert foreign_keys(Role._meta.db_table) == []
        insert_rows(
            Role,
            ["person", "organisation", "title", "is_primary_contact"],
            [(person.pk, organisation.pk, "Eigenaar", True)],
        )
    assert foreign_keys(Role._meta.db_table) == before
    assert Role.objects.filter(person=person, organisation=organisation).exists()

    # A row that points nowhere fails the load, as it would have failed the COMMIT.
    with pytest.raises(IntegrityError), transaction.atomic():
        with foreign_keys_checked_once(Role):
            insert_rows(
                Role,
                ["person", "organisation", "title", "is_primary_contact"],
                [(person.pk + 1000, organisation.pk, "Medewerker", False)],
            )
    assert foreign_keys(Role._meta.db_table) == before

    # A load that fails half way leaves the keys as they were.
    with pytest.raises(RuntimeError, match="half way"), transaction.atomic():
        with foreign_keys_checked_once(Role):
            raise RuntimeError("half way")
    assert foreign_keys(Role._meta.db_table) == before


def plain_indexes(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s ORDER BY indexname", [table])
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_indexes_built_after_puts_the_same_indexes_back_and_keeps_those_of_constraints():
    require_postgresql()
    table = Interaction.topics.through._meta.db_table
    before = plain_indexes(table)
    interest = Interest.objects.create(name="Proefthema", slug="proefthema")
    interaction = Interaction.objects.create(
        kind="bezoek", occurred_at=timezone.now(), subject="Kennismaking"
    )
    with indexes_built_after(Interaction.topics.through):
        # The key and the unique pair stay; the two plain indexes are gone until the load is done.
        assert len(plain_indexes(table)) == len(before) - 2
        insert_rows(Interaction.topics.through, ["interaction", "interest"], [(interaction.pk, interest.pk)])
    assert plain_indexes(table) == before
    assert list(interaction.topics.all()) == [interest]

    # A load that fails half way leaves the indexes as they were.
    with pytest.raises(RuntimeError, match="half way"), transaction.atomic():
        with indexes_built_after(Interaction.topics.through):
            raise RuntimeError("half way")
    assert plain_indexes(table) == before
