"""A real browser: Playwright driving Debian's chromium (never a downloaded one)."""

import os
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import expect

from tests.builders import STAFF_PASSWORD, authenticator_app, second_factor_code
from tests.conftest import MigrationsData

SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "test-results" / "screenshots"
# Playwright's sync API runs an event loop in the test thread; the ORM calls made there are still
# synchronous, so Django's async guard must stand aside for these tests.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# A save that reloads the editor took over five seconds (Playwright's default wait) in a full run
# on a loaded two-core machine; what a test expects to see still has to appear, only later.
expect.set_options(timeout=15_000)

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 860}


# Playwright's own switches for chromium (as `chromium.launch` passes them), and ours.
CHROMIUM_SWITCHES = [
    "--disable-field-trial-config",
    "--disable-background-networking",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-back-forward-cache",
    "--disable-breakpad",
    "--disable-component-extensions-with-background-pages",
    "--disable-component-update",
    "--no-default-browser-check",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--disable-features=AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,"
    "HttpsFirstBalancedModeAutoEnable,LensOverlay,MediaRouter,PaintHolding,ThirdPartyStoragePartitioning,"
    "AvoidCorsURLLoaderRestartOnRedirect,OptimizationHints,NetworkTimeServiceQuerying,PreconnectToSearch",
    "--enable-features=CDPScreenshotNewSurface",
    "--allow-pre-commit-input",
    "--disable-hang-monitor",
    "--disable-ipc-flooding-protection",
    "--disable-popup-blocking",
    "--disable-prompt-on-repost",
    "--disable-renderer-backgrounding",
    "--force-color-profile=srgb",
    "--metrics-recording-only",
    "--password-store=basic",
    "--use-mock-keychain",
    "--no-service-autorun",
    "--disable-search-engine-choice-screen",
    "--disable-infobars",
    "--headless",
    "--hide-scrollbars",
    "--mute-audio",
    "--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--lang=nl-NL",
]


class Chromium:
    """One chromium process per test session (per pytest-xdist worker), started by the first browser test.

    Starting chromium costs seconds; every test still gets a Playwright of its own, connected to this
    process, and fresh contexts (cookies, storage and cache are per context), so no test sees another's.
    """

    def __init__(self):
        self.process = None
        self.endpoint = ""
        self.profile = None

    def connect_url(self) -> str:
        if self.process is not None and self.process.poll() is None:
            return self.endpoint
        executable = shutil.which("chromium") or "/usr/bin/chromium"
        if not Path(executable).exists():
            pytest.fail("Debian's chromium is not installed: run the README's test command (./test.sh)")
        self.profile = tempfile.mkdtemp(prefix="stadshart-chromium-")
        self.process = subprocess.Popen(
            [
                executable,
                *CHROMIUM_SWITCHES,
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            # A Dutch browser, as the centre's staff and members use: the context's locale sets the
            # language pages are asked in, but a date field's dd-mm-jjjj follows the browser's own
            # locale, which Chromium on Linux takes from LANG (and needs chromium-l10n's nl.pak).
            env={**os.environ, "LANG": "nl_NL.UTF-8", "LANGUAGE": "nl_NL:nl"},
        )
        for line in self.process.stderr:  # chromium says where it listens, then keeps talking
            if match := re.search(r"DevTools listening on (ws://\S+)", line):
                self.endpoint = match.group(1)
                break
        else:
            pytest.fail(f"chromium stopped before it listened (exit code {self.process.wait()})")
        # Keep reading what it says, so that a full pipe never blocks it.
        threading.Thread(target=self.process.stderr.read, daemon=True).start()
        return self.endpoint

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None
        if self.profile:
            shutil.rmtree(self.profile, ignore_errors=True)
            self.profile = None


CHROMIUM = Chromium()


@pytest.fixture
def browser():
    # A Playwright per test, started after the test database is ready: while Playwright's loop
    # runs, Django hands out fresh connections, and a session-wide Playwright made the restore of
    # migration data (serialized_rollback) miss the connection that holds it. The chromium process
    # it drives is the session's (CHROMIUM): only that outlives the test.
    from playwright.sync_api import sync_playwright

    endpoint = CHROMIUM.connect_url()
    with sync_playwright() as playwright:
        browser = playwright.chromium.connect_over_cdp(endpoint)
        yield browser
        # Close the connections the test made while the loop ran, or they outlive the test database.
        connections.close_all()
        browser.close()  # the contexts this test made; chromium itself goes on


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

    def close(self, *, restore: bool = True) -> None:
        if self.server is None:
            return
        self.server._live_server_modified_settings.disable()
        self.server.stop()
        self.server = None
        if not restore:
            return
        MigrationsData.restore(self.blocker)
        with self.blocker.unblock():
            connections.close_all()


DEMO_SITE = DemoSite()


def wants_demo_site(item) -> bool:
    return item is not None and "demo_site" in getattr(item, "fixturenames", ())


class SQLiteBegin:
    """On SQLite, the transactions of a test on the demo site begin DEFERRED.

    The site's SQLite transactions take the write lock when they begin (IMMEDIATE, settings.py: web
    and worker wait for each other instead of failing). A demo-site test runs in a transaction of its
    own, held for the whole test, which then kept the live server from writing a login's session and
    the test from adding an authenticator app: "database is locked". Deferred, a transaction takes the
    lock only when it writes, and WAL lets the others write while it reads. Set on the class, before
    the test's transaction begins, because that may begin on a connection of another context
    (Playwright's), and put back after the test.
    """

    original = None

    @classmethod
    def deferred(cls) -> None:
        from django.db.backends.sqlite3.base import DatabaseWrapper

        if cls.original is None:
            cls.original = DatabaseWrapper._start_transaction_under_autocommit
            DatabaseWrapper._start_transaction_under_autocommit = lambda self: self.cursor().execute(
                "BEGIN DEFERRED"
            )

    @classmethod
    def restore(cls) -> None:
        from django.db.backends.sqlite3.base import DatabaseWrapper

        if cls.original is not None:
            DatabaseWrapper._start_transaction_under_autocommit = cls.original
            cls.original = None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if wants_demo_site(item) and connections["default"].vendor == "sqlite":
        SQLiteBegin.deferred()
    try:
        result = yield
    finally:
        SQLiteBegin.restore()
    if not wants_demo_site(nextitem):
        # After the session's last test its test database is already gone (pytest-django tore it
        # down with the session's fixtures): nothing runs after it, so nothing to put back.
        DEMO_SITE.close(restore=nextitem is not None)
    return result


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session):
    DEMO_SITE.close()
    CHROMIUM.stop()


@pytest.fixture(scope="module")
def _demo_site(django_db_setup, django_db_blocker):
    DEMO_SITE.open(django_db_blocker)
    return DEMO_SITE


@pytest.fixture
def demo_site(_demo_site, db):
    """A live server on the committed demo centre; `demo_site.url` as with pytest-django's live_server."""
    return _demo_site.server


def open_page_editor(page, url: str) -> None:
    """Open Wagtail's page editor and wait until it watches for edits.

    Wagtail takes the form's first snapshot two seconds after it loads and autosaves only what
    differs from it: whatever a fast test types before then is never autosaved.
    """
    page.add_init_script(
        "document.addEventListener('w-unsaved:watch-edits', () => { window.watchingEdits = true; })"
    )
    page.goto(url)
    page.wait_for_function("window.watchingEdits === true")
