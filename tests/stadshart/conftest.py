"""A SQLite database migrated from nothing, shared by the migration tests of one worker.

Migrating from scratch takes long; the fresh-database test and the centre-settings move both need
it, so it is done once: migrated up to the state before the move (portal 0003), a running site's
settings row put in, then migrated to the end. Each test works on its own copy of the file.
"""

import shutil
import sqlite3

import pytest

from tests.services import child_env, manage

#: The centre's own settings as a site running portal 0003 has them (see the centre-settings test).
CENTRE_ROW = (
    "Centrummanagement Veldhaven",
    "Veldhaven",
    "Marktstraat 12",
    "info@veldhaven.example",
    "076 123",
)
CENTRE_COLUMNS = "name, town, address, email, phone"

# The tests that share the migrated file share a worker too (pytest-xdist's --dist loadgroup).
SQLITE_MIGRATIONS = pytest.mark.xdist_group("sqlite_migrations")


@pytest.fixture(scope="session")
def _migrated_sqlite(tmp_path_factory):
    database = tmp_path_factory.mktemp("migrated") / "migrated.sqlite3"
    env = child_env(DATABASE_URL=f"sqlite:///{database}")
    before_the_move = manage("migrate", "--noinput", "portal", "0003", env=env)
    with sqlite3.connect(database) as db:
        db.execute(
            f"INSERT INTO portal_organisation ({CENTRE_COLUMNS}, site_id) "
            "VALUES (?, ?, ?, ?, ?, (SELECT id FROM wagtailcore_site WHERE is_default_site))",
            CENTRE_ROW,
        )
    to_the_end = manage("migrate", "--noinput", env=env)
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all of it in the one file that is copied
    return database, before_the_move, to_the_end


@pytest.fixture
def migrated_sqlite(_migrated_sqlite, tmp_path):
    """(copy of the migrated file, result of `migrate portal 0003`, result of `migrate` to the end)."""
    database, before_the_move, to_the_end = _migrated_sqlite
    copy = tmp_path / database.name
    if database.exists():
        shutil.copyfile(database, copy)
    return copy, before_the_move, to_the_end
