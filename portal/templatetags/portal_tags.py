"""Template tags of the portal's frame: the main menu, the language switch, links to routes."""

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language
from wagtail.models import PageViewRestriction, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_menu(context) -> list:
    """The home page's children marked "show in menus", in the editors' order.

    Visitors see the public ones; a logged-in member also sees the pages for logged-in users (never
    pages behind a password or for certain groups). Members bypass the page cache, so this never
    reaches a visitor.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    pages = site.root_page.get_children().live().in_menu()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        pages = pages.exclude(
            view_restrictions__restriction_type__in=[PageViewRestriction.PASSWORD, PageViewRestriction.GROUPS]
        )
    else:
        pages = pages.public()
    return list(pages.specific().order_by("path"))


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The same page in every language: the language is in the address (`/…` Dutch, `/en/…` English)."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = get_language()
    return [
        {"code": code, "name": name, "url": translate_url(path, code), "current": code == current}
        for code, name in settings.LANGUAGES
    ]


@register.simple_tag
def public_url(path: str) -> str:
    """The public address of a path on this site (SITE_URL), whatever host the request came through."""
    return settings.SITE_URL + path


@register.simple_tag
def search_url() -> str:
    return reverse("wagtail_serve", args=["zoeken/"])


@register.simple_tag
def url_or(name: str, fallback: str) -> str:
    """A named URL of another part of the portal that may not exist yet (e.g. the members' sign-up)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback
