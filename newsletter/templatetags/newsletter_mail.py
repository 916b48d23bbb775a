"""Template helpers of the newsletter's mail templates: absolute addresses and the portal's news."""

from django import template

register = template.Library()


@register.filter
def absolute(url: str, base_url: str) -> str:
    """A media or page address as mail needs it: absolute (storage may already give one)."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return f"{base_url.rstrip('/')}/{url.lstrip('/')}"


def _portal_queries():
    # Imported at render time: the portal owns its pages, the newsletter only reads them.
    from portal import queries

    return queries


@register.simple_tag
def latest_news(count: int):
    """The portal's latest public news (portal.queries.latest_news), newest first."""
    return _portal_queries().latest_news(int(count))


@register.simple_tag
def upcoming_events(count: int):
    """The portal's coming public events (portal.queries.upcoming_events), soonest first."""
    return _portal_queries().upcoming_events(int(count))
