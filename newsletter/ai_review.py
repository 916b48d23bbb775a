"""What the reviewer sees of the AI's part in a newsletter: what it wrote, from what, and what to check.

For a revision of a newsletter: each text block and sentence that matches a fingerprint of an AI
draft or an accepted AI rewrite (written by the AI, not changed by a person since), the brief,
sources and model of the latest AI draft, and the fact check of drafting.api over the text:
every date, amount, link, … not found in the brief or the sources. Three queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from drafting import api
from newsletter.drafting import block_text, fingerprint, sentences, source_from_json

BLOCK_LABELS = {"heading": _("Heading"), "paragraph": _("Text"), "button": _("Button")}


@dataclass
class Segment:
    text: str
    claim: api.Claim | None = None


@dataclass
class Sentence:
    segments: list[Segment]
    ai: bool


@dataclass
class Block:
    label: str
    sentences: list[Sentence]
    ai: bool
    url: list[Segment] = field(default_factory=list)

    @property
    def claims(self) -> int:
        return sum(1 for s in self.sentences for seg in s.segments if seg.claim) + sum(
            1 for seg in self.url if seg.claim
        )


@dataclass
class Review:
    draft: object | None  # the latest AIDraft of the page, if any
    blocks: list[Block]
    subject: Sentence | None
    preheader: Sentence | None
    rewrites: int

    @property
    def claims(self) -> int:
        extra = sum(1 for s in (self.subject, self.preheader) if s for seg in s.segments if seg.claim)
        return sum(block.claims for block in self.blocks) + extra

    @property
    def ai_sentences(self) -> int:
        return sum(1 for block in self.blocks for s in block.sentences if s.ai)

    @property
    def has_ai(self) -> bool:
        return self.draft is not None or self.rewrites > 0


def own_hosts() -> list[str]:
    from wagtail.models import Site

    hosts = {urlsplit(settings.SITE_URL).hostname or ""}
    hosts |= set(Site.objects.values_list("hostname", flat=True))
    return sorted(h for h in hosts if h)


def _segments(text: str, claims: list[api.Claim], offset: int) -> list[Segment]:
    """`text` (which starts at `offset` of the checked text) cut into plain parts and claims."""
    parts, at = [], 0
    for claim in claims:
        start, end = claim.start - offset, claim.end - offset
        if start < at or end > len(text):
            continue
        if start > at:
            parts.append(Segment(text[at:start]))
        parts.append(Segment(text[start:end], claim))
        at = end
    if at < len(text):
        parts.append(Segment(text[at:]))
    return parts


def _checked(parts: list[str], known: set[str], check) -> list[Sentence]:
    """Sentences with their AI mark and claims; the claims are found over the joined text."""
    text = " ".join(parts)
    claims = check(text)
    result, offset = [], 0
    for part in parts:
        ai = fingerprint(part) in known
        # Only the AI's own sentences are checked: what a person wrote or changed is theirs.
        inside = [c for c in claims if ai and c.start >= offset and c.end <= offset + len(part)]
        result.append(Sentence(_segments(part, inside, offset), ai))
        offset += len(part) + 1
    return result


def review(page, revision=None) -> Review:
    """The AI review of `revision` (default: the latest) of a newsletter page."""
    from newsletter.models import AIDraft, AIRewrite

    revision = revision or page.get_latest_revision()
    issue = revision.as_object() if revision else page
    drafts = list(
        AIDraft.objects.filter(page=page)
        .order_by("-created_at", "-pk")
        .values(
            "pk",
            "fingerprints",
            "brief",
            "sources",
            "model_name",
            "prompt_version",
            "template",
            "created_at",
            "subject_lines",
            "preheader",
            "options",
            "call_id",
            "requested_by__first_name",
            "requested_by__last_name",
            "requested_by__username",
        )
    )
    rewrites = list(AIRewrite.objects.filter(page=page).values_list("fingerprints", flat=True))
    known_blocks, known_sentences = set(), set()
    for prints in [d["fingerprints"] for d in drafts] + rewrites:
        known_blocks |= set(prints.get("blocks", []))
        known_sentences |= set(prints.get("sentences", []))
    latest = drafts[0] if drafts else None
    brief = "\n".join(d["brief"] for d in drafts)
    sources = [source_from_json(s) for d in drafts for s in d["sources"]]
    hosts = own_hosts() if drafts or rewrites else []

    def check(text: str) -> list[api.Claim]:
        if not (drafts or rewrites) or not text:
            return []
        return api.fact_check(text, brief=brief, sources=sources, own_hosts=hosts)

    blocks = []
    for child in _text_blocks(issue.body.raw_data):
        text = block_text(child["type"], child["value"])
        if not text:
            continue
        parts = sentences(text)
        block = Block(
            label=str(BLOCK_LABELS.get(child["type"], child["type"])),
            sentences=_checked(parts, known_sentences, check),
            ai=fingerprint(f"{child['type']}:{text}") in known_blocks,
        )
        url = (child["value"] or {}).get("url") if child["type"] == "button" else ""
        if url and block.ai:
            block.url = _segments(url, check(url), 0)
        blocks.append(block)

    def line(value: str, ai_values: list[str]) -> Sentence | None:
        if not value:
            return None
        ai = value in ai_values
        return Sentence(_segments(value, check(value) if ai else [], 0), ai)

    subject_lines = [s for d in drafts for s in d["subject_lines"]]
    preheaders = [d["preheader"] for d in drafts]
    return Review(
        draft=latest,
        blocks=blocks,
        subject=line(issue.subject, subject_lines),
        preheader=line(issue.preheader, preheaders),
        rewrites=len(rewrites),
    )


def _text_blocks(raw_data):
    """Heading, text and button blocks in reading order, the columns' ones too."""
    for child in raw_data or []:
        if child.get("type") == "columns" and isinstance(child.get("value"), dict):
            for side in ("left", "right"):
                yield from _text_blocks(child["value"].get(side) or [])
        elif child.get("type") in BLOCK_LABELS:
            yield child
