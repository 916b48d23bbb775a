"""A newcomer sets up the second factor at the first login and logs in with it; the Beheerder resets it."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import hotp
from playwright.sync_api import expect

from stadshart import roles
from tests.builders import STAFF_PASSWORD, make_staff
from tests.e2e.conftest import DESKTOP, PHONE, screenshot, second_factor_step, staff_login

pytestmark = pytest.mark.e2e


def password_step(page, base_url, username):
    page.goto(f"{base_url}/admin/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_newcomer_sets_up_the_app_logs_in_with_it_and_with_a_recovery_code_and_is_reset(
    browser, live_server
):
    base = live_server.url
    make_staff("noor", roles.COMMUNICATIE, second_factor=False, first_name="Noor", last_name="Jansen")
    make_staff("baas", roles.BEHEERDER, first_name="Bram")
    noor = browser.new_context(viewport=PHONE, locale="nl-NL", is_mobile=True, has_touch=True)
    page = noor.new_page()

    # First login: the password, then the app is set up with the QR code or the key.
    password_step(page, base, "noor")
    page.wait_for_url("**/admin/mfa/setup/**")
    expect(page.get_by_role("heading", name="Stel uw tweede factor in")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("QR-code om Stadshart"))).to_be_visible()
    key = b32decode(page.locator("[data-mfa-key]").inner_text().replace(" ", ""))
    screenshot(page, "mfa-setup-phone")
    page.set_viewport_size(DESKTOP)
    page.reload()
    screenshot(page, "mfa-setup")
    page.get_by_label("Code").fill(f"{hotp(key, int(time.time()) // 30):06d}")
    page.get_by_role("button", name="Bevestigen").click()

    expect(page.get_by_role("heading", name="Uw herstelcodes")).to_be_visible()
    codes = page.locator("[data-mfa-codes] code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}", code) for code in codes)
    screenshot(page, "mfa-recovery-codes")
    page.get_by_role("link", name="Ik heb mijn herstelcodes bewaard").click()
    page.wait_for_url(f"{base}/admin/")

    # The next login asks for the app's code.
    noor.clear_cookies()
    page.set_viewport_size(PHONE)
    password_step(page, base, "noor")
    page.wait_for_url("**/admin/mfa/verify/**")
    expect(page.get_by_role("heading", name="Typ de code uit uw app")).to_be_visible()
    screenshot(page, "mfa-verify-phone")
    page.reload()
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("status")).to_contain_text("Deze code is niet juist")
    page.wait_for_timeout(1100)  # django-otp waits a second after a wrong code, as a person would
    second_factor_step(page, "noor")
    page.wait_for_url(f"{base}/admin/")

    # No phone at hand: a recovery code, once.
    noor.clear_cookies()
    password_step(page, base, "noor")
    page.wait_for_url("**/admin/mfa/verify/**")
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(f"{base}/admin/")
    expect(page.get_by_text("er zijn er nog 9 over")).to_be_visible()

    # Lost phone and codes: the Beheerder resets it, and Noor's session ends.
    beheerder = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    admin = beheerder.new_page()
    staff_login(admin, base, "baas", "/admin/users/")
    row = admin.get_by_role("row").filter(has_text="noor")
    row.get_by_role("button", name=re.compile("Meer opties")).click()
    row.get_by_role("link", name="Tweede factor resetten").click()
    expect(admin.get_by_text("Noor Jansen heeft een tweede factor ingesteld.")).to_be_visible()
    screenshot(admin, "mfa-reset")
    admin.get_by_role("button", name="De tweede factor van Noor Jansen resetten").click()
    expect(admin.get_by_text("De tweede factor van Noor Jansen is verwijderd.")).to_be_visible()

    page.goto(f"{base}/admin/")
    page.wait_for_url("**/admin/login/**")
    password_step(page, base, "noor")
    page.wait_for_url("**/admin/mfa/setup/**")
    beheerder.close()
    noor.close()
