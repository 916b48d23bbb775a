"""Every existing project moves into the year plan of its year (one plan per year); nothing is lost."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    YearPlan = apps.get_model("projects", "YearPlan")
    Project = apps.get_model("projects", "Project")
    for year in Project.objects.order_by().values_list("year", flat=True).distinct():
        plan, _ = YearPlan.objects.get_or_create(year=year)
        Project.objects.filter(year=year).update(year_plan=plan)


def backwards(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    for project in Project.objects.select_related("year_plan"):
        project.year = project.year_plan.year
        project.save(update_fields=["year"])


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_year_plan_milestones_decisions_reports")]

    operations = [
        # The old column may be empty from here on, so that going back can add it before filling it.
        migrations.AlterField(
            model_name="project",
            name="year",
            field=models.PositiveSmallIntegerField(db_index=True, null=True, verbose_name="year plan"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
