"""A daily log corrected by its author while its period is open: audited,
403 for anyone else, 400 once the period is closed. Page and API."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from kinerja.audit.models import AuditEvent
from kinerja.monitoring import services
from kinerja.monitoring.models import DailyLog
from kinerja.planning.models import Rhk, Skp

from .factories import TODAY

LATER = dt.date(TODAY.year, 11, 16)  # the second quarter is closed by then


@pytest.fixture
def log(world, plan):
    return services.daily_log_create(
        actor=world.user("staff"),
        rhk=plan.rhk,
        date=TODAY,
        text="Menyusun laporan",
        duration_minutes=90,
        today=TODAY,
    )


def stored(log):
    row = DailyLog.objects.get(pk=log.pk)
    return (row.date, row.rhk_id, row.text, row.duration_minutes)


def test_author_corrects_the_log_and_the_change_is_audited(world, plan, log):
    services.daily_log_update(
        actor=world.user("staff"),
        log=log,
        rhk=plan.rhk2,
        date=TODAY - dt.timedelta(days=1),
        text="Menyusun dan mengirim laporan",
        duration_minutes="120",
        today=TODAY,
    )
    assert stored(log) == (
        TODAY - dt.timedelta(days=1),
        plan.rhk2.pk,
        "Menyusun dan mengirim laporan",
        120,
    )
    event = AuditEvent.objects.get(action="monitoring.log.update")
    assert (event.subject, event.actor) == (world.staff, world.user("staff"))
    assert event.before == {
        "date": TODAY.isoformat(),
        "rhk": plan.rhk.pk,
        "text": "Menyusun laporan",
        "duration_minutes": 90,
    }
    assert event.after == {
        "date": (TODAY - dt.timedelta(days=1)).isoformat(),
        "rhk": plan.rhk2.pk,
        "text": "Menyusun dan mengirim laporan",
        "duration_minutes": 120,
    }


def test_only_the_author_corrects(world, plan, log):
    with pytest.raises(PermissionDenied) as exc:
        services.daily_log_update(
            actor=world.user("kasi"), log=log, text="Diubah atasan", today=TODAY
        )
    assert str(exc.value) == "Hanya penulis catatan yang dapat mengoreksinya."
    assert stored(log) == (TODAY, plan.rhk.pk, "Menyusun laporan", 90)
    assert not AuditEvent.objects.filter(action="monitoring.log.update").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"today": LATER},
            f"Periode Triwulan II sudah ditutup; catatan tanggal {TODAY:%d-%m-%Y} "
            "tidak dapat diubah.",
        ),
        (
            {"date": dt.date(TODAY.year, 2, 3)},
            f"Periode Triwulan I sudah ditutup; catatan tanggal 03-02-{TODAY.year} "
            "tidak dapat diubah.",
        ),
        ({"date": TODAY + dt.timedelta(days=1)}, "Tanggal catatan tidak boleh di masa depan."),
        ({"text": "  "}, "Uraian kegiatan wajib diisi."),
        ({"duration_minutes": "0"}, "Durasi harus antara 1 dan 1440 menit."),
    ],
)
def test_refused_corrections_change_nothing(world, plan, log, change, message):
    kwargs = {"text": "Baru", "today": TODAY, **change}
    with pytest.raises(ValidationError) as exc:
        services.daily_log_update(actor=world.user("staff"), log=log, **kwargs)
    assert exc.value.messages == [message]
    assert stored(log) == (TODAY, plan.rhk.pk, "Menyusun laporan", 90)


def test_an_rhk_of_someone_else_is_refused(world, plan, log):
    kasi_skp = Skp.objects.exclude(status=Skp.Status.DITUTUP).get(
        employee=world.kasi, year=plan.year
    )
    kasi_rhk = Rhk.objects.create(agency=world.agency, skp=kasi_skp, text="RHK kasi", kind="utama")
    with pytest.raises(ValidationError) as exc:
        services.daily_log_update(
            actor=world.user("staff"), log=log, rhk=kasi_rhk, text="x", today=TODAY
        )
    assert exc.value.messages == ["Pilih salah satu RHK dari SKP Anda yang berlaku."]


def test_author_corrects_on_the_page(world, plan, log, login):
    client = login(world.user("staff"))
    page = client.get(reverse("monitoring:log_detail", args=[log.pk])).content.decode()
    assert "Koreksi catatan" in page
    response = client.post(
        reverse("monitoring:log_edit", args=[log.pk]),
        {"date": TODAY.isoformat(), "rhk": plan.rhk.pk, "text": "Laporan terkirim", "duration": ""},
        follow=True,
    )
    body = response.content.decode()
    assert "Catatan harian dikoreksi." in body
    assert "Laporan terkirim" in body
    assert stored(log) == (TODAY, plan.rhk.pk, "Laporan terkirim", None)


def test_rater_sees_no_correction_form_and_is_refused(world, plan, log, login):
    client = login(world.user("kasi"))
    page = client.get(reverse("monitoring:log_detail", args=[log.pk])).content.decode()
    assert "Koreksi catatan" not in page
    response = client.post(
        reverse("monitoring:log_edit", args=[log.pk]),
        {"date": TODAY.isoformat(), "rhk": plan.rhk.pk, "text": "Diubah", "duration": ""},
    )
    assert response.status_code == 403
    assert "Hanya penulis catatan yang dapat mengoreksinya." in response.content.decode()
    assert stored(log)[2] == "Menyusun laporan"


def test_author_corrects_through_the_api(world, plan, log):
    client = APIClient()
    client.force_authenticate(world.user("staff"))
    url = f"/api/monitoring/logs/{log.pk}/"
    response = client.patch(url, {"text": "Laporan terkirim"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["text"] == "Laporan terkirim"
    assert stored(log) == (TODAY, plan.rhk.pk, "Laporan terkirim", 90)
    client.force_authenticate(world.user("kasi"))
    response = client.patch(url, {"text": "Diubah"}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Hanya penulis catatan yang dapat mengoreksinya."}
