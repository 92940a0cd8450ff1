import pytest
from django.core.management import call_command
from django.utils import timezone

from kinerja.org.models import Employee
from kinerja.planning.models import PerformanceYear, Skp

pytestmark = pytest.mark.django_db


def test_demo_planning_opens_the_year_once(capsys):
    call_command("demo_data")
    call_command("demo_planning")
    call_command("demo_planning")
    year = PerformanceYear.objects.get(agency__code="tebingtinggi")
    assert (year.year, year.status) == (timezone.localdate().year, "open")
    active = Employee.objects.filter(agency=year.agency, is_active=True).count()
    assert Skp.objects.filter(year=year).count() == active
    assert capsys.readouterr().out.strip().endswith(f"{active} SKP.")
