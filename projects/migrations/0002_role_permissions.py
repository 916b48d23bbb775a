"""Who may do what with the year plan: the centre manager keeps it, the board reads it."""

from django.db import migrations

from stadshart import roles

EDIT = [f"projects.{action}_project" for action in ("add", "change", "delete", "view")]
READ = ["projects.view_project", "projects.view_projectstatuschange"]

PERMISSIONS = {
    roles.BEHEERDER: [*EDIT, "projects.view_projectstatuschange"],
    roles.CENTRUMMANAGER: [*EDIT, "projects.view_projectstatuschange"],
    roles.BESTUUR: READ,
    roles.COMMUNICATIE: READ,
}


def forwards(apps, schema_editor):
    for role, granted in PERMISSIONS.items():
        roles.grant(apps, role, granted)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_projects_and_status_history"), ("stadshart", "0001_staff_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
