"""The Beheerder looks after the installation: it sees the backups, restores and retention runs."""

from django.db import migrations

from stadshart import roles

PERMISSIONS = {
    roles.BEHEERDER: ["keeping.view_backuprun", "keeping.view_restorerun", "keeping.view_retentionrun"],
}


def forwards(apps, schema_editor):
    for role, granted in PERMISSIONS.items():
        roles.grant(apps, role, granted)


class Migration(migrations.Migration):
    dependencies = [("keeping", "0001_initial"), ("stadshart", "0001_staff_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
