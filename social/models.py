"""Social posts: one post for one channel, written (often drafted by AI), reviewed, then posted by hand."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    WorkflowMixin,
)

from social import channels
from social.channels import Channel
from stadshart.review import FourEyesReviewTask


def validate_post_link(value: str) -> None:
    """A post links to a web address; the site's own address is valid whatever its host name."""
    own = settings.SITE_URL.rstrip("/")
    if value == own or value.startswith(own + "/"):
        return
    URLValidator(schemes=["http", "https"])(value)


class PostState(models.TextChoices):
    CONCEPT = "concept", _("draft")
    REVIEW = "review", _("in review")
    APPROVED = "approved", _("approved")
    PUBLISHED = "published", _("published")


class SourceKind(models.TextChoices):
    NEWSLETTER = "newsletter", _("newsletter")
    NEWS = "news", _("news item")
    EVENT = "event", _("event")
    PROJECT = "project", _("project")


# Fields that belong to the post as a whole, not to one version of its text: a revision restored
# or published by the review must not wind them back (see with_content_json). The planned moment
# is one of them: moving a post in the calendar needs no new review (services.plan_post).
BOOKKEEPING_FIELDS = (
    "state",
    "planned_at",
    "approved_by_id",
    "approved_at",
    "posted_url",
    "posted_at",
    "posted_by_id",
    "created_by_id",
    "ai_model",
    "ai_prompt_version",
    "ai_brief",
    "ai_call_id",
    "ai_template",
    "ai_notes",
)


class SocialPost(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    """One message for one channel, from one source; reviewed by a second person, posted by hand.

    Wagtail's draft state serves the four-eyes rule: the review's approval publishes the revision
    the reviewer saw (so the live row holds the approved text, and an edit after approval is a new
    draft that needs approval again); "published" in our sense, posted on the network, is `state`.
    """

    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    text = models.TextField(_("text"), max_length=65000)
    # A plain CharField with the URL check below: links to the site's own public address (SITE_URL,
    # which may be a single-label host such as an intranet name) are always valid.
    link = models.CharField(_("link"), max_length=500, blank=True, validators=[validate_post_link])
    hashtags = models.CharField(
        _("hashtags"),
        max_length=500,
        blank=True,
        help_text=_("Separated by spaces, e.g. #koopzondag #Veldhaven"),
    )
    planned_at = models.DateTimeField(_("planned for"), null=True, blank=True, db_index=True)
    state = models.CharField(
        _("state"), max_length=12, choices=PostState.choices, default=PostState.CONCEPT, db_index=True
    )

    source_kind = models.CharField(_("source"), max_length=12, choices=SourceKind.choices, blank=True)
    source_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("source page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("source project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_title = models.CharField(_("source title"), max_length=255, blank=True)

    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    posted_url = models.URLField(_("posted at address"), max_length=500, blank=True)
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # Where an AI draft came from, for the reviewer (as for newsletters).
    ai_model = models.CharField(_("AI model"), max_length=100, blank=True)
    ai_prompt_version = models.CharField(_("prompt version"), max_length=50, blank=True)
    ai_brief = models.TextField(_("brief"), blank=True)
    ai_call_id = models.PositiveBigIntegerField(_("AI call"), null=True, blank=True)
    ai_template = models.BooleanField(_("template draft (no AI)"), default=False)
    ai_notes = models.TextField(_("drafting notes"), blank=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="socialpost")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="socialpost",
        for_concrete_model=False,
    )

    class Meta:
        verbose_name = _("social post")
        verbose_name_plural = _("social posts")
        ordering = ["planned_at", "pk"]
        indexes = [models.Index(fields=["state", "planned_at"])]

    def __str__(self):
        first_line = (self.text or "").strip().splitlines()[0] if (self.text or "").strip() else ""
        return f"{self.get_channel_display()}: {first_line[:60]}"

    @property
    def revisions(self):
        return self._revisions

    @property
    def hashtag_list(self) -> list[str]:
        return channels.parse_hashtags(self.hashtags)

    @property
    def composed(self) -> str:
        """The post as it is pasted into the network."""
        return channels.compose(self.channel, text=self.text, link=self.link, hashtags=self.hashtags)

    @property
    def length(self) -> int:
        return channels.length(self.channel, self.composed)

    @property
    def problems(self):
        return channels.check(self.channel, text=self.text, link=self.link, hashtags=self.hashtags)

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        for name in BOOKKEEPING_FIELDS:
            setattr(obj, name, getattr(self, name))
        return obj


class SocialReviewTask(FourEyesReviewTask):
    """The post's review. What it does to the post's state is done by social.signals (Wagtail's
    workflow signals), so that this model never imports the services that import it."""

    own_work_refusal = _("You cannot review a post you wrote or submitted yourself.")

    @classmethod
    def get_description(cls):
        return _("Communicatie or Centrummanager approve; never the author of the post.")

    class Meta:
        verbose_name = _("social post review")
        verbose_name_plural = _("social post reviews")
