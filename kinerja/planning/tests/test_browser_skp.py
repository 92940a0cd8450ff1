"""End to end: an employee drafts an SKP linked to the superior's RHK and
submits it; the superior returns it with a note; the employee fixes it and
resubmits; the superior approves; the PDF downloads and its QR verification
page shows the same content hash."""

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from kinerja.planning.models import Skp, SkpVersion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logout(page):
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/masuk/**")


def _open_my_skp(page, live_server):
    page.goto(f"{live_server.url}/skp/")
    page.get_by_role("link", name="Pengadministrasi Layanan").click()


def test_skp_round_trip(world, year, approved_kasi, browser_login, live_server, tmp_path):
    # approved_kasi (conftest): the kasi's SKP approved through the services,
    # with the RHK "Laporan layanan primer tersusun".

    # The employee drafts an RHK linked to it, with an IKI, and submits.
    page = browser_login(world.staff.nip)
    _open_my_skp(page, live_server)
    page.get_by_label("Rencana hasil kerja baru").fill("Rekap kunjungan pasien tersusun")
    page.get_by_label("Intervensi RHK atasan").select_option(
        label="Laporan layanan primer tersusun"
    )
    page.get_by_role("button", name="Tambah RHK").click()
    rhk = page.locator("article.rhk", has_text="Rekap kunjungan pasien tersusun")
    rhk.get_by_text("Intervensi RHK atasan: Laporan layanan primer tersusun").wait_for()
    rhk.get_by_text("Tambah IKI").click()
    adding = rhk.locator("details.iki-add")
    adding.get_by_label("Indikator kinerja individu").fill("Jumlah rekap bulanan")
    adding.get_by_label("Aspek").select_option(label="Kuantitas")
    adding.get_by_label("Angka target (atau batas bawah rentang)").fill("10")
    adding.get_by_label("Satuan").fill("laporan")
    adding.get_by_role("button", name="Simpan IKI").click()
    row = page.locator("article.rhk tr", has_text="Jumlah rekap bulanan")
    expect(row.locator("td[data-label='Target']")).to_have_text("10 laporan")
    # The IKI is edited in place: the target entered once, shown once.
    row.get_by_text("Ubah IKI").click()
    row.get_by_label("Angka target (atau batas bawah rentang)").fill("12")
    row.get_by_role("button", name="Simpan perubahan IKI").click()
    expect(
        page.locator("article.rhk tr", has_text="Jumlah rekap bulanan").locator(
            "td[data-label='Target']"
        )
    ).to_have_text("12 laporan")
    page.get_by_role("button", name="Ajukan ke pejabat penilai").click()
    expect(page.get_by_text("SKP diajukan kepada pejabat penilai.")).to_be_visible()
    assert page.locator("#skp-status").inner_text() == "Diajukan"
    _logout(page)

    # The superior returns it with a note.
    browser_login(world.kasi.nip)
    page.goto(f"{live_server.url}/skp/tim/")
    page.get_by_role("link", name="Tinjau Dewi Anggraini").click()
    expect(page.get_by_role("heading", name="RHK Anda (pejabat penilai)")).to_be_visible()
    page.get_by_label("Catatan pengembalian").fill("Tambahkan IKI waktu penyelesaian")
    page.get_by_role("button", name="Kembalikan ke pegawai").click()
    expect(page.get_by_text("SKP dikembalikan dengan catatan.")).to_be_visible()
    _logout(page)

    # The employee sees the note, adds the IKI and resubmits.
    browser_login(world.staff.nip)
    _open_my_skp(page, live_server)
    assert page.locator(".note-text").inner_text() == "Tambahkan IKI waktu penyelesaian"
    assert page.locator("#skp-status").inner_text() == "Dikembalikan"
    rhk = page.locator("article.rhk", has_text="Rekap kunjungan pasien tersusun")
    rhk.get_by_text("Tambah IKI").click()
    adding = rhk.locator("details.iki-add")
    adding.get_by_label("Indikator kinerja individu").fill("Rekap selesai")
    adding.get_by_label("Aspek").select_option(label="Waktu")
    adding.get_by_label("Atau uraian target kualitatif").fill(
        "paling lambat tanggal 5 bulan berikutnya"
    )
    adding.get_by_role("button", name="Simpan IKI").click()
    page.locator("article.rhk td", has_text="Rekap selesai").wait_for()
    page.get_by_role("button", name="Ajukan ke pejabat penilai").click()
    assert page.locator("#skp-status").inner_text() == "Diajukan"
    _logout(page)

    # The superior approves.
    browser_login(world.kasi.nip)
    page.goto(f"{live_server.url}/skp/tim/")
    page.get_by_role("link", name="Tinjau Dewi Anggraini").click()
    page.get_by_role("button", name="Setujui dan tetapkan").click()
    expect(page.get_by_text("SKP disetujui dan ditetapkan.")).to_be_visible()
    skp = Skp.objects.get(employee=world.staff, year=year)
    assert skp.status == "disetujui"
    version = SkpVersion.objects.get(skp=skp)

    # The PDF downloads; its verification page shows the same hash.
    page.goto(f"{live_server.url}/skp/{skp.pk}/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh PDF").click()
    path = tmp_path / "skp.pdf"
    info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    verify_url = f"{live_server.url}/skp/verifikasi/{version.token}/"
    pdftotext = shutil.which("pdftotext")
    if pdftotext:  # poppler-utils: read the printed hash and URL back from the PDF
        text = subprocess.run(  # noqa: S603 - fixed binary, our own file
            [pdftotext, str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        flat = re.sub(r"\s+", "", text)
        assert version.content_hash in flat
        assert re.sub(r"\s+", "", verify_url) in flat
        assert "Rekapkunjunganpasientersusun" in flat
    _logout(page)
    page.goto(verify_url)  # public: no login needed
    assert page.locator("#verify-hash").inner_text() == version.content_hash
    assert page.locator("#verify-version").inner_text() == "1"
