"""A cancelled review gives the post back to its author as a draft.

Wagtail tells of a cancelled workflow only through its signal (no task method is called), so
this one receiver hands it to the service.
"""

from django.dispatch import receiver
from wagtail.signals import workflow_cancelled


@receiver(workflow_cancelled)
def post_review_cancelled(sender, instance, user=None, **kwargs):
    from social import services
    from social.models import SocialPost

    obj = instance.content_object
    if isinstance(obj, SocialPost):
        services.mark_back_to_concept(post=obj)
