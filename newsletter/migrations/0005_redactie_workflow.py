"""The editorial review "Redactie": a workflow with one task, reviewed by Communicatie and Centrummanager.

Who may write newsletters needs no grant here: Communicatie and Centrummanager already add, edit and
publish pages on the whole tree (stadshart.roles.PAGE_PERMISSIONS). A newsletter cannot leave
without approval all the same: sending requires a NewsletterApproval, which only this task records.
The newsletter archive page, if it exists already, gets the workflow; newsletters also fall back to
it themselves (NewsletterPage.get_workflow), so an archive made later is covered too.
"""

from django.db import migrations

from stadshart import roles

NAME = "Redactie"


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    EditorialReviewTask = apps.get_model("newsletter", "EditorialReviewTask")
    NewsletterIndexPage = apps.get_model("newsletter", "NewsletterIndexPage")

    task_type, _ = ContentType.objects.get_or_create(app_label="newsletter", model="editorialreviewtask")
    task = EditorialReviewTask.objects.filter(name=NAME).first()
    if task is None:
        task = EditorialReviewTask.objects.create(name=NAME, content_type=task_type, active=True)
    reviewers = [
        Group.objects.get_or_create(name=role)[0] for role in (roles.COMMUNICATIE, roles.CENTRUMMANAGER)
    ]
    task.groups.add(*reviewers)

    workflow, _ = Workflow.objects.get_or_create(name=NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for index in NewsletterIndexPage.objects.all():
        WorkflowPage.objects.get_or_create(page_id=index.pk, defaults={"workflow": workflow})


def remove_workflow(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=NAME).delete()
    apps.get_model("newsletter", "EditorialReviewTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0004_editorial_review"),
        ("stadshart", "0001_staff_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
