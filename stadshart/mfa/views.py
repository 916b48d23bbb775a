"""The second step of a staff login: set up the app (first login), verify a code, recovery codes, reset."""

from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from stadshart import mfa
from stadshart.mfa import services
from stadshart.mfa.forms import CodeForm

NEW_CODES_SESSION_KEY = "stadshart_mfa_new_codes"


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def verify(request):
    """Every login of a staff member: the six digits from the app, or a recovery code (once each)."""
    user = request.user
    next_url = _next_url(request)
    if not _is_staff(user):
        return redirect(f"{reverse('wagtailadmin_login')}?{urlencode({'next': next_url})}")
    if mfa.is_verified(request):
        return redirect(next_url)
    if not user_has_device(user):
        return redirect(f"{reverse('stadshart_mfa_setup')}?{urlencode({'next': next_url})}")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _locked(request, user):
            return _locked_out(request)
        if form.is_valid():
            device, wait = _matching_device(user, form)
            if device is not None:
                return _passed(request, user, device, next_url)
            if wait:
                form.add_error(None, _("Too many wrong codes. Wait a moment and try again."))
            else:
                form.add_error(
                    "code", _("This code is not right. Check the time on your phone, or use a recovery code.")
                )
            if _count_failure(request, user):
                return _locked_out(request)
    return render(request, "wagtailadmin/mfa/verify.html", {"form": form, "next": next_url})


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def setup(request):
    """A first login: scan the QR code (or type the key) in an authenticator app and confirm with a code."""
    user = request.user
    next_url = _next_url(request)
    if not _is_staff(user):
        return redirect(f"{reverse('wagtailadmin_login')}?{urlencode({'next': next_url})}")
    if user_has_device(user):
        # Someone who has a second factor proves it; only a Beheerder's reset starts again.
        return redirect(f"{reverse('stadshart_mfa_verify')}?{urlencode({'next': next_url})}")
    device = services.pending_app_device(user=user)
    form = CodeForm(request.POST if request.method == "POST" else None, recovery_allowed=False)
    if request.method == "POST":
        if _locked(request, user):
            return _locked_out(request)
        if form.is_valid():
            with transaction.atomic():
                device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
                allowed, _info = device.verify_is_allowed()
                passed = allowed and device.verify_token(form.cleaned_data["code"])
            if passed:
                codes = services.confirm_app_device(user=user, device=device)
                request.session[NEW_CODES_SESSION_KEY] = codes
                _passed(request, user, device, next_url)
                return redirect(f"{reverse('stadshart_mfa_recovery_codes')}?{urlencode({'next': next_url})}")
            form.add_error(
                "code",
                _("This code is not right. Check the time on your phone and type the code the app shows now.")
                if allowed
                else _("Too many wrong codes. Wait a moment and try again."),
            )
            if _count_failure(request, user):
                return _locked_out(request)
    config_url = device.config_url
    context = {
        "form": form,
        "next": next_url,
        "qr_code": segno.make(config_url, error="m").svg_data_uri(scale=5, border=2),
        "key": _grouped(device),
    }
    return render(request, "wagtailadmin/mfa/setup.html", context)


@never_cache
def recovery_codes(request):
    """Recovery codes, shown once: right after setting up the app or making new ones."""
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    next_url = _next_url(request)
    if not codes:
        return redirect(reverse("stadshart_mfa_account"))
    return render(
        request,
        "wagtailadmin/mfa/recovery_codes.html",
        {"codes": [f"{code[:4]}-{code[4:]}" for code in codes], "next": next_url},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def account(request):
    """Your own second factor: what is set up, how many recovery codes are left, new ones."""
    user = request.user
    if request.method == "POST":
        request.session[NEW_CODES_SESSION_KEY] = services.renew_recovery_codes(user=user)
        return redirect("stadshart_mfa_recovery_codes")
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    context = {
        "app": TOTPDevice.objects.filter(user=user, confirmed=True).first(),
        "codes_left": recovery.token_set.count() if recovery else 0,
        "page_title": _("Second factor"),
        "header_icon": "key",
    }
    return render(request, "wagtailadmin/mfa/account.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def reset(request, user_id: int):
    """The Beheerder removes a colleague's second factor (lost phone and codes); they set up anew."""
    if not request.user.has_perm("auth.change_user"):
        raise PermissionDenied
    colleague = get_object_or_404(get_user_model(), pk=user_id)
    if request.method == "POST":
        services.reset_second_factor(user=colleague, by=request.user)
        messages.success(
            request,
            _("The second factor of %(name)s was removed. At the next login they set up a new one.")
            % {"name": colleague.get_full_name() or colleague.get_username()},
        )
        if colleague.pk == request.user.pk:
            return redirect("wagtailadmin_login")
        return redirect("wagtailusers_users:index")
    context = {
        "colleague": colleague,
        "has_device": user_has_device(colleague),
        "page_title": _("Reset second factor"),
        "header_icon": "key",
    }
    return render(request, "wagtailadmin/mfa/reset.html", context)


# Helpers ------------------------------------------------------------------------------------


def _is_staff(user) -> bool:
    """Only staff have a second factor; a member (or nobody) is sent to the admin's login."""
    return mfa.is_staff(user) or (user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def _grouped(device: TOTPDevice) -> str:
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _matching_device(user, form: CodeForm):
    """The device that accepts the code (used up: an app code's time step, a recovery code), else None.

    Also says whether a device refused to look because of earlier wrong codes (django-otp doubles
    the wait after every wrong code, whatever address the codes come from).
    """
    code = form.cleaned_data["code"]
    model = TOTPDevice if form.is_app_code else StaticDevice
    waiting = False
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            allowed, _info = device.verify_is_allowed()
            if not allowed:
                waiting = True
            elif device.verify_token(code):
                return device, False
    return None, waiting


def _passed(request, user, device, next_url: str) -> None:
    request.session.cycle_key()
    mfa.mark_verified(request.session, user, device.persistent_id)
    axes_reset(ip=getattr(request, "axes_ip_address", None), username=_lockout_name(user))
    if isinstance(device, StaticDevice):
        left = device.token_set.count()
        messages.warning(
            request,
            _("You used a recovery code; %(count)d are left. Make new ones under Account, Second factor.")
            % {"count": left},
        )
    return redirect(next_url)


def _lockout_name(user) -> str:
    # A key of its own in django-axes: a right password resets the password's count, never this one.
    return f"{user.get_username()} (second factor)"


def _locked(request, user) -> bool:
    return AxesProxyHandler.is_locked(request, credentials={"username": _lockout_name(user)})


def _count_failure(request, user) -> bool:
    """Count a wrong code as django-axes counts a wrong password; True when that locked the login."""
    user_login_failed.send(sender=__name__, credentials={"username": _lockout_name(user)}, request=request)
    locked = bool(getattr(request, "axes_locked_out", False))
    request.axes_locked_out = False  # our own page below, not axes' one about passwords
    return locked


def _locked_out(request):
    logout(request)
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "wagtailadmin/mfa/locked_out.html", {"minutes": minutes}, status=429)
