import pytest
from django.utils import timezone

from .factories import TODAY, make_plan


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    """Every page, service and selector reads today from `timezone.localdate()`:
    the monitoring tests run on TODAY whatever the calendar says."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return real(value, timezone) if value is not None else TODAY

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


@pytest.fixture
def plan(world):
    return make_plan(world)
