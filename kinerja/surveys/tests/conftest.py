import pytest
from django.core.cache import cache

from .factories import make_period, make_service


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def service(world):
    return make_service(world, served_population=100)


@pytest.fixture
def period(world):
    return make_period(world.agency)
