"""The demo centre: the fictional town of Veldhaven, its centre organisation and its staff.

`manage.py seed_demo` calls `seed(ctx)` of each app's `demo` module, in APP_ORDER, so every app
adds its own data. Everything is drawn from `ctx.rng`, so one seed gives one centre. Names are
invented; no real person's data.
"""

import importlib
import random
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Site

from stadshart import roles
from stadshart.models import CentreSettings

# Apps that add demo data, in the order their data depends on each other. The year plan comes late:
# its demo sends a progress report, which reads the contributions; social posts are drafted from
# the newsletters, news, events and projects before them.
APP_ORDER = (
    "stadshart",
    "crm",
    "portal",
    "portal.members",
    "newsletter",
    "funding",
    "projects",
    "social",
    "insights",
)

TOWN = "Veldhaven"
ORGANISATION_NAME = "Centrummanagement Veldhaven"

# (username, first name, last name, role): the office of the centre organisation.
STAFF = [
    ("m.bakker", "Marloes", "Bakker", roles.CENTRUMMANAGER),
    ("s.devries", "Sanne", "de Vries", roles.ACCOUNTMANAGER),
    ("y.elamrani", "Youssef", "El Amrani", roles.ACCOUNTMANAGER),
    ("t.jansen", "Thijs", "Jansen", roles.ACCOUNTMANAGER),
    ("l.kok", "Lotte", "Kok", roles.COMMUNICATIE),
    ("r.visser", "Ruben", "Visser", roles.COMMUNICATIE),
    ("h.mulder", "Hanneke", "Mulder", roles.FACILITAIR),
    ("p.vandenberg", "Pieter", "van den Berg", roles.BESTUUR),
    ("a.smit", "Anouk", "Smit", roles.BESTUUR),
]


@dataclass
class DemoContext:
    """What every app's seeder gets: the random source, the scale and somewhere to report."""

    rng: random.Random
    scale: int
    write: Callable[[str], None] = print
    staff: dict = field(default_factory=dict)


def insert_rows(model, fields: list[str], rows) -> int:
    """Insert plain tuples into `model`'s table, for the millions of link rows of a large demo centre.

    bulk_create builds a model instance per row and adapts every value through the ORM: at
    `--scale 100` that was most of the seeding time. PostgreSQL gets the rows through COPY, other
    databases through executemany. No save(), signals or audit entries, as with bulk_create.
    Returns how many rows went in.
    """
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    model_fields = [model._meta.get_field(name) for name in fields]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in model_fields)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Binary COPY with the columns' own types: psycopg then writes a datetime as a number
            # instead of formatting text for the server to parse (a million contacts: 4.7 -> 1.1 s).
            # JSON values go in as they are, encoded by the jsonb type.
            cursor.execute(
                "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
                [model._meta.db_table],
            )
            types = dict(cursor.fetchall())
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:  # noqa: S608
                copy.set_types([types[field.column] for field in model_fields])
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            # Other databases get each value as the ORM would store it (SQLite keeps datetimes as
            # naive UTC text, booleans as integers); the demo there is small.
            rows = [
                tuple(
                    field.get_db_prep_save(value, connection)
                    for field, value in zip(model_fields, row, strict=True)
                )
                for row in rows
            ]
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
            count = len(rows)
    return count


def insert_objects(model, objects) -> int:
    """Unsaved instances whose keys are set (reserve_ids) through insert_rows, each field as
    bulk_create would write it (defaults, auto_now), without the ORM building SQL value by value.

    For the few thousand rows of a unit whose model computes something (search text) or has many
    columns; millions of rows are better as plain tuples.
    """
    fields = model._meta.concrete_fields
    return insert_rows(
        model,
        [field.name for field in fields],
        ([field.pre_save(obj, True) for field in fields] for obj in objects),
    )


def update_rows(model, fields: list[str], rows) -> int:
    """Set `fields` of the rows whose keys come first in each tuple of `rows`: (pk, *values).

    bulk_update writes a CASE with a branch per row for every field, batch after batch: ten
    thousand organisations took 25 s at `--scale 100`. PostgreSQL gets one UPDATE joined to the
    values as arrays; other databases an UPDATE per row through executemany. Returns how many rows.
    """
    from django.db import connection

    rows = list(rows)
    if not rows:
        return 0
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    key = model._meta.pk
    model_fields = [model._meta.get_field(name) for name in fields]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            columns = [key, *model_fields]
            arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in columns)
            names = ", ".join(f"c{n}" for n in range(len(columns)))
            assignments = ", ".join(f"{quote(field.column)} = v.c{n}" for n, field in enumerate(columns) if n)
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM unnest({arrays}) AS v({names})"  # noqa: S608 - our names
                f" WHERE {table}.{quote(key.column)} = v.c0",
                [list(column) for column in zip(*rows, strict=True)],
            )
        else:
            assignments = ", ".join(f"{quote(field.column)} = %s" for field in model_fields)
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE {quote(key.column)} = %s",  # noqa: S608 - our names
                [
                    (
                        *(
                            field.get_db_prep_save(value, connection)
                            for field, value in zip(model_fields, values, strict=True)
                        ),
                        pk,
                    )
                    for pk, *values in rows
                ],
            )
    return len(rows)


def reserve_ids(model, count: int) -> list[int]:
    """`count` primary keys for rows that insert_rows will bring, taken from the table's own counter.

    Rows that others point at (a delivery's events) need their keys before they are written; the
    keys come from the sequence on PostgreSQL, and on SQLite after the highest key the table ever
    gave (AUTOINCREMENT never reuses a deleted row's key; the demo loads in one transaction, and
    SQLite lets no other writer in meanwhile).
    """
    from django.db import connection

    if count <= 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence's name once: inside the select, pg_get_serial_sequence ran for every key
            # (half a million deliveries: 3.2 s instead of 0.4).
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count])
            return sorted(row[0] for row in cursor.fetchall())
        quoted_column, quoted_table = connection.ops.quote_name(column), connection.ops.quote_name(table)
        cursor.execute(f"SELECT COALESCE(MAX({quoted_column}), 0) FROM {quoted_table}")  # noqa: S608 - our names
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        given = cursor.fetchone()
        first = max(highest, given[0] if given else 0) + 1
    return list(range(first, first + count))


@contextmanager
def foreign_keys_checked_once(*models):
    """Inside the load's transaction: each foreign key of these tables is checked once, by one join,
    when the load is done, instead of once per row.

    Django's foreign keys on PostgreSQL are checked row by row at COMMIT (DEFERRABLE INITIALLY
    DEFERRED): at `--scale 100` that COMMIT took 100 s. So they are dropped for the load and added
    back, as they were, at the end; ADD CONSTRAINT checks every row at once and fails on a row that
    points nowhere, as COMMIT would have. The ALTERs take part in the transaction: a load that fails
    leaves the constraints as they were. Other databases check as before.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("foreign_keys_checked_once() belongs inside the load's transaction")
    quote = connection.ops.quote_name
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [tables],
        )
        keys = cursor.fetchall()
        _run_pending_checks(cursor, tables)
        for table, name, _ in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
    yield
    with connection.cursor() as cursor:
        _run_pending_checks(cursor, tables)
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")


@contextmanager
def indexes_built_after(*models):
    """Inside the load's transaction: the plain indexes of these tables are dropped for the load and
    built again, as they were, when it is done.

    A million rows entering six indexes one by one (a newsletter's events) took 19 s; the rows
    without them and the indexes built after 10 s. Indexes that back a constraint (keys, unique
    constraints) stay. The DROPs take part in the transaction: a load that fails leaves the indexes
    as they were. Other databases keep their indexes.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_built_after() belongs inside the load's transaction")
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
            " WHERE indrelid = ANY(%s::regclass[])"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid) ORDER BY 1",
            [tables],
        )
        indexes = cursor.fetchall()
        _run_pending_checks(cursor, tables)
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        _run_pending_checks(cursor, tables)
        for _, definition in indexes:
            cursor.execute(definition)


def _run_pending_checks(cursor, tables: list[str]) -> None:
    """Run now the deferred checks still pending on these tables and the tables they point at.

    ALTER TABLE refuses a table with pending checks (rows written earlier in the transaction), and
    adding or dropping a foreign key alters the table it points at too. Each constraint is then
    deferred again as it was declared.
    """
    from django.db import connection

    cursor.execute(
        "WITH loaded AS (SELECT unnest(%s::regclass[]) AS rel),"
        " near AS (SELECT rel FROM loaded UNION"
        "  SELECT confrelid FROM pg_constraint WHERE contype = 'f' AND conrelid IN (SELECT rel FROM loaded))"
        " SELECT DISTINCT conname, condeferred FROM pg_constraint WHERE condeferrable"
        " AND (conrelid IN (SELECT rel FROM near) OR confrelid IN (SELECT rel FROM near)) ORDER BY 1",
        [tables],
    )
    constraints = cursor.fetchall()
    if constraints:
        names = ", ".join(connection.ops.quote_name(name) for name, _ in constraints)
        cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")
        deferred = [
            connection.ops.quote_name(name) for name, initially_deferred in constraints if initially_deferred
        ]
        if deferred:
            cursor.execute(f"SET CONSTRAINTS {', '.join(deferred)} DEFERRED")


def seed_apps(ctx: DemoContext, apps=APP_ORDER, report: Callable[[str, float], None] | None = None) -> None:
    """Run each app's `demo.seed(ctx)` in the order given (apps without a demo module add nothing).

    `seed_demo` runs them all; a test that needs only the first few (the people, say) runs those:
    the later ones draw from `ctx.rng` after them, so the first few come out the same either way.
    """
    for app in apps:
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError as missing:
            if missing.name != f"{app}.demo":
                raise
            continue
        started = time.monotonic()
        module.seed(ctx)
        if report:
            report(app, time.monotonic() - started)


def is_loaded() -> bool:
    return get_user_model().objects.filter(username=STAFF[0][0]).exists()


def seed(ctx: DemoContext) -> None:
    """The centre organisation's own settings, and its staff, each in the group of their role."""
    centre = CentreSettings.for_site(Site.objects.get(is_default_site=True))
    centre.name = ORGANISATION_NAME
    centre.town = TOWN
    centre.address = "Marktstraat 12, 4811 AB " + TOWN
    centre.email = f"info@{TOWN.lower()}.example"
    centre.phone = "076 123 45 67"
    centre.save()

    User = get_user_model()
    groups = {group.name: group for group in Group.objects.filter(name__in=roles.ROLES)}
    for username, first_name, last_name, role in STAFF:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@{TOWN.lower()}.example",
                "is_staff": True,
            },
        )
        if created:
            # Demo colleagues cannot log in until the Beheerder gives them a password.
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user.groups.add(groups[role])
        ctx.staff.setdefault(role, []).append(user)
    ctx.write(f"  staff: {len(STAFF)} people in {len(groups)} roles")
