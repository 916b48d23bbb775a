"""Who may do what with the year plan and its reports.

The centre manager keeps the year plan and sends the progress report; the board reads everything
and records its answers to requested decisions; the office reads the year plan. Project leads
change their own projects through an object-level rule (projects.permissions), not a group.
"""

from django.db import migrations

from stadshart import roles

MODELS = ["yearplan", "basictask", "project", "milestone", "decisionrequest"]
KEEP = [f"projects.{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")]
READ = ["projects.view_yearplan", "projects.view_basictask", "projects.view_project"]
REPORTS = ["projects.add_progressreport", "projects.view_progressreport"]
ANSWER = "projects.answer_decisionrequest"

PERMISSIONS = {
    roles.BEHEERDER: [*KEEP, ANSWER, *REPORTS],
    roles.CENTRUMMANAGER: [*KEEP, ANSWER, *REPORTS],
    roles.BESTUUR: [
        *READ,
        "projects.view_milestone",
        "projects.view_decisionrequest",
        ANSWER,
        "projects.view_progressreport",
    ],
    roles.COMMUNICATIE: READ,
    roles.ACCOUNTMANAGER: [*READ, "projects.view_projectstatuschange"],
    roles.FACILITAIR: [*READ, "projects.view_projectstatuschange"],
}


def forwards(apps, schema_editor):
    for role, granted in PERMISSIONS.items():
        roles.grant(apps, role, granted)


class Migration(migrations.Migration):
    dependencies = [("projects", "0005_project_year_from_year_plan"), ("stadshart", "0001_staff_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
