"""One recipient's newsletter message: personal links, RFC 8058 one-click unsubscribe, ESP metadata.

The message is an AnymailMessage, so any anymail backend gets its metadata and tags; Django's
SMTP backend ignores those and sends the same MIME message.
"""

from __future__ import annotations

from email.utils import make_msgid

from anymail.message import AnymailMessage
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from newsletter import tokens
from newsletter.rendering import RenderedNewsletter


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def unsubscribe_urls(*, email: str, delivery_id: int | None) -> tuple[str, str]:
    """(the footer's page with a button, the RFC 8058 one-click POST address) for one recipient."""
    token = tokens.make_token(tokens.UNSUBSCRIBE, email=email, delivery_id=delivery_id)
    return (
        site_url(reverse("newsletter:unsubscribe", args=[token])),
        site_url(reverse("newsletter:one_click_unsubscribe", args=[token])),
    )


def preferences_url(*, email: str, delivery_id: int | None) -> str:
    return _preferences_address(tokens.make_token(tokens.PREFERENCES, email=email, delivery_id=delivery_id))


def _preferences_address(token: str) -> str:
    try:
        return site_url(reverse("newsletter:preferences", args=[token]))
    except NoReverseMatch:
        # The preference page is newsletter-tracking's; until its URL exists, its agreed address.
        return site_url(f"/nieuwsbrief/voorkeuren/{token}/")


class PersonalLinks:
    """Each recipient's unsubscribe, one-click and preference links, their addresses reversed once.

    A batch of a thousand makes three thousand links; only the token differs between them.
    """

    MARK = "0TOKEN0"

    def __init__(self):
        self.page = site_url(reverse("newsletter:unsubscribe", args=[self.MARK])).split(self.MARK)
        self.one_click = site_url(reverse("newsletter:one_click_unsubscribe", args=[self.MARK])).split(
            self.MARK
        )
        self.preferences = _preferences_address(self.MARK).split(self.MARK)

    def for_recipient(self, *, email: str, delivery_id: int | None) -> tuple[str, str, str]:
        """(the unsubscribe page, the RFC 8058 one-click address, the preference page)."""
        unsubscribe = tokens.make_token(tokens.UNSUBSCRIBE, email=email, delivery_id=delivery_id)
        preferences = tokens.make_token(tokens.PREFERENCES, email=email, delivery_id=delivery_id)
        return (
            unsubscribe.join(self.page),
            unsubscribe.join(self.one_click),
            preferences.join(self.preferences),
        )


def build_message(
    rendered: RenderedNewsletter,
    *,
    to_email: str,
    first_name: str,
    delivery_id: int | None = None,
    from_email: str,
    reply_to: str = "",
    web_url: str = "",
    send_id: int | None = None,
    message_id_domain: str | None = None,
    connection=None,
) -> AnymailMessage:
    """The complete message for one recipient, ready for any email backend.

    With `message_id_domain` the message gets its own Message-ID, which the sender stores as the
    delivery's ESP message id when the backend (plain SMTP) reports none.
    """
    page_url, one_click_url = unsubscribe_urls(email=to_email, delivery_id=delivery_id)
    html_body, text_body = rendered.personalise(
        first_name=first_name or "",
        unsubscribe_url=page_url,
        preferences_url=preferences_url(email=to_email, delivery_id=delivery_id),
        web_url=web_url,
    )
    headers = {
        # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" to the https address.
        "List-Unsubscribe": f"<{one_click_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    mailto = getattr(settings, "NEWSLETTER_UNSUBSCRIBE_MAILTO", "")
    if mailto:
        headers["List-Unsubscribe"] += f", <mailto:{mailto}?subject=unsubscribe>"
    if rendered.list_id:
        headers["List-Id"] = rendered.list_id
    if message_id_domain:
        headers["Message-ID"] = make_msgid(domain=message_id_domain)
    message = AnymailMessage(
        subject=rendered.subject,
        body=text_body,
        from_email=from_email,
        to=[to_email],
        reply_to=[reply_to] if reply_to else None,
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(html_body, "text/html")
    message.tags = ["newsletter"]
    message.metadata = {
        key: value for key, value in (("send_id", send_id), ("delivery_id", delivery_id)) if value is not None
    }
    return message
