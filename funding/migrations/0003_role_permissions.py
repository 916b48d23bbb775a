"""Who may do what with the money: the centre manager keeps it, accountmanagers read what they
need to visit people (participation, who stopped, the ballot forecast), the board reads all."""

from django.db import migrations

from stadshart import roles

MODELS = ("contribution", "levyimport", "ballot", "ballotparty")
WRITE = [f"funding.{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")]
EXTRA = ["funding.view_participation", "funding.import_levy_list"]

PERMISSIONS = {
    roles.BEHEERDER: [*WRITE, *EXTRA],
    roles.CENTRUMMANAGER: [*WRITE, *EXTRA],
    roles.ACCOUNTMANAGER: ["funding.view_participation", "funding.view_ballot", "funding.view_ballotparty"],
    roles.BESTUUR: [f"funding.view_{model}" for model in MODELS] + ["funding.view_participation"],
}


def forwards(apps, schema_editor):
    for role, granted in PERMISSIONS.items():
        roles.grant(apps, role, granted)


class Migration(migrations.Migration):
    dependencies = [("funding", "0002_contributions_from_crm"), ("stadshart", "0001_staff_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
