"""Admin hooks for the editorial review: approval publishes a newsletter, sending makes it public."""

from django.utils.translation import gettext as _
from wagtail import hooks

from newsletter.models import NewsletterIndexPage, NewsletterPage, Send


@hooks.register("construct_page_action_menu")
def submit_newsletters_for_review(menu_items, request, context):
    """A newsletter is not published from the editor: the review's approval publishes it.

    Communicatie and Centrummanager may publish pages anywhere in the portal; for a newsletter the
    button would skip the editorial review (publishing alone never makes it sendable, but would
    cancel a review in progress and confuse). "Submit to Redactie" becomes the main action.
    """
    page, parent = context.get("page"), context.get("parent_page")
    new_newsletter = page is None and parent is not None and isinstance(parent.specific, NewsletterIndexPage)
    if isinstance(page, NewsletterPage) or new_newsletter:
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]
    if isinstance(page, NewsletterPage):
        # Wagtail calls the final approval "Approve and Publish", which sounds as if it sends the
        # mail. Approving only makes this revision sendable; sending is a separate step.
        for item in menu_items:
            if getattr(item, "name", "") == "approve":
                with_comment = item.launch_modal
                item.label = (
                    _("Approve for sending, with comment") if with_comment else _("Approve for sending")
                )


@hooks.register("exclude_from_site_search")
def unsent_newsletters():
    """An approved newsletter is live, but the public may find it only once it was sent."""
    return NewsletterPage.objects.exclude(sends__status=Send.Status.SENT).values_list("pk", flat=True)
