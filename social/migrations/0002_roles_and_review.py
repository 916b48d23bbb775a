"""Who may do what with social posts, and their review "Sociale media".

Communicatie and the Centrummanager write and review; the Beheerder may do everything to the
posts; the board (Bestuur) reads. "publish" is needed because Wagtail's approval publishes as the
approver; the admin offers no direct publish (social.wagtail_hooks.NoDirectPublish), so a post is
approved only through the review, by someone other than its author (social.models.SocialReviewTask).
"""

from django.db import migrations

from stadshart import roles

NAME = "Sociale media"
WRITE = [f"social.{action}_socialpost" for action in ("add", "change", "delete", "view", "publish")]

PERMISSIONS = {
    roles.BEHEERDER: WRITE,
    roles.CENTRUMMANAGER: WRITE,
    roles.COMMUNICATIE: WRITE,
    roles.BESTUUR: ["social.view_socialpost"],
}


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    post_type, _ = ContentType.objects.get_or_create(app_label="social", model="socialpost")
    # Wagtail adds "publish" to draft-state snippets after migrating (post_migrate); the roles need
    # it now. Wagtail then finds it there and leaves it as it is.
    Permission.objects.get_or_create(
        content_type=post_type, codename="publish_socialpost", defaults={"name": "Can publish social post"}
    )
    for role, granted in PERMISSIONS.items():
        roles.grant(apps, role, granted)

    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    SocialReviewTask = apps.get_model("social", "SocialReviewTask")

    task_type, _ = ContentType.objects.get_or_create(app_label="social", model="socialreviewtask")
    task = SocialReviewTask.objects.filter(name=NAME).first()
    if task is None:
        task = SocialReviewTask.objects.create(name=NAME, content_type=task_type, active=True)
    task.groups.add(
        *(Group.objects.get_or_create(name=role)[0] for role in (roles.COMMUNICATIE, roles.CENTRUMMANAGER))
    )
    workflow, _ = Workflow.objects.get_or_create(name=NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowContentType.objects.update_or_create(content_type=post_type, defaults={"workflow": workflow})


def backwards(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=NAME).delete()
    apps.get_model("social", "SocialReviewTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("social", "0001_posts"), ("stadshart", "0001_staff_roles")]

    operations = [migrations.RunPython(forwards, backwards)]
