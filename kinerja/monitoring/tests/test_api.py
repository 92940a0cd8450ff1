import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from kinerja.monitoring import services
from kinerja.monitoring.models import Evidence, Feedback, Notification, Realisasi

from .factories import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    def _api(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _api


def test_realisasi_upsert_and_evidence_upload(world, plan, api):
    client = api(world.user("staff"))
    body = {"iki": plan.iki.pk, "period": plan.period.pk, "value": "5"}
    assert client.post("/api/monitoring/realisasi/", body, format="json").status_code == 201
    body["value"] = "6"
    response = client.post("/api/monitoring/realisasi/", body, format="json")
    assert response.status_code == 201, response.json()
    r = Realisasi.objects.get()
    assert str(r.value) == "6.00"
    bad = client.post(
        "/api/monitoring/evidence/",
        {"realisasi": r.pk, "file": SimpleUploadedFile("x.pdf", b"<html><script>1</script>")},
        format="multipart",
    )
    assert bad.status_code == 400
    assert "halaman web" in str(bad.json())
    good = client.post(
        "/api/monitoring/evidence/",
        {"realisasi": r.pk, "file": SimpleUploadedFile("../a/b.pdf", PDF_BYTES)},
        format="multipart",
    )
    assert good.status_code == 201, good.json()
    assert good.json()["original_name"] == "b.pdf"
    ev_id = good.json()["id"]
    download = client.get(f"/api/monitoring/evidence/{ev_id}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert (
        api(world.user("peer")).get(f"/api/monitoring/evidence/{ev_id}/download/").status_code
        == 404
    )
    assert (
        api(world.user("kasi")).get(f"/api/monitoring/evidence/{ev_id}/download/").status_code
        == 200
    )


def test_api_upload_too_large(world, plan, api, settings):
    settings.EVIDENCE_MAX_BYTES = 50
    r = services.realisasi_save(
        actor=world.user("staff"), iki=plan.iki, period=plan.period, value=1
    )
    response = api(world.user("staff")).post(
        "/api/monitoring/evidence/",
        {"realisasi": r.pk, "file": SimpleUploadedFile("a.pdf", PDF_BYTES)},
        format="multipart",
    )
    assert response.status_code == 400
    assert "terlalu besar" in str(response.json())
    assert not Evidence.objects.exists()


def test_review_feedback_and_threads(world, plan, api):
    r = services.realisasi_save(
        actor=world.user("staff"), iki=plan.iki, period=plan.period, value=1
    )
    ev = services.evidence_add_link(actor=world.user("staff"), url="https://x.id/a", realisasi=r)
    kasi = api(world.user("kasi"))
    response = kasi.post(
        f"/api/monitoring/evidence/{ev.pk}/review/",
        {"insufficient": True, "note": "Hasil?"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "insufficient"
    peer = api(world.user("peer"))
    refused = peer.post(
        "/api/monitoring/feedback/",
        {"employee": world.staff.pk, "rhk": plan.rhk.pk, "kind": "scheduled", "text": "x"},
        format="json",
    )
    assert refused.status_code == 403
    ok = kasi.post(
        "/api/monitoring/feedback/",
        {"employee": world.staff.pk, "realisasi": r.pk, "kind": "scheduled", "text": "Baik"},
        format="json",
    )
    assert ok.status_code == 201, ok.json()
    reply = api(world.user("staff")).post(
        f"/api/monitoring/feedback/{ok.json()['id']}/reply/", {"text": "Siap"}, format="json"
    )
    assert reply.status_code == 201
    assert Feedback.objects.filter(parent_id=ok.json()["id"]).count() == 1
    foreign = kasi.post(
        "/api/monitoring/feedback/",
        {"employee": world.outsider.pk, "value": 1, "text": "x"},
        format="json",
    )
    assert foreign.status_code == 400


def test_logs_dialogues_and_notifications(world, plan, api):
    staff = api(world.user("staff"))
    response = staff.post(
        "/api/monitoring/logs/",
        {"rhk": plan.rhk.pk, "date": timezone.localdate().isoformat(), "text": "Kerja"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    future = staff.post(
        "/api/monitoring/logs/",
        {"rhk": plan.rhk.pk, "date": "2999-01-01", "text": "Kerja"},
        format="json",
    )
    assert future.status_code == 400
    assert future.json() == {"detail": ["Tanggal catatan tidak boleh di masa depan."]}
    kasi = api(world.user("kasi"))
    d = kasi.post(
        "/api/monitoring/dialogues/",
        {
            "participants": [world.staff.pk],
            "scheduled_at": timezone.now().isoformat(),
            "agenda": "Progres",
        },
        format="json",
    )
    assert d.status_code == 201, d.json()
    listed = kasi.get("/api/monitoring/dialogues/")
    assert listed.status_code == 200
    assert [x["id"] for x in listed.json()["results"]] == [d.json()["id"]]
    a = kasi.post(
        f"/api/monitoring/dialogues/{d.json()['id']}/actions/",
        {"owner": world.staff.pk, "text": "Kirim", "due": timezone.localdate().isoformat()},
        format="json",
    )
    assert a.status_code == 201, a.json()
    assert (
        staff.post(f"/api/monitoring/actions/{a.json()['id']}/done/", {}, format="json").status_code
        == 200
    )
    notes = staff.get("/api/monitoring/notifications/").json()
    ids = (
        [n["id"] for n in notes["results"]] if isinstance(notes, dict) else [n["id"] for n in notes]
    )
    assert len(ids) == 2  # dialogue scheduled + agreed action
    assert staff.post(f"/api/monitoring/notifications/{ids[0]}/read/").status_code == 200
    assert (
        api(world.user("peer")).post(f"/api/monitoring/notifications/{ids[0]}/read/").status_code
        == 404
    )
    prefs = staff.post(
        "/api/monitoring/notifications/preferences/", {"email_kinds": ["feedback"]}, format="json"
    )
    assert {p["kind"]: p["email"] for p in prefs.json()}["action"] is False
    assert Notification.objects.filter(read_at__isnull=False).count() == 1


def test_coaching_api(world, plan, api):
    kasi = api(world.user("kasi"))
    s = kasi.post(
        "/api/monitoring/coaching/",
        {
            "kind": "coaching",
            "employee": world.staff.pk,
            "date": timezone.localdate().isoformat(),
            "topic": "Target",
            "details": {"fakta": "2 dari 6"},
        },
        format="json",
    )
    assert s.status_code == 201, s.json()
    sid = s.json()["id"]
    listed = kasi.get("/api/monitoring/coaching/")
    assert listed.status_code == 200
    assert [x["id"] for x in listed.json()["results"]] == [sid]
    fb = api(world.user("staff")).post(
        f"/api/monitoring/coaching/{sid}/employee-feedback/", {"answers": [True] * 9}, format="json"
    )
    assert fb.status_code == 200, fb.json()
    comp = kasi.post(
        f"/api/monitoring/coaching/{sid}/competency/",
        {"scores": [{"name": "Integritas", "score": 5}]},
        format="json",
    )
    assert comp.status_code == 200
    takeover = kasi.post(
        "/api/monitoring/takeovers/", {"rhk": plan.rhk.pk, "note": "Diambil"}, format="json"
    )
    assert takeover.status_code == 201, takeover.json()
