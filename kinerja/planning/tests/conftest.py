import pytest

from .factories import approved_kasi_skp, open_year


@pytest.fixture
def year(world):
    """Performance year 2026 opened by admin BKD: every employee has a draft SKP."""
    return open_year(world, 2026)


@pytest.fixture
def approved_kasi(world, year):
    """The kasi's SKP approved by the kabid, with two RHK the staff can link to."""
    return approved_kasi_skp(world, year)
