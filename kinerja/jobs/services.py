"""Background jobs.

A job kind is a plain function `function(job)` registered with `@register("kind")`;
it reads `job.params`, reports progress with `progress(job, done, total)`, and
returns a JSON-able result. Job functions must be idempotent: running one again
on the same input changes nothing more.

How a job runs is a setting (JOBS_BACKEND):
- "thread": in a thread of the web process (embedded default, no server needed);
- "celery": a Celery worker over Redis (production; scales over machines);
- "eager": inline, in the caller (tests).
"""

import threading
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections, transaction
from django.utils.translation import gettext as _

from kinerja.audit.services import record

from . import tasks
from .models import Job
from .runner import ATOMIC, REGISTRY, RESUMABLE, JobError, progress, reap_stale, register, run

__all__ = [
    "ATOMIC",
    "RESUMABLE",
    "JobError",
    "dispatch",
    "enqueue",
    "job_rerun",
    "progress",
    "reap_stale",
    "register",
    "run",
]


def _thread_main(job_id: int) -> None:
    close_old_connections()
    try:
        run(job_id)
    finally:
        close_old_connections()


def dispatch(job_id: int) -> None:
    backend = settings.JOBS_BACKEND
    if backend == "eager":
        run(job_id)
    elif backend == "celery":
        tasks.run_job.delay(job_id)
    else:
        threading.Thread(target=_thread_main, args=(job_id,), daemon=True).start()


# `agency` is an org.Agency, `user` the org.User who asked (or None): the jobs
# app sits below org and may not import its models to name them.
def enqueue(
    kind: str,
    *,
    agency: Any,
    user: Any,
    params: dict[str, Any] | None = None,
    total: int = 0,
    retry_of: Job | None = None,
) -> Job:
    if kind not in REGISTRY:
        raise KeyError(kind)
    reap_stale()
    job = Job.objects.create(
        kind=kind,
        agency=agency,
        created_by=user,
        params=params or {},
        total=total,
        retry_of=retry_of,
    )
    record("job.queued", actor=user, agency=agency, target=job, after=job.params)
    if settings.JOBS_BACKEND == "eager":
        dispatch(job.pk)
    else:
        transaction.on_commit(lambda: dispatch(job.pk))
    return job


def job_rerun(*, actor: Any, job: Job) -> Job:
    """Run a failed job again with the same parameters (job kinds are atomic or
    resumable, so a second run completes without duplicates). Only its starter
    or admin BKD reach the job through the pages and the API."""
    reap_stale(job_ids=[job.pk])
    job.refresh_from_db(fields=["status"])
    if job.status != Job.Status.FAILED:
        raise ValidationError(_("Hanya proses yang gagal yang dapat dijalankan ulang."))
    return enqueue(job.kind, agency=job.agency, user=actor, params=job.params, retry_of=job)
