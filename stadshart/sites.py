"""One public address: SITE_URL decides it, and the Wagtail Site is kept in step with it.

Wagtail builds every absolute page address (a mail's "view in your browser" link, the sitemap, an
event's calendar file) from its default Site's host name and port. Its first migration creates that
Site as localhost:80, so those addresses said http://localhost/… while the rest used SITE_URL.
After every `migrate` (run by the run command, the compose `migrate` service and the tests) the
default Site is set from SITE_URL.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections


def public_host() -> tuple[str, int]:
    """(host name, port) of SITE_URL; https without a port is 443, http 80."""
    parts = urlsplit(settings.SITE_URL)
    return parts.hostname or "localhost", parts.port or (443 if parts.scheme == "https" else 80)


def ensure_site(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Point the default Wagtail Site at SITE_URL; True when it changed."""
    from wagtail.models import Site

    if Site._meta.db_table not in connections[using].introspection.table_names():
        return False  # migrating part of the way: Wagtail's tables are not there yet
    hostname, port = public_host()
    site = Site.objects.using(using).filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (hostname, port):
        return False
    site.hostname, site.port = hostname, port
    site.save(using=using, update_fields=["hostname", "port"])  # also clears Wagtail's cached site paths
    return True


def ensure_site_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    ensure_site(using=using)
