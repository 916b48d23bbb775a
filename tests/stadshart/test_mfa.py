"""Every staff login has a second factor: setting it up, logging in with it, recovery codes, lock-out, reset.

These tests log in through the real forms (password, then code); everywhere else `force_login`
stands for a login that passed both (tests/conftest.py).
"""

import datetime as dt
import io
import re
import time
from base64 import b32decode

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from stadshart import roles
from tests.builders import STAFF_PASSWORD, make_member, make_organisation, make_staff, second_factor_code

pytestmark = pytest.mark.django_db

VERIFY = "/admin/mfa/verify/"
SETUP = "/admin/mfa/setup/"


def password_login(client, username, next_url="/admin/"):
    """The first step only: Wagtail's login form with the right password."""
    return client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": STAFF_PASSWORD, "next": next_url}
    )


def a_moment_later(user):
    """As after a person's few seconds of typing: django-otp waits a second after a wrong code."""
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).update(
            throttling_failure_timestamp=timezone.now() - dt.timedelta(minutes=1)
        )


def code_from_the_page(html: str, step_offset: int = 0) -> str:
    """What an authenticator app shows after the key on the setup page was typed into it."""
    key = re.search(r"data-mfa-key>([A-Z2-7 ]+)<", html).group(1).replace(" ", "")
    return f"{hotp(b32decode(key), int(time.time()) // 30 + step_offset):06d}"


def test_a_first_login_sets_up_the_app_then_every_login_asks_for_its_code(client):
    newcomer = make_staff("noor", roles.COMMUNICATIE, second_factor=False, first_name="Noor")

    response = password_login(client, "noor", next_url="/admin/pages/")
    assert response.status_code == 302
    # The password alone reaches nothing: on to setting up the app.
    setup_page = client.get(response.url, follow=True)
    assert setup_page.redirect_chain[-1][0].startswith(SETUP)
    html = setup_page.content.decode()
    assert 'src="data:image/svg+xml' in html  # the QR code
    assert "otpauth" not in html  # the key is shown as text, and inside the QR code only
    assert client.get("/admin/").status_code == 302

    wrong = client.post(SETUP, {"code": "000000", "next": "/admin/pages/"})
    assert "niet juist" in wrong.content.decode()
    assert not TOTPDevice.objects.get(user=newcomer).confirmed
    a_moment_later(newcomer)

    confirmed = client.post(SETUP, {"code": code_from_the_page(html), "next": "/admin/pages/"}, follow=True)
    page = confirmed.content.decode()
    codes = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "alleen nu" in page  # shown once
    # Shown once: the next visit of that address shows no codes.
    assert client.get(reverse("stadshart_mfa_recovery_codes")).status_code == 302
    assert client.get("/admin/pages/").status_code == 200
    assert LogEntry.objects.filter(
        object_pk=str(newcomer.pk), additional_data__event="second_factor_set_up"
    ).exists()

    # Next login: the password, then a code the app computes from the key.
    client.post(reverse("wagtailadmin_logout"))
    response = password_login(client, "noor")
    assert client.get("/admin/").url.startswith(VERIFY)
    refused = client.post(VERIFY, {"code": "123456", "next": "/admin/"})
    assert refused.status_code == 200 and "niet juist" in refused.content.decode()
    a_moment_later(newcomer)
    passed = client.post(VERIFY, {"code": second_factor_code(newcomer), "next": "/admin/"})
    assert passed.status_code == 302 and passed.url == "/admin/"
    assert client.get("/admin/").status_code == 200

    # A recovery code works once, instead of the app.
    client.post(reverse("wagtailadmin_logout"))
    password_login(client, "noor")
    used = client.post(VERIFY, {"code": codes[0].upper(), "next": "/admin/"}, follow=True)
    assert used.status_code == 200 and "9 over" in used.content.decode()
    client.post(reverse("wagtailadmin_logout"))
    password_login(client, "noor")
    again = client.post(VERIFY, {"code": codes[0], "next": "/admin/"})
    assert again.status_code == 200 and "niet juist" in again.content.decode()
    assert client.get("/admin/").status_code == 302
    a_moment_later(newcomer)
    assert client.post(VERIFY, {"code": codes[1].replace("-", ""), "next": "/admin/"}).status_code == 302


def test_someone_with_a_second_factor_cannot_set_up_another_with_only_the_password(client, sanne):
    password_login(client, "sanne")
    response = client.get(SETUP)
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    client.post(SETUP, {"code": "123456"})
    assert TOTPDevice.objects.filter(user=sanne).count() == 1


def test_the_verify_page_sends_only_to_addresses_on_this_site(client, sanne):
    password_login(client, "sanne")
    response = client.post(VERIFY, {"code": second_factor_code(sanne), "next": "https://elders.example/"})
    assert response.url == "/admin/"


def _admin_paths():
    """Every address under /admin/, with made-up values for its parameters."""
    values = {
        "int": "1",
        "str": "x",
        "slug": "x",
        "path": "x",
        "uuid": "00000000-0000-0000-0000-000000000001",
    }

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route).replace(".*", "x")
                route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: values.get(m.group(1) or "str", "x"), route)
                yield "/" + re.sub(r"[\^$\\?]", "", route)

    return sorted({path for path in walk(get_resolver().url_patterns, "") if path.startswith("/admin/")})


ADMIN_PATHS = _admin_paths()
OPEN_BEFORE_THE_SECOND_FACTOR = {VERIFY, SETUP, "/admin/logout/"}
# What Wagtail serves to anyone: half a login gets it as a visitor (tested below).
FOR_EVERYONE = {"/admin/sprite/", "/admin/jsi18n/", "/admin/login/"}


def leaks(client, paths, methods=("GET", "POST")):
    """The addresses that answered anything but "first the second factor" (GET) or 403 (POST)."""
    found = []
    for path in paths:
        if path in OPEN_BEFORE_THE_SECOND_FACTOR or path in FOR_EVERYONE or "/password_reset/" in path:
            continue
        if "GET" in methods:
            got = client.get(path)
            if not (got.status_code == 302 and got["Location"].startswith(VERIFY)):
                found.append((path, "GET", got.status_code))
        if "POST" in methods and client.post(path, {"title": "x"}).status_code != 403:
            found.append((path, "POST", 0))
    return found


def test_half_a_login_gets_nothing_from_any_admin_address(client):
    """Password right, second factor not yet given: every admin address sends to it or refuses.

    As a superuser Beheerder, who could otherwise reach everything; then a colleague added through
    Wagtail's user screens (a role, but not Django's is_staff flag) on a sample of the addresses.
    """
    assert len(ADMIN_PATHS) > 300
    make_staff("baas", roles.BEHEERDER, is_superuser=True)
    password_login(client, "baas")
    assert leaks(client, ADMIN_PATHS) == []

    user = make_staff("nieuw", roles.CENTRUMMANAGER)
    get_user_model().objects.filter(pk=user.pk).update(is_staff=False)
    other = Client()
    password_login(other, "nieuw")
    assert leaks(other, ADMIN_PATHS[::10]) == []


def test_half_a_login_counts_as_logged_out_on_the_portal_and_the_admins_public_pages(client, sanne):
    password_login(client, "sanne")
    login_page = client.get("/admin/login/")
    assert login_page.status_code == 200 and 'name="password"' in login_page.content.decode()
    assert client.get("/admin/sprite/").status_code == 200
    response = client.get(reverse("members:home"))
    assert response.status_code == 302 and "/inloggen/" in response.url


def test_members_log_in_with_their_password_only(client):
    member = make_member(make_organisation())
    response = client.post(
        reverse("members:login"),
        {"username": "fatima@korenschoof.example", "password": "Korenschoof-brood-2026"},
    )
    assert response.status_code == 302
    assert client.get(reverse("members:home")).status_code == 200
    assert not TOTPDevice.objects.filter(user=member.user).exists()
    # The admin's steps are not for them.
    assert client.get(SETUP).url.startswith("/admin/login/")


def test_wrong_codes_lock_the_login_like_wrong_passwords(client, sanne):
    password_login(client, "sanne")
    for _attempt in range(4):
        assert client.post(VERIFY, {"code": "000000"}).status_code == 200
    locked = client.post(VERIFY, {"code": "000000"})
    assert locked.status_code == 429
    assert "Te veel pogingen" in locked.content.decode()
    assert "_auth_user_id" not in client.session  # logged out
    # A right password does not wipe the count: the right code is still refused, for now.
    password_login(client, "sanne")
    still = client.post(VERIFY, {"code": second_factor_code(sanne)})
    assert still.status_code == 429
    assert client.get("/admin/").status_code == 302


def test_after_a_wrong_code_the_app_waits_whatever_the_address(client, sanne, settings):
    # django-otp waits factor * 2^(wrong codes - 1) seconds; a long factor keeps the test off the clock.
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    password_login(client, "sanne")
    client.post(VERIFY, {"code": "000000"}, REMOTE_ADDR="10.0.0.1")
    other = Client(REMOTE_ADDR="10.0.0.2")
    password_login(other, "sanne")
    response = other.post(VERIFY, {"code": second_factor_code(sanne)})
    assert response.status_code == 200 and "Wacht even" in response.content.decode()
    assert other.get("/admin/").status_code == 302


def test_the_beheerder_resets_a_colleagues_second_factor(client, sanne, marloes):
    beheerder = make_staff("baas", roles.BEHEERDER)
    sannes_phone = Client()
    sannes_phone.force_login(sanne)
    assert sannes_phone.get("/admin/").status_code == 200

    # Only the Beheerder may.
    client.force_login(marloes)
    refused = client.post(reverse("stadshart_mfa_reset", args=[sanne.pk]))
    assert refused.status_code == 302 and refused.url == "/admin/"  # Wagtail's "no permission"
    assert TOTPDevice.objects.filter(user=sanne).exists()

    client.force_login(beheerder)
    listing = client.get(reverse("wagtailusers_users:index")).content.decode()
    assert reverse("stadshart_mfa_reset", args=[sanne.pk]) in listing
    confirm = client.get(reverse("stadshart_mfa_reset", args=[sanne.pk]))
    assert "heeft een tweede factor" in confirm.content.decode()
    done = client.post(reverse("stadshart_mfa_reset", args=[sanne.pk]), follow=True)
    assert "verwijderd" in done.content.decode()

    assert not TOTPDevice.objects.filter(user=sanne).exists()
    assert not StaticDevice.objects.filter(user=sanne).exists()
    entry = LogEntry.objects.get(object_pk=str(sanne.pk), additional_data__event="second_factor_reset")
    assert entry.actor == beheerder
    # Her sessions ended; at the next login she sets up a new app.
    assert sannes_phone.get("/admin/").url.startswith("/admin/login/")
    password_login(sannes_phone, "sanne")
    assert sannes_phone.get("/admin/", follow=True).redirect_chain[-1][0].startswith(SETUP)


def test_new_recovery_codes_replace_the_old_ones(client, sanne):
    client.force_login(sanne)
    first = client.post(reverse("stadshart_mfa_account"), follow=True).content.decode()
    old = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", first)
    second = client.post(reverse("stadshart_mfa_account"), follow=True).content.decode()
    new = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", second)
    assert len(new) == 10 and not set(old) & set(new)
    assert "Herstelcodes over: 10" in client.get(reverse("stadshart_mfa_account")).content.decode()
    fresh = Client()
    password_login(fresh, "sanne")
    assert fresh.post(VERIFY, {"code": new[0]}).status_code == 302
    fresh = Client()
    password_login(fresh, "sanne")
    assert fresh.post(VERIFY, {"code": old[0]}).status_code == 200


def test_the_command_line_resets_a_second_factor_when_no_beheerder_can(sanne):
    out = io.StringIO()
    call_command("reset_second_factor", "sanne", stdout=out)
    assert "removed" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=sanne).exists()
    entry = LogEntry.objects.get(object_pk=str(sanne.pk), additional_data__event="second_factor_reset")
    assert entry.actor is None
    with pytest.raises(CommandError, match="No user named 'niemand'"):
        call_command("reset_second_factor", "niemand")


def test_the_run_commands_login_says_how_to_set_up_the_second_factor(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("ensure_staff_login", stdout=out)
    assert "QR code" in out.getvalue() and "reset_second_factor beheerder" in out.getvalue()
