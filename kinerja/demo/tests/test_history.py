"""The demo with history (issue 11): two closed years before the current one
and the current year at its calendar's stage, built once; a second run
changes nothing. Two builds only (mid-July and early January): each takes a
while."""

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
from kinerja.org.models import Agency, Employee, Position
from kinerja.planning.models import (
    CalendarOverride,
    PerformanceYear,
    Period,
    Rhk,
    Skp,
    SkpVersion,
)
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
    CalendarOverride,
    Service,
    SurveyPeriod,
    Response,
    AuditEvent,
]


def login(role):
    agency = Agency.objects.get(code="tebingtinggi")
    return next(x.username for x in demo_logins(agency) if x.role == role)


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
        # Each approved SKP has its frozen version, as one approved on its page has.
        versions = SkpVersion.objects.filter(skp__year=year)
        assert versions.values("skp").distinct().count() == worked
        assert not versions.filter(content_hash="").exists()
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


def test_mid_year_builds_three_years_once(demo_agency):
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

    current_year_in_mid_july(PerformanceYear.objects.get(year=2026))

    before = counts()
    again = run("2026-07-15")
    assert counts() == before
    assert "Riwayat demo 2024: sudah ada." in again
    assert "Riwayat demo 2025: sudah ada." in again
    assert "Riwayat demo 2026: sudah ada." in again


def current_year_in_mid_july(year):
    """The calendar on 15 July: Q1's evaluation window has closed, Q2's is open."""
    assert year.status == PerformanceYear.Status.OPEN
    skps = Skp.objects.filter(year=year)
    assert skps.exclude(status=Skp.Status.DISETUJUI).count() == 0
    approved = skps.count()
    assert SkpVersion.objects.filter(skp__year=year).values("skp").distinct().count() == approved
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
    # Admin BKD extended the first puskesmas's open window (Q2) for its accreditation.
    override = CalendarOverride.objects.get(year=year)
    assert (override.unit.kind, override.window, override.period) == ("puskesmas", "evaluation", q2)
    assert override.end == q2.window_end + dt.timedelta(days=10)
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


def test_early_january_has_two_closed_years_and_planning_time(demo_agency):
    run("2026-01-05")
    years = list(PerformanceYear.objects.filter(year__in=[2024, 2025]).order_by("year"))
    closed_years_are_complete(years)
    year = PerformanceYear.objects.get(year=2026)
    skps = Skp.objects.filter(year=year)
    statuses = dict(skps.values_list("employee__nip", "status"))
    # The pelaksana waits for her kepala seksi, whose own SKP is approved.
    assert statuses[login("Pegawai (pelaksana)")] == Skp.Status.DIAJUKAN
    assert statuses[login("Kepala seksi (atasan)")] == Skp.Status.DISETUJUI
    assert skps.filter(status=Skp.Status.DIKEMBALIKAN).count() == 1
    assert 0 < skps.filter(status=Skp.Status.DISETUJUI).count() < skps.count() // 2
    assert skps.filter(status=Skp.Status.DRAFT).count() > skps.count() // 2
    # The puskesmas's coming window (Q1) is extended for its accreditation.
    assert list(CalendarOverride.objects.filter(year=year).values_list("period__number")) == [(1,)]
    # No window has opened: no evaluation, no grade of the year yet.
    assert not Evaluation.objects.filter(year=year).exists()
    assert not OrgPerformance.objects.filter(year=year).exists()
