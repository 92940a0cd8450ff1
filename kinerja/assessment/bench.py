"""Assessment benchmarks: the agency's annual close (set-based job) for a large
agency, its idempotent re-run, and opening the calibration of a 2,000-employee unit.

BENCH_EMPLOYEES (default 20000) sets the agency's size. The data is built with
bulk_create: units, employees, an open year (annual source "last_period") with
its periods, one approved SKP each, and a finalised Triwulan IV evaluation for
95% of them (the rest stay without a predikat, as in real life)."""

import datetime as dt
import itertools
import os

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.bench import timer
from kinerja.jobs.models import Job
from kinerja.jobs.services import run as run_job
from kinerja.org import mfa
from kinerja.org.models import Agency, Employee, OrgUnit, RoleGrant, User
from kinerja.org.services import rebuild_paths
from kinerja.planning.models import PerformanceYear, Period, Skp
from kinerja.rules import planning as planning_rules

from . import services
from .models import Evaluation, OrgPerformance

EMPLOYEES = int(os.environ.get("BENCH_EMPLOYEES", "20000"))
UNIT_SIZE = 2000
RATINGS = ("di_atas", "sesuai", "sesuai", "sesuai", "di_bawah")


def _build(employees):
    agency = Agency.objects.create(name="Bench penilaian", code="bench-assess", kind="kota")
    root = OrgUnit.objects.create(
        agency=agency, code="ROOT", name="Sekretariat", kind="sekretariat"
    )
    n_units = max(employees // UNIT_SIZE, 1)
    units = OrgUnit.objects.bulk_create(
        [
            OrgUnit(agency=agency, code=f"U{i}", name=f"Dinas {i}", kind="dinas", parent=root)
            for i in range(n_units)
        ]
    )
    units = list(OrgUnit.objects.filter(agency=agency, parent=root).order_by("code"))
    rebuild_paths(agency)
    people = Employee.objects.bulk_create(
        [
            Employee(
                agency=agency,
                nip=f"{800000000000000000 + i}",
                name=f"Pegawai {i:05d}",
                status="pns",
                gender="L",
                birth_date=dt.date(1990, 1, 1),
                unit=units[i % n_units],
            )
            for i in range(employees)
        ],
        batch_size=2000,
    )
    people = list(
        Employee.objects.filter(agency=agency).order_by("pk").values_list("pk", "unit_id")
    )
    year = PerformanceYear.objects.create(
        agency=agency,
        year=2026,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        frequency=planning_rules.QUARTERLY,
        annual_source=planning_rules.LAST_PERIOD,
        skp_deadline=dt.date(2026, 1, 31),
        annual_deadline=dt.date(2027, 1, 31),
        status=PerformanceYear.Status.OPEN,
    )
    for spec in planning_rules.generate_periods(2026, year.frequency, year.annual_source):
        Period.objects.create(
            agency=agency,
            year=year,
            number=spec.number,
            label=spec.label,
            start=spec.start,
            end=spec.end,
            window_start=spec.end - dt.timedelta(days=6),
            window_end=spec.end + dt.timedelta(days=20),
        )
    q4 = Period.objects.get(year=year, number=4)
    Skp.objects.bulk_create(
        [
            Skp(
                agency=agency,
                year=year,
                employee_id=pk,
                unit_id=unit_id,
                form="non_jpt",
                approach="kuantitatif",
                status=Skp.Status.DISETUJUI,
                valid_from=year.start,
            )
            for pk, unit_id in people
        ],
        batch_size=2000,
    )
    skps = list(Skp.objects.filter(year=year).values_list("pk", "employee_id", "unit_id"))
    cycle = itertools.cycle(itertools.product(RATINGS, RATINGS))
    Evaluation.objects.bulk_create(
        [
            Evaluation(
                agency=agency,
                year=year,
                skp_id=skp_id,
                period=q4,
                employee_id=employee_id,
                unit_id=unit_id,
                hasil=hasil,
                perilaku=perilaku,
                org_grade="baik",
                status=Evaluation.Status.FINALISED,
            )
            for (skp_id, employee_id, unit_id), (hasil, perilaku) in zip(skps, cycle, strict=False)
            if employee_id % 20  # 5% have no periodic result
        ],
        batch_size=2000,
    )
    OrgPerformance.objects.bulk_create(
        [OrgPerformance(agency=agency, unit=u, year=year, grade="baik") for u in units]
    )
    admin = User(username="bench-assess-admin", agency=agency)
    admin.set_unusable_password()
    admin.save()
    RoleGrant.objects.create(agency=agency, user=admin, role=RoleGrant.Role.ADMIN_BKD)
    return agency, year, units, admin


def _close(agency, year, admin):
    job = Job.objects.create(
        kind="assessment.annual_close", agency=agency, created_by=admin, params={"year": year.pk}
    )
    run_job(job.pk)
    job.refresh_from_db()
    if job.status != Job.Status.DONE:
        raise RuntimeError(job.error)
    return job.result


def run(report, *, employees=None):
    employees = employees or EMPLOYEES
    with timer() as elapsed:
        agency, year, units, admin = _build(employees)
    report(f"assessment.build_{employees}", elapsed(), "s")
    with timer() as elapsed:
        result = _close(agency, year, admin)
    report(f"assessment.annual_close_{employees}", elapsed(), "s")
    report(f"assessment.annual_close_{employees}.with_predikat", result["with_predikat"], "rows")
    with timer() as elapsed:
        again = _close(agency, year, admin)
    if again["created"] or again["derived"] or again["computed"]:
        raise RuntimeError(f"annual close is not idempotent: {again}")
    report(f"assessment.annual_close_{employees}.rerun", elapsed(), "s")

    unit = units[0]
    n = Evaluation.objects.filter(year=year, period__isnull=True, unit=unit).count()
    client = Client()
    client.force_login(admin)
    mfa.pass_for_test_client(client)  # benchmarks measure pages, not the code step
    client.get(reverse("assessment:calibration_list"))  # warm-up
    with timer() as elapsed:
        calibration = services.calibration_open(actor=admin, year=year, unit=unit)
    opened = elapsed()
    url = reverse("assessment:calibration", args=[calibration.pk])
    with CaptureQueriesContext(connection) as captured, timer() as elapsed:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    report(f"assessment.calibration_open_{n}", opened, "s")
    report(f"assessment.calibration_page_{n}", elapsed(), "s")
    report(f"assessment.calibration_page_{n}.queries", len(captured), "queries")
