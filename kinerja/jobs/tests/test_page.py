"""The job page: its creator and admin BKD follow the progress; others get 404."""

import pytest
from django.urls import reverse

from kinerja.audit.models import AuditEvent
from kinerja.jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(world):
    return Job.objects.create(
        agency=world.agency,
        created_by=world.user("kabid"),
        kind="jobs_test.count",
        status=Job.Status.RUNNING,
        done=1,
        total=4,
        message="Membaca berkas",
    )


def url(job):
    return reverse("jobs:detail", args=[job.pk])


@pytest.mark.parametrize("who", ["kabid", "admin"])
def test_creator_and_admin_see_the_progress(world, login, job, who):
    response = login(world.user(who)).get(url(job))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Berjalan: Membaca berkas" in body
    assert "25% (1/4)" in body
    assert 'hx-trigger="every 1s"' in body


def test_htmx_gets_the_progress_fragment_only(world, login, job):
    response = login(world.user("kabid")).get(url(job), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="job-progress"')
    assert "<html" not in body


def test_a_finished_job_stops_polling_and_links_its_result(world, login, job):
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE, result={"redirect": "/org/impor/1/"}
    )
    body = login(world.user("kabid")).get(url(job)).content.decode()
    assert "hx-trigger" not in body
    assert 'href="/org/impor/1/"' in body


def test_a_failed_job_shows_its_error(world, login, job):
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error="Berkas rusak.")
    body = login(world.user("kabid")).get(url(job)).content.decode()
    assert 'role="alert">Berkas rusak.' in body


@pytest.mark.parametrize("who", ["staff", "kasi", "outsider_admin", "outsider"])
def test_others_get_404_and_it_is_recorded(world, login, job, who):
    response = login(world.user(who)).get(url(job))
    assert response.status_code == 404
    event = AuditEvent.objects.get(outcome="denied", actor=world.user(who))
    assert (event.action, event.target_type, event.target_id) == (
        "jobs.job.view",
        "jobs.job",
        str(job.pk),
    )


def test_anonymous_is_sent_to_login(client, job):
    response = client.get(url(job))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
