"""Admin hooks of the AI editor in newsletters (and alt text on portal pages): URLs, buttons, editor JS."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from newsletter.models import NewsletterIndexPage, NewsletterPage


@hooks.register("register_admin_urls")
def register_drafting_urls():
    from newsletter.views import drafting

    return [
        path("newsletters/ai/editor/", drafting.editor_config, name="newsletter_ai_config"),
        path("newsletters/ai/rewrite/", drafting.rewrite, name="newsletter_ai_rewrite"),
        path(
            "newsletters/ai/rewrite/accepted/",
            drafting.rewrite_accepted,
            name="newsletter_ai_rewrite_accepted",
        ),
        path("newsletters/ai/alt-text/<int:image_id>/", drafting.alt_text, name="newsletter_ai_alt_text"),
        path("newsletters/<int:page_id>/ai/", drafting.draft_newsletter, name="newsletter_ai_draft"),
        path("newsletters/<int:page_id>/ai/check/", drafting.review, name="newsletter_ai_review"),
        path(
            "newsletters/new/<int:index_id>/ai/",
            drafting.draft_new_newsletter,
            name="newsletter_ai_draft_new",
        ),
    ]


@hooks.register("register_page_header_buttons")
def write_with_ai_button(page, user, view_name, next_url=None):
    """ "Schrijf met AI" on a newsletter (and a new one from the archive), for who may draft with AI."""
    from newsletter.drafting import may_draft

    if not may_draft(user):
        return
    specific = page.specific_deferred
    if isinstance(specific, NewsletterPage):
        yield Button(
            _("Write with AI"), reverse("newsletter_ai_draft", args=[page.pk]), icon_name="edit", priority=3
        )
        yield Button(
            _("AI check"), reverse("newsletter_ai_review", args=[page.pk]), icon_name="search", priority=6
        )
    elif isinstance(specific, NewsletterIndexPage):
        yield Button(
            _("New newsletter with AI"),
            reverse("newsletter_ai_draft_new", args=[page.pk]),
            icon_name="edit",
            priority=3,
        )


@hooks.register("insert_editor_js")
def ai_editor_js():
    """Rewrite buttons on text and heading blocks, alt text on images: a small enhancement of the editor."""
    return format_html(
        '<script src="{}" data-config-url="{}" data-css-url="{}" defer></script>',
        static("newsletter/ai_editor.js"),
        reverse("newsletter_ai_config"),
        static("newsletter/ai_editor.css"),
    )
