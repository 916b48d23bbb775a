from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0020_segment_and_work_indexes"),
    ]

    operations = [
        # The board's figures read the active businesses of a kind per street and sector from this
        # index alone (PostgreSQL; SQLite keeps the key columns and has no INCLUDE).
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(
                fields=["kind", "lifecycle", "street", "sector"], include=("id",), name="organisation_segment"
            ),
        ),
    ]
