"""The editorial review ("Redactie") of newsletters: the Wagtail workflow task and its approvals.

Four eyes: the reviewers are the groups chosen on the task (Communicatie and Centrummanager), and
a reviewer may never approve what they submitted or wrote themselves. Approving the last task
records a NewsletterApproval of exactly the revision the reviewer saw; which revision may be sent
is read in newsletter.review.
"""

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import Workflow

from stadshart.review import FourEyesReviewTask


class EditorialReviewTask(FourEyesReviewTask):
    """The newsletter's review: approving the last task records a NewsletterApproval."""

    own_work_refusal = _("You cannot review a newsletter you submitted or wrote yourself.")

    def get_actions(self, obj, user):
        # "Approve" alone reads as "send it": approving makes this revision sendable, no more.
        labels = {False: _("Approve for sending"), True: _("Approve for sending, with comment")}
        return [
            (name, labels[modal] if name == "approve" else label, modal)
            for name, label, modal in super().get_actions(obj, user)
        ]

    def on_action(self, task_state, user, action_name, **kwargs):
        super().on_action(task_state, user, action_name, **kwargs)
        if action_name == "approve":
            task_state.workflow_state.refresh_from_db()
            if task_state.workflow_state.status == task_state.workflow_state.STATUS_APPROVED:
                obj = task_state.revision.content_object.specific
                approve_newsletter(page=obj, user=user, comment=kwargs.get("comment", ""))

    @classmethod
    def get_description(cls):
        return _("Communicatie or Centrummanager approve; never the author of the newsletter.")

    class Meta:
        verbose_name = _("editorial review")
        verbose_name_plural = _("editorial reviews")


class NewsletterApproval(models.Model):
    """A reviewer's approval of one exact revision: what is sent is what was approved, and by whom."""

    revision = models.OneToOneField("wagtailcore.Revision", on_delete=models.CASCADE, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-approved_at"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")

    def __str__(self):
        return f"{self.revision} ({self.approved_by})"


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


def review_workflow():
    """The active workflow whose task is the editorial review, if any."""
    return (
        Workflow.objects.filter(active=True, workflow_tasks__task__in=EditorialReviewTask.objects.all())
        .order_by("pk")
        .first()
    )
