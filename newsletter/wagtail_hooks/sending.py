"""Admin hooks for sending newsletters (send screen, progress, pause/resume/cancel)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from newsletter.models import NewsletterPage


@hooks.register("register_admin_urls")
def register_sending_urls():
    from newsletter.views.sending import SendNewsletterView, SendProgressView

    return [
        path("newsletters/send/<int:page_id>/", SendNewsletterView.as_view(), name="newsletter_send"),
        path(
            "newsletters/send/<int:page_id>/progress/",
            SendProgressView.as_view(),
            name="newsletter_send_progress",
        ),
    ]


@hooks.register("register_page_header_buttons")
def send_button(page, user, view_name, next_url=None):
    """ "Verzenden" in the newsletter's page header, for those who may send."""
    if isinstance(page.specific_deferred, NewsletterPage) and user.has_perm("newsletter.send_newsletter"):
        yield Button(_("Send"), reverse("newsletter_send", args=[page.pk]), icon_name="mail", priority=5)
