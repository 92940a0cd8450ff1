"""Benchmark: importing 20,000 employees (plus their units and positions, in
the same workbook) into a fresh synthetic agency, dry run and apply, with the
jobs run inline (eager) as a background worker would run them.

`run(report)` is discovered by `manage.py bench`; `report(name, value, unit)`.
Standalone: `DATABASE_URL=... python -m kinerja.org.importing.bench` after migrate.
The target (issue): dry run + apply of 20,000 rows under 60 s.
"""

import datetime as dt
import io
import secrets
import tempfile
import time

EMPLOYEES = 20_000
OPDS = 20
BIDANG_PER_OPD = 4
STAFF_POSITIONS_PER_BIDANG = 3


def _nip(agency_pk, i):
    # Unique per agency: the birth-date window depends on the agency's id.
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=(agency_pk % 300) * 45 + i // 500)
    tmt_year = birth.year + 25
    month = 1 + i % 12
    return f"{birth:%Y%m%d}{tmt_year:04d}{month:02d}{1 + i % 2}{i % 500 + 1:03d}"


def build_workbook(agency_pk, employees=EMPLOYEES):
    from openpyxl import Workbook

    from .layout import COLUMNS, JABATAN, PEGAWAI, UNIT

    wb = Workbook(write_only=True)
    units = wb.create_sheet("Unit")
    positions = wb.create_sheet("Jabatan")
    people = wb.create_sheet("Pegawai")
    units.append([c.name for c in COLUMNS[UNIT]])
    positions.append([c.name for c in COLUMNS[JABATAN]])
    people.append([c.name for c in COLUMNS[PEGAWAI]])
    units.append(["SETDA", "Sekretariat Daerah", "sekretariat", "", "tidak"])
    positions.append(["J-SEKDA", "Sekretaris Daerah", "jpt_pratama", "", "SETDA", "", "ya"])
    staff_positions = []
    for o in range(OPDS):
        opd = f"OPD-{o:02d}"
        units.append([opd, f"Dinas {o}", "dinas", "SETDA", "ya"])
        head = f"J-{opd}"
        positions.append([head, f"Kepala Dinas {o}", "jpt_pratama", "", opd, "J-SEKDA", "ya"])
        for b in range(BIDANG_PER_OPD):
            bidang = f"{opd}-B{b}"
            units.append([bidang, f"Bidang {o}.{b}", "bidang", opd, "tidak"])
            kabid = f"J-{bidang}"
            positions.append(
                [kabid, f"Kepala Bidang {o}.{b}", "administrator", "", bidang, head, "ya"]
            )
            for s in range(STAFF_POSITIONS_PER_BIDANG):
                code = f"J-{bidang}-S{s}"
                if s == 0:
                    row = [code, "Perawat", "fungsional", "ahli_pertama", bidang, kabid, "tidak"]
                else:
                    row = [code, f"Pengadministrasi {s}", "pelaksana", "", bidang, kabid, "tidak"]
                positions.append(row)
                staff_positions.append(code)
    for i in range(employees):
        pppk = i % 10 == 9
        nip = _nip(agency_pk, i)
        if pppk:
            nip = nip[:12] + "21" + nip[14:]
        people.append(
            [
                nip,
                f"Pegawai {i}",
                "",
                "S.Kom." if i % 3 == 0 else "",
                "PPPK" if pppk else "PNS",
                "IX" if pppk else "III/b",
                "" if pppk else "Penata Muda Tingkat I",
                staff_positions[i % len(staff_positions)],
                "",
                f"pegawai{i}@example.org",
                "",
                "2026-01-02",
                "",
            ]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def run(report, employees=EMPLOYEES):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import override_settings

    from ..models import Agency, Employee, ImportRun, RoleGrant, User
    from .apply import import_apply, import_start

    suffix = secrets.token_hex(4)
    agency = Agency.objects.create(
        name=f"Bench import {suffix}", code=f"bench-import-{suffix}", kind="kabupaten"
    )
    admin = User.objects.create_user(username=f"bench-admin-{suffix}", agency=agency)
    RoleGrant.objects.create(agency=agency, user=admin, role=RoleGrant.Role.ADMIN_BKD)
    content = build_workbook(agency.pk, employees)
    report("import.file_size", round(len(content) / 1048576, 2), "MB")
    with (
        tempfile.TemporaryDirectory() as private_root,
        override_settings(JOBS_BACKEND="eager", PRIVATE_ROOT=private_root),
    ):
        timings = {}
        for attempt in ("first", "rerun"):
            upload = SimpleUploadedFile("bench.xlsx", content)
            c0, t0 = time.process_time(), time.perf_counter()
            run_ = import_start(actor=admin, agency=agency, upload=upload)
            t1 = time.perf_counter()
            if run_.status != ImportRun.Status.READY:
                raise RuntimeError(f"bench import invalid: {run_.errors[:5]}")
            run_ = import_apply(actor=admin, run=run_)
            t2, c2 = time.perf_counter(), time.process_time()
            if run_.status != ImportRun.Status.APPLIED:
                raise RuntimeError(f"bench import failed: {run_.job and run_.job.error}")
            timings[attempt] = (t1 - t0, t2 - t1, c2 - c0)
    rows = employees + 1 + OPDS * (1 + BIDANG_PER_OPD)
    dry, apply, cpu = timings["first"]
    report(f"import.{employees}.dry_run", round(dry, 2), "s")
    report(f"import.{employees}.apply", round(apply, 2), "s")
    report(f"import.{employees}.total", round(dry + apply, 2), "s")
    # CPU of this process only (with SQLite that includes the database).
    report(f"import.{employees}.total_cpu", round(cpu, 2), "s")
    report(f"import.{employees}.rows_per_second", round(rows / (dry + apply)), "rows/s")
    dry, apply, cpu = timings["rerun"]
    report(f"import.{employees}.rerun_unchanged_total", round(dry + apply, 2), "s")
    assert Employee.objects.filter(agency=agency).count() == employees


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")
    django.setup()
    run(lambda name, value, unit: print(f"{name:40} {value:>10} {unit}"))
