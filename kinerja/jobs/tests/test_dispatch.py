"""How a queued job is run: by the JOBS_BACKEND setting."""

import threading

import pytest

from kinerja.jobs import services, tasks
from kinerja.jobs.models import Job

from . import kinds  # noqa: F401 - registers the test job kinds


def queued(world, kind="jobs_test.count"):
    return Job.objects.create(agency=world.agency, created_by=world.user("admin"), kind=kind)


@pytest.mark.django_db
def test_eager_runs_in_the_caller(world, settings):
    settings.JOBS_BACKEND = "eager"
    job = queued(world)
    services.dispatch(job.pk)
    assert Job.objects.get(pk=job.pk).status == Job.Status.DONE


@pytest.mark.django_db
def test_celery_hands_the_job_to_a_worker(world, settings, monkeypatch):
    settings.JOBS_BACKEND = "celery"
    sent = []
    monkeypatch.setattr(tasks.run_job, "delay", sent.append)
    job = queued(world)
    services.dispatch(job.pk)
    assert sent == [job.pk]
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED


@pytest.mark.django_db
def test_enqueue_with_celery_sends_the_job_after_the_commit(
    world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.JOBS_BACKEND = "celery"
    sent = []
    monkeypatch.setattr(tasks.run_job, "delay", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.enqueue("jobs_test.count", agency=world.agency, user=world.user("admin"))
        assert sent == []  # not before the job's row is committed
    assert sent == [job.pk]


@pytest.mark.django_db(transaction=True)
def test_thread_runs_the_job_to_the_end(world, settings, monkeypatch):
    settings.JOBS_BACKEND = "thread"
    started = []

    class RecordedThread(threading.Thread):
        def start(self):
            started.append(self)
            super().start()

    monkeypatch.setattr(services.threading, "Thread", RecordedThread)
    job = services.enqueue("jobs_test.count", agency=world.agency, user=world.user("admin"))
    assert len(started) == 1
    started[0].join(timeout=30)
    assert not started[0].is_alive()
    job = Job.objects.get(pk=job.pk)
    assert (job.status, job.done, job.total) == (Job.Status.DONE, 3, 3)
