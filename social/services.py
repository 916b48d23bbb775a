"""Every change of a social post that matters: drafting, review states, recording the posted address.

Plain functions with keyword-only arguments, one transaction each, each writing its entry in
Wagtail's history of the post (the same log the admin shows under "History").
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from social import channels
from social.models import PostState, SocialPost


class PostingError(ValidationError):
    """A posted address that cannot be recorded (wrong state, not a web address)."""


def validate_post(*, channel: str, text: str, link: str = "", hashtags="") -> None:
    """Raise a ValidationError (Dutch messages) when the post does not fit its channel."""
    if channel not in channels.RULES:
        raise ValidationError({"channel": _("Choose a channel.")})
    errors = {}
    for problem in channels.check(channel, text=text, link=link, hashtags=hashtags):
        if problem.blocking:
            field = "hashtags" if problem.code == "too_many_hashtags" else "text"
            errors.setdefault(field, []).append(problem.message)
    if errors:
        raise ValidationError(errors)


def fit_to_channel(*, channel: str, text: str, link: str = "", hashtags="") -> tuple[str, str, list[str]]:
    """Make an AI draft fit its channel: shorten at a sentence or word boundary, drop what the
    channel does not use. Returns (text, hashtags, notes), the notes telling the editor what changed
    or what still needs a person (never a silent change)."""
    rule = channels.rule(channel)
    notes = []
    tags = channels.parse_hashtags(hashtags)
    if tags and not rule.hashtags:
        notes.append(
            _("Hashtags left out: %(channel)s does not use them.")
            % {"channel": channels.Channel(channel).label}
        )
        tags = []
    if len(tags) > rule.max_hashtags:
        notes.append(_("Hashtags reduced to %(max)s.") % {"max": rule.max_hashtags})
        tags = tags[: rule.max_hashtags]
    hashtag_text = " ".join(tags)
    if not rule.link_in_text and channels.URL_RE.search(text or ""):
        text = channels.URL_RE.sub(_("(link in bio)"), text)
        notes.append(
            _("The link in the text was replaced by a reference to the bio: links are not clickable there.")
        )
    fitted, shortened = channels.shorten(channel, text=text, link=link, hashtags=hashtag_text)
    if shortened:
        notes.append(
            _("Shortened to fit the %(max)s characters of %(channel)s: check that the text still reads well.")
            % {"max": rule.max_chars, "channel": channels.Channel(channel).label}
        )
    elif any(
        p.code == "too_long" for p in channels.check(channel, text=fitted, link=link, hashtags=hashtag_text)
    ):
        notes.append(
            _("Too long for %(channel)s and could not be shortened: please shorten it.")
            % {"channel": channels.Channel(channel).label}
        )
    return fitted, hashtag_text, notes


@transaction.atomic
def create_post(
    *,
    channel: str,
    text: str,
    user,
    link: str = "",
    hashtags="",
    planned_at: dt.datetime | None = None,
    source_kind: str = "",
    source_page=None,
    source_project=None,
    source_title: str = "",
    ai: dict | None = None,
) -> SocialPost:
    """A new draft post (state concept), saved with its first revision.

    `ai` carries the provenance of an AI draft: model, prompt_version, brief, call_id, template.
    AI text is fitted to the channel first (see fit_to_channel); what could not be fitted is
    stored as it is and flagged in the post's notes, for the editor to fix.
    """
    notes = []
    if ai is not None:
        text, hashtags, notes = fit_to_channel(channel=channel, text=text, link=link, hashtags=hashtags)
    else:
        validate_post(channel=channel, text=text, link=link, hashtags=hashtags)
        hashtags = " ".join(channels.parse_hashtags(hashtags))
    ai = ai or {}
    post = SocialPost(
        channel=channel,
        text=text,
        link=link,
        hashtags=hashtags,
        planned_at=planned_at,
        state=PostState.CONCEPT,
        source_kind=source_kind,
        source_page=source_page,
        source_project=source_project,
        source_title=source_title[:255],
        created_by=user,
        live=False,
        ai_model=ai.get("model", ""),
        ai_prompt_version=ai.get("prompt_version", ""),
        ai_brief=ai.get("brief", ""),
        ai_call_id=ai.get("call_id"),
        ai_template=bool(ai.get("template", False)),
        ai_notes="\n".join(notes),
    )
    post.save()
    post.save_revision(user=user)
    log(instance=post, action="social.drafted" if ai else "wagtail.create", user=user)
    return post


def _set(post: SocialPost, **fields) -> None:
    SocialPost.objects.filter(pk=post.pk).update(**fields)
    for name, value in fields.items():
        setattr(post, name, value)


@transaction.atomic
def mark_in_review(*, post: SocialPost) -> None:
    """The post was submitted for review (called by the review task when it starts)."""
    _set(post, state=PostState.REVIEW)


@transaction.atomic
def mark_approved(*, post: SocialPost, user) -> None:
    """A second person approved the post (called by the review task); the approver is recorded."""
    _set(post, state=PostState.APPROVED, approved_by=user, approved_at=timezone.now())
    log(instance=post, action="social.approved", user=user)


@transaction.atomic
def mark_back_to_concept(*, post: SocialPost) -> None:
    """Changes were asked for, or the review was cancelled: the post is a draft again."""
    if post.state != PostState.PUBLISHED:
        _set(post, state=PostState.CONCEPT)


@transaction.atomic
def note_edited(*, post: SocialPost) -> None:
    """An edit after approval is a new draft: it needs approval again before it is posted."""
    current = SocialPost.objects.get(pk=post.pk)
    if current.state == PostState.APPROVED and current.has_unpublished_changes:
        _set(post, state=PostState.CONCEPT, approved_by=None, approved_at=None)


@transaction.atomic
def record_posted(*, post: SocialPost, url: str, user, posted_at: dt.datetime | None = None) -> SocialPost:
    """Record where the approved post went live and who posted it: the post is then "published"."""
    post = SocialPost.objects.select_for_update().get(pk=post.pk)
    if post.state not in (PostState.APPROVED, PostState.PUBLISHED):
        raise PostingError(_("Only an approved post can be recorded as posted."))
    url = (url or "").strip()
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        raise PostingError(_("Enter the full web address of the post, starting with https://.")) from None
    _set(
        post,
        state=PostState.PUBLISHED,
        posted_url=url,
        posted_at=posted_at or timezone.now(),
        posted_by=user,
    )
    log(instance=post, action="social.posted", user=user, data={"url": url})
    return post


@transaction.atomic
def plan_post(*, post: SocialPost, planned_at: dt.datetime | None, user) -> None:
    """Move the planned moment (the calendar); the text is untouched, so no new review is needed."""
    _set(post, planned_at=planned_at)
    log(instance=post, action="social.planned", user=user)
