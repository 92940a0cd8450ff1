"""Imports, issue 11: every error of a row is reported at once (not only the
first); the import history names the uploader; admin BKD sees and exports the
unit and position codes an import needs; the API starts dry runs and applies."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.audit.models import AuditEvent
from kinerja.org.models import Employee, ImportRun, OrgUnit, Position

from .test_import import (
    NIP_NEW,
    good_workbook,
    jabatan_row,
    pegawai_row,
    start,
    unit_row,
    workbook,
)
from .test_query_counts import count_queries, grow

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path


def _errors(run):
    return [(e["sheet"], e["row"], e["column"], e["message"]) for e in run.errors]


def test_every_error_of_an_employee_row_is_reported(world):
    run = start(
        world,
        good_workbook(
            pegawai=[
                pegawai_row(
                    nip="123",
                    nama="",
                    status="ASN",
                    kode_jabatan="J-TIDAK-ADA",
                    email="bukan-email",
                    telepon="x",
                    tmt_jabatan="31-31-2026",
                )
            ]
        ),
    )
    assert run.status == ImportRun.Status.INVALID
    assert _errors(run) == [
        ("Pegawai", 2, "nip", "NIP harus 18 angka (tertulis 3 karakter)."),
        ("Pegawai", 2, "nama", "Wajib diisi."),
        ("Pegawai", 2, "status", "Status harus PNS atau PPPK."),
        ("Pegawai", 2, "kode_jabatan", "Jabatan dengan kode J-TIDAK-ADA tidak ditemukan."),
        ("Pegawai", 2, "email", "Alamat email tidak sah."),
        ("Pegawai", 2, "telepon", "Nomor telepon tidak sah."),
        ("Pegawai", 2, "tmt_jabatan", "Tanggal tidak sah (contoh: 2026-07-01)."),
    ]


def test_every_error_of_a_unit_and_a_position_row_is_reported(world):
    run = start(
        world,
        workbook(
            units=[
                unit_row(kode="", nama="", jenis="planet", kode_induk="ENTAH", unit_mandiri="?")
            ],
            jabatan=[
                jabatan_row(
                    kode="J-KADINKES",  # repeated below
                ),
                jabatan_row(
                    kode="J-KADINKES",
                    jenis="raja",
                    kode_unit="",
                    kode_atasan="J-ENTAH",
                    kepala_unit="mungkin",
                ),
            ],
        ),
    )
    errors = _errors(run)
    assert [e[2] for e in errors if e[0] == "Unit"] == [
        "kode",
        "nama",
        "jenis",
        "unit_mandiri",
        "kode_induk",
    ]
    messages = {e[2]: e[3] for e in errors if e[0] == "Unit"}
    assert messages["kode"] == "Wajib diisi."
    assert messages["jenis"].startswith('Jenis unit "planet" tidak dikenal. Pilihan: ')
    assert messages["kode_induk"] == (
        "Unit induk dengan kode ENTAH tidak ada di berkas maupun di data instansi."
    )
    third = [e[2] for e in errors if e[0] == "Jabatan" and e[1] == 3]
    assert third == ["kode", "jenis", "kode_unit", "kepala_unit", "kode_atasan"]


def test_a_good_file_still_applies(world):
    run = start(world, good_workbook())
    assert run.status == ImportRun.Status.READY, run.errors
    assert run.preview["counts"]["pegawai"]["baru"] == 1
    assert NIP_NEW


# --- the uploader's name ------------------------------------------------------------------


def test_history_and_detail_show_the_uploaders_name(world, login):
    run = start(world, good_workbook())
    client = login(world.user("admin"))
    page = client.get(reverse("org:import")).content.decode()
    assert f"Gita Permata <small>({world.admin.nip})</small>" in page
    page = client.get(reverse("org:import_detail", args=[run.pk])).content.decode()
    assert "Gita Permata" in page


# --- the codes an import needs ------------------------------------------------------------


def test_admin_sees_unit_and_position_codes(world, login):
    client = login(world.user("admin"))
    page = client.get(reverse("org:import_codes")).content.decode()
    assert "5 kode" in page
    assert '<code>DINKES-YAN-1</code></td><td data-label="nama">Seksi Layanan Primer' in page
    assert '<td data-label="kode_induk">DINKES-YAN</td>' in page
    page = client.get(reverse("org:import_codes"), {"jenis": "jabatan", "q": "perawat"})
    page = page.content.decode()
    assert "1 kode" in page
    assert "<code>J-PERAWAT</code>" in page
    assert '<td data-label="kode_atasan">J-KABID</td>' in page


def test_codes_export_xlsx_is_the_import_layout_and_formula_safe(world, login):
    OrgUnit.objects.filter(pk=world.units["seksi"].pk).update(name="=HYPERLINK(1)")
    client = login(world.user("admin"))
    response = client.get(reverse("org:import_codes"), {"format": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="kode-unit-jabatan.xlsx"'
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Unit", "Jabatan"]
    units = [tuple(r) for r in wb["Unit"].iter_rows(values_only=True)]
    assert units[0] == ("kode", "nama", "jenis", "kode_induk", "unit_mandiri")
    assert ("DINKES-YAN-1", "'=HYPERLINK(1)", "seksi", "DINKES-YAN", "tidak") in units
    assert len(units) == 1 + 5
    jabatan = [tuple(r) for r in wb["Jabatan"].iter_rows(values_only=True)]
    assert (
        "J-PERAWAT",
        "Perawat Ahli Pertama",
        "fungsional",
        "ahli_pertama",
        "DINKES-YAN",
        "J-KABID",
        "tidak",
    ) in jabatan
    assert len(jabatan) == 1 + 8
    event = AuditEvent.objects.get(action="org.import.codes_export")
    assert event.after == {"format": "xlsx", "kind": "unit+jabatan"}


def test_codes_export_csv(world, login):
    client = login(world.user("admin"))
    response = client.get(reverse("org:import_codes"), {"format": "csv", "jenis": "unit"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "kode;nama;jenis;kode_induk;unit_mandiri"
    assert "BKPSDM;BKPSDM;badan;SETDA;ya" in lines


def test_codes_exported_reimport_without_errors(world, login):
    client = login(world.user("admin"))
    content = client.get(reverse("org:import_codes"), {"format": "xlsx"}).content
    run = start(world, content)
    assert run.status == ImportRun.Status.READY, run.errors
    assert run.preview["counts"]["unit"] == {"baru": 0, "berubah": 0, "tetap": 5}
    assert run.preview["counts"]["jabatan"] == {"baru": 0, "berubah": 0, "tetap": 8}


def test_codes_page_is_admin_bkds_only_and_of_their_own_agency(world, login):
    client = login(world.user("kasi"))
    assert client.get(reverse("org:import_codes")).status_code == 404
    assert client.get(reverse("org:import_codes"), {"format": "csv"}).status_code == 404
    client = login(world.user("outsider_admin"))
    page = client.get(reverse("org:import_codes")).content.decode()
    assert "<code>DISDIK</code>" in page
    assert "DINKES" not in page
    lines = client.get(reverse("org:import_codes"), {"format": "csv"}).content.decode()
    assert "DINKES" not in lines and "DISDIK;Dinas Pendidikan" in lines


def test_codes_page_runs_the_same_queries_at_two_sizes(world, login):
    counts = []
    for total in (10, 1000):
        grow(world, total)
        n, response = count_queries(
            login(world.user("admin")), reverse("org:import_codes"), {"jenis": "jabatan"}
        )
        shown = response.content.decode().count('<td data-label="kode">')
        assert shown == min(Position.objects.filter(agency=world.agency).count(), 50)
        counts.append(n)
    assert counts[0] == counts[1], counts


# --- the API ------------------------------------------------------------------------------


def _upload(client, content, name="data.xlsx", **extra):
    return client.post(
        "/api/imports/", {"file": SimpleUploadedFile(name, content), **extra}, format="multipart"
    )


def test_api_dry_run_then_apply(world, login):
    client = login(world.user("admin"))
    response = _upload(client, good_workbook())
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "ready"
    assert data["uploaded_by"] == "Gita Permata"
    assert data["preview"]["counts"]["pegawai"] == {"baru": 1, "berubah": 0, "tetap": 0}
    assert data["job_status"] == "done"
    response = client.post(f"/api/imports/{data['id']}/apply/")
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "applied"
    assert Employee.objects.filter(nip=NIP_NEW, agency=world.agency).exists()
    listed = client.get("/api/imports/").json()["results"]
    assert [r["id"] for r in listed] == [data["id"]]


def test_api_reports_every_error_and_refuses_to_apply(world, login):
    client = login(world.user("admin"))
    data = _upload(client, good_workbook(pegawai=[pegawai_row(nip="123", nama="")])).json()
    assert data["status"] == "invalid"
    assert [(e["column"], e["message"]) for e in data["errors"]] == [
        ("nip", "NIP harus 18 angka (tertulis 3 karakter)."),
        ("nama", "Wajib diisi."),
    ]
    response = client.post(f"/api/imports/{data['id']}/apply/")
    assert response.status_code == 400
    assert response.json() == {"detail": ["Impor ini tidak dalam keadaan siap diterapkan."]}


def test_api_refuses_a_bad_file_and_a_csv_without_its_kind(world, login):
    client = login(world.user("admin"))
    response = _upload(client, b"nip;nama\n", name="data.csv")
    assert response.status_code == 400
    assert response.json() == {
        "detail": ["Untuk berkas .csv, pilih isinya: unit kerja, jabatan, atau pegawai."]
    }
    assert not ImportRun.objects.exists()


def test_api_is_admin_bkds_only(world, login):
    run = start(world, good_workbook())
    client = login(world.user("kasi"))
    response = _upload(client, good_workbook())
    assert response.status_code == 403
    assert response.json() == {"detail": "Hanya admin BKD yang dapat mengimpor data."}
    assert client.get("/api/imports/").json()["results"] == []
    assert client.get(f"/api/imports/{run.pk}/").status_code == 404
    client = login(world.user("outsider_admin"))
    assert client.get(f"/api/imports/{run.pk}/").status_code == 404
    assert client.post(f"/api/imports/{run.pk}/apply/").status_code == 404
    assert ImportRun.objects.get().status == ImportRun.Status.READY
