"""Fixtures of the assessment tests; the builders are in factories.py."""

import pytest

from kinerja.assessment import services
from kinerja.org.models import RoleGrant
from kinerja.org.services import role_grant
from kinerja.planning.models import Period

from .factories import approve, grade, make_year, skp_of


@pytest.fixture
def year(world):
    return make_year(world)


@pytest.fixture
def q1(year):
    return Period.objects.get(year=year, number=1)


@pytest.fixture
def graded(world, year):
    """Annual organisation grades: Baik everywhere in the health office."""
    for key in ("dinkes", "bidang", "seksi", "setda"):
        grade(world, year, world.units[key], "baik")
    return year


@pytest.fixture
def staff_eval(world, graded, q1):
    skp = skp_of(world.staff, graded)
    approve(skp)
    return services.evaluation_for(skp=skp, period=q1)


@pytest.fixture
def forum(world):
    """The kaban as tim penilai kinerja."""
    user = world.user("kaban")
    role_grant(actor=world.user("admin"), user=user, role=RoleGrant.Role.TIM_PENILAI)
    return user
