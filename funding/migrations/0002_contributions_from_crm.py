"""Copy every organisation's old "yearly contribution" (crm.Organisation.yearly_contribution) into the ledger.

Which year: the field held what an organisation pays per year *now* (the CRM had no history; the
demo and the edit form treat it as the current amount), so it becomes a line for the year the
migration runs. Which kind: the organisation's fund status says it (BIZ levy, voluntary
contribution); a contribution beside the status "none" becomes "other", so nothing is lost or
guessed. The line is not marked paid: the field never said whether it was. The note says where the
line came from, so the reverse migration can put exactly these values back.
"""

from django.db import migrations
from django.utils import timezone

NOTE = "Overgenomen uit het CRM-veld 'jaarbijdrage'"
KINDS = {"biz": "biz", "vrijwillig": "vrijwillig"}


def copy_to_ledger(apps, schema_editor):
    Organisation = apps.get_model("crm", "Organisation")
    Contribution = apps.get_model("funding", "Contribution")
    year = timezone.localdate().year
    Contribution.objects.bulk_create(
        [
            Contribution(
                organisation_id=pk,
                year=year,
                kind=KINDS.get(fund_status, "overig"),
                amount=amount,
                note=NOTE,
            )
            for pk, fund_status, amount in Organisation.objects.filter(
                yearly_contribution__isnull=False
            ).values_list("pk", "fund_status", "yearly_contribution")
        ],
        batch_size=500,
    )


def copy_back(apps, schema_editor):
    Organisation = apps.get_model("crm", "Organisation")
    Contribution = apps.get_model("funding", "Contribution")
    lines = Contribution.objects.filter(note=NOTE).order_by("organisation_id", "-year")
    seen = set()
    for line in lines:
        if line.organisation_id in seen:
            continue
        seen.add(line.organisation_id)
        Organisation.objects.filter(pk=line.organisation_id).update(yearly_contribution=line.amount)
    lines.delete()


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_ledger_and_ballots"), ("crm", "0008_interaction_kind_report")]

    operations = [migrations.RunPython(copy_to_ledger, copy_back)]
