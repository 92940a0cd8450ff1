"""Running a job: progress, success, refusal, crash, and runs that do nothing."""

import pytest

from kinerja.audit.models import AuditEvent
from kinerja.jobs.models import Job
from kinerja.jobs.services import enqueue, progress, run
from kinerja.org.models import OrgUnit

from . import kinds  # noqa: F401 - registers the test job kinds

pytestmark = pytest.mark.django_db


def start(world, kind, params=None, who="admin"):
    return enqueue(kind, agency=world.agency, user=world.user(who), params=params)


def fresh(job):
    return Job.objects.get(pk=job.pk)


def test_enqueue_records_the_job_and_runs_it_eagerly_in_tests(world):
    job = start(world, "jobs_test.count", params={"a": 1})
    event = AuditEvent.objects.get(action="job.queued")
    assert (event.actor, event.agency, event.target_id) == (
        world.user("admin"),
        world.agency,
        str(job.pk),
    )
    assert event.after == {"a": 1}
    job = fresh(job)
    assert job.status == Job.Status.DONE
    assert job.started_at is not None and job.finished_at is not None


def test_an_unknown_kind_is_refused(world):
    with pytest.raises(KeyError):
        start(world, "jobs_test.nothing")
    assert not Job.objects.exists()


def test_progress_updates_done_total_and_message(world):
    job = fresh(start(world, "jobs_test.count"))
    assert job.result["seen"] == [[1, 3, "langkah 1"], [2, 3, "langkah 2"], [3, 3, "langkah 3"]]
    assert (job.done, job.total, job.percent) == (3, 3, 100)


def test_progress_leaves_out_what_is_not_given(world):
    job = Job.objects.create(agency=world.agency, kind="jobs_test.count", total=10, message="a")
    progress(job, 4)
    assert (fresh(job).done, fresh(job).total, fresh(job).message) == (4, 10, "a")
    progress(job, 5, 20, "x" * 400)
    job = fresh(job)
    assert (job.done, job.total, len(job.message)) == (5, 20, 300)
    assert job.percent == 25


def test_a_success_is_recorded_with_its_result(world):
    job = start(world, "jobs_test.unit", params={"code": "U-1", "name": "Unit Satu"})
    event = AuditEvent.objects.get(action="job.done")
    assert event.target_id == str(job.pk)
    assert event.after["result"]["created"] is True
    assert event.after["error"] == ""


def test_a_job_error_fails_with_its_message(world):
    job = fresh(start(world, "jobs_test.refuse"))
    assert job.status == Job.Status.FAILED
    assert job.error == "Berkas ini tidak dapat diproses."
    assert job.result == {}
    assert job.is_finished
    event = AuditEvent.objects.get(action="job.failed")
    assert event.after["error"] == "Berkas ini tidak dapat diproses."


def test_a_crash_fails_with_a_traceback_excerpt(world):
    job = fresh(start(world, "jobs_test.crash"))
    assert job.status == Job.Status.FAILED
    assert job.error.startswith("Traceback")
    assert "RuntimeError: bug in the job" in job.error
    assert len(job.error) <= 2000
    assert AuditEvent.objects.filter(action="job.failed", target_id=str(job.pk)).exists()


def test_run_leaves_a_job_that_is_not_queued_alone(world):
    job = fresh(start(world, "jobs_test.count"))
    events = AuditEvent.objects.count()
    run(job.pk)
    run(job.pk)
    again = fresh(job)
    assert (again.status, again.started_at, again.finished_at, again.result) == (
        job.status,
        job.started_at,
        job.finished_at,
        job.result,
    )
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("status", [Job.Status.RUNNING, Job.Status.FAILED])
def test_run_does_not_start_a_running_or_finished_job(world, status):
    job = Job.objects.create(agency=world.agency, kind="jobs_test.count", status=status)
    run(job.pk)
    assert (fresh(job).status, fresh(job).started_at) == (status, None)


def test_rerunning_an_idempotent_job_changes_nothing(world):
    params = {"code": "U-1", "name": "Unit Satu"}
    first = fresh(start(world, "jobs_test.unit", params=params))
    units = list(OrgUnit.objects.values_list("pk", "code", "name"))
    second = fresh(start(world, "jobs_test.unit", params=params))
    assert second.status == Job.Status.DONE
    assert list(OrgUnit.objects.values_list("pk", "code", "name")) == units
    assert second.result == {"unit": first.result["unit"], "created": False}
