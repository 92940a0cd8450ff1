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
from django.db import close_old_connections, transaction

from kinerja.audit.services import record

from . import tasks
from .models import Job
from .runner import REGISTRY, JobError, progress, register, run

__all__ = ["JobError", "dispatch", "enqueue", "progress", "register", "run"]


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
) -> Job:
    if kind not in REGISTRY:
        raise KeyError(kind)
    job = Job.objects.create(
        kind=kind, agency=agency, created_by=user, params=params or {}, total=total
    )
    record("job.queued", actor=user, agency=agency, target=job, after=job.params)
    if settings.JOBS_BACKEND == "eager":
        dispatch(job.pk)
    else:
        transaction.on_commit(lambda: dispatch(job.pk))
    return job
