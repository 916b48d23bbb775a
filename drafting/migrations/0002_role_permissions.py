"""Who may use the AI editor and see its usage: the roles that write newsletters and posts."""

from django.db import migrations

from stadshart import roles

GRANTED = ["drafting.use_ai", "drafting.view_aicall"]


def forwards(apps, schema_editor):
    for role in (roles.BEHEERDER, roles.CENTRUMMANAGER, roles.COMMUNICATIE):
        roles.grant(apps, role, GRANTED)


class Migration(migrations.Migration):
    dependencies = [("drafting", "0001_usage_log_and_draft_jobs"), ("stadshart", "0001_staff_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
