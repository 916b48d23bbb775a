"""Turning a newsletter into mail: rendered and inlined once per send, personalised per recipient.

Rendering a Wagtail page and inlining its CSS is the expensive part, so it happens once
(`render_newsletter`); what differs per recipient (the greeting's name, links carrying the
recipient's token) is left as placeholders and filled in by `RenderedNewsletter.personalise`,
which joins precomputed pieces: no template, no regular expression, per recipient.

A placeholder is `%%name%%`. A recipient without a first name is greeted with the greeting
block's fallback ("Beste ondernemer,"), kept as `RenderedNewsletter.first_name_fallback`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import css_inline
from bs4 import BeautifulSoup, NavigableString
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

# The personal parts of a message. In HTML and text they appear as %%name%%.
PERSONAL_FIELDS = ("first_name", "unsubscribe_url", "preferences_url", "web_url")

UTM_SOURCE = "nieuwsbrief"
UTM_MEDIUM = "email"

_PLACEHOLDER = re.compile(r"%%(" + "|".join(PERSONAL_FIELDS) + r")%%")
_URL_ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')

# One inliner for every render: the media queries (phones, dark mode) must stay in <style>,
# because inline styles cannot express them; nothing is fetched from the network.
_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


def placeholder(name: str) -> str:
    return f"%%{name}%%"


def _pieces(template: str) -> tuple[str, ...]:
    """Split a text at its placeholders: literal text at even positions, field names at odd ones."""
    return tuple(_PLACEHOLDER.split(template))


def _fill(pieces: tuple[str, ...], values: dict[str, str]) -> str:
    filled = list(pieces)
    filled[1::2] = [values[name] for name in pieces[1::2]]
    return "".join(filled)


@dataclass(frozen=True)
class RenderedNewsletter:
    subject: str
    preheader: str
    html: str  # CSS inlined, with placeholders
    text: str  # with placeholders
    first_name_fallback: str = ""  # "ondernemer": the greeting of a recipient without a first name
    list_id: str = ""  # RFC 2919 List-Id: one list per kind of newsletter and centre
    _html_pieces: tuple = field(init=False, repr=False, compare=False)
    _text_pieces: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_html_pieces", _pieces(self.html))
        object.__setattr__(self, "_text_pieces", _pieces(self.text))

    def personalise(self, **values: str) -> tuple[str, str]:
        """The (html, text) of one recipient's message; `values` gives every PERSONAL_FIELDS entry.

        Values are escaped for the HTML part; an empty first name becomes the greeting's fallback.
        """
        plain = {name: values.get(name) or "" for name in PERSONAL_FIELDS}
        plain["first_name"] = plain["first_name"] or self.first_name_fallback
        escaped = {name: html.escape(value, quote=True) for name, value in plain.items()}
        return _fill(self._html_pieces, escaped), _fill(self._text_pieces, plain)


def render_newsletter(page, *, base_url: str, phone: bool = False) -> RenderedNewsletter:
    """Render `page` (a NewsletterPage, e.g. a send's approved revision as_object()) once.

    `phone` applies the phone layout whatever the window's width (the preview "E-mail (telefoon)").
    """
    base_url = base_url.rstrip("/")
    context = {
        "page": page,
        "base_url": base_url,
        "personal": {name: placeholder(name) for name in PERSONAL_FIELDS},
        "organisation": centre_settings(page),
    }
    # The mail is Dutch whoever renders it (a worker has no request, an editor may browse in English).
    with translation.override(settings.LANGUAGE_CODE):
        body_html = render_to_string("email/newsletter_body.html", context)
        body_html = link_for_campaign(body_html, base_url=base_url, campaign=page.slug)
        document = render_to_string(
            "email/newsletter.html", {**context, "body_html": body_html, "phone": phone}
        )
        text = render_to_string("email/newsletter.txt", {**context, "body_text": html_to_text(body_html)})
    return RenderedNewsletter(
        subject=page.subject,
        preheader=page.preheader,
        html=charset_first(_INLINER.inline(document)),
        text=text,
        first_name_fallback=first_name_fallback(page),
        list_id=list_id(page, context["organisation"], base_url=base_url),
    )


def list_id(page, organisation, *, base_url: str) -> str:
    """`"Centrum Veldhaven Servicebericht" <service.centrum-veldhaven.veldhaven.example>` (RFC 2919).

    Mail programs and filters group a list's mail by it; the kinds are separate lists because a
    member may leave one and keep the other. The domain is the site's, which the centre controls.
    """
    from email.utils import formataddr

    from django.utils.text import slugify

    name = organisation.name if organisation else "Stadshart"
    host = (urlsplit(base_url).hostname or "localhost").rstrip(".")
    with translation.override(settings.LANGUAGE_CODE):
        label = f"{name} {page.get_kind_display()}"
    return formataddr((label, f"{page.kind}.{slugify(name) or 'centrum'}.{host}"))


_CHARSET = '<meta charset="utf-8">'


def charset_first(document: str) -> str:
    """Put `<meta charset>` first in <head> again: the inliner writes the kept <style> (media
    queries) before it, and a charset declared late may be read after the text it should decode."""
    if _CHARSET not in document or "<head>" not in document:
        return document
    return document.replace(_CHARSET, "", 1).replace("<head>", "<head>" + _CHARSET, 1)


def first_name_fallback(page) -> str:
    """How the first greeting block addresses a recipient whose first name we do not know."""
    for block in page.body:
        if block.block_type == "greeting":
            return block.value.get("fallback", "")
    return ""


def render_web_body(page, *, base_url: str) -> str:
    """The newsletter's blocks for the public web version: a generic greeting, no personal links."""
    with translation.override(settings.LANGUAGE_CODE):
        body_html = render_to_string(
            "email/newsletter_body.html", {"page": page, "base_url": base_url.rstrip("/"), "personal": None}
        )
    return body_html


def link_for_campaign(body_html: str, *, base_url: str, campaign: str) -> str:
    """Make every link and image address absolute, and tag links to our own site with UTM fields.

    Personal links (placeholders) are left alone: an unsubscribe must not be counted as a visit
    from the campaign, and their tokens must reach the site unchanged.
    """
    ours = _our_hosts(base_url)
    utm = {"utm_source": UTM_SOURCE, "utm_medium": UTM_MEDIUM, "utm_campaign": campaign}

    def rewrite(match: re.Match) -> str:
        attribute, raw = match.group(1), match.group(2)
        url = html.unescape(raw)
        if "%%" in url or url.startswith(("mailto:", "tel:", "#")):
            return match.group(0)
        if url.startswith("/") and not url.startswith("//"):
            url = base_url + url
        if attribute == "href":
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") and parts.netloc in ours:
                query = parse_qsl(parts.query, keep_blank_values=True)
                present = {key for key, _ in query}
                query += [(key, value) for key, value in utm.items() if key not in present]
                url = urlunsplit(parts._replace(query=urlencode(query)))
        return f'{attribute}="{html.escape(url, quote=True)}"'

    return _URL_ATTRIBUTE.sub(rewrite, body_html)


def _our_hosts(base_url: str) -> set[str]:
    """The site's own hosts: the base address's, and those of the Wagtail sites (page.full_url)."""
    from wagtail.models import Site

    hosts = {urlsplit(base_url).netloc}
    hosts.update(urlsplit(site.root_url).netloc for site in Site.objects.all())
    return hosts


_BLOCK_TAGS = {"p", "div", "table", "tr", "h1", "h2", "h3", "h4", "ul", "ol", "figure", "blockquote"}


def html_to_text(body_html: str) -> str:
    """A readable plain-text version: paragraphs, headings underlined, lists, links as (address)."""
    soup = BeautifulSoup(body_html, "html.parser")
    for node in soup.find_all(["style", "script", "img"]):
        node.decompose()
    for node in soup.find_all(string=True):
        node.replace_with(re.sub(r"\s+", " ", str(node)))
    for link in soup.find_all("a"):
        label = link.get_text(" ", strip=True)
        href = link.get("href", "")
        if href.startswith("mailto:"):
            href = href.removeprefix("mailto:")
        link.replace_with(f"{label} ({href})" if href and href != label else label)
    for node in soup.find_all(["h1", "h2", "h3", "h4"]):
        title = node.get_text(" ", strip=True)
        node.replace_with(NavigableString(f"\n\n{title}\n{'-' * len(title)}\n\n"))
    for node in soup.find_all("hr"):
        node.replace_with(NavigableString("\n\n" + "-" * 40 + "\n\n"))
    for node in soup.find_all("br"):
        node.replace_with(NavigableString("\n"))
    for item in soup.find_all("li"):
        item.insert_before(NavigableString("\n- "))
    for node in soup.find_all(_BLOCK_TAGS | {"td"}):
        node.insert_after(NavigableString("\n\n" if node.name in _BLOCK_TAGS else "\n"))
    lines = [line.strip() for line in soup.get_text().splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def centre_settings(page):
    from stadshart.models import CentreSettings

    site = site_of(page)
    return CentreSettings.for_site(site) if site else None


def site_of(page):
    from wagtail.models import Site

    site = page.get_site() if page.pk else None
    return site or Site.objects.filter(is_default_site=True).first()
