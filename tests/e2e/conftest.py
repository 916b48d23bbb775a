"""A real browser: Playwright driving Debian's chromium (never a downloaded one)."""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

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
            args=[
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


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
