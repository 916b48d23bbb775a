"""Four eyes: the review rule newsletters and social posts share.

A Wagtail group-approval task in which the reviewers are the groups chosen on the task, and nobody
may approve what they wrote or submitted themselves. Under review the content is frozen for
everyone but its reviewers (the author too), so what is approved is what the reviewer read.
"""

from django.core.exceptions import PermissionDenied
from wagtail.models import AbstractGroupApprovalTask


class FourEyesReviewTask(AbstractGroupApprovalTask):
    """Group approval that its author can never pass; subclasses say what the refusal reads."""

    #: The message when someone tries to review their own work (a lazy translation).
    own_work_refusal = None

    def author_ids(self, obj) -> set[int]:
        """Who wrote the object, submitted it for review, or wrote the revision under review."""
        authors = {getattr(obj, "created_by_id", None)}
        state = obj.current_workflow_state
        if state is not None:
            authors.add(state.requested_by_id)
            task_state = state.current_task_state
            if task_state is not None and task_state.revision_id:
                authors.add(task_state.revision.user_id)
        return {author for author in authors if author is not None}

    def may_review(self, obj, user) -> bool:
        if not (user.is_superuser or self._user_in_groups(user)):
            return False
        return user.pk not in self.author_ids(obj)

    def get_actions(self, obj, user):
        if not self.may_review(obj, user):
            return []  # the author sees the object "awaiting review" and no approve button
        return super().get_actions(obj, user)

    def locked_for_user(self, obj, user):
        # The author may cancel the review to edit again.
        return not self.may_review(obj, user)

    def user_can_access_editor(self, obj, user):
        return user.is_superuser or self._user_in_groups(user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        # The dashboard's "awaiting your review" list leaves out what the user submitted or wrote.
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user).exclude(revision__user=user)

    def on_action(self, task_state, user, action_name, **kwargs):
        # The admin checks get_actions before it calls us; a crafted request must not get further.
        obj = task_state.revision.content_object
        obj = getattr(obj, "specific", obj)  # a page's revision holds the base Page
        if action_name in ("approve", "reject") and not self.may_review(obj, user):
            raise PermissionDenied(self.own_work_refusal)
        super().on_action(task_state, user, action_name, **kwargs)

    class Meta:
        abstract = True
