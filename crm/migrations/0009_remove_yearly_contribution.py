"""The single "yearly contribution" moved into funding's ledger (funding 0002 copies every value first)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0008_interaction_kind_report"),
        ("funding", "0002_contributions_from_crm"),
    ]

    operations = [
        migrations.RemoveField(model_name="organisation", name="yearly_contribution"),
    ]
