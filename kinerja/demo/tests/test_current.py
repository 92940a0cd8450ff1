"""The demo's current year is at the stage its calendar gives for `today`."""

import io

import pytest
from django.core.management import call_command

from kinerja.assessment.models import Evaluation, OrgPerformance
from kinerja.monitoring.models import Realisasi
from kinerja.org.demo import demo_logins
from kinerja.org.models import Agency
from kinerja.planning.models import PerformanceYear, Period, Skp, SkpVersion
from kinerja.surveys.models import Response, Service, SurveyPeriod

pytestmark = pytest.mark.django_db


def build(today):
    call_command("demo_data", stdout=io.StringIO())
    call_command("demo_history", "--today", today, stdout=io.StringIO())
    return PerformanceYear.objects.get(agency__code="tebingtinggi", year=2026)


def login(role):
    agency = Agency.objects.get(code="tebingtinggi")
    return next(x.username for x in demo_logins(agency) if x.role == role)


def test_mid_year_rates_the_closed_window_and_part_of_the_open_one():
    year = build("2026-07-15")
    assert year.status == PerformanceYear.Status.OPEN
    skps = Skp.objects.filter(year=year)
    assert skps.exclude(status=Skp.Status.DISETUJUI).count() == 0
    approved = skps.count()
    q1, q2, q3, q4 = Period.objects.filter(year=year).order_by("number")
    # Q1's window has closed: every SKP rated; Q2's is open (until 20 July).
    assert q2.window_start <= q2.end < q2.window_end
    assert Evaluation.objects.filter(period=q1, status="acknowledged").count() == approved
    rated_q2 = Evaluation.objects.filter(period=q2)
    assert 0 < rated_q2.count() < approved
    assert rated_q2.exclude(status="finalised").count() == 0
    assert not Evaluation.objects.filter(period__in=[q3, q4]).exists()
    assert not Evaluation.objects.filter(year=year, period__isnull=True).exists()
    # Realisasi: Q1 and Q2 complete (two IKI per SKP), Q3 half-way, Q4 none.
    assert Realisasi.objects.filter(period=q1).count() == 2 * approved
    assert Realisasi.objects.filter(period=q2).count() == 2 * approved
    assert 0 < Realisasi.objects.filter(period=q3).count() < 2 * approved
    assert not Realisasi.objects.filter(period=q4).exists()
    # The year's grades are set; the demo chain's SKP have approved versions.
    assert OrgPerformance.objects.filter(year=year, unit__parent__isnull=True).count() == 15
    chain = SkpVersion.objects.filter(skp__year=year).values_list("skp__employee__nip", flat=True)
    assert login("Pegawai (pelaksana)") in set(chain)
    assert login("Kepala seksi (atasan)") in set(chain)
    # Surveys: this year's period is open, the past years' are closed.
    periods = SurveyPeriod.objects.order_by("start")
    assert [(p.start.year, p.is_closed) for p in periods] == [
        (2024, True),
        (2025, True),
        (2026, False),
    ]
    services = Service.objects.count()
    assert services == 6
    assert Response.objects.filter(period=periods[0]).count() == 60 * services
    assert 0 < Response.objects.filter(period=periods[2]).count() < 60 * services


def test_early_january_is_planning_time():
    year = build("2026-01-05")
    skps = Skp.objects.filter(year=year)
    statuses = dict(skps.values_list("employee__nip", "status"))
    # The pelaksana waits for her kepala seksi, whose own SKP is approved.
    assert statuses[login("Pegawai (pelaksana)")] == Skp.Status.DIAJUKAN
    assert statuses[login("Kepala seksi (atasan)")] == Skp.Status.DISETUJUI
    assert skps.filter(status=Skp.Status.DIKEMBALIKAN).count() == 1
    assert 0 < skps.filter(status=Skp.Status.DISETUJUI).count() < skps.count() // 2
    assert skps.filter(status=Skp.Status.DRAFT).count() > skps.count() // 2
    # No window has opened: no evaluation, no grade of the year yet.
    assert not Evaluation.objects.filter(year=year).exists()
    assert not OrgPerformance.objects.filter(year=year).exists()
    # The two years before are closed all the same.
    assert list(
        PerformanceYear.objects.filter(year__lt=2026).order_by("year").values_list("status")
    ) == [("closed",), ("closed",)]
