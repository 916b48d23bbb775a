"""What a social post can be drafted from, turned into plain-text sources without personal data.

A source is one of the organisation's own publications: a newsletter, a news item, an event or a
project of the year plan. Only what the organisation published about it goes in: no author, no
project lead, no personal greeting; e-mail addresses, phone numbers and the full names of people in
the CRM or on the staff are replaced before the text leaves this module.
"""

import re
from dataclasses import dataclass

import phonenumbers
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from social.models import SourceKind

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Block types that carry no content of their own (or a personal greeting).
SKIPPED_BLOCKS = {"greeting", "image", "divider", "news", "events", "button"}
TEXT_KEYS = {"text", "heading", "caption", "title", "paragraph", "intro", "body", "left", "right"}


@dataclass(frozen=True)
class SourceItem:
    """A source as social drafting sees it (converted to drafting.api.Source when a draft is asked)."""

    kind: str
    title: str
    text: str
    url: str = ""
    date: object = None


def _html_text(value: str) -> str:
    if "<" in value:
        return BeautifulSoup(value, "html.parser").get_text(" ", strip=True)
    return value.strip()


def _stream_text(raw) -> list[str]:
    """Every piece of text in a StreamField's raw data, leaving out blocks without content of their own."""
    found = []

    def walk(value, key=None):
        if isinstance(value, str):
            if key is None or key in TEXT_KEYS:
                text = _html_text(value)
                if text:
                    found.append(text)
        elif isinstance(value, dict):
            block_type = value.get("type")
            if block_type in SKIPPED_BLOCKS:
                return
            if block_type is not None and "value" in value:
                walk(value["value"], block_type if block_type in TEXT_KEYS else "text")
                return
            for sub_key, sub_value in value.items():
                walk(sub_value, sub_key)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item, key)

    walk(list(raw or []))
    return found


def people_names() -> list[str]:
    """Full names of people the platform knows (CRM people and staff), longest first."""
    from crm.models import Person

    names = {
        f"{first} {last}".strip()
        for first, last in Person.objects.exclude(first_name="").values_list("first_name", "last_name")
    }
    names |= {
        f"{first} {last}".strip()
        for first, last in get_user_model()
        .objects.exclude(first_name="")
        .values_list("first_name", "last_name")
    }
    return sorted((name for name in names if " " in name), key=len, reverse=True)


def scrub(text: str, names: list[str]) -> str:
    """The text without e-mail addresses, phone numbers and full names of people."""
    text = EMAIL_RE.sub(_("[e-mail address]"), text)
    # Phone numbers as libphonenumber finds them (Dutch and international), so dates stay dates.
    found = list(phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.VALID))
    for match in reversed(found):
        text = text[: match.start] + _("[phone number]") + text[match.end :]
    if names:
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(name) for name in names) + r")\b", re.IGNORECASE)
        text = pattern.sub(_("[name]"), text)
    return text


def _page_item(page) -> SourceItem:
    from newsletter.models import NewsletterPage
    from portal.models import EventPage, NewsPage

    page = page.specific
    parts: list[str] = []
    date = None
    if isinstance(page, NewsletterPage):
        kind = SourceKind.NEWSLETTER
        title = page.subject or page.title
        parts += [page.preheader]
        date = (page.last_published_at or page.latest_revision_created_at or timezone.now()).date()
    elif isinstance(page, NewsPage):
        kind = SourceKind.NEWS
        title = page.title
        parts += [page.intro]
        date = page.date
    elif isinstance(page, EventPage):
        kind = SourceKind.EVENT
        title = page.title
        start = timezone.localtime(page.start)
        with translation.override("nl"):
            when = formats.date_format(start, "l j F Y, H:i")
            if page.end:
                when += "–" + formats.date_format(timezone.localtime(page.end), "H:i")
        parts += [_("When: %(when)s") % {"when": when}]
        if page.location:
            parts.append(_("Where: %(place)s") % {"place": page.location})
        parts.append(page.intro)
        date = start.date()
    else:
        raise ValueError(_("Posts can be drafted from a newsletter, news item, event or project."))
    parts += _stream_text(page.body.raw_data if getattr(page, "body", None) is not None else [])
    # A page that is not live has no public address yet (a newsletter's appears once it is sent).
    url = (page.full_url or "") if page.live else ""
    return SourceItem(kind=kind, title=title, text="\n".join(p for p in parts if p), url=url, date=date)


def _project_item(project) -> SourceItem:
    # The project lead is a person: never part of the source.
    parts = [project.summary, _("Status: %(status)s") % {"status": project.get_status_display()}]
    if project.theme_id:
        parts.append(_("Theme: %(theme)s") % {"theme": project.theme.name})
    return SourceItem(
        kind=SourceKind.PROJECT,
        title=project.name,
        text="\n".join(p for p in parts if p),
        url="",
        date=None,
    )


def source_for(*, page=None, project=None) -> SourceItem:
    """The source item for a page or project, scrubbed of personal data (labels in Dutch, the
    language of the material, whatever the editor's interface language)."""
    with translation.override("nl"):
        item = _page_item(page) if page is not None else _project_item(project)
        names = people_names()
        title, text = scrub(item.title, names), scrub(item.text, names)
    return SourceItem(
        kind=item.kind,
        title=title,
        text=text,
        url=item.url,
        date=item.date,
    )
