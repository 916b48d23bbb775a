"""Fixtures for every test folder: the named cast, a small portal, and the demo centre seeded once.

Builders (make_staff, make_organisation, newsletters, sends, pages) live in tests/builders.py.
"""

import io
import os

import pytest
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections, transaction
from django.test import Client, override_settings
from django.utils import translation
from pytest_django.plugin import blocking_manager_key

from crm.models import Interest
from stadshart import mfa
from tests.ai_server import ai, ai_server  # noqa: F401  (the scripted AI server, for every app's tests)
from tests.builders import Portal, build_portal, colleague
from tests.restore import install as install_fast_restore

# After every transactional test the migrations' data goes back in, one INSERT per table (tests/restore.py).
install_fast_restore()

# Celery reads CELERY_BROKER_URL from the environment before its settings: in a parallel run, make
# the environment say this worker's own Redis database (stadshart/settings.py chooses it).
os.environ["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Hash test passwords with a fast hasher, as Django's testing docs advise.

    The production hasher (PBKDF2, a million rounds) makes every staff member a builder creates and
    every login cost a large fraction of a second; no test is about the hasher itself.
    """
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _each_test_starts_in_dutch():
    """Every test starts with the site's own language active, whatever ran before it.

    A request to an English page activates English in the thread that served it (LocaleMiddleware
    leaves it active), and a test that builds URLs outside a request would then get /en/ links:
    such a test passed or failed with the order pytest-xdist happened to run the tests in.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="session", autouse=True)
def _test_client_logins_passed_the_second_factor():
    """`client.force_login(user)` and `client.login(...)` stand for "this user logged in and passed
    the second factor".

    Every staff login has a second factor (stadshart/mfa); tests about something else skip both
    steps. Marked while Django's login writes the session, so it costs no query of its own. The
    tests of the second factor itself log in through the real forms (tests/stadshart/test_mfa.py).
    """
    originals = {"force_login": Client.force_login, "login": Client.login}
    logging_in = []

    def passed(sender, request, user, **kwargs):
        if logging_in:
            mfa.mark_verified(request.session, user, "force_login")

    def shortcut(original):
        def login(self, *args, **kwargs):
            logging_in.append(True)
            try:
                return original(self, *args, **kwargs)
            finally:
                logging_in.pop()

        return login

    user_logged_in.connect(passed, dispatch_uid="tests.force_login_mfa")
    for name, original in originals.items():
        setattr(Client, name, shortcut(original))
    yield
    for name, original in originals.items():
        setattr(Client, name, original)
    user_logged_in.disconnect(dispatch_uid="tests.force_login_mfa")


# The cast ------------------------------------------------------------------------------------


@pytest.fixture
def sanne(db):
    """Sanne de Vries, accountmanager of the Marktstraat: neither writes nor reviews newsletters."""
    return colleague("sanne")


@pytest.fixture
def marloes(db):
    """Marloes Bakker, the centre manager: keeps the year plan and signs off on communication."""
    return colleague("marloes")


@pytest.fixture
def pieter(db):
    """Pieter van den Berg, board member: reads statistics and the year plan, changes nothing."""
    return colleague("pieter")


@pytest.fixture
def lotte(db):
    """Lotte Kok, communications: writes the newsletters."""
    return colleague("lotte")


@pytest.fixture
def ruben(db):
    """Ruben Visser, her colleague in communications: reviews what Lotte wrote."""
    return colleague("ruben")


@pytest.fixture
def hanneke(db):
    """Hanneke Mulder, facilitair coördinator: handles the reports."""
    return colleague("hanneke")


@pytest.fixture
def themes(db):
    """The interests the migrations load, by slug."""
    return {interest.slug: interest for interest in Interest.objects.all()}


# The portal ----------------------------------------------------------------------------------


@pytest.fixture
def empty_cache():
    """The portal's page cache outlives each test's database: start and end with an empty one."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def portal(db) -> Portal:
    return build_portal()


# The demo centre -----------------------------------------------------------------------------
#
# `manage.py seed_demo` takes long, and most tests that use the demo centre only read it. Those
# tests share one seeded centre: it is loaded inside a transaction that stays open while they run
# (each test runs in a savepoint inside it, rolled back as usual) and is rolled back after the last
# of them, so every other test still starts from the migrations' data only. The tests are moved
# next to each other, at the end of the non-transactional database tests (pytest-django runs
# transactional tests after those; they flush tables and must never run inside this transaction).


class SharedDemo:
    """The demo centre's outer transaction: opened by the first test that wants it, closed after the last."""

    def __init__(self):
        self.atomic = None
        self.output = ""
        self.blocker = None

    @property
    def is_open(self) -> bool:
        return self.atomic is not None

    def open(self, blocker) -> None:
        if self.is_open:
            return
        self.blocker = blocker
        with blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            out = io.StringIO()
            call_command("seed_demo", stdout=out)
        self.output = out.getvalue()

    def close(self) -> None:
        if not self.is_open:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None
        cache.clear()  # nothing cached from the demo may outlive it


SHARED_DEMO = SharedDemo()


def wants_demo(item) -> bool:
    return item is not None and "demo_centre" in getattr(item, "fixturenames", ())


def is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "django_db_reset_sequences", "live_server"} & set(item.fixturenames))


def uses_db(item) -> bool:
    return bool(item.get_closest_marker("django_db")) or "db" in getattr(item, "fixturenames", ())


def shares(item) -> str | None:
    """Which shared demo centre a test reads: `demo_centre` (rolled back) or `demo_site` (committed, e2e)."""
    if is_transactional(item):
        return None
    names = getattr(item, "fixturenames", ())
    return next((name for name in ("demo_centre", "demo_site") if name in names), None)


# The migrations' data after a transactional test ------------------------------------------------
#
# A transactional test empties every table when it ends, the migrations' data included (the roles,
# the home page, the interests). pytest-django runs those tests last so that no other test sees the
# empty tables; a parallel run (pytest-xdist, see "Tests" in the README) cannot keep that promise
# for each worker, so the next test that expects the migrations' data gets it back, as a
# transactional test with serialized_rollback does.


class MigrationsData:
    gone = False

    @staticmethod
    def restore(blocker) -> bool:
        """Empty the tables and load what the migrations made; False when no copy of it was kept."""
        if not all(hasattr(c, "_test_serialized_contents") for c in connections.all()):
            return False
        with blocker.unblock():
            for connection in connections.all():
                call_command(
                    "flush",
                    verbosity=0,
                    interactive=False,
                    database=connection.alias,
                    inhibit_post_migrate=True,
                    # As TransactionTestCase does: sequences keep counting, so the migrations' rows
                    # reloaded below (with their own ids) never meet a new row's id.
                    reset_sequences=False,
                )
                connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
        cache.clear()
        MigrationsData.gone = False
        return True


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    suffix = _group_suffix(item)
    if getattr(item.config.option, "loadgroup", False) and suffix and not item.nodeid.endswith(suffix):
        # Spread over the workers, the readers of one demo centre seed it once each and the AI
        # privacy check misses the other worker's requests: stop rather than pass quietly.
        pytest.fail(f"pytest-xdist did not keep group {suffix[1:]!r} on one worker", pytrace=False)
    if MigrationsData.gone and uses_db(item) and not is_transactional(item):
        MigrationsData.restore(item.config.stash[blocking_manager_key])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    if is_transactional(item):
        MigrationsData.gone = True
    return result


# Parallel runs: tests that share something run on one worker ------------------------------------


def xdist_group(item) -> str | None:
    """The tests that must share a worker (pytest-xdist's --dist loadgroup): the readers of each
    shared demo centre, and every test that talks to the scripted AI server, so that the privacy
    check of all its requests, last of them, sees every one.

    A test that reads the demo centre and talks to the AI server goes with the demo's readers: in
    the AI group it seeded a second centre of its own (half a minute), and it checks its own request.
    """
    if shared := shares(item):
        return shared
    names = set(getattr(item, "fixturenames", ()))
    if item.get_closest_marker("ai_requests_of_the_suite") or names & {"ai", "ai_server"}:
        return "ai"
    return None


def pytest_itemcollected(item):
    # Marked as each test is collected, before pytest-xdist reads the groups.
    if group := xdist_group(item):
        item.add_marker(pytest.mark.xdist_group(group))


def _name_the_groups(config, items) -> None:
    """Give each grouped test its group in its node id, which is where --dist loadgroup reads it.

    pytest-xdist 3.8 writes the "@group" suffix to `item._nodeid`, which pytest 9 no longer reads
    (the id lives in `item._id`): without this every group was silently ignored and the readers of
    one shared demo centre were spread over all workers.
    """
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        suffix = _group_suffix(item)
        if suffix and not item.nodeid.endswith(suffix):
            item._id = NodeId.parse(f"{item.nodeid}{suffix}")


def _group_suffix(item) -> str:
    """What --dist loadgroup appends to a grouped test's node id, as pytest-xdist spells it."""
    names = sorted({mark.args[0] for mark in item.iter_markers("xdist_group") if mark.args})
    return f"@{'_'.join(names)}" if names else ""


@pytest.hookimpl(trylast=True)  # after pytest-django has put the transactional tests last
def pytest_collection_modifyitems(config, items):
    _name_the_groups(config, items)
    readers = [item for item in items if shares(item)]
    if readers:
        readers.sort(key=lambda item: shares(item) == "demo_site")  # stable: each group stays together
        rest = [item for item in items if not shares(item)]
        end = next(
            (index for index, item in enumerate(rest) if is_transactional(item) or not uses_db(item)),
            len(rest),
        )
        items[:] = rest[:end] + readers + rest[end:]
    # The privacy check of all AI requests runs last, after every test that talked to the AI server.
    last = [item for item in items if item.get_closest_marker("ai_requests_of_the_suite")]
    if last:
        moved = {id(item) for item in last}
        items[:] = [item for item in items if id(item) not in moved] + last


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    result = yield
    # The test and its savepoint are gone: roll the demo back unless the next test reads it too.
    if not wants_demo(nextitem):
        SHARED_DEMO.close()
    return result


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session):
    SHARED_DEMO.close()  # also after -x stopped the run halfway, before the test database goes


@pytest.fixture(scope="module")
def _shared_demo(django_db_setup, django_db_blocker):
    # Module scope: set up before the test's own transaction begins, so the demo lies beneath it.
    SHARED_DEMO.open(django_db_blocker)
    return SHARED_DEMO


@pytest.fixture
def demo_centre(_shared_demo, db):
    """The demo centre as `manage.py seed_demo` loads it; returns what the command printed.

    Read it, change it freely (each test's changes are rolled back), but never commit it.
    """
    if _shared_demo.is_open:
        return _shared_demo.output
    # Only when tests were ordered by hand so that the shared centre is already gone: load it
    # inside this test's own transaction instead.
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()
