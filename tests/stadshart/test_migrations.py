"""Migrations apply from scratch on both databases the project runs on, and none is missing."""

import io
import sqlite3
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.services import child_env, manage, postgres_url
from tests.stadshart.conftest import SQLITE_MIGRATIONS

HOME_PAGE = "SELECT p.title FROM wagtailcore_site s JOIN wagtailcore_page p ON p.id = s.root_page_id"
ROLES = {"Beheerder", "Centrummanager", "Accountmanager", "Communicatie", "Facilitair", "Bestuur"}


def assert_the_migrations_data_is_there(execute) -> None:
    """The roles and the home page the migrations make, read through `execute(sql)` (a cursor back)."""
    assert ROLES <= {name for (name,) in execute("SELECT name FROM auth_group").fetchall()}
    assert execute(HOME_PAGE).fetchone() == ("Welkom in het Stadshart",)


def test_no_model_change_is_missing_a_migration(db):
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@SQLITE_MIGRATIONS
def test_migrations_apply_on_a_fresh_sqlite_database(migrated_sqlite):
    # Migrated from nothing, in two steps around the centre-settings move (tests/stadshart/conftest.py).
    database, before_the_move, to_the_end = migrated_sqlite
    assert before_the_move.returncode == 0, before_the_move.stderr
    assert to_the_end.returncode == 0, to_the_end.stderr

    with sqlite3.connect(database) as migrated:
        assert_the_migrations_data_is_there(migrated.execute)


def test_migrations_apply_on_a_fresh_postgresql_database(db):
    if connection.vendor == "postgresql":
        # A run on PostgreSQL (CI) migrated its own test database from nothing when it began:
        # read that one instead of migrating a second database (half a minute of the run).
        executor = MigrationExecutor(connection)
        assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
        with connection.cursor() as cursor:

            def execute(sql):
                cursor.execute(sql)
                return cursor

            assert_the_migrations_data_is_there(execute)
        return
    psycopg = pytest.importorskip("psycopg")
    server = postgres_url()
    name = f"stadshart_migrate_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = server.rsplit("/", 1)[0] + f"/{name}"
    try:
        result = manage("migrate", "--noinput", env=child_env(DATABASE_URL=url))
        assert result.returncode == 0, result.stderr
        with psycopg.connect(url) as migrated:
            assert_the_migrations_data_is_there(migrated.execute)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
