"""The centre's own settings are stadshart.CentreSettings now; its migration 0002 copied the rows."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_news_events_projects_directory_pages"),
        ("stadshart", "0002_centre_settings"),
    ]

    operations = [
        migrations.DeleteModel(name="Organisation"),
    ]
