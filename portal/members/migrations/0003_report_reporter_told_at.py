from django.db import migrations, models
from django.db.models import F


def closed_reports_were_told(apps, schema_editor):
    # Reports closed before this field existed were mailed at once.
    Report = apps.get_model("members", "Report")
    Report.objects.filter(status__in=["opgelost", "afgewezen"]).update(reporter_told_at=F("resolved_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_role_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="reporter_told_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(closed_reports_were_told, migrations.RunPython.noop),
    ]
