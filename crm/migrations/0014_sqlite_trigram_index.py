"""SQLite's trigram index for the search (FTS5 tables and their triggers; see crm.search_index)."""

from django.db import migrations

from crm import search_index


def create(apps, schema_editor):
    search_index.ensure(schema_editor.connection)


def drop(apps, schema_editor):
    search_index.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("crm", "0013_organisation_name_text")]

    operations = [migrations.RunPython(create, drop)]
