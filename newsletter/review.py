"""Which revision of a newsletter may be sent: only one a reviewer approved, and only if unchanged since.

The review itself is the Wagtail workflow "Redactie" (task: newsletter.models.EditorialReviewTask).
Its approval publishes the page, as Wagtail's workflows do; a published newsletter is still not
public: its web version appears only once it was sent (see NewsletterPage.serve).
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from newsletter.models import NewsletterApproval

REVIEW_WORKFLOW_NAME = "Redactie"


def approved_revision(page):
    """The page's latest revision if a reviewer approved exactly that revision, else None.

    An edit after approval makes a newer revision, which needs approval again.
    """
    latest = page.get_latest_revision()
    if latest is None:
        return None
    if NewsletterApproval.objects.filter(revision=latest).exists():
        return latest
    return None


@transaction.atomic
def approve_newsletter(*, page, user, comment: str = "") -> NewsletterApproval:
    """Record that `user` approved the newsletter as it now stands (its latest revision).

    Called by the review task when its workflow is approved: the latest revision is what the
    reviewer had in front of them (the content is locked to others while under review), and what
    the workflow has just published.
    """
    revision = page.get_latest_revision()
    if revision is None:
        raise ValueError(_("A newsletter without a saved version cannot be approved."))
    approval, _created = NewsletterApproval.objects.update_or_create(
        revision=revision, defaults={"approved_by": user, "comment": comment or ""}
    )
    return approval


def approvals_of(page):
    """Every approval of the page's revisions, newest first, with the approver."""
    return (
        NewsletterApproval.objects.filter(
            revision__base_content_type=page.get_base_content_type(), revision__object_id=str(page.pk)
        )
        .select_related("approved_by", "revision")
        .order_by("-approved_at")
    )


def review_workflow():
    """The active workflow whose task is the editorial review, if any."""
    from wagtail.models import Workflow

    from newsletter.models import EditorialReviewTask

    return (
        Workflow.objects.filter(active=True, workflow_tasks__task__in=EditorialReviewTask.objects.all())
        .order_by("pk")
        .first()
    )


def assign_review_workflow(index_page) -> None:
    """Put the newsletter archive (and so every newsletter under it) under the review workflow."""
    from wagtail.models import WorkflowPage

    workflow = review_workflow()
    if workflow is not None:
        WorkflowPage.objects.get_or_create(page=index_page, defaults={"workflow": workflow})
