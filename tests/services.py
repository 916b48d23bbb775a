"""Finding the real services the tests talk to, what to do when one is missing, and a loopback SMTP server.

Without REQUIRE_SERVICES a missing PostgreSQL or Redis skips the tests that need it (a laptop
without them still runs the rest); with REQUIRE_SERVICES=1 (CI) the same test fails instead.
"""

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def missing_service(what: str) -> None:
    if settings.REQUIRE_SERVICES:
        pytest.fail(f"{what} is required (REQUIRE_SERVICES=1) but not reachable")
    pytest.skip(f"{what} is not reachable")


def reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port), timeout=2):
            return True
    except OSError:
        return False


def postgres_url() -> str:
    """The PostgreSQL server of DATABASE_URL (or the local one), on its maintenance database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    url = urlparse(url)._replace(path="/postgres").geturl()
    if not reachable(url):
        missing_service(f"PostgreSQL at {url}")
    return url


def redis_url() -> str:
    url = settings.CELERY_BROKER_URL  # a parallel run's worker has a Redis database of its own
    if not url.startswith("redis://"):
        url = os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS_URL)
    if not reachable(url):
        missing_service(f"Redis at {url}")
    return url


def database_url(settings_dict: dict) -> str:
    """The DATABASE_URL of a Django connection (used to point a child process at the test database)."""
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{settings_dict['NAME']}"
    user = quote(settings_dict.get("USER") or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


def child_env(**overrides: str) -> dict:
    """The environment of a child process: ours, without the .env file, plus the overrides."""
    env = {**os.environ, "ENV_FILE": os.devnull, "PYTHONUNBUFFERED": "1"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only; never for a child
    # In a parallel run the child uses this worker's files and broker, given as they are.
    env.pop("PYTEST_XDIST_WORKER", None)
    env["STADSHART_VAR_DIR"] = str(settings.VAR_DIR)
    env["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL
    env.update(overrides)
    return env


def manage(*args: str, env: dict, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def wait_for(predicate, *, timeout: float, interval: float = 0.2):
    """Poll until predicate() returns something truthy; the value, or None after the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    """A real SMTP server on loopback that keeps every message it accepts."""

    def __init__(self, delay: float = 0.0, refuse: set[str] = frozenset(), tempfail: set[str] = frozenset()):
        self.messages = []
        self.sessions = set()
        self.delay = delay
        self.refuse = set(refuse)
        self.tempfail = set(tempfail)
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        if address in self.tempfail:
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
            self.sessions.add(session.peer)
        return "250 Message accepted"

    def __enter__(self):
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def peers(self) -> set:
        """One (host, port) per SMTP connection that delivered something."""
        with self.lock:
            return set(self.sessions)

    def recipients(self) -> list[str]:
        with self.lock:
            return [to for rcpts, _msg in self.messages for to in rcpts]
