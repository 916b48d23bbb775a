"""Social posts drafted by the AI editor: one draft per chosen channel from one source.

The web process only asks (`start_social_draft` → drafting.api.start_draft); the worker drafts and
calls `apply_draft`, registered as the handler "social.apply_draft", which stores one draft post
per channel, fitted to the channel's rules, with the AI's provenance and the fact check's findings.
"""

from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse
from django.utils import dateparse
from django.utils.translation import gettext as _

from drafting import api
from social import channels, services
from social.sources import SourceItem, source_for

HANDLER = "social.apply_draft"
PROMPT = "social"

SCHEMA = {
    "type": "object",
    "required": ["posts"],
    "properties": {
        "posts": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["channel", "text", "hashtags", "link"],
                "properties": {
                    "channel": {"type": "string", "enum": [c.value for c in channels.Channel]},
                    "text": {"type": "string", "maxLength": 5000},
                    "hashtags": {
                        "type": "array",
                        "items": {"type": "string", "maxLength": 60},
                        "maxItems": 30,
                    },
                    "link": {"type": "string", "maxLength": 500},
                },
            },
        }
    },
}


# The limits of every channel go with the schema: the evaluation checks posts against the same ones.
api.register_shape(
    PROMPT, SCHEMA, options={"limits": {c.value: channels.rule(c.value).max_chars for c in channels.Channel}}
)


def build_request(*, source: SourceItem, channel_keys: list[str], brief: str = "") -> "api.DraftRequest":
    return api.DraftRequest(
        purpose="social",
        prompt=PROMPT,
        schema=SCHEMA,
        brief=brief,
        sources=(
            api.Source(
                kind=source.kind, title=source.title, text=source.text, url=source.url, date=source.date
            ),
        ),
        options={
            "channels": list(channel_keys),
            "limits": {key: channels.rule(key).max_chars for key in channel_keys},
            "rules": channels.as_prompt_options(channel_keys),
            "language": "nl",
        },
    )


def _target(*, source: SourceItem, page, project, channel_keys, brief, planned_at) -> dict:
    return {
        # The (already scrubbed) source travels with the job, for the fact check in the worker.
        "source": {
            "kind": source.kind,
            "title": source.title,
            "text": source.text,
            "url": source.url,
            "date": source.date.isoformat() if source.date else None,
        },
        "page_id": page.pk if page is not None else None,
        "project_id": project.pk if project is not None else None,
        "channels": list(channel_keys),
        "brief": brief,
        "planned_at": planned_at.isoformat() if planned_at else None,
    }


def start_social_draft(*, user, channel_keys, page=None, project=None, brief: str = "", planned_at=None):
    """Queue the drafting of one post per channel; returns the drafting job (polled by the editor)."""
    source = source_for(page=page, project=project)
    request = build_request(source=source, channel_keys=channel_keys, brief=brief)
    target = _target(
        source=source,
        page=page,
        project=project,
        channel_keys=channel_keys,
        brief=brief,
        planned_at=planned_at,
    )
    return api.start_draft(request, user=user, handler=HANDLER, target=target)


def draft_posts(*, user, channel_keys, page=None, project=None, brief: str = "", planned_at=None) -> list:
    """Draft and store the posts at once (the worker's path without a queue: demo, scripts, tests)."""
    source = source_for(page=page, project=project)
    request = build_request(source=source, channel_keys=channel_keys, brief=brief)
    result = api.draft(request, user=user)
    target = _target(
        source=source,
        page=page,
        project=project,
        channel_keys=channel_keys,
        brief=brief,
        planned_at=planned_at,
    )
    return store_posts(result=result, target=target, user=user)["posts"]


def _plain(text: str) -> str:
    text = text or ""
    return BeautifulSoup(text, "html.parser").get_text() if "<" in text else text


def _own_hosts() -> list[str]:
    host = urlsplit(getattr(settings, "SITE_URL", "") or "").hostname
    return [host] if host else []


def _source(target: dict):
    data = target.get("source")
    if not data:
        return None
    date = dateparse.parse_date(data["date"]) if data.get("date") else None
    return api.Source(
        kind=data["kind"], title=data["title"], text=data["text"], url=data.get("url", ""), date=date
    )


def store_posts(*, result, target: dict, user) -> dict:
    """One draft post per chosen channel from the AI's answer."""
    from wagtail.models import Page

    from projects.models import Project

    page = Page.objects.filter(pk=target.get("page_id")).first() if target.get("page_id") else None
    project = (
        Project.objects.filter(pk=target.get("project_id")).first() if target.get("project_id") else None
    )
    source = _source(target)
    planned_at = dateparse.parse_datetime(target["planned_at"]) if target.get("planned_at") else None
    brief = target.get("brief", "")
    by_channel = {}
    for item in result.data.get("posts", []):
        by_channel.setdefault(item.get("channel"), item)
    posts, missing = [], []
    for key in target.get("channels", []):
        item = by_channel.get(key)
        if item is None:
            missing.append(key)
            continue
        text = _plain(item.get("text", "")).strip()
        link = (item.get("link") or "").strip()
        notes = []
        source_url = source.url if source else ""
        # A post links only to its source: any other address the model gave is not used.
        if link != source_url:
            if link:
                notes.append(
                    _("The AI's link %(link)s was replaced by the source's address.") % {"link": link}
                )
            link = source_url
        claims = api.fact_check(text, brief=brief, sources=[source] if source else [], own_hosts=_own_hosts())
        if claims:
            notes.append(
                _("Not found in the sources: %(claims)s")
                % {"claims": ", ".join(f"“{c.text}”" for c in claims)}
            )
        post = services.create_post(
            channel=key,
            text=text,
            link=link,
            hashtags=item.get("hashtags") or [],
            planned_at=planned_at,
            source_kind=source.kind if source else "",
            source_page=page,
            source_project=project,
            source_title=source.title if source else "",
            user=user,
            ai={
                "model": result.model,
                "prompt_version": result.prompt_version,
                "brief": brief,
                "call_id": result.call_id,
                "template": result.template,
            },
        )
        if notes:
            post.ai_notes = "\n".join([*notes, post.ai_notes] if post.ai_notes else notes)
            post.save(update_fields=["ai_notes"])
        posts.append(post)
    return {
        "posts": posts,
        "post_ids": [post.pk for post in posts],
        "missing_channels": missing,
    }


def apply_draft(job, result, target) -> dict:
    """The drafting handler: runs in the worker once the AI's answer is in."""
    stored = store_posts(result=result, target=target, user=job.user)
    return {
        "post_ids": stored["post_ids"],
        "missing_channels": stored["missing_channels"],
        "edit_url": reverse("social:draft_result", args=[job.pk]),
    }


api.register_handler(HANDLER, apply_draft)
