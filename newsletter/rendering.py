"""Turning a newsletter into mail: rendered and inlined once per send, personalised per recipient.

Rendering a Wagtail page and inlining its CSS is the expensive part, so it happens once
(`render_newsletter`); what differs per recipient (the greeting's name, links carrying the
recipient's token) is left as placeholders and filled in by `RenderedNewsletter.personalise`,
which is a few string replacements.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import css_inline
from django.template.loader import render_to_string
from django.utils.html import strip_tags

# The personal parts of a message. In HTML and text they appear as %%name%%.
PERSONAL_FIELDS = ("first_name", "unsubscribe_url", "preferences_url", "web_url")


def placeholder(name: str) -> str:
    return f"%%{name}%%"


@dataclass(frozen=True)
class RenderedNewsletter:
    subject: str
    preheader: str
    html: str  # CSS inlined, with placeholders
    text: str  # with placeholders

    def personalise(self, **values: str) -> tuple[str, str]:
        """The (html, text) of one recipient's message; `values` gives every PERSONAL_FIELDS entry."""
        html_body, text_body = self.html, self.text
        for name in PERSONAL_FIELDS:
            value = values.get(name, "")
            html_body = html_body.replace(placeholder(name), html.escape(value, quote=True))
            text_body = text_body.replace(placeholder(name), value)
        return html_body, text_body


def render_newsletter(page, *, base_url: str) -> RenderedNewsletter:
    """Render `page` (a NewsletterPage, e.g. a send's approved revision as_object()) once."""
    context = {
        "page": page,
        "base_url": base_url.rstrip("/"),
        "personal": {name: placeholder(name) for name in PERSONAL_FIELDS},
    }
    rendered_html = render_to_string("email/newsletter.html", context)
    inlined = css_inline.inline(rendered_html)
    text = render_to_string("email/newsletter.txt", {**context, "body_text": _text_of(rendered_html)})
    return RenderedNewsletter(subject=page.subject, preheader=page.preheader, html=inlined, text=text)


def _text_of(rendered_html: str) -> str:
    lines = [line.strip() for line in strip_tags(rendered_html).splitlines()]
    return "\n".join(line for line in lines if line)
