"""The newsletter app's admin: composing and review here; sending and tracking in their own modules."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

import newsletter.hooks_drafting  # noqa: F401  (the AI editor's hooks)
from newsletter import hooks_sending, hooks_tracking  # noqa: F401  (registers their hooks)
from newsletter.models import NewsletterIndexPage, NewsletterPage


@hooks.register("register_admin_urls")
def register_compose_urls():
    from newsletter.views import compose

    return [
        path("newsletters/preview/<int:page_id>/", compose.preview, name="newsletter_compose_preview"),
        path(
            "newsletters/preview/<int:page_id>/mail/",
            compose.preview_mail,
            name="newsletter_compose_preview_mail",
        ),
        path(
            "newsletters/preview/<int:page_id>/test/", compose.test_send, name="newsletter_compose_test_send"
        ),
    ]


@hooks.register("register_page_header_buttons")
def preview_button(page, user, view_name, next_url=None):
    """ "Bekijk en test" in the newsletter's page header: the mail per recipient, and a test send."""
    if isinstance(page.specific_deferred, NewsletterPage):
        yield Button(
            _("Preview and test"),
            reverse("newsletter_compose_preview", args=[page.pk]),
            icon_name="view",
            priority=4,
        )


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


@hooks.register("exclude_from_site_search")
def unsent_newsletters():
    """An approved newsletter is live, but the public may find it only once it was sent."""
    from newsletter.models import Send

    return NewsletterPage.objects.exclude(sends__status=Send.Status.SENT).values_list("pk", flat=True)
