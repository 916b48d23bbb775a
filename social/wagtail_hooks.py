"""Social posts in the admin: menu "Social media" with the posts, the week calendar and drafting."""

from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets import Button, HeaderButton, ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView, SnippetViewSet

from social import services, views
from social.forms import SocialPostForm
from social.models import SocialPost


class NoDirectPublish:
    """Approvers hold "publish" (Wagtail's approval publishes as the approver), but nobody publishes
    a post directly: only the review's approval does, so every post passes a second person."""

    def get_available_actions(self):
        return [action for action in super().get_available_actions() if action != "publish"]


class SocialPostIndexView(IndexView):
    """The list, with the way to the week calendar and to drafting."""

    @cached_property
    def header_buttons(self):
        buttons = [HeaderButton(_("Week calendar"), reverse("social:calendar"), icon_name="date")]
        if self.request.user.has_perm(views.ADD):
            buttons.append(
                HeaderButton(_("Make social media posts"), reverse("social:draft"), icon_name="site")
            )
        return [*super().header_buttons, *buttons]


class SocialPostCreateView(NoDirectPublish, CreateView):
    pass


class SocialPostEditView(NoDirectPublish, EditView):
    def save_instance(self):
        instance = super().save_instance()
        # An edit after approval is a new draft: back to "concept" until approved again.
        services.note_edited(post=instance)
        return instance

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        buttons.append(
            HeaderButton(
                _("Copy and post"),
                reverse("social:posting", args=[self.object.pk]),
                icon_name="upload",
                priority=5,
            )
        )
        return buttons


class SocialPostViewSet(SnippetViewSet):
    model = SocialPost
    icon = "site"
    menu_label = _("Social media")
    menu_name = "social-media"
    menu_order = 230
    add_to_admin_menu = True
    url_prefix = "social/posts"
    admin_url_namespace = "social_posts"
    index_view_class = SocialPostIndexView
    add_view_class = SocialPostCreateView
    edit_view_class = SocialPostEditView
    inspect_view_enabled = True
    inspect_view_fields = [
        "channel",
        "text",
        "link",
        "hashtags",
        "planned_at",
        "state",
        "source_kind",
        "source_title",
        "created_by",
        "approved_by",
        "approved_at",
        "posted_url",
        "posted_by",
        "posted_at",
        "ai_model",
        "ai_prompt_version",
        "ai_brief",
        "ai_notes",
    ]
    list_display = [
        Column("text", label=_("Post"), accessor="__str__"),
        Column("channel", label=_("Channel"), accessor="get_channel_display"),
        Column("state", label=_("State"), accessor="get_state_display"),
        DateColumn("planned_at", label=_("Planned for")),
        Column("source_title", label=_("Source")),
    ]
    list_filter = ["channel", "state"]
    search_fields = ["text", "hashtags", "source_title"]
    ordering = ["-planned_at", "-pk"]
    list_per_page = 50
    edit_handler = ObjectList(
        [
            FieldPanel("channel"),
            FieldPanel("text"),
            FieldRowPanel([FieldPanel("link"), FieldPanel("hashtags")]),
            MultiFieldPanel(
                [
                    FieldPanel("source_title", read_only=True),
                    FieldPanel("ai_model", read_only=True),
                    FieldPanel("ai_prompt_version", read_only=True),
                    FieldPanel("ai_brief", read_only=True),
                    FieldPanel("ai_notes", read_only=True),
                ],
                heading=_("Where the draft came from"),
            ),
        ],
        base_form_class=SocialPostForm,
    )


register_snippet(SocialPostViewSet)


@hooks.register("register_admin_urls")
def register_social_urls():
    urls = [
        path("week/", views.CalendarView.as_view(), name="calendar"),
        path("draft/", views.DraftPostsView.as_view(), name="draft"),
        path("draft/<int:job_id>/", views.DraftResultView.as_view(), name="draft_result"),
        path("posts/<int:pk>/posting/", views.PostingView.as_view(), name="posting"),
    ]
    return [path("social/", include((urls, "social"), namespace="social"))]


@hooks.register("construct_snippet_action_menu")
def hide_publish_on_posts(menu_items, request, context):
    if context.get("model") is SocialPost:
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("register_snippet_listing_buttons")
def posting_listing_button(snippet, user, next_url=None):
    if isinstance(snippet, SocialPost) and user.has_perm(views.VIEW):
        yield ListingButton(
            _("Copy and post"), reverse("social:posting", args=[snippet.pk]), icon_name="upload", priority=30
        )


@hooks.register("register_page_header_buttons")
def draft_posts_button(page, user, view_name, next_url=None):
    """ "Maak socialemediaberichten" on a newsletter, news item or event."""
    from newsletter.models import NewsletterPage
    from portal.models import EventPage, NewsPage

    if user.has_perm(views.ADD) and isinstance(page.specific_deferred, (NewsletterPage, NewsPage, EventPage)):
        yield Button(
            _("Make social media posts"),
            reverse("social:draft") + f"?page={page.pk}",
            icon_name="site",
            priority=60,
        )


@hooks.register("register_log_actions")
def register_social_log_actions(actions):
    actions.register_action("social.drafted", _("Drafted by the AI editor"), _("Drafted by the AI editor"))
    actions.register_action("social.approved", _("Approved for posting"), _("Approved for posting"))
    actions.register_action("social.posted", _("Recorded as posted"), _("Recorded as posted"))
    actions.register_action("social.planned", _("Planned moment changed"), _("Planned moment changed"))
