"""Admin hooks for composing newsletters: the mail's preview per recipient, and a test send."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from newsletter.models import NewsletterPage


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
