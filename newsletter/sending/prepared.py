"""The render cache: what every message of a send shares, rendered once per send and worker process.

Rendering a Wagtail page and inlining its CSS is the expensive part of a message; the worker keeps
the result per send and personalises it per recipient (newsletter.rendering).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from newsletter.models import Send
from newsletter.rendering import RenderedNewsletter, render_newsletter


@dataclass
class PreparedSend:
    """What every message of a send shares, built once per worker process."""

    send_id: int
    rendered: RenderedNewsletter
    web_url: str
    topic: str
    from_email: str
    reply_to: str


# Keyed by the send and its creation time: SQLite can give a new send the id of one rolled back.
_prepared: dict[tuple[int, object], PreparedSend] = {}


def prepared(send: Send) -> PreparedSend:
    """Render the send's approved revision once per process (rendering and CSS inlining are the cost)."""
    key = (send.pk, send.created_at)
    found = _prepared.get(key)
    if found is None:
        page = send.revision.as_object()
        live = send.newsletter
        found = PreparedSend(
            send_id=send.pk,
            rendered=render_newsletter(page, base_url=settings.SITE_URL),
            web_url=live.get_full_url() or "",
            topic=page.consent_topic,
            from_email=send.from_email,
            reply_to=send.reply_to,
        )
        if len(_prepared) > 8:
            _prepared.clear()
        _prepared[key] = found
    return found
