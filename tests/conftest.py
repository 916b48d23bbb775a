import io

import pytest
from django.core.management import call_command

from tests.ai_server import ai, ai_server  # noqa: F401  (the scripted AI server, for every app's tests)


@pytest.fixture
def demo_centre(db):
    """The demo centre as `manage.py seed_demo` loads it; returns what the command printed."""
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.hookimpl(trylast=True)  # after pytest-django's reordering of transactional tests
def pytest_collection_modifyitems(config, items):
    """The privacy check of all AI requests runs last, after every test that talked to the AI server."""
    last = [item for item in items if item.get_closest_marker("ai_requests_of_the_suite")]
    if last:
        moved = {id(item) for item in last}
        items[:] = [item for item in items if id(item) not in moved] + last
