"""A shared cache of the public portal pages, for anonymous visitors only.

Public pages are the same for every visitor without a session, so their rendered responses are kept
in Django's cache (CACHE_URL: Redis in production, process memory by default). Rules that keep
members' pages out of it:

- only pages that say so are stored: page types with `PublicPageCacheMixin`, without a view
  restriction (members-only pages are never stored), and not marked `portal_cacheable = False`;
- only requests without a session or any other cookie than the CSRF and language ones are
  served from or stored in the cache: a logged-in member (or staff with the userbar) always gets a
  freshly rendered page, and nothing they see can be stored;
- a response that sets a cookie, used a CSRF token or says Cache-Control private/no-store/no-cache
  is not stored.

Publishing, unpublishing, moving or deleting a page, changing a view restriction, a directory
entry or a project starts a new cache generation, so visitors see changes at once; entries also
expire after PORTAL_CACHE_SECONDS (the bound on staleness with per-process memory caches).
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

GENERATION_KEY = "portal:page-cache:generation"


def _timeout() -> int:
    return getattr(settings, "PORTAL_CACHE_SECONDS", 300)


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = 1
        cache.add(GENERATION_KEY, generation, timeout=None)
    return generation


def new_generation(**kwargs) -> None:
    """Forget every cached page (cheaply: later keys carry the new generation number)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def _key(request) -> str:
    return f"portal:page:{_generation()}:{request.get_host()}:{request.get_full_path()}"


def _anonymous(request) -> bool:
    harmless = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    if set(request.COOKIES) - harmless:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def enabled() -> bool:
    return _timeout() > 0


def _private(response) -> bool:
    """A view that said its response is private (or not to be stored) is taken at its word."""
    directives = response.get("Cache-Control", "").lower()
    return any(word in directives for word in ("private", "no-store", "no-cache"))


class PublicPageCacheMixin:
    """Marks a page type's responses as public, unless the page is restricted to members."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if getattr(response, "portal_cacheable", True) and not getattr(request, "is_preview", False):
            response.portal_cacheable = not self.get_view_restrictions().exists()
        else:
            response.portal_cacheable = False
        return response


class PublicPageCacheMiddleware:
    """Serves and stores the responses marked public (see the module's docstring for the rules)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (enabled() and request.method == "GET" and _anonymous(request)):
            return self.get_response(request)
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = self.get_response(request)
        if (
            getattr(response, "portal_cacheable", False)
            and response.status_code == 200
            and not response.cookies
            and not _private(response)
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not getattr(response, "streaming", False)
            and _anonymous(request)
        ):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, response, _timeout())
        return response


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(page_slug_changed)
def _page_changed(sender, **kwargs):
    new_generation()


def _connect_model_signals():
    # Listed here rather than per app so that the rules of this cache stay in one place.
    for model in (
        "wagtailcore.Page",
        "wagtailcore.PageViewRestriction",
        "crm.Organisation",
        "projects.Project",
        "projects.ProjectStatusChange",
        "stadshart.CentreSettings",
    ):
        post_save.connect(new_generation, sender=model, dispatch_uid=f"portal-cache-save-{model}")
        post_delete.connect(new_generation, sender=model, dispatch_uid=f"portal-cache-delete-{model}")


_connect_model_signals()
