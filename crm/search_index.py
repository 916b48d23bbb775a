"""SQLite's trigram index for the search columns: FTS5 tables kept exact by triggers.

PostgreSQL serves the search's LIKE patterns from pg_trgm GIN indexes (migrations 0004 and 0010).
SQLite (3.34 or later) has FTS5's trigram tokenizer, which serves LIKE patterns holding three
letters in a row: one FTS5 table per searched column holds a copy of the text, and triggers on the
record's table keep it exact on every insert, update and delete, whichever way the change comes
(save, bulk_update, a queryset's update, raw SQL). Django rebuilds a SQLite table for some schema
changes, which drops the table's triggers; so after every migrate `ensure()` puts back what is
missing and refills an index whose triggers had gone. Without FTS5 the search compares row by row.
"""

import re
import sqlite3
from functools import cache

from django.db import connection

# table -> the columns crm.queries.search searches
INDEXED = {
    "crm_organisation": ("search_text", "name_text"),
    "crm_person": ("search_text",),
    "crm_premises": ("search_text",),
}
TRIGRAM = re.compile(r"[^%_\\]{3}")


def index_name(table: str, field: str) -> str:
    return f"{table}_{field}_fts"


@cache
def available() -> bool:
    """Whether this SQLite library has FTS5 with the trigram tokenizer (asked once, in memory)."""
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE probe USING fts5(text, tokenize='trigram')")
    except sqlite3.Error:
        return False
    return True


def fts_table(model, field: str) -> str | None:
    """The FTS5 table indexing `model.field`, or None (PostgreSQL, or no such index)."""
    table = model._meta.db_table
    if connection.vendor != "sqlite" or field not in INDEXED.get(table, ()) or not available():
        return None
    return index_name(table, field)


def has_trigram(pattern: str) -> bool:
    """Whether a LIKE pattern holds three characters in a row that are no wildcard (FTS5 can use it)."""
    return bool(TRIGRAM.search(pattern))


def ensure(db) -> None:
    """Create the missing FTS5 tables and triggers on a SQLite connection; refill where any was missing."""
    if db.vendor != "sqlite" or not available():
        return
    with db.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        existing = {row[0] for row in cursor.fetchall()}
        for table, fields in INDEXED.items():
            if table not in existing:
                continue
            for field in fields:
                fts = index_name(table, field)
                # Only the constant names of INDEXED are formatted into these statements.
                triggers = {
                    f"{fts}_insert": f"AFTER INSERT ON {table} BEGIN "  # noqa: S608
                    f"INSERT INTO {fts}(rowid, {field}) VALUES (new.id, new.{field}); END",
                    f"{fts}_update": f"AFTER UPDATE ON {table} "  # noqa: S608
                    f"WHEN old.{field} IS NOT new.{field} OR old.id <> new.id BEGIN "
                    f"DELETE FROM {fts} WHERE rowid = old.id; "
                    f"INSERT INTO {fts}(rowid, {field}) VALUES (new.id, new.{field}); END",
                    f"{fts}_delete": f"AFTER DELETE ON {table} BEGIN "  # noqa: S608
                    f"DELETE FROM {fts} WHERE rowid = old.id; END",
                }
                if fts in existing and existing.issuperset(triggers):
                    continue
                cursor.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({field}, tokenize='trigram')"
                )
                for name, body in triggers.items():
                    cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
                # Changes made while a trigger was missing are not in the index: fill it afresh.
                cursor.execute(f"DELETE FROM {fts}")  # noqa: S608 (constant names only)
                cursor.execute(f"INSERT INTO {fts}(rowid, {field}) SELECT id, {field} FROM {table}")  # noqa: S608


def drop(db) -> None:
    if db.vendor != "sqlite":
        return
    with db.cursor() as cursor:
        for table, fields in INDEXED.items():
            for field in fields:
                fts = index_name(table, field)
                for suffix in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
                cursor.execute(f"DROP TABLE IF EXISTS {fts}")
