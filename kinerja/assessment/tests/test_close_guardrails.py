"""Guardrails of the annual close: refused before the last period's evaluation window opens
unless admin BKD records a reason, and it says who will have no final result and why."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from kinerja.assessment import selectors, services
from kinerja.assessment.models import Evaluation
from kinerja.audit.models import AuditEvent
from kinerja.jobs.models import Job
from kinerja.planning import services as planning
from kinerja.planning.models import PerformanceYear, Period
from kinerja.testing import make_employee

from .factories import approve, make_year, skp_of

pytestmark = pytest.mark.django_db
D = dt.date


def _evaluation(skp, period, *, hasil="", status="draft"):
    return Evaluation.objects.create(
        agency_id=skp.agency_id,
        year=skp.year,
        skp=skp,
        period=period,
        employee_id=skp.employee_id,
        unit_id=skp.unit_id,
        rater_id=skp.rater_id,
        hasil=hasil,
        perilaku=hasil,
        status=status,
    )


def _set(*skps):
    for skp in skps:
        approve(skp)
    return skps


def test_close_gaps_say_who_has_no_final_result_and_why(world):
    year = make_year(world, annual_source=PerformanceYear.AnnualSource.LAST_PERIOD)
    q4 = Period.objects.get(year=year, number=4)
    staff, peer, fungsional, kasi = _set(
        *(skp_of(e, year) for e in (world.staff, world.peer, world.fungsional, world.kasi))
    )
    _evaluation(staff, q4, hasil="sesuai", status="finalised")
    _evaluation(peer, q4, hasil="sesuai")  # rated, not finalised
    _evaluation(fungsional, q4)  # opened, not rated
    make_employee(world.agency, "Pegawai Baru", world.positions["staff"])  # no SKP
    gaps = selectors.close_gaps(year)
    # The kasi's SKP is set but nobody opened her evaluation: not rated. The other five
    # never got their SKP set: no result, for that reason.
    assert gaps.as_dict() == {
        "employees": 10,
        "with_result": 1,
        "without_result": 9,
        "no_skp": 1,
        "skp_not_approved": 5,
        "not_rated": 2,
        "not_finalised": 1,
    }


def test_close_gaps_with_an_annual_source_count_only_the_annual_evaluation(world):
    year = make_year(world)
    q4 = Period.objects.get(year=year, number=4)
    staff, peer = _set(skp_of(world.staff, year), skp_of(world.peer, year))
    _evaluation(staff, q4, hasil="sesuai", status="finalised")
    _evaluation(peer, None, hasil="sesuai", status="finalised")
    gaps = selectors.close_gaps(year)
    assert (gaps.with_result, gaps.not_rated, gaps.skp_not_approved, gaps.no_skp) == (1, 1, 7, 0)


def test_an_unset_skp_has_no_result_even_with_an_evaluation_row(world):
    """Rows left by an earlier close (before SKP were checked) do not make a result."""
    year = make_year(world)
    _evaluation(skp_of(world.staff, year), None, hasil="sesuai", status="finalised")
    gaps = selectors.close_gaps(year)
    assert (gaps.with_result, gaps.skp_not_approved, gaps.without_result) == (0, 9, 9)


EARLY = (
    "Penutupan tahunan belum dapat dijalankan: jendela evaluasi periode terakhir baru dibuka "
    "25-12-2026. Bila tetap harus dijalankan sekarang, tuliskan alasannya."
)


def test_close_is_refused_before_the_last_window_opens_unless_a_reason_is_recorded(world):
    year = make_year(world)
    admin = world.user("admin")
    jobs = Job.objects.filter(kind="assessment.annual_close")
    with pytest.raises(ValidationError) as refused:
        services.annual_close_start(actor=admin, year=year, today=D(2026, 12, 2))
    assert refused.value.messages == [EARLY]
    assert not jobs.exists()
    with pytest.raises(ValidationError):
        services.annual_close_start(actor=admin, year=year, reason="  ", today=D(2026, 12, 24))
    job = services.annual_close_start(
        actor=admin, year=year, reason="Pemeriksaan BPK", today=D(2026, 12, 2)
    )
    job.refresh_from_db()
    assert job.status == "done"
    assert job.result["gaps_no_skp"] == 0
    assert job.result["gaps_skp_not_approved"] == 9
    assert job.result["gaps_employees"] == 9
    assert job.result["created"] == 0  # nothing to rate against: no annual evaluation
    assert (
        "9 pegawai aktif tanpa hasil akhir (tanpa SKP 0, SKP belum disetujui 9, belum dinilai 0"
        in job.message
    )
    event = AuditEvent.objects.get(action="assessment.annual_close.start")
    assert (event.after["early"], event.after["reason"]) == (True, "Pemeriksaan BPK")
    assert event.after["without_result"] == 9


def test_close_creates_annual_evaluations_only_for_a_set_skp(world, client):
    """An SKP never set gives no annual evaluation (nothing to rate, nothing to calibrate):
    the close, the admin page and the API count the employee as "SKP belum disetujui"."""
    year = make_year(world)
    _set(skp_of(world.staff, year), skp_of(world.peer, year))
    job = services.annual_close_start(
        actor=world.user("admin"), year=year, reason="Uji", today=D(2026, 12, 2)
    )
    job.refresh_from_db()
    annual = Evaluation.objects.filter(year=year, period__isnull=True)
    assert sorted(annual.values_list("employee__name", flat=True)) == sorted(
        [world.staff.name, world.peer.name]
    )
    assert (job.result["created"], job.result["gaps_skp_not_approved"]) == (2, 7)
    assert job.result["gaps_not_rated"] == 2
    client.force_login(world.user("admin"))
    page = client.get(reverse("assessment:admin") + f"?tahun={year.pk}").content.decode()
    assert "9 dari 9 pegawai aktif belum memiliki hasil akhir tahun ini:" in page
    assert "SKP belum disetujui: 7" in page
    assert "belum dinilai: 2" in page
    body = client.get(f"/api/annual-close/{year.pk}/").json()
    assert (body["skp_not_approved"], body["not_rated"], body["without_result"]) == (7, 2, 9)


def test_close_runs_once_the_last_window_has_opened(world):
    year = make_year(world)
    job = services.annual_close_start(actor=world.user("admin"), year=year, today=D(2026, 12, 25))
    assert job.params == {"year": year.pk, "reason": "", "early": False}


def test_the_last_window_follows_the_calendar(world):
    year = make_year(world)
    q4 = Period.objects.get(year=year, number=4)
    q4.window_start = D(2026, 12, 1)
    q4.save()
    services.annual_close_start(actor=world.user("admin"), year=year, today=D(2026, 12, 2))


def test_only_admin_bkd_closes_the_year(world):
    year = make_year(world)
    with pytest.raises(PermissionDenied):
        services.annual_close_start(actor=world.user("kadis"), year=year, today=D(2027, 1, 5))


def test_admin_page_shows_the_gaps_and_asks_a_reason_before_the_window(world, client):
    next_year = timezone.localdate().year + 1
    year = planning.year_create(
        actor=world.user("admin"),
        agency=world.agency,
        year=next_year,
        frequency="triwulanan",
        annual_source="annual",
    )
    client.force_login(world.user("admin"))
    page = client.get(reverse("assessment:admin") + f"?tahun={year.pk}").content.decode()
    assert "9 dari 9 pegawai aktif belum memiliki hasil akhir tahun ini:" in page
    assert "tanpa SKP: 9" in page
    assert "Alasan penutupan lebih awal" in page
    url = reverse("assessment:annual_close") + f"?tahun={year.pk}"
    response = client.post(url, follow=True)
    assert "Penutupan tahunan belum dapat dijalankan" in response.content.decode()
    assert not Job.objects.filter(kind="assessment.annual_close").exists()
    response = client.post(url, {"reason": "Uji coba"})
    assert "/proses/" in response["Location"]


# --- the rater's superior's deadline -------------------------------------------------------

from kinerja.assessment.services.deadlines import superior_lapses  # noqa: E402
from kinerja.monitoring.models import Notification  # noqa: E402
from kinerja.planning.selectors.calendar import calendar_for  # noqa: E402


def test_superior_deadline_is_14_working_days_after_the_raters_window(world):
    year = make_year(world)
    q1 = Period.objects.get(year=year, number=1)
    off = selectors.days_off(world.agency.pk, [2026, 2027])
    cal = calendar_for(world.staff, year)
    # Q1's window closes 21-04-2026 (14 working days after 31-03, with the Easter and
    # Idul Fitri holidays); 14 more working days: 12-05-2026 (Ascension day is 14-05).
    assert cal.period(q1.pk).evaluation.end == D(2026, 4, 21)
    assert cal.superior_deadline(q1.pk, off) == D(2026, 5, 12)


def test_lapses_after_the_superiors_deadline_reach_admin_bkd_once(world):
    year = make_year(world)
    q1 = Period.objects.get(year=year, number=1)
    staff, peer = skp_of(world.staff, year), skp_of(world.peer, year)
    approve(staff)
    approve(peer)
    _evaluation(peer, q1, hasil="sesuai", status="finalised")
    assert superior_lapses(year, D(2026, 5, 12)) == {}
    assert superior_lapses(year, D(2026, 5, 13)) == {(q1.pk, "Triwulan I"): (1, D(2026, 5, 12))}
    assert services.superior_lapses_notify(agency=world.agency, today=D(2026, 5, 13)) == 1
    assert services.superior_lapses_notify(agency=world.agency, today=D(2026, 5, 14)) == 0
    note = Notification.objects.get(kind="evaluation")
    assert note.recipient == world.user("admin")
    assert note.text == (
        "1 evaluasi Triwulan I tahun 2026 belum difinalkan, padahal batas penilaian oleh atasan "
        "pejabat penilai (12-05-2026) telah lewat."
    )


def test_api_annual_close_reports_the_gaps_and_needs_a_reason_early(world, client):
    next_year = timezone.localdate().year + 1
    year = planning.year_create(
        actor=world.user("admin"),
        agency=world.agency,
        year=next_year,
        frequency="triwulanan",
        annual_source="annual",
    )
    client.force_login(world.user("admin"))
    body = client.get(f"/api/annual-close/{year.pk}/").json()
    assert body == {
        "year": next_year,
        "last_window_opens": f"{next_year}-12-25",
        "employees": 9,
        "with_result": 0,
        "without_result": 9,
        "no_skp": 9,
        "skp_not_approved": 0,
        "not_rated": 0,
        "not_finalised": 0,
    }
    url = f"/api/annual-close/{year.pk}/start/"
    refused = client.post(url, {}, content_type="application/json")
    assert refused.status_code == 400
    assert "Penutupan tahunan belum dapat dijalankan" in str(refused.json())
    started = client.post(url, {"reason": "Uji"}, content_type="application/json")
    assert started.status_code == 202
    client.force_login(world.user("kadis"))
    assert client.get(f"/api/annual-close/{year.pk}/").status_code == 404
