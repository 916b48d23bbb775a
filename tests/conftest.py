import io

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_centre(db):
    """The demo centre as `manage.py seed_demo` loads it; returns what the command printed."""
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()
