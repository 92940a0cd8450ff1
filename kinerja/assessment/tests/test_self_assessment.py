"""Self-assessment on the employee's own initiative: where the agency allows it,
the employee opens their own evaluation as soon as the window opens (created on
demand), rates themselves per RHK and value with notes, submits; the rater sees
it beside their own rating. Page and API."""

import datetime as dt

import pytest
from django.urls import reverse

from kinerja.assessment import selectors, services
from kinerja.assessment.models import Evaluation, SelfAssessment
from kinerja.audit.models import AuditEvent
from kinerja.planning.models import Period

from .factories import Q1_DAY, approve, fails, refused, skp_of

BEFORE_WINDOW = dt.date(2026, 3, 20)


@pytest.fixture
def skp(world, graded):
    skp = skp_of(world.staff, graded)
    approve(skp)
    skp.refresh_from_db()
    return skp


@pytest.fixture
def allowed(world):
    services.settings_update(
        actor=world.user("admin"), agency=world.agency, self_assessment_open=True
    )


def test_the_agency_must_allow_it(world, skp, q1):
    fails(
        "Instansi Anda belum mengizinkan pegawai membuka penilaian diri sendiri; penilaian diri "
        "diisi setelah pejabat penilai membuka evaluasi.",
        services.self_assessment_open,
        actor=world.user("staff"),
        skp=skp,
        period=q1,
        today=Q1_DAY,
    )
    assert not Evaluation.objects.exists()


def test_only_the_employee_and_only_once_the_window_opens(world, skp, q1, allowed):
    refused(
        "Hanya pegawai pemilik SKP yang dapat membuka penilaian dirinya.",
        services.self_assessment_open,
        actor=world.user("kasi"),
        skp=skp,
        period=q1,
        today=Q1_DAY,
    )
    fails(
        "Penilaian diri dapat dibuka mulai 25-03-2026, saat jangka waktu penilaian dibuka.",
        services.self_assessment_open,
        actor=world.user("staff"),
        skp=skp,
        period=q1,
        today=BEFORE_WINDOW,
    )
    assert not Evaluation.objects.exists()


def test_employee_opens_rates_themselves_and_the_rater_sees_it(
    world, skp, q1, allowed, client, monkeypatch
):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: Q1_DAY)
    client.force_login(world.user("staff"))
    home = client.get(reverse("assessment:home")).content.decode()
    assert "Isi penilaian diri Triwulan I 2026" in home
    response = client.post(reverse("assessment:self_open", args=[skp.pk]), {"periode": q1.pk})
    evaluation = Evaluation.objects.get()
    assert response["Location"] == reverse("assessment:evaluation", args=[evaluation.pk])
    assert (evaluation.skp_id, evaluation.period_id, evaluation.rater_id) == (
        skp.pk,
        q1.pk,
        world.kasi.pk,
    )
    assert evaluation.status == Evaluation.Status.DRAFT
    assert AuditEvent.objects.filter(action="assessment.self.open").count() == 1
    home = client.get(reverse("assessment:home")).content.decode()
    assert "Isi penilaian diri Triwulan I 2026" not in home
    rows = list(evaluation.rhk_rows.order_by("-rhk__kind", "rhk__order"))
    form = {f"self_rating_{r.rhk_id}": "di_atas" for r in rows}
    form[f"self_comment_{rows[0].rhk_id}"] = "Target triwulan I terlampaui"
    form["self_value_1"] = "sesuai"
    form["note"] = "Semua laporan tepat waktu"
    response = client.post(reverse("assessment:self_assess", args=[evaluation.pk]), form)
    submitted = SelfAssessment.objects.get(evaluation=evaluation)
    assert submitted.note == "Semua laporan tepat waktu" and submitted.submitted_at is not None
    assert submitted.items.count() == 4
    client.force_login(world.user("kasi"))
    page = client.get(reverse("assessment:evaluation", args=[evaluation.pk])).content.decode()
    assert "Di Atas Ekspektasi: Target triwulan I terlampaui" in page


def test_the_openable_list_covers_open_windows_only(world, skp, q1, allowed):
    assert [
        (s.skp.pk, s.period)
        for s in selectors.self_assessment_openable(world.staff, skp.year, today=Q1_DAY)
    ] == [(skp.pk, q1)]
    assert selectors.self_assessment_openable(world.staff, skp.year, today=BEFORE_WINDOW) == []
    services.evaluation_for(skp=skp, period=q1)
    assert selectors.self_assessment_openable(world.staff, skp.year, today=Q1_DAY) == []


def test_api_open_and_self_assess(world, skp, q1, allowed, client, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: Q1_DAY)
    client.force_login(world.user("outsider_admin"))
    response = client.post(
        "/api/evaluations/self-open/", {"skp": skp.pk, "period": q1.pk}, "application/json"
    )
    assert response.status_code == 404
    client.force_login(world.user("staff"))
    other = Period.objects.exclude(year=skp.year).first()
    response = client.post(
        "/api/evaluations/self-open/",
        {"skp": skp.pk, "period": other.pk if other else 0},
        "application/json",
    )
    assert response.status_code == 400
    response = client.post(
        "/api/evaluations/self-open/", {"skp": skp.pk, "period": q1.pk}, "application/json"
    )
    assert response.status_code == 200, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == "draft"
    url = f"/api/evaluations/{pk}/self-assessment/"
    assert client.get(url).json() == {
        "evaluation": pk,
        "note": "",
        "submitted_at": None,
        "items": [],
    }
    rhk = Evaluation.objects.get(pk=pk).rhk_rows.values_list("rhk_id", flat=True)
    body = {
        "rhk": {str(r): {"rating": "sesuai", "comment": "Sesuai rencana"} for r in rhk},
        "behaviour": {"2": {"rating": "di_atas"}},
        "note": "Catatan saya",
    }
    response = client.post(url, body, "application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["note"] == "Catatan saya" and len(data["items"]) == 4
    assert {"rhk": None, "value": 2, "rating": "di_atas", "comment": "", "evidence": ""} in data[
        "items"
    ]
    client.force_login(world.user("kasi"))
    assert client.get(url).json()["note"] == "Catatan saya"
    response = client.post(url, body, "application/json")
    assert response.status_code == 403
    assert "Penilaian diri hanya dapat diisi oleh pegawai yang dinilai." in str(response.json())
