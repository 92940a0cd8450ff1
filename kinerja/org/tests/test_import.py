import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kinerja.audit.models import AuditEvent
from kinerja.jobs.models import Job
from kinerja.org.importing import apply, files, layout
from kinerja.org.models import (
    Employee,
    ImportRun,
    OrgUnit,
    Position,
    PositionAssignment,
    User,
)

pytestmark = pytest.mark.django_db

NIP_NEW = "199001012015031001"  # born 1990-01-01, TMT 2015-03, male, #001
NIP_NEW2 = "199102022016042002"
NIP_PPPK = "199203032022212003"

UNIT_HEAD = ["kode", "nama", "jenis", "kode_induk", "unit_mandiri"]
JABATAN_HEAD = ["kode", "nama", "jenis", "jenjang", "kode_unit", "kode_atasan", "kepala_unit"]
PEGAWAI_HEAD = [
    "nip",
    "nama",
    "gelar_depan",
    "gelar_belakang",
    "status",
    "golongan",
    "pangkat",
    "kode_jabatan",
    "kode_unit",
    "email",
    "telepon",
    "tmt_jabatan",
    "kata_sandi_awal",
]


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path


def unit_row(**kw):
    row = {"kode": "PKM-1", "nama": "Puskesmas Satu", "jenis": "puskesmas"}
    row.update(kode_induk="DINKES", unit_mandiri="tidak")
    row.update(kw)
    return [row.get(c, "") for c in UNIT_HEAD]


def jabatan_row(**kw):
    row = {"kode": "J-KAPKM", "nama": "Kepala Puskesmas", "jenis": "pengawas"}
    row.update(kode_unit="PKM-1", kode_atasan="J-KADINKES", kepala_unit="ya")
    row.update(kw)
    return [row.get(c, "") for c in JABATAN_HEAD]


def pegawai_row(**kw):
    row = {"nip": NIP_NEW, "nama": "Rina Marlina", "status": "PNS", "golongan": "III/c"}
    row.update(kode_jabatan="J-KAPKM", email="rina@example.org", tmt_jabatan="2026-02-01")
    row.update(kw)
    return [row.get(c, "") for c in PEGAWAI_HEAD]


def workbook(units=None, jabatan=None, pegawai=None, extra_sheets=()):
    wb = Workbook()
    wb.active.title = "Petunjuk"
    for title, head, rows in (
        ("Unit", UNIT_HEAD, units),
        ("Jabatan", JABATAN_HEAD, jabatan),
        ("Pegawai", PEGAWAI_HEAD, pegawai),
    ):
        if rows is None:
            continue
        sheet = wb.create_sheet(title)
        sheet.append(head)
        for row in rows:
            sheet.append(row)
    for title in extra_sheets:
        wb.create_sheet(title)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def good_workbook(**kw):
    return workbook(
        units=kw.get("units", [unit_row()]),
        jabatan=kw.get("jabatan", [jabatan_row()]),
        pegawai=kw.get("pegawai", [pegawai_row()]),
    )


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (OrgUnit, Position, Employee, User, PositionAssignment)
    }


def start(world, content, name="data.xlsx", csv_kind="", actor="admin"):
    upload = SimpleUploadedFile(name, content)
    return apply.import_start(
        actor=world.user(actor), agency=world.agency, upload=upload, csv_kind=csv_kind
    )


def run_import(world, content, **kw):
    run = start(world, content, **kw)
    assert run.status == ImportRun.Status.READY, run.errors
    run = apply.import_apply(actor=world.user("admin"), run=run)
    assert run.status == ImportRun.Status.APPLIED, run.job.error
    return run


def imports_left(settings):
    return list((settings.PRIVATE_ROOT / "imports").glob("*"))


# --- The happy path ------------------------------------------------------------------


def test_dry_run_then_apply_creates_everything(world, settings):
    before = counts()
    run = start(world, good_workbook())
    assert run.status == ImportRun.Status.READY
    assert counts() == before  # the dry run saves nothing
    assert run.preview["counts"] == {
        "unit": {"baru": 1, "berubah": 0, "tetap": 0},
        "jabatan": {"baru": 1, "berubah": 0, "tetap": 0},
        "pegawai": {"baru": 1, "berubah": 0, "tetap": 0},
    }
    assert run.preview["samples"]["pegawai"][0]["key"] == NIP_NEW

    run = apply.import_apply(actor=world.user("admin"), run=run)
    assert run.status == ImportRun.Status.APPLIED
    unit = OrgUnit.objects.get(agency=world.agency, code="PKM-1")
    assert unit.parent == world.units["dinkes"]
    assert unit.path == f"{world.units['dinkes'].path}{unit.pk}/"
    position = Position.objects.get(agency=world.agency, code="J-KAPKM")
    assert position.superior == world.positions["kadis"]
    assert position.path == f"{world.positions['kadis'].path}{position.pk}/"
    employee = Employee.objects.get(nip=NIP_NEW)
    assert (employee.name, employee.status, employee.golongan) == ("Rina Marlina", "pns", "III/c")
    assert (employee.gender, employee.birth_date) == ("L", dt.date(1990, 1, 1))
    assert employee.position == position and employee.unit == unit
    assert employee.user.username == NIP_NEW and employee.user.agency == world.agency
    assert not employee.user.has_usable_password()
    [assignment] = employee.assignments.all()
    assert (assignment.position, assignment.start, assignment.end) == (
        position,
        dt.date(2026, 2, 1),
        None,
    )
    event = AuditEvent.objects.get(action="org.employee.import_create")
    assert event.subject == employee and event.after["nip"] == NIP_NEW
    assert AuditEvent.objects.filter(action="org.import.apply").count() == 1
    assert imports_left(settings) == []  # the file is deleted once applied


def test_initial_password_only_for_new_accounts(world):
    password = "Sandi-Awal-Rina-2026"
    run_import(world, good_workbook(pegawai=[pegawai_row(kata_sandi_awal=password)]))
    user = User.objects.get(username=NIP_NEW)
    assert user.check_password(password)
    # Re-running with another password does not touch the existing account.
    run_import(world, good_workbook(pegawai=[pegawai_row(kata_sandi_awal="Sandi-Lain-9876-xyz")]))
    user.refresh_from_db()
    assert user.check_password(password)
    assert "Sandi-Awal" not in str(list(AuditEvent.objects.values_list("before", "after")))


def test_rerun_changes_nothing(world):
    content = good_workbook(pegawai=[pegawai_row(), pegawai_row(nip=NIP_NEW2, nama="Sari")])
    run_import(world, content)
    before = counts()
    events = AuditEvent.objects.count()
    rows = list(Employee.objects.order_by("pk").values())
    run = run_import(world, content)
    assert run.preview["counts"] == {
        "unit": {"baru": 0, "berubah": 0, "tetap": 1},
        "jabatan": {"baru": 0, "berubah": 0, "tetap": 1},
        "pegawai": {"baru": 0, "berubah": 0, "tetap": 2},
    }
    assert counts() == before
    assert list(Employee.objects.order_by("pk").values()) == rows
    new_events = AuditEvent.objects.order_by("pk")[events:]
    actions = [e.action for e in new_events]
    assert [a for a in actions if a.startswith(("org.employee", "org.unit", "org.position"))] == []
    assert actions.count("org.import.apply") == 1


def test_update_existing_employee(world):
    staff = world.staff
    row = pegawai_row(
        nip=staff.nip,
        nama="Dewi Anggraini",
        gelar_belakang="S.Kom.",
        golongan="III/c",
        kode_jabatan="J-PENGADM",
        email="",
        tmt_jabatan="",
    )
    run = run_import(world, workbook(pegawai=[row]))
    staff.refresh_from_db()
    assert (staff.back_title, staff.golongan) == ("S.Kom.", "III/c")
    assert staff.position == world.positions["staff"]
    assert staff.assignments.count() == 1  # same position: no move
    assert run.preview["counts"]["pegawai"] == {"baru": 0, "berubah": 1, "tetap": 0}
    event = AuditEvent.objects.get(action="org.employee.import_update")
    assert event.before["back_title"] == "" and event.after["back_title"] == "S.Kom."
    assert event.subject == staff


def test_mid_year_move_keeps_history(world):
    staff = world.staff
    row = pegawai_row(
        nip=staff.nip,
        nama="Dewi Anggraini",
        golongan="III/b",
        kode_jabatan="J-ANALIS",
        email="",
        tmt_jabatan="2026-07-01",
    )
    run_import(world, workbook(pegawai=[row]))
    staff.refresh_from_db()
    assert staff.position == world.positions["analis"]
    assert staff.unit == world.units["bkpsdm"]
    history = list(staff.assignments.order_by("start").values_list("position_id", "start", "end"))
    assert history == [
        (world.positions["staff"].pk, dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
        (world.positions["analis"].pk, dt.date(2026, 7, 1), None),
    ]


def test_move_before_current_start_is_an_error(world):
    row = pegawai_row(
        nip=world.staff.nip, nama="Dewi", kode_jabatan="J-ANALIS", tmt_jabatan="2025-12-01"
    )
    run = start(world, workbook(pegawai=[row]))
    assert run.status == ImportRun.Status.INVALID
    assert run.errors == [
        {
            "sheet": "Pegawai",
            "row": 2,
            "column": "tmt_jabatan",
            "message": "TMT jabatan baru (2025-12-01) harus sesudah TMT jabatan sekarang "
            "(2026-01-01).",
        }
    ]


def test_csv_of_employees_semicolon_cp1252(world):
    text = (
        ";".join(PEGAWAI_HEAD)
        + "\r\n"
        + ";".join(pegawai_row(nama="Rudi Hartónó", kode_jabatan="J-PENGADM", kode_unit=""))
    )
    run = run_import(world, text.encode("cp1252"), name="pegawai.csv", csv_kind="pegawai")
    employee = Employee.objects.get(nip=NIP_NEW)
    assert employee.name == "Rudi Hartónó"
    assert employee.unit == world.units["seksi"]  # defaults to the position's unit
    assert run.file_format == "csv"


def test_csv_utf8_bom_comma(world):
    text = ",".join(UNIT_HEAD) + "\n" + ",".join(unit_row(nama="Puskesmas Ñ")) + "\n"
    run_import(world, b"\xef\xbb\xbf" + text.encode(), name="unit.csv", csv_kind="unit")
    assert OrgUnit.objects.get(code="PKM-1").name == "Puskesmas Ñ"


# --- Bad rows: each its own message, row and column; nothing saved --------------------

BAD_ROWS = {
    "bad NIP": (
        {"pegawai": [pegawai_row(nip="12345")]},
        [("Pegawai", 2, "nip", "NIP harus 18 angka (tertulis 5 karakter).")],
    ),
    "bad NIP birth date": (
        {"pegawai": [pegawai_row(nip="199013012015031001")]},
        [("Pegawai", 2, "nip", "NIP: 8 angka pertama (19901301) bukan tanggal lahir yang sah.")],
    ),
    "NIP typed as a number": (
        {"pegawai": [pegawai_row(nip=199001012015031001.0)]},
        [
            (
                "Pegawai",
                2,
                "nip",
                "NIP tertulis sebagai angka sehingga digitnya hilang. "
                "Format kolom NIP sebagai Teks.",
            )
        ],
    ),
    "unknown unit": (
        {"pegawai": [pegawai_row(kode_unit="ANTAH")]},
        [("Pegawai", 2, "kode_unit", "Unit kerja dengan kode ANTAH tidak ditemukan.")],
    ),
    "unknown unit of a position": (
        {"jabatan": [jabatan_row(kode_unit="ANTAH")], "pegawai": []},
        [("Jabatan", 2, "kode_unit", "Unit kerja dengan kode ANTAH tidak ditemukan.")],
    ),
    "unknown position": (
        {"pegawai": [pegawai_row(kode_jabatan="J-ANTAH")]},
        [("Pegawai", 2, "kode_jabatan", "Jabatan dengan kode J-ANTAH tidak ditemukan.")],
    ),
    "duplicate NIP in file": (
        {"pegawai": [pegawai_row(), pegawai_row(nama="Rina Lain")]},
        [("Pegawai", 3, "nip", f"NIP {NIP_NEW} sudah muncul di baris 2.")],
    ),
    "duplicate unit code in file": (
        {"units": [unit_row(), unit_row(nama="Lagi")]},
        [("Unit", 3, "kode", "Kode unit PKM-1 sudah muncul di baris 2.")],
    ),
    "missing superior position": (
        {"jabatan": [jabatan_row(kode_atasan="J-ANTAH")]},
        [
            (
                "Jabatan",
                2,
                "kode_atasan",
                "Jabatan atasan dengan kode J-ANTAH tidak ada di berkas maupun di data instansi.",
            ),
            ("Pegawai", 2, "kode_jabatan", "Jabatan J-KAPKM ada di berkas tetapi barisnya salah."),
        ],
    ),
    "missing parent unit": (
        {"units": [unit_row(kode_induk="ANTAH")], "jabatan": [], "pegawai": []},
        [
            (
                "Unit",
                2,
                "kode_induk",
                "Unit induk dengan kode ANTAH tidak ada di berkas maupun di data instansi.",
            )
        ],
    ),
    "cycle of positions": (
        {
            "jabatan": [
                jabatan_row(kode_atasan="J-X"),
                jabatan_row(kode="J-X", nama="X", jenis="pelaksana", kode_atasan="J-KAPKM"),
            ],
            "pegawai": [],
        },
        [
            (
                "Jabatan",
                2,
                "kode_atasan",
                "Struktur melingkar: jabatan J-KAPKM menjadi atasan bagi dirinya sendiri.",
            ),
            (
                "Jabatan",
                3,
                "kode_atasan",
                "Struktur melingkar: jabatan J-X menjadi atasan bagi dirinya sendiri.",
            ),
        ],
    ),
    "cycle through an existing unit": (
        {
            "units": [
                unit_row(kode="DINKES", nama="Dinkes", jenis="dinas", kode_induk="DINKES-YAN")
            ],
            "jabatan": [],
            "pegawai": [],
        },
        [
            (
                "Unit",
                2,
                "kode_induk",
                "Struktur melingkar: unit DINKES menjadi induk bagi dirinya sendiri.",
            )
        ],
    ),
    "PNS with a PPPK NIP": (
        {"pegawai": [pegawai_row(nip=NIP_PPPK)]},
        [
            (
                "Pegawai",
                2,
                "status",
                "NIP ini berkode PPPK (bulan TMT 21) tetapi status tertulis PNS.",
            )
        ],
    ),
    "bad status": (
        {"pegawai": [pegawai_row(status="honorer")]},
        [("Pegawai", 2, "status", "Status harus PNS atau PPPK.")],
    ),
    "bad unit kind": (
        {"units": [unit_row(jenis="kerajaan")], "jabatan": [], "pegawai": []},
        [
            (
                "Unit",
                2,
                "jenis",
                'Jenis unit "kerajaan" tidak dikenal. Pilihan: '
                + layout.choices_text(OrgUnit.Kind.choices)
                + ".",
            )
        ],
    ),
    "fungsional without jenjang": (
        {"jabatan": [jabatan_row(jenis="fungsional")], "pegawai": []},
        [("Jabatan", 2, "jenjang", "Jabatan fungsional harus punya jenjang.")],
    ),
    "bad email": (
        {"pegawai": [pegawai_row(email="rina-at-example")]},
        [("Pegawai", 2, "email", "Alamat email tidak sah.")],
    ),
    "bad date": (
        {"pegawai": [pegawai_row(tmt_jabatan="31-02-2026")]},
        [("Pegawai", 2, "tmt_jabatan", "Tanggal tidak sah (contoh: 2026-07-01).")],
    ),
    "NIP of another agency": (
        {"pegawai": [pegawai_row(nip="OUTSIDER")]},
        [("Pegawai", 2, "nip", "NIP {outsider} sudah terdaftar di instansi lain.")],
    ),
    "weak initial password": (
        {"pegawai": [pegawai_row(kata_sandi_awal="pendek")]},
        [
            (
                "Pegawai",
                2,
                "kata_sandi_awal",
                "Kata sandi terlalu pendek. Harus mengandung setidaknya 12 karakter.",
            )
        ],
    ),
    "wrong headers": (
        {"units": [unit_row()], "jabatan": None, "pegawai": None, "unit_head": ["kode", "nama"]},
        [
            (
                "Unit",
                1,
                "",
                "Judul kolom salah (kolom wajib tidak ada: jenis). Gunakan templat.",
            )
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_bad_row_gives_its_own_error_and_saves_nothing(case, world, settings):
    sheets, expected = BAD_ROWS[case]
    outsider_nip = world.outsider.nip

    def fix(rows):
        return [[outsider_nip if v == "OUTSIDER" else v for v in r] for r in rows]

    kw = {k: fix(v) if v else v for k, v in sheets.items() if k != "unit_head"}
    if "unit_head" in sheets:
        wb = Workbook()
        sheet = wb.active
        sheet.title = "Unit"
        sheet.append(sheets["unit_head"])
        sheet.append(["PKM-1", "Puskesmas"])
        buffer = io.BytesIO()
        wb.save(buffer)
        content = buffer.getvalue()
    else:
        content = good_workbook(**kw)
    before = counts()
    events = AuditEvent.objects.filter(action__startswith="org.").exclude(
        action__startswith="org.import"
    )
    n_events = events.count()

    run = start(world, content)

    assert run.status == ImportRun.Status.INVALID
    got = [(e["sheet"], e["row"], e["column"], e["message"]) for e in run.errors]
    want = [(s, r, c, m.format(outsider=outsider_nip)) for s, r, c, m in expected]
    assert got == want
    assert run.error_count == len(expected)
    assert counts() == before
    assert events.count() == n_events
    assert imports_left(settings) == []  # an invalid file is not kept
    with pytest.raises(Exception, match="tidak dalam keadaan siap"):
        apply.import_apply(actor=world.user("admin"), run=run)
    assert counts() == before


# --- Bad files: refused before anything is stored ------------------------------------


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _zip_bomb():
    """A valid-looking .xlsx whose sheet inflates from ~200 KB to 200 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(200):
                member.write(block)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64

BAD_FILES = {
    "empty file": ("data.xlsx", b"", "Berkas kosong (0 byte)."),
    "empty csv": ("data.csv", b"", "Berkas kosong (0 byte)."),
    "wrong file type": (
        "laporan.pdf",
        PDF,
        "Jenis berkas tidak didukung (.pdf). Unggah berkas .xlsx atau .csv.",
    ),
    "old excel": (
        "data.xls",
        b"\xd0\xcf\x11\xe0" + b"\0" * 100,
        "Format .xls (Excel lama) tidak didukung. Simpan ulang sebagai .xlsx.",
    ),
    "pdf renamed xlsx": (
        "data.xlsx",
        PDF,
        "Berkas ini bukan .xlsx yang sah: isinya bukan arsip Excel.",
    ),
    "png renamed csv": (
        "data.csv",
        PNG,
        "Berkas .csv ini bukan teks (isinya png). Simpan ulang sebagai CSV.",
    ),
    "zip that is not a spreadsheet": (
        "data.xlsx",
        _zip({"word/document.xml": "<w/>", "[Content_Types].xml": "<Types/>"}),
        "Berkas ini bukan spreadsheet Excel: bagian xl/workbook.xml tidak ada.",
    ),
    "zip bomb": (
        "data.xlsx",
        None,  # built lazily
        "Berkas .xlsx ini ditolak: isinya membengkak terlalu besar saat dibuka "
        "(kemungkinan zip bomb).",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_is_refused_and_nothing_is_stored(case, world, settings):
    name, content, message = BAD_FILES[case]
    if content is None:
        content = _zip_bomb()
        assert len(content) < 1_000_000
    before = counts()
    with pytest.raises(files.FileRejected) as info:
        start(world, content, name=name, csv_kind="pegawai")
    assert info.value.messages == [message]
    assert ImportRun.objects.count() == 0
    assert Job.objects.count() == 0
    assert counts() == before
    assert imports_left(settings) == []


def test_too_big_file(world, settings):
    settings.IMPORT_MAX_BYTES = 1000
    with pytest.raises(files.FileRejected, match="terlalu besar"):
        start(world, b"x" * 1001, name="data.csv", csv_kind="pegawai")
    assert ImportRun.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "data.xlsx",
            workbook(units=[], jabatan=[], pegawai=[]),
            "Berkas tidak berisi baris data (hanya judul kolom atau kosong).",
        ),
        (
            "data.xlsx",
            workbook(extra_sheets=["Lembar1"]),
            "Berkas tidak berisi lembar Unit, Jabatan, atau Pegawai. Gunakan templat.",
        ),
        (
            "data.csv",
            b"nip;nama;status;kode_jabatan\r\n;;;\r\n",
            "Berkas tidak berisi baris data (hanya judul kolom atau kosong).",
        ),
        ("data.csv", b"\r\n  \r\n", "Berkas kosong (tidak ada isi)."),
        (
            "data.csv",
            b"\x81\x8d\x8f\x90\x9d" * 3,
            'Berkas .csv tidak bisa dibaca. Simpan sebagai "CSV UTF-8".',
        ),
    ],
)
def test_file_without_data_is_invalid(name, content, message, world, settings):
    before = counts()
    run = start(world, content, name=name, csv_kind="pegawai")
    assert run.status == ImportRun.Status.INVALID
    assert run.errors == [{"sheet": "", "row": 0, "column": "", "message": message}]
    assert counts() == before
    assert imports_left(settings) == []


def test_csv_needs_its_kind(world, settings):
    with pytest.raises(Exception, match="pilih isinya"):
        start(world, b"nip\n1\n", name="data.csv", csv_kind="")
    assert imports_left(settings) == []


# --- All or nothing --------------------------------------------------------------------


def test_failure_while_writing_saves_nothing(world, monkeypatch):
    before = counts()
    run = start(world, good_workbook())

    def boom(events):
        raise RuntimeError("disk full")

    monkeypatch.setattr(apply, "bulk_record", boom)
    run = apply.import_apply(actor=world.user("admin"), run=run)
    assert run.status == ImportRun.Status.FAILED
    assert run.job.status == Job.Status.FAILED
    assert counts() == before


def test_data_changed_since_dry_run(world):
    run = start(world, good_workbook())
    Position.objects.filter(code="J-KADINKES").update(code="J-KADINKES-LAMA")
    run = apply.import_apply(actor=world.user("admin"), run=run)
    assert run.status == ImportRun.Status.INVALID
    assert run.errors[0]["column"] == "kode_atasan"
    assert "Data berubah sejak uji coba" in run.job.error
    assert not OrgUnit.objects.filter(code="PKM-1").exists()


def test_apply_job_is_idempotent(world):
    run = run_import(world, good_workbook())
    before = counts()
    job = Job.objects.create(
        agency=world.agency, kind="org.import.apply", params={"run": run.pk}, status="queued"
    )
    from kinerja.jobs.services import run as run_job

    run_job(job.pk)
    assert counts() == before


# --- Pages -----------------------------------------------------------------------------


def test_admin_uploads_previews_and_applies(world, login, settings):
    client = login(world.user("admin"))
    assert client.get(reverse("org:import")).status_code == 200
    upload = SimpleUploadedFile("data.xlsx", good_workbook())
    response = client.post(reverse("org:import"), {"file": upload, "csv_kind": ""})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "org:import_detail", args=[run.pk]
    )
    body = client.get(response.url).content.decode()
    assert "Siap diterapkan" in body and "Terapkan" in body
    response = client.post(reverse("org:import_apply", args=[run.pk]))
    assert response.status_code == 302
    body = client.get(response.url).content.decode()
    assert "Sudah diterapkan" in body
    assert Employee.objects.filter(nip=NIP_NEW, agency=world.agency).exists()


def test_page_shows_errors_with_row_and_column(world, login):
    client = login(world.user("admin"))
    upload = SimpleUploadedFile("data.xlsx", good_workbook(pegawai=[pegawai_row(nip="123")]))
    response = client.post(reverse("org:import"), {"file": upload})
    body = client.get(response.url).content.decode()
    assert "Ada 1 kesalahan" in body
    assert "NIP harus 18 angka (tertulis 3 karakter)." in body
    run = ImportRun.objects.get()
    csv_body = client.get(reverse("org:import_errors", args=[run.pk])).content.decode("utf-8-sig")
    assert csv_body.splitlines()[1] == "Pegawai;2;nip;NIP harus 18 angka (tertulis 3 karakter)."
    # htmx polling gets the partial only
    partial = client.get(reverse("org:import_detail", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"import-status" in partial.content


def test_page_refuses_bad_file_with_message(world, login):
    client = login(world.user("admin"))
    upload = SimpleUploadedFile("data.pdf", PDF)
    response = client.post(reverse("org:import"), {"file": upload})
    assert response.status_code == 400
    assert "Jenis berkas tidak didukung (.pdf)" in response.content.decode()
    assert ImportRun.objects.count() == 0


def test_template_download(world, login):
    client = login(world.user("admin"))
    response = client.get(reverse("org:import_template"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Petunjuk", "Unit", "Jabatan", "Pegawai"]
    assert [c.value for c in wb["Pegawai"][1]] == PEGAWAI_HEAD
    assert [c.value for c in wb["Jabatan"][1]] == JABATAN_HEAD
    guide = [row for row in wb["Petunjuk"].iter_rows(values_only=True)]
    assert ("Pegawai", "nip", "ya", "NIP 18 angka, ditulis sebagai teks.", "") in [
        tuple(v or "" for v in r) for r in guide
    ]


def test_template_roundtrip_is_importable(world, login):
    """Filling the downloaded template gives a valid import."""
    wb = layout.template_workbook()
    wb["Unit"].append(unit_row())
    wb["Jabatan"].append(jabatan_row())
    wb["Pegawai"].append(pegawai_row())
    buffer = io.BytesIO()
    wb.save(buffer)
    run = start(world, buffer.getvalue())
    assert run.status == ImportRun.Status.READY, run.errors


@pytest.mark.parametrize("who", ["staff", "kaban", "kasi"])
def test_non_admin_gets_404(world, login, who):
    run = start(world, good_workbook())
    client = login(world.user(who))
    for url in (
        reverse("org:import"),
        reverse("org:import_template"),
        reverse("org:import_detail", args=[run.pk]),
        reverse("org:import_errors", args=[run.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("org:import_apply", args=[run.pk])).status_code == 404
    upload = SimpleUploadedFile("data.xlsx", good_workbook())
    assert client.post(reverse("org:import"), {"file": upload}).status_code == 404
    run.refresh_from_db()
    assert run.status == ImportRun.Status.READY
    assert AuditEvent.objects.filter(outcome="denied", actor=world.user(who)).count() == 6


def test_outsider_admin_gets_404(world, login):
    run = start(world, good_workbook())
    client = login(world.user("outsider_admin"))
    assert client.get(reverse("org:import")).status_code == 200  # their own agency's page
    assert client.get(reverse("org:import_detail", args=[run.pk])).status_code == 404
    assert client.get(reverse("org:import_errors", args=[run.pk])).status_code == 404
    assert client.post(reverse("org:import_apply", args=[run.pk])).status_code == 404
    run.refresh_from_db()
    assert run.status == ImportRun.Status.READY
    body = client.get(reverse("org:import")).content.decode()
    assert "data.xlsx" not in body  # the other agency's runs are not listed


def test_import_is_scoped_to_the_agency(world):
    """A file naming another agency's unit codes does not touch that agency."""
    row = jabatan_row(kode="J-BARU", kode_unit="DISDIK", kode_atasan="")
    run = start(world, workbook(jabatan=[row]))
    assert run.errors[0]["message"] == "Unit kerja dengan kode DISDIK tidak ditemukan."


def test_error_report_neutralises_formulas(world, login):
    run = start(world, workbook(pegawai=[pegawai_row(nip="123")]))
    client = login(world.user("admin"))
    run.errors = [{"sheet": "Unit", "row": 2, "column": "jenis", "message": "=1+1"}]
    run.save()
    body = client.get(reverse("org:import_errors", args=[run.pk])).content.decode("utf-8-sig")
    assert body.splitlines()[1] == "Unit;2;jenis;'=1+1"


def test_crash_in_dry_run_marks_the_run_failed(world, monkeypatch, settings):
    def boom(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(apply, "build_plan", boom)
    run = start(world, good_workbook())
    assert run.status == ImportRun.Status.FAILED
    assert run.job.status == Job.Status.FAILED
    assert imports_left(settings) == []
