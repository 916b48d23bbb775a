"""Who the platform's own mail comes from: the centre's name and address, on every way out.

Member mails, subscription confirmations and Wagtail's review notifications all come from the
organisation in its own settings (stadshart.CentreSettings: "Centrum Veldhaven
<info@centrumveldhaven.nl>"); DEFAULT_FROM_EMAIL only fills what those settings leave empty.
Newsletters have their own senders per kind (newsletter.senders), which fall back to the same.
"""

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.utils.functional import lazy


def centre_sender() -> str:
    from wagtail.models import Site

    from stadshart.models import CentreSettings

    default_name, default_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    site = Site.objects.filter(is_default_site=True).first()
    centre = CentreSettings.for_site(site) if site else None
    name = (centre.name if centre else "") or default_name
    address = (centre.email if centre else "") or default_address
    return formataddr((name, address)) if name else address


# For settings read once but used per message (WAGTAILADMIN_NOTIFICATION_FROM_EMAIL): evaluated
# when a message is built, so a change in the centre's settings applies at once.
lazy_centre_sender = lazy(centre_sender, str)
