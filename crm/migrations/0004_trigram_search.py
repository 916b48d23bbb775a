"""Fast, typo-forgiving search on PostgreSQL: pg_trgm and trigram indexes on the search columns.

SQLite has no such indexes; there crm.queries.search falls back to plain substring matching.
"""

from django.db import migrations

TABLES = ["crm_organisation", "crm_person", "crm_premises"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_trgm ON {table} USING gin (search_text gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("crm", "0003_imports_and_search_text")]

    operations = [migrations.RunPython(create, drop)]
