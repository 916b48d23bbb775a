"""What the review does to a post's state, from Wagtail's workflow signals, handed to the services.

Submitting starts the review (ter beoordeling); the workflow's approval records the approver
(goedgekeurd); asking for changes or cancelling the review gives the post back as a concept. The
review task itself (social.models.PostReviewTask) only decides who may review.
"""

from django.dispatch import receiver
from wagtail.signals import task_rejected, task_submitted, workflow_approved, workflow_cancelled


def _post(workflow_state):
    from social.models import SocialPost

    obj = workflow_state.content_object
    return obj if isinstance(obj, SocialPost) else None


@receiver(task_submitted)
def post_review_started(sender, instance, user=None, **kwargs):
    from social import services

    post = _post(instance.workflow_state)
    if post is not None:
        services.mark_in_review(post=post)


@receiver(workflow_approved)
def post_approved(sender, instance, user=None, **kwargs):
    from social import services

    post = _post(instance)
    if post is not None:
        services.mark_approved(post=post, user=user)


@receiver(task_rejected)
def post_changes_requested(sender, instance, user=None, **kwargs):
    from social import services

    post = _post(instance.workflow_state)
    if post is not None:
        services.mark_back_to_concept(post=post)


@receiver(workflow_cancelled)
def post_review_cancelled(sender, instance, user=None, **kwargs):
    from social import services
    from social.models import SocialPost

    obj = instance.content_object
    if isinstance(obj, SocialPost):
        services.mark_back_to_concept(post=obj)
