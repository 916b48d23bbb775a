from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0007_business_profile"),
    ]

    operations = [
        migrations.AlterField(
            model_name="interaction",
            name="kind",
            field=models.CharField(
                choices=[
                    ("bezoek", "Visit"),
                    ("telefoon", "Call"),
                    ("email", "Email"),
                    ("overleg", "Meeting"),
                    ("melding", "Report from the portal"),
                ],
                default="bezoek",
                max_length=20,
                verbose_name="kind",
            ),
        ),
    ]
