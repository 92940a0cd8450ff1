"""The whole flow in a real browser: the kasi rates the staff, the tim penilai
calibrates the unit down to quota with a reason, the staff sees the final
predikat and files an appeal, the kabid (the kasi's superior) decides it."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kinerja.assessment import selectors
from kinerja.assessment.models import Appeal, Calibration, Evaluation
from kinerja.org.models import RoleGrant
from kinerja.org.services import role_grant
from kinerja.planning.models import Period, Skp

from .factories import approve, grade, make_year, skp_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _annual_row(world, year, person, hasil, perilaku, predikat):
    # A set SKP: an SKP never set gives no annual result and stays out of the pool.
    skp = skp_of(world.people[person], year)
    Skp.objects.filter(pk=skp.pk).update(status=Skp.Status.DISETUJUI)
    return Evaluation.objects.create(
        agency=world.agency,
        year=year,
        skp=skp,
        employee=skp.employee,
        unit=skp.unit,
        rater=skp.rater,
        hasil=hasil,
        perilaku=perilaku,
        predikat=predikat,
        org_grade="baik",
        status=Evaluation.Status.FINALISED,
    )


@pytest.fixture
def setup(world):
    year = make_year(world)
    # The annual evaluation window opens today (the year's last period, moved for the test).
    today = timezone.localdate()
    Period.objects.filter(year=year).update(window_start=today - dt.timedelta(days=1))
    year.annual_deadline = today + dt.timedelta(days=60)
    year.save()
    for key in ("bidang", "seksi"):
        grade(world, year, world.units[key], "baik")
    approve(skp_of(world.staff, year))
    # The other members of the Bidang (the Seksi, 3 people, is pooled with it): 5 in all.
    _annual_row(world, year, "kabid", "sesuai", "sesuai", "baik")
    _annual_row(world, year, "kasi", "sesuai", "sesuai", "baik")
    _annual_row(world, year, "peer", "sesuai", "sesuai", "baik")
    _annual_row(world, year, "fungsional", "di_atas", "di_atas", "sangat_baik")
    role_grant(actor=world.user("admin"), user=world.user("kaban"), role=RoleGrant.Role.TIM_PENILAI)
    return year


def _switch(page, browser_login, person):
    page.context.clear_cookies()
    return browser_login(person.nip)


def test_rate_calibrate_appeal_decide(
    world, setup, page, live_server, browser_login, settings, tmp_path
):
    settings.PRIVATE_ROOT = tmp_path
    base = live_server.url
    # 1. The kasi rates the staff and finalises.
    browser_login(world.kasi.nip)
    page.goto(f"{base}/penilaian/tim/?periode=tahunan")
    page.get_by_role("link", name="Nilai kinerja Dewi").click()
    for label in ("Rating: RHK utama 1", "Rating: RHK utama 2", "Rating: RHK tambahan 1"):
        page.get_by_label(label, exact=True).select_option("sesuai")
    for value in range(1, 8):
        page.get_by_label(f"Rating perilaku {value}", exact=True).select_option("sesuai")
    page.get_by_label("Rating hasil kerja", exact=True).select_option("sesuai")
    page.get_by_label("Rating perilaku kerja", exact=True).select_option("sesuai")
    page.get_by_role("button", name="Finalkan evaluasi").click()
    expect(page.get_by_text("Evaluasi difinalkan dan dikunci.")).to_be_visible()
    evaluation = Evaluation.objects.get(employee=world.staff, period__isnull=True)
    assert (evaluation.status, evaluation.predikat) == ("finalised", "baik")

    # 2. The tim penilai calibrates the Bidang down to quota, with a reason.
    _switch(page, browser_login, world.kaban)
    page.goto(f"{base}/penilaian/kalibrasi/")
    page.get_by_role("button", name="Buka kalibrasi Bidang Pelayanan Kesehatan").click()
    expect(page.get_by_text("Baik: 4 pegawai, paling banyak 3.")).to_be_visible()
    page.get_by_role("link", name="Ubah predikat Dewi Anggraini").click()
    page.get_by_label("Predikat baru").select_option("butuh_perbaikan")
    page.get_by_label("Alasan perubahan").fill(
        "Dua RHK utama tidak didukung bukti pada triwulan IV"
    )
    page.get_by_role("button", name="Simpan perubahan").click()
    expect(page.get_by_text("Semua kuota terpenuhi.")).to_be_visible()
    page.get_by_role("button", name="Tutup kalibrasi").click()
    expect(page.get_by_text("Kalibrasi ditutup")).to_be_visible()
    assert Calibration.objects.get().status == "closed"

    # 3. The kasi signs and delivers the evaluation document.
    _switch(page, browser_login, world.kasi)
    page.goto(f"{base}/penilaian/evaluasi/{evaluation.pk}/")
    page.get_by_role("button", name="Tandatangani dokumen evaluasi").click()
    page.get_by_role("button", name="Sampaikan kepada pegawai").click()
    assert Evaluation.objects.get(pk=evaluation.pk).status == "delivered"

    # 4. The staff sees the final predikat with the reason, and appeals.
    _switch(page, browser_login, world.staff)
    page.goto(f"{base}/penilaian/")
    assert page.get_by_test_id(f"predikat-{evaluation.pk}").inner_text() == "Butuh Perbaikan"
    expect(page.get_by_text("Dua RHK utama tidak didukung bukti pada triwulan IV")).to_be_visible()
    page.get_by_role("link", name="Lihat rincian tahunan 2026").click()
    page.get_by_label("Alasan keberatan").fill("Bukti triwulan IV sudah diunggah tepat waktu")
    evidence = {"name": "unggahan-tw4.pdf", "mimeType": "application/pdf", "buffer": PDF}
    page.get_by_label("Berkas bukti").set_input_files([evidence])
    page.get_by_role("button", name="Ajukan keberatan").click()
    expect(page.get_by_text("Keberatan diajukan.")).to_be_visible()
    appeal = Appeal.objects.get()
    assert appeal.decider == world.kabid
    assert list(appeal.files.values_list("original_name", flat=True)) == ["unggahan-tw4.pdf"]

    # 5. The kabid (the kasi's superior) decides: changed, final.
    _switch(page, browser_login, world.kabid)
    page.goto(f"{base}/penilaian/")
    page.get_by_role("link", name="Dewi Anggraini · Diajukan").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="unggahan-tw4.pdf").click()
    assert download.value.suggested_filename == "unggahan-tw4.pdf"
    page.get_by_label("Mengubah hasil penilaian").check()
    page.get_by_label("Predikat baru (bila mengubah)").select_option("baik")
    page.get_by_label("Alasan keputusan").fill("Bukti diunggah sebelum batas waktu")
    page.get_by_role("button", name="Tetapkan keputusan").click()
    expect(page.get_by_text("Keputusan (final)")).to_be_visible()
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.predikat_final) == ("decided", "baik")
    assert selectors.document_kinds(evaluation) == ("C.1.3", "D.1.3")
