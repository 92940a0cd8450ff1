"""Mentor pairings and development plans through the API, through the same services as
the mentors and plan pages: listed within what the user may see, created by those who
manage the employee, corrected or withdrawn with a reason (never deleted), audited."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from kinerja.audit.models import AuditEvent
from kinerja.followup import services
from kinerja.followup.models import DevelopmentPlan, MentorPairing


@pytest.fixture
def api():
    def _as(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _as


PAIRINGS = "/api/followup/mentor-pairings/"
PLANS = "/api/followup/development-plans/"


def _pair(world, **extra):
    return {
        "mentee": world.staff.pk,
        "mentor": world.fungsional.pk,
        "goals": "Menyusun laporan bulanan",
        "start": "2026-02-01",
        **extra,
    }


def test_head_pairs_a_mentor_and_both_see_it(world, api):
    response = api(world.user("kasi")).post(PAIRINGS, _pair(world), format="json")
    assert response.status_code == 201, response.content
    pairing = MentorPairing.objects.get()
    assert (pairing.mentor, pairing.mentee, pairing.goals) == (
        world.fungsional,
        world.staff,
        "Menyusun laporan bulanan",
    )
    assert response.json()["mentor_name"] == "Fitri Handayani"
    event = AuditEvent.objects.get(action="followup.mentor.create")
    assert event.subject_id == world.staff.pk
    listed = api(world.user("staff")).get(PAIRINGS).json()["results"]
    assert [row["id"] for row in listed] == [pairing.pk]
    assert api(world.user("peer")).get(PAIRINGS).json()["results"] == []
    assert api(world.user("peer")).get(f"{PAIRINGS}{pairing.pk}/").status_code == 404


def test_pairing_refusals(world, api):
    kasi = api(world.user("kasi"))
    response = kasi.post(PAIRINGS, _pair(world, mentor=world.staff.pk), format="json")
    assert response.status_code == 400
    assert "Mentor dan pegawai yang dibimbing tidak boleh orang yang sama." in str(response.json())
    response = kasi.post(PAIRINGS, _pair(world, goals=" "), format="json")
    assert "Sasaran pendampingan wajib diisi." in str(response.json())
    response = kasi.post(PAIRINGS, _pair(world, end="2026-01-01"), format="json")
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in str(response.json())
    response = kasi.post(PAIRINGS, _pair(world, mentor=world.outsider.pk), format="json")
    assert response.status_code == 400
    assert "Pilih mentor dan pegawai yang dibimbing." in str(response.json())
    # A mentee outside the user's view is a 404; a plain employee may not pair at all.
    assert (
        kasi.post(PAIRINGS, _pair(world, mentee=world.kaban.pk), format="json").status_code == 404
    )
    response = api(world.user("staff")).post(PAIRINGS, _pair(world), format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Hanya admin BKD atau pimpinan unit yang dapat melakukan ini."
    )
    assert not MentorPairing.objects.exists()


def test_pairing_corrected_and_withdrawn_with_a_reason(world, api):
    pairing = services.mentor_pairing_create(
        actor=world.user("admin"),
        mentor=world.kasi,
        mentee=world.staff,
        goals="Menyusun laporan",
        start=dt.date(2026, 2, 1),
    )
    url = f"{PAIRINGS}{pairing.pk}/"
    body = {"reason": "Sasaran diperjelas", "goals": "Laporan bulanan", "start": "2026-02-01"}
    response = api(world.user("peer")).post(f"{url}correct/", body, format="json")
    assert response.status_code == 404  # the peer sees neither mentee nor mentor
    response = api(world.user("staff")).post(f"{url}correct/", body, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Anda tidak dapat mengubah pendampingan pegawai ini."
    kasi = api(world.user("kasi"))
    response = kasi.post(f"{url}correct/", {**body, "reason": ""}, format="json")
    assert response.status_code == 400
    assert MentorPairing.objects.get().goals == "Menyusun laporan"
    response = kasi.post(f"{url}correct/", body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["goals"] == "Laporan bulanan"
    (note,) = AuditEvent.objects.filter(action="followup.mentor.correct").values_list(
        "note", flat=True
    )
    assert note == "Sasaran diperjelas"
    response = kasi.post(f"{url}withdraw/", {"reason": ""}, format="json")
    assert response.status_code == 400
    assert "Alasan penarikan wajib diisi." in str(response.json())
    response = kasi.post(f"{url}withdraw/", {"reason": "Salah orang"}, format="json")
    assert response.status_code == 200
    assert response.json()["withdrawn_reason"] == "Salah orang"
    assert MentorPairing.objects.get().withdrawn_at is not None  # kept, never deleted
    response = kasi.post(f"{url}withdraw/", {"reason": "Lagi"}, format="json")
    assert response.status_code == 400
    client = api(world.user("outsider_admin"))
    assert client.post(f"{url}withdraw/", {"reason": "x"}, format="json").status_code == 404


def test_development_plan_saved_listed_and_withdrawn(world, api):
    course = services.course_save(
        actor=world.user("admin"),
        agency=world.agency,
        title="Literasi digital",
        kind="elearning",
        hours_jp=10,
    )
    kasi = api(world.user("kasi"))
    body = {"employee": world.staff.pk, "year": 2026, "goals": "Menulis", "courses": [course.pk]}
    response = kasi.post(PLANS, body, format="json")
    assert response.status_code == 201, response.content
    plan = DevelopmentPlan.objects.get()
    assert (plan.goals, list(plan.planned_courses.all())) == ("Menulis", [course])
    assert response.json()["planned_courses"] == [course.pk]
    assert AuditEvent.objects.filter(action="followup.devplan.save").count() == 1
    # Saving the year's plan again corrects it: still one plan.
    response = kasi.post(PLANS, {**body, "goals": "Menulis laporan"}, format="json")
    assert response.status_code == 201
    assert DevelopmentPlan.objects.get().goals == "Menulis laporan"
    response = kasi.post(PLANS, {**body, "courses": [999999]}, format="json")
    assert response.status_code == 400
    assert "Pelatihan yang dipilih tidak ada dalam katalog." in str(response.json())
    # The employee sees her plan, but does not write it; a colleague sees nothing.
    staff = api(world.user("staff"))
    listed = staff.get(f"{PLANS}?year=2026").json()["results"]
    assert [row["goals"] for row in listed] == ["Menulis laporan"]
    response = staff.post(PLANS, body, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Anda tidak dapat menyusun rencana pengembangan pegawai ini."
    )
    peer = api(world.user("peer"))
    assert peer.get(PLANS).json()["results"] == []
    assert peer.post(f"{PLANS}{plan.pk}/withdraw/", {"reason": "x"}, format="json").status_code == (
        404
    )
    response = kasi.post(PLANS, {**body, "employee": world.outsider.pk}, format="json")
    assert response.status_code == 404
    response = kasi.post(f"{PLANS}{plan.pk}/withdraw/", {"reason": "Ganda"}, format="json")
    assert response.status_code == 200
    assert response.json()["withdrawn_reason"] == "Ganda"
    assert DevelopmentPlan.objects.get().withdrawn_reason == "Ganda"
    assert AuditEvent.objects.filter(action="followup.devplan.withdraw").count() == 1
