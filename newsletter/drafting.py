"""The AI editor inside newsletters: sources, the draft request, and storing a draft as a revision.

Sources are the organisation's own material, summarised here so that no personal data reaches a
prompt: portal news and events (published pages), the year plan's public projects and their status
changes (without who changed them or their remarks), the previous newsletter as sent, and the
CRM's signals counted per theme (kinds and counts only). drafting.api fences them as data.

A finished draft is saved by `apply_draft` (run in the worker) as a new draft revision of the
newsletter, with an AIDraft record: brief, sources, model, prompt version, the AI call, and a
fingerprint of every block and sentence the AI wrote (see `fingerprints`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from drafting import api

HANDLER = "newsletter.apply_draft"

SOURCE_KINDS = ("news", "event", "project", "status_change", "newsletter", "signals")
SOURCE_LIMIT = 12  # per kind: a prompt stays readable and within a model's context
# Items per kind of source, by the length asked for: a short newsletter has a few topics to pick from.
ITEMS_PER_KIND = {"kort": 3, "middel": 5, "lang": 8}
SOURCES_IN_ALL = 20
TEXT_LIMIT = 1200  # characters of text per source

# The newsletter's own block types the AI may write (the others are chosen by a person).
AI_BLOCK_TYPES = ("heading", "paragraph", "button")

_STRING = {"type": "string"}
NEWSLETTER_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["subject_lines", "preheader", "blocks"],
    "properties": {
        "subject_lines": {
            "type": "array",
            "minItems": 2,
            "maxItems": 3,
            "items": {"type": "string", "minLength": 3, "maxLength": 150},
        },
        "preheader": {"type": "string", "maxLength": 200},
        "blocks": {
            "type": "array",
            "minItems": 1,
            "maxItems": 80,
            "items": {
                "anyOf": [
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["type", "value"],
                        "properties": {
                            "type": {"type": "string", "enum": ["heading"]},
                            "value": {"type": "string", "minLength": 1, "maxLength": 120},
                        },
                    },
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["type", "value"],
                        "properties": {
                            "type": {"type": "string", "enum": ["paragraph"]},
                            "value": {
                                "type": "string",
                                "minLength": 1,
                                "maxLength": 5000,
                                "contentMediaType": "text/html",
                            },
                        },
                    },
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["type", "value"],
                        "properties": {
                            "type": {"type": "string", "enum": ["button"]},
                            "value": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["text", "url"],
                                "properties": {
                                    "text": {"type": "string", "minLength": 1, "maxLength": 60},
                                    "url": {"type": "string", "maxLength": 500},
                                },
                            },
                        },
                    },
                ]
            },
        },
    },
}


@dataclass(frozen=True)
class DraftChoices:
    """What the editor asked for in "Schrijf met AI"."""

    brief: str
    kind: str
    audience: str
    tone: str
    length: str
    since: dt.date
    until: dt.date
    sources: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------


def _day(value) -> str:
    """A date as Dutch readers (and the fact check) read it: "za 19 december 2026"."""
    with translation.override("nl"):
        return formats.date_format(value, "D j F Y")


def _clock(value) -> str:
    return timezone.localtime(value).strftime("%H:%M")


def _shorten(text: str, limit: int = TEXT_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def plain_text(value: str) -> str:
    """Text of an HTML string, block boundaries as spaces, entities as characters."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", value or "")).split())


def _stream_text(raw_data) -> str:
    """The readable text of a StreamField's raw data (headings, paragraphs, captions, buttons)."""
    parts = []
    for block in raw_data or []:
        value = block.get("value")
        if isinstance(value, str):
            parts.append(plain_text(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                if key in ("text", "caption") and isinstance(item, str):
                    parts.append(plain_text(item))
                elif isinstance(item, list):  # the columns of a two-column block
                    parts.append(_stream_text(item))
        elif isinstance(value, list):
            parts.append(_stream_text(value))
    return " ".join(p for p in parts if p)


def _aware(day: dt.date, *, end: bool = False) -> dt.datetime:
    moment = dt.datetime.combine(day + dt.timedelta(days=1) if end else day, dt.time.min)
    return timezone.make_aware(moment)


def news_sources(since: dt.date, until: dt.date) -> list[api.Source]:
    from portal.models import NewsPage

    pages = NewsPage.objects.live().public().filter(date__gte=since, date__lte=until).order_by("-date", "-pk")
    return [
        api.Source(
            kind="news",
            title=page.title,
            text=_shorten(f"{_day(page.date)}. {page.intro} {_stream_text(page.body.raw_data)}"),
            url=page.get_full_url() or "",
            date=page.date,
        )
        for page in pages[:SOURCE_LIMIT]
    ]


def event_sources(since: dt.date, until: dt.date) -> list[api.Source]:
    from portal.models import EventPage

    events = (
        EventPage.objects.live()
        .public()
        .filter(start__gte=_aware(since), start__lt=_aware(until, end=True))
        .order_by("start", "pk")
    )
    sources = []
    for event in events[:SOURCE_LIMIT]:
        when = f"{_day(timezone.localtime(event.start))} van {_clock(event.start)}"
        if event.end:
            when += f" tot {_clock(event.end)}"
        where = f" Locatie: {event.location}." if event.location else ""
        sources.append(
            api.Source(
                kind="event",
                title=event.title,
                text=_shorten(f"{when}.{where} {event.intro} {_stream_text(event.body.raw_data)}"),
                url=event.get_full_url() or "",
                date=timezone.localtime(event.start).date(),
            )
        )
    return sources


def project_sources(since: dt.date, until: dt.date) -> list[api.Source]:
    from projects.models import Status
    from projects.queries import public_projects

    statuses = dict(Status.choices)
    sources = []
    for year in range(since.year, until.year + 1):
        for project in public_projects(year=year)[:SOURCE_LIMIT]:
            theme = f" Thema: {project.theme.name}." if project.theme else ""
            status = statuses.get(project.status, project.status)
            sources.append(
                api.Source(
                    kind="project",
                    title=project.name,
                    text=_shorten(f"Jaarplan {project.year}. Status: {status}.{theme} {project.summary}"),
                )
            )
    return sources[:SOURCE_LIMIT]


def status_change_sources(since: dt.date, until: dt.date) -> list[api.Source]:
    from projects.models import Status
    from projects.queries import public_status_changes

    statuses = dict(Status.choices)
    changes = public_status_changes(since=_aware(since), until=_aware(until, end=True))
    return [
        api.Source(
            kind="status_change",
            title=change.project.name,
            text=(
                f"Op {_day(timezone.localtime(change.changed_at))} ging de status van het project "
                f"van {statuses.get(change.from_status, change.from_status or '-')} "
                f"naar {statuses.get(change.to_status, change.to_status)}."
            ),
            date=timezone.localtime(change.changed_at).date(),
        )
        for change in changes[-SOURCE_LIMIT:]
    ]


def previous_newsletter_source(page=None) -> list[api.Source]:
    """The last newsletter that was sent (not this one), as it was sent."""
    from newsletter.models import Send

    sends = Send.objects.filter(status=Send.Status.SENT).select_related("revision")
    if page is not None and page.pk:
        sends = sends.exclude(newsletter_id=page.pk)
    send = sends.order_by("-finished_at", "-pk").first()
    if send is None:
        return []
    issue = send.revision.content
    sent = send.finished_at or send.started_at or send.created_at
    raw = issue.get("body") or []
    raw = json.loads(raw) if isinstance(raw, str) else raw  # revisions keep StreamFields as JSON text
    body = _stream_text([b for b in raw if b.get("type") in ("heading", "paragraph", "columns")])
    return [
        api.Source(
            kind="newsletter",
            title=send.subject or issue.get("subject", ""),
            text=_shorten(
                f"Verstuurd op {_day(timezone.localtime(sent))}. {issue.get('preheader', '')} {body}"
            ),
            date=timezone.localtime(sent).date(),
        )
    ]


def signal_sources(since: dt.date, until: dt.date) -> list[api.Source]:
    """The CRM's signals as counts per theme: never a person, a business or a note."""
    from crm.queries.signals import signal_counts

    rows = signal_counts(since=_aware(since), until=_aware(until, end=True))
    if not rows:
        return []
    lines = [f"{row['label']}: {row['count']} (de periode ervoor: {row['previous']})" for row in rows]
    return [
        api.Source(
            kind="signals",
            title=_("Signals from entrepreneurs per theme"),
            text=f"Signalen van {_day(since)} tot en met {_day(until)}, geteld per thema. "
            + "; ".join(lines),
            date=until,
        )
    ]


def collect_sources(choices: DraftChoices, *, page=None) -> tuple[api.Source, ...]:
    """The ticked sources of the chosen period, in a fixed number of queries."""
    since, until = choices.since, choices.until
    builders = {
        "news": lambda: news_sources(since, until),
        "event": lambda: event_sources(since, until),
        "project": lambda: project_sources(since, until),
        "status_change": lambda: status_change_sources(since, until),
        "newsletter": lambda: previous_newsletter_source(page),
        "signals": lambda: signal_sources(since, until),
    }
    per_kind = ITEMS_PER_KIND.get(choices.length, 5)
    sources: list[api.Source] = []
    for kind in SOURCE_KINDS:
        if kind in choices.sources:
            # Status changes and signals matter most when recent: the builders list those last.
            found = builders[kind]()
            sources += found[-per_kind:] if kind == "status_change" else found[:per_kind]
    return tuple(sources[:SOURCES_IN_ALL])


def source_to_json(source: api.Source) -> dict:
    return {
        "kind": source.kind,
        "title": source.title,
        "text": source.text,
        "url": source.url,
        "date": source.date.isoformat() if source.date else None,
    }


def source_from_json(data: dict) -> api.Source:
    date = dt.date.fromisoformat(data["date"]) if data.get("date") else None
    return api.Source(
        kind=data["kind"], title=data["title"], text=data.get("text", ""), url=data.get("url", ""), date=date
    )


# ---------------------------------------------------------------------------------------------
# Asking for a draft
# ---------------------------------------------------------------------------------------------


def draft_request(choices: DraftChoices, *, page=None) -> api.DraftRequest:
    return api.DraftRequest(
        purpose="newsletter",
        prompt="newsletter",
        schema=NEWSLETTER_SCHEMA,
        brief=choices.brief,
        sources=collect_sources(choices, page=page),
        options={
            "kind": choices.kind,
            "audience": choices.audience,
            "tone": choices.tone,
            "length": choices.length,
            "language": "nl",
            "block_types": list(AI_BLOCK_TYPES),
            "subject_lines": 3,
        },
    )


class DraftRefused(Exception):
    """The newsletter cannot take a draft now (under review, or the user may not draft)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def may_draft(user) -> bool:
    """Communicatie, Centrummanager and Beheerder draft with AI (drafting's "use_ai" permission)."""
    return bool(user and user.is_active and user.has_perm("drafting.use_ai"))


def check_can_draft(*, page, user) -> None:
    if not may_draft(user):
        raise DraftRefused(_("You may not draft with the AI editor."))
    if not page.permissions_for_user(user).can_edit():
        raise DraftRefused(_("You may not edit this newsletter."))
    if page.workflow_in_progress:
        raise DraftRefused(
            _("This newsletter is with the editorial review; cancel the review first to draft a new version.")
        )
    if page.locked and page.locked_by_id != user.pk:
        raise DraftRefused(_("This newsletter is locked by a colleague."))


def start_newsletter_draft(*, page, user, choices: DraftChoices):
    """Queue a draft of `page` for the worker; returns the drafting job. Nothing on the page changes yet."""
    check_can_draft(page=page, user=user)
    request = draft_request(choices, page=page)
    target = {
        "page_id": page.pk,
        "user_id": user.pk,
        "choices": {
            "brief": choices.brief,
            "kind": choices.kind,
            "audience": choices.audience,
            "tone": choices.tone,
            "length": choices.length,
            "since": choices.since.isoformat(),
            "until": choices.until.isoformat(),
            "sources": list(choices.sources),
        },
        "sources": [source_to_json(s) for s in request.sources],
    }
    return api.start_draft(request, user=user, handler=HANDLER, target=target)


@transaction.atomic
def create_newsletter_for_draft(*, index, user, title: str, kind: str):
    """A new, empty draft newsletter to draft into (the AI's blocks arrive as its next revision)."""
    from django.utils.text import slugify

    from newsletter.models import NewsletterPage

    if not index.permissions_for_user(user).can_add_subpage():
        raise DraftRefused(_("You may not add a newsletter here."))
    base = slugify(title)[:60] or "nieuwsbrief"
    slug, n = base, 1
    while NewsletterPage.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    page = NewsletterPage(
        title=title,
        slug=slug,
        subject=title,
        kind=kind,
        owner=user,
        live=False,
        body=[{"type": "greeting", "value": {"salutation": "Beste", "fallback": "ondernemer"}}],
    )
    index.add_child(instance=page)
    page.save_revision(user=user)
    return page


# ---------------------------------------------------------------------------------------------
# Fingerprints: what the AI wrote, recognised later
# ---------------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def sentences(text: str) -> list[str]:
    return [s for s in (part.strip() for part in _SENTENCE_END.split(" ".join(text.split()))) if s]


def fingerprint(text: str) -> str:
    """A short hash of text as a reader sees it (markup and spacing do not count, case does)."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:20]


def block_text(block_type: str, value) -> str:
    """The text a reader sees in one block of a newsletter (raw StreamField value)."""
    if block_type == "heading" and isinstance(value, dict):
        return " ".join(str(value.get("text", "")).split())
    if block_type == "paragraph":
        return plain_text(value if isinstance(value, str) else getattr(value, "source", str(value)))
    if block_type == "button" and isinstance(value, dict):
        return " ".join(str(value.get("text", "")).split())
    return ""


def fingerprints(blocks: list[dict]) -> dict:
    """Fingerprints of blocks (type + text) and of their sentences, in raw StreamField form."""
    block_prints, sentence_prints = [], []
    for block in blocks:
        text = block_text(block["type"], block["value"])
        if not text:
            continue
        block_prints.append(fingerprint(f"{block['type']}:{text}"))
        sentence_prints += [fingerprint(s) for s in sentences(text)]
    return {"blocks": block_prints, "sentences": sentence_prints}


# ---------------------------------------------------------------------------------------------
# The handler: the draft becomes a new revision
# ---------------------------------------------------------------------------------------------


def _safe_url(url: str) -> str:
    url = (url or "").strip()
    return url if re.match(r"^https?://[^\s/]+", url) else ""


def stream_blocks(ai_blocks: list[dict]) -> list[dict]:
    """The AI's blocks as the newsletter's own StreamField blocks (raw form); unusable ones dropped."""
    blocks = []
    for block in ai_blocks:
        kind, value = block.get("type"), block.get("value")
        if kind == "heading" and isinstance(value, str) and value.strip():
            blocks.append({"type": "heading", "value": {"text": value.strip()[:120]}})
        elif kind == "paragraph" and isinstance(value, str) and plain_text(value):
            blocks.append({"type": "paragraph", "value": value})
        elif kind == "button" and isinstance(value, dict):
            url, text = _safe_url(value.get("url", "")), str(value.get("text", "")).strip()[:60]
            if url and text:
                blocks.append({"type": "button", "value": {"text": text, "page": None, "url": url}})
    return blocks


def apply_draft(job, result, target: dict) -> dict:
    """Save the draft as a new draft revision of the newsletter (drafting runs this in the worker).

    Runs inside the job's transaction: when anything here fails, no revision and no record remain.
    """
    from django.contrib.auth import get_user_model

    from newsletter.models import AIDraft, NewsletterPage

    page = NewsletterPage.objects.select_for_update().filter(pk=target["page_id"]).first()
    if page is None:
        raise api.DraftingError(_("The newsletter no longer exists."), retryable=False)
    user = get_user_model().objects.filter(pk=target.get("user_id")).first()
    if page.workflow_in_progress:
        raise api.DraftingError(
            _("This newsletter went to the editorial review meanwhile; the draft was not saved."),
            retryable=False,
        )
    blocks = stream_blocks(result.data.get("blocks") or [])
    if not blocks:
        raise api.DraftingError(_("The draft had no usable blocks. Please try again."), retryable=True)
    subject_lines = [" ".join(s.split())[:150] for s in result.data.get("subject_lines") or [] if s.strip()]
    preheader = " ".join((result.data.get("preheader") or "").split())[:200]

    issue = page.get_latest_revision_as_object()
    greeting = [b for b in issue.body.raw_data if b.get("type") == "greeting"][:1] or [
        {"type": "greeting", "value": {"salutation": "Beste", "fallback": "ondernemer"}}
    ]
    issue.body = [{"type": b["type"], "value": b["value"]} for b in greeting] + blocks
    if subject_lines:
        issue.subject = subject_lines[0]
    if preheader:
        issue.preheader = preheader
    choices = target.get("choices") or {}
    if choices.get("kind"):
        issue.kind = choices["kind"]
    revision = issue.save_revision(user=user, log_action=True)
    AIDraft.objects.create(
        page=page,
        revision=revision,
        job_id=getattr(job, "pk", None),
        requested_by=user,
        brief=choices.get("brief", ""),
        options={k: v for k, v in choices.items() if k != "brief"},
        sources=target.get("sources") or [],
        model_name=result.model,
        prompt_version=result.prompt_version or "",
        call_id=result.call_id,
        template=result.template,
        subject_lines=subject_lines,
        preheader=preheader,
        fingerprints=fingerprints(blocks),
    )
    return {
        "page_id": page.pk,
        "revision_id": revision.pk,
        "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
    }


api.register_handler(HANDLER, apply_draft)
api.register_shape("newsletter", NEWSLETTER_SCHEMA, options={"block_types": list(AI_BLOCK_TYPES)})


# ---------------------------------------------------------------------------------------------
# Rewrites and alt text: short, made while the editor waits
# ---------------------------------------------------------------------------------------------

REWRITE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["text"],
    "properties": {"text": {"type": "string", "minLength": 1, "maxLength": 8000}},
}
ALT_TEXT_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["alt"],
    "properties": {"alt": {"type": "string", "minLength": 1, "maxLength": 250}},
}
api.register_shape("rewrite", REWRITE_SCHEMA)
api.register_shape("alt_text", ALT_TEXT_SCHEMA)


def rewrite_text(*, user, action: str, text: str, is_html: bool) -> api.DraftResult:
    """A rewritten version of one block's text; the caller shows it beside the original."""
    return api.draft(
        api.DraftRequest(
            purpose="rewrite",
            prompt="rewrite",
            schema=REWRITE_SCHEMA,
            options={
                "action": action,
                "format": "html" if is_html else "plain",
                "text": text,
                "language": "nl",
            },
        ),
        user=user,
    )


@transaction.atomic
def record_rewrite(
    *, page, user, action: str, text: str, heading: bool, model: str, prompt_version: str, call_id: int | None
):
    """An accepted rewrite: its sentences count as AI-written until a person changes them."""
    from newsletter.models import AIRewrite

    kind = "heading" if heading else "paragraph"
    value = {"text": text} if heading else text
    return AIRewrite.objects.create(
        page=page,
        user=user,
        action=action,
        model_name=model or "?",
        prompt_version=prompt_version,
        call_id=call_id,
        fingerprints=fingerprints([{"type": kind, "value": value}]),
    )


def _image_bytes(image) -> bytes:
    """The image as a JPEG of at most 1024 px: enough for a description, small for the request."""
    rendition = image.get_rendition("max-1024x1024|format-jpeg")
    with rendition.file.open("rb") as handle:
        return handle.read()


def suggest_alt_text(*, image, user) -> api.DraftResult:
    return api.draft(
        api.DraftRequest(
            purpose="alt_text",
            prompt="alt_text",
            schema=ALT_TEXT_SCHEMA,
            options={"context": image.title, "language": "nl"},
            image=_image_bytes(image),
        ),
        user=user,
    )


@transaction.atomic
def save_alt_text(*, image, alt: str, user) -> None:
    """Store the alt text as the image's description, which Wagtail uses as its default alt text."""
    image.description = alt
    image.save(update_fields=["description"])
    from wagtail.log_actions import log

    log(instance=image, action="wagtail.edit", user=user)
