"""No staff session gets anything from the back office before it passed the second factor."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from stadshart import mfa

# What a staff member who typed the right password may reach before the second code.
OPEN_URL_NAMES = {"stadshart_mfa_verify", "stadshart_mfa_setup", "wagtailadmin_logout"}
# The admin addresses Wagtail serves to anyone (icons, translated JS strings, login, password
# reset): half a login gets them as a visitor does. The pages above need the icons and strings.
PUBLIC_URL_NAMES = {
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_login",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
}


class SecondFactorMiddleware:
    """Hold back an authenticated staff session until it passed the second factor.

    Under /admin/ a GET is sent to the verify page (the setup page on a first login), anything else
    is refused (403). Elsewhere (the portal, documents, members' pages) the session counts as not
    logged in, so no view outside the admin can hand staff-only data to half a login either.
    Must come after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and self._held_back(request):
            admin = request.path_info.startswith(_admin_prefix())
            name = _url_name(request.path_info) if admin else ""
            if not admin or name in PUBLIC_URL_NAMES:
                request.user = AnonymousUser()
            elif name not in OPEN_URL_NAMES:
                if request.method not in ("GET", "HEAD"):
                    raise PermissionDenied("The second factor is missing.")
                verify = reverse("stadshart_mfa_verify")
                return HttpResponseRedirect(f"{verify}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _held_back(request) -> bool:
        user = request.user
        if not user.is_authenticated or mfa.is_verified(request):
            return False
        if mfa.is_staff(user):
            return True
        # A colleague added through Wagtail's user screens may lack is_staff; the admin's own
        # permission says they are staff (cached on the user, so the admin view asks no second time).
        return request.path_info.startswith(_admin_prefix()) and user.has_perm("wagtailadmin.access_admin")


def _admin_prefix() -> str:
    return reverse("wagtailadmin_home")


def _url_name(path: str) -> str:
    try:
        return resolve(path).url_name or ""
    except Resolver404:
        return ""
