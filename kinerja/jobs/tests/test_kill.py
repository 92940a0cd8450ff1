"""A job's process killed with SIGKILL part-way: the job is seen as failed, and
running it again completes it with exactly the right rows.

The job runs in a separate process (`manage.py jobs_run`) against the test
database, so these tests need a database that two processes share: they run on
PostgreSQL (CI's second pass) and are skipped on SQLite's in-memory test
database.
"""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from kinerja.jobs.models import Job
from kinerja.jobs.services import job_rerun, reap_stale
from kinerja.org.demo import create_synthetic
from kinerja.org.importing.apply import import_apply, import_start
from kinerja.org.importing.bench import build_workbook
from kinerja.org.models import Agency, Employee, ImportRun, RoleGrant, User
from kinerja.planning.models import BehaviourExpectation, PerformanceYear, Skp

ROOT = Path(__file__).resolve().parents[3]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs a database shared by two processes"
    ),
]


def _database_url():
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_job_process(job, private_root):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "JOBS_BACKEND": "thread",
        "PRIVATE_ROOT": str(private_root),
    }
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), "jobs_run", str(job.pk)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill_when(process, condition, *, timeout=120):
    """SIGKILL the process as soon as `condition()` holds; True if it was killed
    while still running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if condition():
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            return True
        time.sleep(0.02)
    process.kill()
    raise AssertionError("the job never reached the point to kill it")


def seen_dead(job):
    """What the job page and `jobs_reap` see a minute after the heartbeat stopped."""
    assert reap_stale(now=timezone.now() + dt.timedelta(seconds=61), job_ids=[job.pk]) == 1
    job.refresh_from_db()
    return job


def test_year_opening_killed_part_way_is_failed_and_a_rerun_completes_it(tmp_path):
    synthetic = create_synthetic(code="kill-year", employees=4500, seed=3)
    agency = synthetic.agency
    active = Employee.objects.filter(agency=agency, is_active=True).count()
    year = PerformanceYear.objects.create(
        agency=agency,
        year=2026,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        frequency="triwulanan",
        skp_deadline=dt.date(2026, 1, 31),
        annual_deadline=dt.date(2027, 1, 31),
        annual_source="last_period",
        status="open",
    )
    job = Job.objects.create(agency=agency, kind="planning.open_year", params={"year": year.pk})
    process = start_job_process(job, tmp_path)
    killed = kill_when(process, lambda: Job.objects.get(pk=job.pk).done >= 1000)
    assert killed, "the opening finished before it could be killed"

    made = Skp.objects.filter(year=year).count()
    assert 1000 <= made < active  # committed batch by batch: resumable
    job = seen_dead(job)
    assert job.status == Job.Status.FAILED
    assert "prosesnya mati" in job.error

    retry = job_rerun(actor=None, job=job)
    retry.refresh_from_db()
    assert retry.status == Job.Status.DONE, retry.error
    assert retry.result["created"] == active - made
    assert Skp.objects.filter(year=year).count() == active
    assert Skp.objects.filter(year=year).values("employee").distinct().count() == active
    assert BehaviourExpectation.objects.filter(skp__year=year).count() == 7 * active


def test_import_apply_killed_part_way_saves_nothing_and_a_rerun_applies_it(tmp_path, settings):
    settings.PRIVATE_ROOT = str(tmp_path)
    settings.JOBS_BACKEND = "eager"
    agency = Agency.objects.create(name="Kill import", code="kill-import", kind="kabupaten")
    admin = User.objects.create_user(username="kill-admin", agency=agency)
    RoleGrant.objects.create(agency=agency, user=admin, role=RoleGrant.Role.ADMIN_BKD)
    employees = 4000
    content = build_workbook(agency.pk, employees)
    run = import_start(actor=admin, agency=agency, upload=SimpleUploadedFile("k.xlsx", content))
    assert run.status == ImportRun.Status.READY

    # Queue the apply without running it here, then run it in a killable process.
    settings.JOBS_BACKEND = "celery"
    import kinerja.jobs.tasks as tasks

    sent = []
    original = tasks.run_job.delay
    tasks.run_job.delay = sent.append
    try:
        run = import_apply(actor=admin, run=run)
    finally:
        tasks.run_job.delay = original
    settings.JOBS_BACKEND = "eager"
    job = run.job
    process = start_job_process(job, tmp_path)

    def writing():
        # The apply writes in one transaction: kill it once that transaction has
        # inserted employees (uncommitted, so invisible here but for the server).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL "
                "AND query ILIKE %s",
                ['%INSERT INTO "org_employee"%'],
            )
            return cursor.fetchone()[0] > 0

    killed = kill_when(process, writing)
    assert killed, "the apply finished before it could be killed"
    assert Employee.objects.filter(agency=agency).count() == 0  # all or nothing
    job = seen_dead(job)
    assert job.status == Job.Status.FAILED

    retry = job_rerun(actor=admin, job=job)
    retry.refresh_from_db()
    assert retry.status == Job.Status.DONE, retry.error
    assert Employee.objects.filter(agency=agency).count() == employees
    run.refresh_from_db()
    assert run.status == ImportRun.Status.APPLIED
