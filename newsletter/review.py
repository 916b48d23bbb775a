"""Which revision of a newsletter may be sent: only one a reviewer approved, and only if unchanged since.

Unchanged means: nothing a reader or the audience would notice (see approved_revision).

The review itself is the Wagtail workflow "Redactie" (task: newsletter.models.EditorialReviewTask).
Its approval publishes the page, as Wagtail's workflows do; a published newsletter is still not
public: its web version appears only once it was sent (see NewsletterPage.serve).
"""

import json
import re

from wagtail.models import Page, WorkflowPage

from newsletter.models import NewsletterApproval
from newsletter.models.review import review_workflow

REVIEW_WORKFLOW_NAME = "Redactie"


#: What a reader, or the choice of readers, never sees: Wagtail's own bookkeeping of a page (its place
#: in the tree, publishing state, lock, owner) and the reviewers' comments.
_BOOKKEEPING = {field.name for field in Page._meta.concrete_fields} - {
    "title",
    "slug",
    "seo_title",
    "search_description",
} | {"pk", "wagtail_admin_comments"}


def _what_readers_get(revision) -> dict:
    return {key: _parsed(value) for key, value in revision.content.items() if key not in _BOOKKEEPING}


#: The editor's own mark on each rich-text block (Draftail adds it to text it first opens).
_BLOCK_KEY = re.compile(r' data-block-key="[^"]*"')


def _parsed(value):
    """A field's value as a reader gets it: a StreamField's JSON as data (the same blocks read back
    from the database list their keys in another order), rich text without the editor's marks."""
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            value = json.loads(value)
        except ValueError:
            pass  # text that happens to start with a bracket
    if isinstance(value, dict):
        return {key: _parsed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_parsed(item) for item in value]
    if isinstance(value, str):
        return _BLOCK_KEY.sub("", value)
    return value


def approved_revision(page):
    """The revision that may be sent: the approved one, if the page still reads exactly as approved.

    An edit after approval makes a newer revision, which needs approval again. A newer revision
    that changes nothing a reader or the audience would notice keeps the approval: an editor tab
    left open saves the form it loaded (Wagtail's autosave) after a colleague approved it, and
    that must not undo the approval. What is sent is then the approved revision itself.
    """
    latest = page.get_latest_revision()
    if latest is None:
        return None
    approval = (
        NewsletterApproval.objects.filter(
            revision__base_content_type=latest.base_content_type,
            revision__object_id=latest.object_id,
            revision__created_at__lte=latest.created_at,
        )
        .select_related("revision")
        .order_by("-revision__created_at", "-revision_id")
        .first()
    )
    if approval is None:
        return None
    if approval.revision_id == latest.pk or _what_readers_get(approval.revision) == _what_readers_get(latest):
        return approval.revision
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
