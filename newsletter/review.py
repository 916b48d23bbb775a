"""Which revision of a newsletter may be sent: only one a reviewer approved, and only if unchanged since.

The review itself is the Wagtail workflow "Redactie" (task: newsletter.models.EditorialReviewTask).
Its approval publishes the page, as Wagtail's workflows do; a published newsletter is still not
public: its web version appears only once it was sent (see NewsletterPage.serve).
"""

from wagtail.models import WorkflowPage

from newsletter.models import NewsletterApproval
from newsletter.models.review import review_workflow

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


def approvals_of(page):
    """Every approval of the page's revisions, newest first, with the approver."""
    return (
        NewsletterApproval.objects.filter(
            revision__base_content_type=page.get_base_content_type(), revision__object_id=str(page.pk)
        )
        .select_related("approved_by", "revision")
        .order_by("-approved_at")
    )


def assign_review_workflow(index_page) -> None:
    """Put the newsletter archive (and so every newsletter under it) under the review workflow."""
    workflow = review_workflow()
    if workflow is not None:
        WorkflowPage.objects.get_or_create(page=index_page, defaults={"workflow": workflow})
