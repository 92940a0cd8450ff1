"""The demo with history (issue 11): two closed years before the current one
(and the current year, see test_current.py), built once; a second run changes
nothing."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from kinerja.assessment.models import (
    Appeal,
    Calibration,
    CalibrationChange,
    Evaluation,
    OrgPerformance,
)
from kinerja.audit.models import AuditEvent
from kinerja.followup.models import Award, Candidate, CreditPoints, Sanction, TrainingRecord
from kinerja.monitoring.models import Evidence, Realisasi
from kinerja.org.demo import demo_logins
from kinerja.org.models import Employee, Position
from kinerja.planning.models import PerformanceYear, Rhk, Skp, SkpVersion
from kinerja.surveys.models import Response, Service, SurveyPeriod

pytestmark = pytest.mark.django_db

MODELS = [
    PerformanceYear,
    Skp,
    Rhk,
    Realisasi,
    Evidence,
    Evaluation,
    OrgPerformance,
    Calibration,
    CalibrationChange,
    Appeal,
    Candidate,
    CreditPoints,
    Award,
    Sanction,
    TrainingRecord,
    SkpVersion,
    Service,
    SurveyPeriod,
    Response,
    AuditEvent,
]


def run(today):
    out = io.StringIO()
    call_command("demo_history", "--today", today, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_agency():
    call_command("demo_data", stdout=io.StringIO())


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def closed_years_are_complete(agency_years):
    for year in agency_years:
        assert year.status == PerformanceYear.Status.CLOSED
        worked = Employee.objects.filter(
            agency=year.agency, is_active=True, active_from__lte=year.end
        ).count()
        skps = Skp.objects.filter(year=year)
        assert skps.count() == worked
        assert skps.filter(status=Skp.Status.DISETUJUI).count() == worked
        annual = Evaluation.objects.filter(year=year, period__isnull=True)
        assert annual.count() == worked
        # Every annual predikat is final and published after calibration.
        assert annual.filter(predikat_final="").count() == 0
        assert annual.filter(published=False).count() == 0
        # Four quarters rated, one evaluation per SKP each.
        assert Evaluation.objects.filter(year=year, period__isnull=False).count() == 4 * worked
        # Realisasi of every IKI in every quarter (two IKI per SKP).
        assert Realisasi.objects.filter(period__year=year).count() == 4 * 2 * worked
        assert Calibration.objects.filter(year=year, status="closed").count() > 0
        assert Calibration.objects.filter(year=year, status="open").count() == 0
        changes = CalibrationChange.objects.filter(calibration__year=year)
        assert sorted(changes.values_list("before", "after")) == [
            ("baik", "butuh_perbaikan"),
            ("baik", "sangat_baik"),
        ]
        assert all(c.reason for c in changes)
        functional = Employee.objects.filter(
            agency=year.agency,
            is_active=True,
            active_from__lte=year.end,
            position__kind=Position.Kind.FUNGSIONAL,
        ).exclude(position__jenjang="")
        assert CreditPoints.objects.filter(year=year.year).count() == functional.count()
        assert (
            Candidate.objects.filter(year=year, outcome="award").count()
            == annual.filter(predikat_final="sangat_baik").count()
        )
        # Grades: each OPD from SAKIP, the puskesmas and the RSUD from their head;
        # every other unit inherits.
        grades = OrgPerformance.objects.filter(year=year)
        assert grades.filter(period__isnull=False).count() == 0
        assert grades.filter(unit__parent__isnull=True, source="entered").count() == 15
        assert sorted(grades.filter(source="from_head").values_list("unit__kind", flat=True)) == [
            "puskesmas",
            "puskesmas",
            "puskesmas",
            "rsud",
        ]
        assert annual.filter(org_grade="").count() == 0
        # Follow-up decided through the services: three awards, one rejection.
        assert Award.objects.filter(candidate__year=year).count() == 3
        assert Candidate.objects.filter(year=year, status="rejected").count() == 1
        # Training: most reach the 20 JP minimum.
        assert TrainingRecord.objects.filter(end__year=year.year).count() > worked


def test_mid_year_builds_two_closed_years_once(demo_agency):
    output = run("2026-07-15")
    assert "Riwayat demo 2024: dibuat." in output
    assert "Riwayat demo 2025: dibuat." in output
    years = list(PerformanceYear.objects.filter(year__in=[2024, 2025]).order_by("year"))
    assert [y.year for y in years] == [2024, 2025]
    closed_years_are_complete(years)
    # Two consecutive years give promotion priorities and sanction processes.
    assert Candidate.objects.filter(year__year=2025, outcome="promotion_priority").exists()
    assert Candidate.objects.filter(year__year=2025, outcome="sanction_process").exists()
    assert not Candidate.objects.filter(year__year=2024, outcome="sanction_process").exists()
    # The demo pelaksana's appeal of 2025 changed Baik into Sangat Baik, decided by
    # the kepala bidang; the one of 2024 was confirmed.
    appeals = Appeal.objects.order_by("filed_on")
    assert [
        (a.evaluation.year.year, a.decision, a.predikat_before, a.new_predikat, a.status)
        for a in appeals
    ] == [
        (2024, "confirm", "baik", "", "decided"),
        (2025, "change", "baik", "sangat_baik", "decided"),
    ]
    changed = appeals.last()
    logins = {x.role: x.username for x in demo_logins(changed.evaluation.agency)}
    assert changed.evaluation.employee.nip == logins["Pegawai (pelaksana)"]
    assert changed.decider.nip == logins["Kepala bidang (atasan)"]
    assert changed.evaluation.predikat_final == "sangat_baik"
    assert changed.evaluation.status == "decided"
    # One sanction process ended in an active written warning.
    assert list(Sanction.objects.values_list("kind", "status")) == [("warning", "active")]

    before = counts()
    again = run("2026-07-15")
    assert counts() == before
    assert "Riwayat demo 2024: sudah ada." in again
    assert "Riwayat demo 2025: sudah ada." in again
    assert "Riwayat demo 2026: sudah ada." in again


def test_early_january_still_has_two_closed_years(demo_agency):
    run("2026-01-05")
    years = list(PerformanceYear.objects.filter(year__in=[2024, 2025]).order_by("year"))
    closed_years_are_complete(years)
    assert dt.date(2026, 1, 5).year - 1 == years[-1].year
