"""One performance year run through the pages only, with the dates driven by the calendar.

Nothing is written to the database after the fixture world (the people and the org chart):
no performance year, no SKP, no grade, no role and no date is prepared behind the pages, and
the server's clock is not frozen. Admin BKD creates and opens the year of today, and sets its
calendar in the calendar editor so that the windows the year needs are open on the day the
test runs (whatever the day: each period's evaluation window may be opened early, the annual
window opens with the last one). Then, each as the person who does it:

1. admin BKD: the year, its calendar, the organisation grade of the whole chart (Istimewa,
   set on the Sekretariat Daerah for every unit below it) and the tim penilai kinerja role;
2. the kasi writes the RHK her staff will intervene in; the staff plans her SKP and submits
   it; the kasi approves it;
3. the staff records the realisasi with a PDF as evidence;
4. the kasi rates the annual evaluation (Di Atas / Di Atas: Sangat Baik) and finalises it;
5. the tim penilai opens the calibration, changes the staff's predikat to Baik with a reason
   (the Istimewa curve allows Sangat Baik to at most 70%: none of one employee; a unit that
   small is calibrated with its parents, here up to the Sekretariat Daerah) and closes it;
6. the kasi signs and delivers; the staff appeals; the kabid (the kasi's superior) changes
   the predikat back to Sangat Baik, and the staff's page, the kasi's team list, the PDF of the
   evaluation document and the API all show Sangat Baik;
7. admin BKD runs the annual close (the last period's window is open, so no reason is asked);
8. the close lists the staff as a candidate for an award; admin BKD accepts it by recording
   the award, which the staff sees on her follow-up page.
"""

import datetime as dt
import re
import shutil
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kinerja.assessment.models import Appeal, Calibration, Evaluation
from kinerja.followup.models import Award, Candidate
from kinerja.monitoring.models import Realisasi
from kinerja.monitoring.tests.factories import PDF_BYTES
from kinerja.planning.models import PerformanceYear, Skp
from kinerja.planning.selectors.calendar import agency_calendar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUARTERS = ("Triwulan I", "Triwulan II", "Triwulan III", "Triwulan IV")


def _as(page, browser_login, person):
    page.context.clear_cookies()
    return browser_login(person.nip)


def _menu(page, name):
    page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name=name, exact=True
    ).click()


def _iso(day):
    return day.isoformat()


def _set_calendar(page, today):
    """In the calendar editor: every period's evaluation window opens no later than a few
    days before today (the last one yesterday), each after the one before, and the annual
    window with the last period's, so that the annual evaluation can be done today. The
    closing dates stay the regulation's defaults (after each period ends)."""
    for number, label in enumerate(QUARTERS, start=1):
        field = page.get_by_label(f"{label}: Evaluasi mulai", exact=True)
        default = dt.date.fromisoformat(field.input_value())
        opens = min(default, today - dt.timedelta(days=len(QUARTERS) - number + 1))
        field.fill(_iso(opens))
    annual = page.get_by_label("Evaluasi tahunan mulai", exact=True)
    annual.fill(_iso(opens))
    skp = page.get_by_label("Batas penetapan SKP", exact=True)
    deadline = max(
        dt.date.fromisoformat(skp.input_value()),
        min(today + dt.timedelta(days=7), dt.date(today.year, 12, 31)),
    )
    skp.fill(_iso(deadline))
    page.get_by_role("button", name="Simpan kalender").click()
    expect(page.get_by_text("Kalender penilaian disimpan.")).to_be_visible()
    return opens


def _pdf_text(data):
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils (pdftotext) is needed to read the PDF back"
    return subprocess.run(  # noqa: S603 - fixed binary, our own PDF
        [pdftotext, "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_one_year_through_the_pages(world, page, live_server, browser_login):
    base = live_server.url
    page.set_default_timeout(10_000)
    today = timezone.localdate()
    this_year = today.year

    # --- 1. Admin BKD: the year, its calendar, the grades, the tim penilai. -------------
    browser_login(world.admin.nip)
    _menu(page, "SKP")
    page.get_by_role("link", name="Periode penilaian").click()
    page.get_by_label("Tahun", exact=True).fill(str(this_year))
    page.get_by_label("Frekuensi evaluasi periodik").select_option("triwulanan")
    page.get_by_label("Dasar predikat tahunan").select_option("annual")
    page.get_by_role("button", name="Buat").click()
    expect(page.get_by_text("Periode penilaian dibuat.")).to_be_visible()
    page.get_by_role("button", name="Buka periode dan buat SKP konsep").click()
    year = PerformanceYear.objects.get(agency=world.agency, year=this_year)
    assert year.status == "open"
    assert Skp.objects.filter(year=year, employee=world.staff).exists()

    _menu(page, "Kalender")
    page.get_by_role("link", name="Ubah kalender instansi").click()
    last_opens = _set_calendar(page, today)
    calendar = agency_calendar(year)
    assert calendar.annual.is_open(today) and calendar.last_period.evaluation.is_open(today)
    assert calendar.annual.start == last_opens

    _menu(page, "Penilaian")
    page.get_by_role("link", name="Pengaturan penilaian (admin BKD)").click()
    page.get_by_role("link", name="Predikat kinerja organisasi per unit").click()
    root = page.locator("li#unit-" + str(world.units["setda"].pk))
    root.locator("details.grade-edit > summary").first.click()
    root.get_by_label("Predikat Sekretariat Daerah").select_option("istimewa")
    root.get_by_label("Catatan").first.fill("Hasil evaluasi SAKIP")
    root.get_by_label("Juga untuk semua unit di bawahnya").first.check()
    root.get_by_role("button", name="Simpan").first.click()
    expect(page.get_by_text("Predikat kinerja organisasi disimpan.")).to_be_visible()
    expect(
        page.get_by_text("Semua unit sudah memiliki predikat, sendiri atau dari unit atasannya.")
    ).to_be_visible()

    _menu(page, "Pegawai")
    page.get_by_role("link", name="Joko Widodo Susanto").click()
    page.locator("summary", has_text="Peran").click()
    page.get_by_label("Peran", exact=True).select_option("tim_penilai")
    page.get_by_role("button", name="Berikan peran").click()
    expect(page.get_by_text("Peran sudah diberikan.")).to_be_visible()

    # --- 2. The kasi's RHK; the staff plans and submits; the kasi approves. -------------
    _as(page, browser_login, world.kasi)
    page.goto(f"{base}/skp/")
    page.get_by_role("link", name="Kepala Seksi Layanan Primer").click()
    page.get_by_label("Rencana hasil kerja baru").fill("Layanan primer terlaksana sesuai standar")
    page.get_by_role("button", name="Tambah RHK").click()
    page.locator("article.rhk", has_text="Layanan primer terlaksana sesuai standar").wait_for()

    _as(page, browser_login, world.staff)
    _menu(page, "Kalender")
    expect(page.get_by_text("Evaluasi tahunan sedang berlangsung.")).to_be_visible()
    expect(page.get_by_text("Evaluasi Triwulan IV", exact=False).first).to_be_visible()
    page.goto(f"{base}/skp/")
    page.get_by_role("link", name="Pengadministrasi Layanan").click()
    page.get_by_label("Rencana hasil kerja baru").fill("Rekap kunjungan pasien tersusun")
    page.get_by_label("Intervensi RHK atasan").select_option(
        label="Layanan primer terlaksana sesuai standar"
    )
    page.get_by_role("button", name="Tambah RHK").click()
    rhk = page.locator("article.rhk", has_text="Rekap kunjungan pasien tersusun")
    rhk.get_by_text("Tambah IKI").click()
    adding = rhk.locator("details.iki-add")
    adding.get_by_label("Indikator kinerja individu").fill("Jumlah rekap bulanan")
    adding.get_by_label("Aspek").select_option(label="Kuantitas")
    adding.get_by_label("Angka target (atau batas bawah rentang)").fill("12")
    adding.get_by_label("Satuan").fill("laporan")
    adding.get_by_role("button", name="Simpan IKI").click()
    page.locator("article.rhk td", has_text="Jumlah rekap bulanan").wait_for()
    page.get_by_role("button", name="Ajukan ke pejabat penilai").click()
    expect(page.get_by_text("SKP diajukan kepada pejabat penilai.")).to_be_visible()

    _as(page, browser_login, world.kasi)
    page.goto(f"{base}/skp/tim/")
    page.get_by_role("link", name="Tinjau Dewi Anggraini").click()
    page.get_by_role("button", name="Setujui dan tetapkan").click()
    expect(page.get_by_text("SKP disetujui dan ditetapkan.")).to_be_visible()

    # --- 3. Realisasi with evidence. -----------------------------------------------------
    _as(page, browser_login, world.staff)
    page.goto(f"{base}/pantau/")
    page.get_by_role("link", name="Jumlah rekap bulanan").first.click()
    page.get_by_label("Realisasi (angka)").fill("13")
    page.get_by_label("Realisasi (uraian)").fill("Tiga belas rekap bulanan diterima kepala seksi")
    page.set_input_files(
        "#ev-file",
        files=[{"name": "rekap.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}],
    )
    page.get_by_role("button", name="Simpan realisasi").click()
    expect(page.get_by_text("Realisasi disimpan.")).to_be_visible()
    expect(page.get_by_role("link", name="rekap.pdf")).to_be_visible()
    realisasi = Realisasi.objects.get(employee=world.staff)
    assert realisasi.evidence.get().original_name == "rekap.pdf"

    # --- 4. The kasi rates the annual evaluation and finalises it. ---------------------
    _as(page, browser_login, world.kasi)
    page.goto(f"{base}/penilaian/tim/?periode=tahunan")
    expect(page.get_by_text("yang dipakai evaluasi ini: Istimewa")).to_be_visible()
    page.get_by_role("link", name="Nilai kinerja Dewi").click()
    match = re.search(r"/penilaian/evaluasi/(\d+)/", page.url)
    assert match, page.url
    pk = int(match.group(1))
    # Before any rating, the page says which grade finalising will use.
    expect(page.locator("#org-grade")).to_have_text("Istimewa")
    page.get_by_label("Rating: Rekap kunjungan pasien tersusun", exact=True).select_option(
        "di_atas"
    )
    for value in range(1, 8):
        page.get_by_label(f"Rating perilaku {value}", exact=True).select_option("di_atas")
    page.get_by_label("Rating hasil kerja", exact=True).select_option("di_atas")
    page.get_by_label("Rating perilaku kerja", exact=True).select_option("di_atas")
    page.get_by_role("button", name="Finalkan evaluasi").click()
    expect(page.get_by_text("Evaluasi difinalkan dan dikunci.")).to_be_visible()
    evaluation = Evaluation.objects.get(pk=pk)
    assert (evaluation.period_id, evaluation.status, evaluation.predikat) == (
        None,
        "finalised",
        "sangat_baik",
    )
    assert evaluation.org_grade == "istimewa"

    # --- 5. The tim penilai calibrates the staff with a reason and closes. -------------
    _as(page, browser_login, world.kaban)
    page.goto(f"{base}/penilaian/")
    page.get_by_role("link", name="Kalibrasi (tim penilai kinerja)").click()
    # A unit of one is calibrated with its parents, up to the top of the chart.
    page.get_by_role("button", name="Buka kalibrasi Sekretariat Daerah").click()
    expect(page.get_by_role("heading", name="Kuota yang dilanggar")).to_be_visible()
    page.get_by_role("link", name="Ubah predikat Dewi Anggraini").click()
    page.get_by_label("Predikat baru").select_option("baik")
    page.get_by_label("Alasan perubahan").fill("Kuota Sangat Baik unit Istimewa sudah penuh")
    page.get_by_role("button", name="Simpan perubahan").click()
    expect(page.get_by_text("Semua kuota terpenuhi.")).to_be_visible()
    page.get_by_role("button", name="Tutup kalibrasi").click()
    expect(page.get_by_text("Kalibrasi ditutup")).to_be_visible()
    assert Calibration.objects.get(year=year).status == "closed"

    # --- 6. Sign, deliver; the staff appeals; the kabid decides. ------------------------
    _as(page, browser_login, world.kasi)
    page.goto(f"{base}/penilaian/evaluasi/{pk}/")
    page.get_by_role("button", name="Tandatangani dokumen evaluasi").click()
    page.get_by_role("button", name="Sampaikan kepada pegawai").click()
    expect(page.get_by_text("Disampaikan").first).to_be_visible()

    _as(page, browser_login, world.staff)
    page.goto(f"{base}/penilaian/")
    expect(page.get_by_test_id(f"predikat-{pk}")).to_have_text("Baik")
    page.get_by_role("link", name=f"Lihat rincian tahunan {this_year}").click()
    page.get_by_label("Alasan keberatan").fill("Realisasi 13 dari target 12 rekap, dengan bukti")
    page.get_by_role("button", name="Ajukan keberatan").click()
    expect(page.get_by_text("Keberatan diajukan.")).to_be_visible()

    _as(page, browser_login, world.kabid)
    page.goto(f"{base}/penilaian/")
    page.get_by_role("link", name="Dewi Anggraini · Diajukan").click()
    page.get_by_label("Mengubah hasil penilaian").check()
    page.get_by_label("Predikat baru (bila mengubah)").select_option("sangat_baik")
    page.get_by_label("Alasan keputusan").fill("Realisasi melampaui target dan didukung bukti")
    page.get_by_role("button", name="Tetapkan keputusan").click()
    expect(page.get_by_text("Keputusan (final)")).to_be_visible()
    assert Appeal.objects.get(evaluation_id=pk).new_predikat == "sangat_baik"

    # The same predikat on the employee's page, the rater's team list, the PDF and the API.
    _as(page, browser_login, world.staff)
    page.goto(f"{base}/penilaian/")
    expect(page.get_by_test_id(f"predikat-{pk}")).to_have_text("Sangat Baik")
    api = page.request.get(f"{base}/api/evaluations/{pk}/")
    assert api.ok, api.status
    assert api.json()["predikat_current"] == "sangat_baik"
    pdf = page.request.get(f"{base}/penilaian/evaluasi/{pk}/dokumen.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF"), pdf.status
    text = _pdf_text(pdf.body())
    assert "FORMAT D.1.3" in text
    printed = re.search(r"PREDIKAT KINERJA PEGAWAI\s*:\s*(.+)", text)
    assert printed and printed.group(1).strip() == "SANGAT BAIK", text
    assert "(BAIK → SANGAT BAIK)" in text

    _as(page, browser_login, world.kasi)
    page.goto(f"{base}/penilaian/tim/?periode=tahunan")
    expect(page.get_by_test_id(f"predikat-{world.staff.pk}")).to_have_text("Sangat Baik")
    page.goto(f"{base}/penilaian/evaluasi/{pk}/")
    expect(page.locator("strong#predikat")).to_have_text("Sangat Baik")

    # --- 7. The annual close. ------------------------------------------------------------
    _as(page, browser_login, world.admin)
    page.goto(f"{base}/penilaian/admin/")
    expect(page.get_by_text("8 dari 9 pegawai aktif belum memiliki hasil akhir")).to_be_visible()
    # The other eight never got their SKP set: no result, and no evaluation to calibrate.
    expect(page.get_by_text("SKP belum disetujui: 8")).to_be_visible()
    expect(page.get_by_text("belum dinilai: 0")).to_be_visible()
    # The last period's window is open: the close needs no reason.
    expect(page.get_by_label("Alasan penutupan lebih awal")).to_have_count(0)
    page.get_by_role("button", name="Jalankan penutupan tahunan").click()
    expect(page.get_by_text("1 dari 9 pegawai memiliki predikat").first).to_be_visible()

    # --- 8. The follow-up candidate, accepted and recorded. ------------------------------
    page.goto(f"{base}/tindak-lanjut/")
    page.get_by_role("link", name="Daftar kandidat").click()
    page.get_by_label("Hasil").select_option("award")
    page.get_by_role("button", name="Tampilkan").click()
    row = page.get_by_role("row").filter(has_text="Dewi Anggraini")
    expect(row.get_by_text(f"{this_year}: Sangat Baik")).to_be_visible()
    row.get_by_role("link", name="Catat penghargaan").click()
    page.get_by_label("Jenis penghargaan").select_option("recognition")
    page.get_by_label("Dasar pemberian").fill(f"Keputusan Wali Kota Nomor 800/17/{this_year}")
    page.get_by_label("Tanggal").fill(_iso(today))
    page.get_by_role("button", name="Simpan penghargaan").click()
    expect(page.get_by_text("Penghargaan dicatat.")).to_be_visible()
    award = Award.objects.get()
    assert (award.employee, award.evaluation_id) == (world.staff, pk)
    assert Candidate.objects.get(employee=world.staff, outcome="award").status == "accepted"

    _as(page, browser_login, world.staff)
    page.get_by_role("link", name="Tindak lanjut", exact=True).first.click()
    awards = page.get_by_role("region", name="Penghargaan")
    expect(awards.get_by_text(f"Keputusan Wali Kota Nomor 800/17/{this_year}")).to_be_visible()
