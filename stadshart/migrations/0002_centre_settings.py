"""The centre's own settings move from portal.Organisation to stadshart.CentreSettings.

The rows are copied here (nothing lost); portal's migration 0004 then drops the old table.
"""

import django.db.models.deletion
from django.db import migrations, models

FIELDS = ("site_id", "name", "town", "address", "email", "phone")


def _copy(source, target):
    for row in source.objects.order_by("pk").values(*FIELDS):
        target.objects.update_or_create(site_id=row.pop("site_id"), defaults=row)


def copy_from_portal(apps, schema_editor):
    _copy(apps.get_model("portal", "Organisation"), apps.get_model("stadshart", "CentreSettings"))


def copy_back_to_portal(apps, schema_editor):
    _copy(apps.get_model("stadshart", "CentreSettings"), apps.get_model("portal", "Organisation"))


class Migration(migrations.Migration):
    dependencies = [
        ("stadshart", "0001_staff_roles"),
        ("wagtailcore", "0098_apitoken"),
        ("portal", "0003_news_events_projects_directory_pages"),
    ]

    operations = [
        migrations.CreateModel(
            name="CentreSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(default="Stadshart", max_length=200, verbose_name="name")),
                ("town", models.CharField(blank=True, max_length=100, verbose_name="town")),
                ("address", models.CharField(blank=True, max_length=200, verbose_name="address")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="email address")),
                ("phone", models.CharField(blank=True, max_length=30, verbose_name="phone number")),
                (
                    "site",
                    models.OneToOneField(
                        editable=False, on_delete=django.db.models.deletion.CASCADE, to="wagtailcore.site"
                    ),
                ),
            ],
            options={
                "verbose_name": "centre organisation",
            },
        ),
        migrations.RunPython(copy_from_portal, copy_back_to_portal),
    ]
