"""Who reads the board's dashboard: the board, the centre manager (who reports to it) and the
Beheerder. The dashboard puts the fund, every accountmanager's contacts and the newsletters' results
side by side; the other roles read their own part of it on their own screens."""

from django.db import migrations

from stadshart import roles

READERS = (roles.BEHEERDER, roles.CENTRUMMANAGER, roles.BESTUUR)


def forwards(apps, schema_editor):
    for role in READERS:
        roles.grant(apps, role, ["insights.view_dashboard"])


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_dashboard_permission"), ("stadshart", "0001_staff_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
