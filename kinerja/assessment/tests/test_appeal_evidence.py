"""Evidence files on an appeal (keberatan): attached by the employee when filing and
while the appeal is open, checked by content and size like realisasi evidence, stored
privately, downloadable (and each download recorded) by the employee and the decider
only; anyone else gets 404. Pages and API."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kinerja.assessment import services
from kinerja.assessment.models import Appeal, AppealEvidence
from kinerja.audit.models import AuditEvent

from .factories import Q1_DAY, fails, rate_all, refused

SIGN_DAY = dt.date(2026, 5, 8)
DELIVER_DAY = dt.date(2026, 5, 11)
APPEAL_DAY = dt.date(2026, 5, 13)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="bukti.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def delivered(world, staff_eval, settings, tmp_path, monkeypatch):
    settings.PRIVATE_ROOT = tmp_path
    rate_all(world.user("kasi"), staff_eval, "sesuai")
    services.evaluation_finalise(actor=world.user("kasi"), evaluation=staff_eval, today=Q1_DAY)
    services.evaluation_sign(actor=world.user("kasi"), evaluation=staff_eval, today=SIGN_DAY)
    services.evaluation_deliver(actor=world.user("kasi"), evaluation=staff_eval, today=DELIVER_DAY)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: APPEAL_DAY)
    return staff_eval


@pytest.fixture
def appeal(world, delivered):
    return services.appeal_file(
        actor=world.user("staff"),
        evaluation=delivered,
        reasons="Capaian saya di atas target",
        files=[pdf("laporan.pdf")],
    )


def _download(client, evidence):
    return client.get(reverse("assessment:appeal_evidence", args=[evidence.pk]))


def test_employee_files_with_evidence_on_the_page(world, delivered, login, tmp_path):
    client = login(world.user("staff"))
    response = client.post(
        reverse("assessment:appeal_file", args=[delivered.pk]),
        {"reasons": "Capaian saya di atas target", "files": [pdf("a.pdf"), pdf("b.pdf")]},
        follow=True,
    )
    assert "Keberatan diajukan." in response.content.decode()
    appeal = Appeal.objects.get(evaluation=delivered)
    names = list(appeal.files.values_list("original_name", flat=True))
    assert names == ["a.pdf", "b.pdf"]
    stored = appeal.files.first()
    path = tmp_path / "appeals" / str(world.agency.pk) / stored.stored_name
    assert path.read_bytes() == PDF and stored.size == len(PDF)
    assert AuditEvent.objects.filter(action="assessment.appeal.evidence.add").count() == 2
    page = client.get(reverse("assessment:appeal", args=[appeal.pk])).content.decode()
    assert "a.pdf" in page and "Lampirkan berkas" in page


def test_only_the_employee_and_the_decider_download(world, appeal, login):
    (evidence,) = appeal.files.all()
    for name in ("staff", "kabid"):
        response = _download(login(world.user(name)), evidence)
        assert response.status_code == 200, name
        assert b"".join(response.streaming_content) == PDF
        assert "attachment" in response["Content-Disposition"]
    events = AuditEvent.objects.filter(action="assessment.appeal.evidence.download")
    assert sorted(events.values_list("actor__username", flat=True)) == sorted(
        [world.user("staff").username, world.user("kabid").username]
    )
    assert set(events.values_list("subject_id", flat=True)) == {world.staff.pk}
    # The rater and admin BKD see the appeal, but not its files; others see nothing.
    for name in ("kasi", "admin", "peer", "outsider_admin"):
        assert _download(login(world.user(name)), evidence).status_code == 404, name
    page = login(world.user("kasi")).get(reverse("assessment:appeal", args=[appeal.pk]))
    assert page.status_code == 200 and "laporan.pdf" not in page.content.decode()
    page = login(world.user("kabid")).get(reverse("assessment:appeal", args=[appeal.pk]))
    assert "laporan.pdf" in page.content.decode()
    assert "Lampirkan berkas" not in page.content.decode()  # only the employee adds


def test_a_bad_file_files_nothing(world, delivered, login, tmp_path):
    client = login(world.user("staff"))
    page = b"<html><script>alert(1)</script></html>"
    response = client.post(
        reverse("assessment:appeal_file", args=[delivered.pk]),
        {"reasons": "Alasan", "files": [pdf(), pdf("surat.pdf", page)]},
        follow=True,
    )
    assert (
        "surat.pdf: Berkas ini berisi halaman web, skrip, atau program, bukan dokumen; "
        "tidak dapat diterima."
    ) in response.content.decode()
    assert not Appeal.objects.exists() and not AppealEvidence.objects.exists()
    assert not (tmp_path / "appeals").exists()
    fails(
        "foto.png: Isi berkas tidak sesuai dengan ekstensinya (.png); isinya PDF.",
        services.appeal_file,
        actor=world.user("staff"),
        evaluation=delivered,
        reasons="Alasan",
        files=[pdf("foto.png")],
    )


def test_a_file_over_the_limit_is_refused_on_the_page(world, delivered, login, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    client = login(world.user("staff"))
    response = client.post(
        reverse("assessment:appeal_file", args=[delivered.pk]),
        {"reasons": "Alasan", "files": [pdf(data=PDF + b"0" * 2048)]},
        follow=True,
    )
    assert "Berkas terlalu besar; batasnya 0.00 MB." in response.content.decode()
    assert not Appeal.objects.exists()


def test_files_added_while_open_by_the_employee_only(world, appeal, login):
    url = reverse("assessment:appeal_evidence_add", args=[appeal.pk])
    response = login(world.user("staff")).post(url, {"files": [pdf("tambahan.pdf")]}, follow=True)
    assert "Bukti keberatan dilampirkan." in response.content.decode()
    assert appeal.files.count() == 2
    response = login(world.user("kabid")).post(url, {"files": [pdf()]})
    assert response.status_code == 403
    assert "Hanya pegawai yang mengajukan keberatan yang dapat melampirkan bukti." in (
        response.content.decode()
    )
    refused(
        "Hanya pegawai yang mengajukan keberatan yang dapat melampirkan bukti.",
        services.appeal_evidence_add,
        actor=world.user("kasi"),
        appeal=appeal,
        files=[pdf()],
    )
    fails(
        "Keberatan dapat memuat paling banyak 10 berkas bukti.",
        services.appeal_evidence_add,
        actor=world.user("staff"),
        appeal=appeal,
        files=[pdf()] * 9,
    )
    services.appeal_decide(
        actor=world.user("kabid"), appeal=appeal, decision="confirm", reason="Sesuai bukti"
    )
    response = login(world.user("staff")).post(url, {"files": [pdf()]}, follow=True)
    assert "Keberatan ini sudah diputus; bukti tidak dapat ditambahkan." in (
        response.content.decode()
    )
    assert appeal.files.count() == 2


def test_api_files_lists_adds_and_downloads(world, delivered, client):
    client.force_login(world.user("staff"))
    response = client.post(
        f"/api/evaluations/{delivered.pk}/appeal/",
        {"reasons": "Capaian di atas target", "files": [pdf("api.pdf")]},
    )
    assert response.status_code == 200, response.content
    appeal = Appeal.objects.get(evaluation=delivered)
    url = f"/api/appeals/{appeal.pk}/files/"
    (row,) = client.get(url).json()
    assert (row["original_name"], row["size"]) == ("api.pdf", len(PDF))
    response = client.post(url, {"files": [pdf("dua.pdf"), pdf("tiga.pdf")]})
    assert response.status_code == 201, response.content
    assert [r["original_name"] for r in response.json()] == ["api.pdf", "dua.pdf", "tiga.pdf"]
    response = client.post(url, {"files": [pdf("x.pdf", b"MZ\x90\x00")]})
    assert response.status_code == 400
    assert "x.pdf: Berkas ini berisi halaman web" in str(response.json())
    download = client.get(f"/api/appeal-files/{row['id']}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="assessment.appeal.evidence.download").count() == 1
    client.force_login(world.user("kasi"))  # the rater sees the appeal, not its files
    response = client.get(url)
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Hanya pegawai yang mengajukan keberatan dan atasan pejabat penilai yang dapat "
        "melihat berkas bukti keberatan."
    )
    assert client.get(f"/api/appeal-files/{row['id']}/download/").status_code == 404
    assert client.get("/api/appeal-files/").json()["results"] == []
    client.force_login(world.user("outsider_admin"))
    assert client.get(url).status_code == 404
    client.force_login(world.user("kabid"))
    assert len(client.get("/api/appeal-files/").json()["results"]) == 3
    response = client.post(url, {"files": [pdf()]})
    assert response.status_code == 403
    assert AppealEvidence.objects.count() == 3


def test_api_refuses_a_file_over_the_limit(world, delivered, client, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(world.user("staff"))
    response = client.post(
        f"/api/evaluations/{delivered.pk}/appeal/",
        {"reasons": "Alasan", "files": [pdf(data=PDF + b"0" * 2048)]},
    )
    assert response.status_code == 400
    assert "Berkas terlalu besar; batasnya 0.00 MB." in str(response.json())
    assert not Appeal.objects.exists()
