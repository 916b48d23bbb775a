"""Template tags of the portal's frame: the main menu, the language switch, links to routes."""

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language
from wagtail.models import Site

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_menu(context) -> list:
    """The home page's public children marked "show in menus", in the editors' order."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return list(site.root_page.get_children().live().public().in_menu().specific().order_by("path"))


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
def search_url() -> str:
    return reverse("wagtail_serve", args=["zoeken/"])


@register.simple_tag
def url_or(name: str, fallback: str) -> str:
    """A named URL of another part of the portal that may not exist yet (e.g. the members' sign-up)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback
