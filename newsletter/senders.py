"""Who a newsletter comes from: the sender settings of its kind, else the centre's own settings."""

from email.utils import formataddr, parseaddr

from django.conf import settings

from newsletter.models import NewsletterKind, NewsletterSettings
from newsletter.rendering import centre_settings, site_of


def sender_for(page) -> tuple[str, str]:
    """(From header, reply-to address) of a newsletter, from the newsletter settings of its kind.

    Falls back to the centre's name and address (its site settings), then DEFAULT_FROM_EMAIL.
    """
    site = site_of(page)
    senders = NewsletterSettings.for_site(site) if site else None
    organisation = centre_settings(page)
    prefix = "marketing" if page.kind == NewsletterKind.MARKETING else "service"
    name = getattr(senders, f"{prefix}_from_name", "") or (organisation.name if organisation else "")
    address = getattr(senders, f"{prefix}_from_email", "")
    if not address and organisation and organisation.email:
        address = organisation.email
    if not address:
        # No address of the centre's own: DEFAULT_FROM_EMAIL's, still under the centre's name.
        default_name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        name = name or default_name
    reply_to = (senders.reply_to if senders else "") or (organisation.email if organisation else "")
    return formataddr((name, address)) if name else address, reply_to
