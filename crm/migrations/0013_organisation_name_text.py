"""The directory's own search column (the name alone, normalised) and its trigram index on PostgreSQL."""

from django.db import migrations, models

from crm.text import normalise


def fill(apps, schema_editor):
    Organisation = apps.get_model("crm", "Organisation")
    organisations = list(Organisation.objects.only("pk", "name"))
    for organisation in organisations:
        organisation.name_text = normalise(organisation.name)
    Organisation.objects.bulk_update(organisations, ["name_text"], batch_size=2000)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS crm_organisation_name_trgm "
            "ON crm_organisation USING gin (name_text gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS crm_organisation_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("crm", "0012_access_requests")]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="name_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
