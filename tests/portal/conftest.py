"""The portal's tests start and end with an empty page cache; the `portal` fixture is in tests/conftest.py."""

import pytest


@pytest.fixture(autouse=True)
def _empty_cache(empty_cache):
    """The portal's page cache outlives each test's database."""
