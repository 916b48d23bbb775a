"""The trigram indexes take each new row at once instead of through GIN's pending list (PostgreSQL).

The forgiving search asks one index for forty-odd LIKE patterns at a time ("korenschoof" and each
of its typos), and every one of those scans read the whole pending list besides the index: up to
4 MB (gin_pending_list_limit) of rows not yet merged, ~490 pages per pattern, 20,000 pages for
one query at seed_demo --scale 100. Without the list an insert costs a little more; the CRM is
read far more often than it is written. The list already there is merged into the index here.
"""

from django.db import migrations

INDEXES = [
    "crm_organisation_search_trgm",
    "crm_person_search_trgm",
    "crm_premises_search_trgm",
    "crm_organisation_name_trgm",
]


def without_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {index} SET (fastupdate = off)")
        schema_editor.execute(
            "SELECT gin_clean_pending_list(%s::regclass) WHERE to_regclass(%s) IS NOT NULL",
            [index, index],
        )


def with_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {index} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("crm", "0016_indexes_for_lists_at_scale")]

    operations = [migrations.RunPython(without_pending_list, with_pending_list)]
