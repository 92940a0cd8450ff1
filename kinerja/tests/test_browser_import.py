"""End to end: admin BKD imports an .xlsx with a new employee, who then logs
in; the other agency's admin cannot open that employee's page."""

import io

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from kinerja.org.models import Employee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NIP = "199001012015031001"
PASSWORD = "Sandi-Rina-Impor-2026"
PEGAWAI_HEAD = ["nip", "nama", "status", "golongan", "kode_jabatan", "email", "kata_sandi_awal"]


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path


def _workbook(path):
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Pegawai"
    sheet.append(PEGAWAI_HEAD)
    sheet.append([NIP, "Rina Marlina", "PNS", "III/a", "J-PENGADM", "rina@example.org", PASSWORD])
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def _logout(page):
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/masuk/**")


def test_admin_imports_employee_who_then_logs_in(world, browser_login, live_server, tmp_path):
    page = browser_login(world.admin.nip)
    page.get_by_role("link", name="Impor data").click()
    page.get_by_label("Berkas (.xlsx atau .csv)").set_input_files(_workbook(tmp_path / "baru.xlsx"))
    page.get_by_role("button", name="Unggah dan periksa").click()
    assert page.locator("#import-state").inner_text() == "Siap diterapkan"
    counts = page.locator("#import-counts").inner_text()
    assert "Pegawai\t1\t0\t0" in counts
    page.get_by_role("button", name="Terapkan").click()
    assert page.locator("#import-state").inner_text() == "Sudah diterapkan"

    # The org chart counts her in her unit; the unit's list shows her.
    page.get_by_role("link", name="Lihat struktur organisasi").click()
    page.get_by_label("Cari unit").fill("Seksi Layanan Primer")
    page.get_by_role("button", name="Cari").click()
    seksi = page.locator("li", has_text="Seksi Layanan Primer").last
    seksi.get_by_role("link", name="4 pegawai").click()
    expect(page.get_by_role("link", name="Rina Marlina")).to_be_visible()
    _logout(page)

    # The new employee logs in with the initial password and sees her profile.
    browser_login(NIP, PASSWORD)
    page.get_by_role("link", name="Profil saya").first.click()
    expect(page.get_by_role("heading", name="Profil saya")).to_be_visible()
    expect(page.get_by_text("Rina Marlina").first).to_be_visible()
    _logout(page)

    # Another agency's admin: 404 on her page.
    employee = Employee.objects.get(nip=NIP)
    browser_login(world.outsider_admin.nip)
    response = page.goto(f"{live_server.url}/org/pegawai/{employee.pk}/")
    assert response.status == 404
