"""What each staff role may do with members: invite, decide applications, handle reports."""

from django.db import migrations

from stadshart import roles

PERMISSIONS = {
    roles.BEHEERDER: [
        "members.add_invitation",
        "members.view_invitation",
        "members.view_application",
        "members.change_application",
        "members.view_report",
        "members.change_report",
    ],
    roles.CENTRUMMANAGER: [
        "members.add_invitation",
        "members.view_invitation",
        "members.view_application",
        "members.change_application",
        "members.view_report",
        "members.change_report",
    ],
    roles.ACCOUNTMANAGER: [
        "members.add_invitation",
        "members.view_invitation",
        "members.view_application",
        "members.change_application",
        "members.view_report",
    ],
    roles.FACILITAIR: ["members.view_report", "members.change_report"],
    roles.COMMUNICATIE: ["members.view_application"],
    roles.BESTUUR: ["members.view_report"],
}


def grant_permissions(apps, schema_editor):
    for role, permissions in PERMISSIONS.items():
        roles.grant(apps, role, permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_accounts_invitations_applications_reports"),
        ("stadshart", "0001_staff_roles"),
    ]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
