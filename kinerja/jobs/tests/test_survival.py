"""Jobs whose process dies: the heartbeat, the detection within a minute, the
re-run, and the production rule that jobs never run inside web workers."""

import datetime as dt
import time

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.utils import timezone

from kinerja.audit.models import AuditEvent
from kinerja.jobs import runner
from kinerja.jobs.models import Job
from kinerja.jobs.services import enqueue, job_rerun, reap_stale

from . import kinds  # noqa: F401 - registers the test job kinds


def running(world, *, beat_seconds_ago, kind="jobs_test.unit", done=4, total=10):
    now = timezone.now()
    return Job.objects.create(
        agency=world.agency,
        created_by=world.user("admin"),
        kind=kind,
        params={"code": "UJI-1", "name": "Unit uji"},
        status=Job.Status.RUNNING,
        started_at=now - dt.timedelta(minutes=10),
        heartbeat_at=now - dt.timedelta(seconds=beat_seconds_ago),
        done=done,
        total=total,
    )


@pytest.mark.django_db
def test_a_job_without_heartbeat_for_a_minute_is_failed_with_what_it_had_done(world):
    dead = running(world, beat_seconds_ago=61)
    alive = running(world, beat_seconds_ago=5)
    assert reap_stale() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == Job.Status.FAILED
    assert dead.error == (
        "Proses terhenti tanpa selesai (prosesnya mati) setelah 4 dari 10 langkah. Jalankan ulang."
    )
    assert alive.status == Job.Status.RUNNING
    event = AuditEvent.objects.get(action="job.failed", target_id=str(dead.pk))
    assert event.after == {"error": dead.error, "done": 4, "total": 10}
    assert reap_stale() == 0  # once


@pytest.mark.django_db
def test_the_job_page_sees_the_death(world, login):
    dead = running(world, beat_seconds_ago=120)
    response = login(world.user("admin")).get(f"/proses/{dead.pk}/")
    assert response.status_code == 200
    assert "prosesnya mati" in response.content.decode()
    assert "Jalankan ulang" in response.content.decode()
    assert Job.objects.get(pk=dead.pk).status == Job.Status.FAILED


@pytest.mark.django_db
def test_a_rerun_completes_the_work_once(world, login):
    dead = running(world, beat_seconds_ago=120)
    client = login(world.user("admin"))
    response = client.post(f"/proses/{dead.pk}/ulang/")
    retry = Job.objects.get(retry_of=dead)
    assert response.status_code == 302 and response["Location"] == f"/proses/{retry.pk}/"
    assert retry.status == Job.Status.DONE
    assert retry.params == dead.params
    # Once more: the unit exists once.
    again = job_rerun(actor=world.user("admin"), job=Job.objects.get(pk=dead.pk))
    again.refresh_from_db()
    assert (retry.result["created"], again.result["created"]) == (True, False)
    assert world.agency.units.filter(code="UJI-1").count() == 1


@pytest.mark.django_db
def test_only_a_failed_job_runs_again(world):
    job = enqueue("jobs_test.count", agency=world.agency, user=world.user("admin"))
    with pytest.raises(ValidationError) as exc:
        job_rerun(actor=world.user("admin"), job=job)
    assert exc.value.messages == ["Hanya proses yang gagal yang dapat dijalankan ulang."]
    assert not Job.objects.filter(retry_of=job).exists()


@pytest.mark.django_db
def test_another_user_cannot_rerun_someone_elses_job(world, login):
    dead = running(world, beat_seconds_ago=120)
    response = login(world.user("staff")).post(f"/proses/{dead.pk}/ulang/")
    assert response.status_code == 404
    assert not Job.objects.filter(retry_of=dead).exists()


@pytest.mark.django_db(transaction=True)
def test_a_running_job_beats(world, settings, monkeypatch):
    settings.JOBS_BACKEND = "thread"
    monkeypatch.setattr(runner, "HEARTBEAT_SECONDS", 0.05)
    beats = []

    def slow(job):
        first = Job.objects.get(pk=job.pk).heartbeat_at
        time.sleep(0.3)
        beats.append((first, Job.objects.get(pk=job.pk).heartbeat_at))

    runner.REGISTRY["jobs_test.slow"] = runner.JobKind(slow, runner.RESUMABLE)
    try:
        job = Job.objects.create(
            agency=world.agency, created_by=world.user("admin"), kind="jobs_test.slow"
        )
        runner.run(job.pk)
    finally:
        del runner.REGISTRY["jobs_test.slow"]
    first, later = beats[0]
    assert later > first
    assert Job.objects.get(pk=job.pk).status == Job.Status.DONE


def test_every_job_kind_says_what_a_killed_run_leaves():
    for kind, entry in runner.REGISTRY.items():
        assert entry.mode in (runner.ATOMIC, runner.RESUMABLE), kind
    assert runner.REGISTRY["org.import.apply"].mode == runner.ATOMIC
    assert runner.REGISTRY["planning.open_year"].mode == runner.RESUMABLE


def test_production_refuses_jobs_in_web_workers(settings):
    settings.PRODUCTION = True
    settings.JOBS_BACKEND = "thread"
    errors = [e.id for e in run_checks(include_deployment_checks=True)]
    assert "kinerja.E001" in errors
    settings.JOBS_BACKEND = "celery"
    errors = [e.id for e in run_checks(include_deployment_checks=True)]
    assert "kinerja.E001" not in errors
