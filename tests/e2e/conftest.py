"""A real browser: Playwright driving Debian's chromium (never a downloaded one)."""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections

from tests.builders import STAFF_PASSWORD, authenticator_app, second_factor_code
from tests.conftest import MigrationsData

SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "test-results" / "screenshots"
# Playwright's sync API runs an event loop in the test thread; the ORM calls made there are still
# synchronous, so Django's async guard must stand aside for these tests.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 860}


@pytest.fixture
def browser():
    # One browser per test, started after the test database is ready: while Playwright's loop
    # runs, Django hands out fresh connections, and a session-wide browser made the restore of
    # migration data (serialized_rollback) miss the connection that holds it.
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail("Debian's chromium is not installed: run the README's test command (./test.sh)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            # A Dutch browser, as the centre's staff and members use: the context's locale sets the
            # language pages are asked in, but a date field's dd-mm-jjjj follows the browser's own
            # locale, which Chromium on Linux takes from LANG (and needs chromium-l10n's nl.pak).
            env={**os.environ, "LANG": "nl_NL.UTF-8", "LANGUAGE": "nl_NL:nl"},
            args=[
                "--lang=nl-NL",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        # Close the connections the test made while the loop ran, or they outlive the test database.
        connections.close_all()
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="nl-NL", is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def staff_login(
    page, base_url: str, username: str, next_url: str = "/admin/", password: str = STAFF_PASSWORD
) -> None:
    """Log a staff member into the admin through both forms, password and second factor; lands on next_url.

    Someone made without tests/builders.py's make_staff gets an authenticator app first.
    """
    authenticator_app(get_user_model().objects.get(username=username))
    page.goto(f"{base_url}/admin/login/?next={next_url}")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    second_factor_step(page, username)
    page.wait_for_url(f"{base_url}{next_url}")


def second_factor_step(page, username: str) -> None:
    """After the password: type the code the user's authenticator app shows (tests/builders.py)."""
    page.wait_for_url("**/admin/mfa/verify/**")
    page.get_by_label("Code").fill(second_factor_code(get_user_model().objects.get(username=username)))
    page.get_by_role("button", name="Bevestigen").click()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# The demo centre for browser tests that only read it -------------------------------------------
#
# Browser tests talk to a live server in another thread, so the demo centre they read must be
# committed. The tests that only read it share one: the first of them loads it and starts a live
# server, and after the last of them the tables are emptied and the migrations' data put back (as
# a transactional test's serialized rollback does), so the tests after them start as usual. They
# are non-transactional database tests (`django_db(serialized_rollback=True)`, which also makes
# pytest-django keep a copy of the migrations' data), moved together to the end of those.


class DemoSite:
    """The committed demo centre and a live server on it, shared by the tests that request `demo_site`."""

    def __init__(self):
        self.server = None
        self.blocker = None

    def open(self, blocker) -> None:
        if self.server is not None:
            return
        from pytest_django.live_server_helper import LiveServer

        self.blocker = blocker
        with blocker.unblock():
            call_command("seed_demo", verbosity=0)
        self.server = LiveServer("localhost")
        self.server._live_server_modified_settings.enable()

    def close(self) -> None:
        if self.server is None:
            return
        self.server._live_server_modified_settings.disable()
        self.server.stop()
        self.server = None
        MigrationsData.restore(self.blocker)
        with self.blocker.unblock():
            connections.close_all()


DEMO_SITE = DemoSite()


def wants_demo_site(item) -> bool:
    return item is not None and "demo_site" in getattr(item, "fixturenames", ())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    result = yield
    if not wants_demo_site(nextitem):
        DEMO_SITE.close()
    return result


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session):
    DEMO_SITE.close()


@pytest.fixture(scope="module")
def _demo_site(django_db_setup, django_db_blocker):
    DEMO_SITE.open(django_db_blocker)
    return DEMO_SITE


@pytest.fixture
def demo_site(_demo_site, db):
    """A live server on the committed demo centre; `demo_site.url` as with pytest-django's live_server."""
    return _demo_site.server
