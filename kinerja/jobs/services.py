"""Background jobs.

A job kind is a plain function `fn(job)` registered with `@register("kind")`;
it reads `job.params`, reports progress with `progress(job, done, total)`, and
returns a JSON-able result. Job functions must be idempotent: running one again
on the same input changes nothing more.

How a job runs is a setting (JOBS_BACKEND):
- "thread": in a thread of the web process (embedded default, no server needed);
- "celery": a Celery worker over Redis (production; scales over machines);
- "eager": inline, in the caller (tests).
"""

import logging
import threading
import traceback

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

from kinerja.audit.services import record

from .models import Job

log = logging.getLogger(__name__)
REGISTRY = {}


class JobError(Exception):
    """A failure whose message is meant for the user (already translated)."""


def register(kind):
    def decorator(fn):
        REGISTRY[kind] = fn
        return fn

    return decorator


def progress(job, done, total=None, message=None):
    job.done = done
    fields = ["done"]
    if total is not None:
        job.total = total
        fields.append("total")
    if message is not None:
        job.message = message[:300]
        fields.append("message")
    Job.objects.filter(pk=job.pk).update(**{f: getattr(job, f) for f in fields})


def run(job_id):
    """Execute a queued job. Safe to call twice: a job that is not queued is left alone."""
    updated = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    if not updated:
        return
    job = Job.objects.select_related("agency", "created_by").get(pk=job_id)
    try:
        result = REGISTRY[job.kind](job)
    except JobError as exc:
        _finish(job, Job.Status.FAILED, error=str(exc))
    except Exception:  # noqa: BLE001 - a job's crash must be visible on its page
        log.exception("job %s failed", job_id)
        _finish(job, Job.Status.FAILED, error=traceback.format_exc(limit=3)[-2000:])
    else:
        _finish(job, Job.Status.DONE, result=result or {})


def _finish(job, status, result=None, error=""):
    job.status = status
    job.result = result or {}
    job.error = error
    job.finished_at = timezone.now()
    if status == Job.Status.DONE and job.total:
        job.done = job.total
    job.save(update_fields=["status", "result", "error", "finished_at", "done"])
    record(
        f"job.{job.kind}.{status}",
        actor=job.created_by,
        agency=job.agency,
        target=job,
        after={"result": job.result, "error": error[:500]},
    )


def _thread_main(job_id):
    close_old_connections()
    try:
        run(job_id)
    finally:
        close_old_connections()


def dispatch(job_id):
    backend = settings.JOBS_BACKEND
    if backend == "eager":
        run(job_id)
    elif backend == "celery":
        from .tasks import run_job

        run_job.delay(job_id)
    else:
        threading.Thread(target=_thread_main, args=(job_id,), daemon=True).start()


def enqueue(kind, *, agency, user, params=None, total=0):
    if kind not in REGISTRY:
        raise KeyError(kind)
    job = Job.objects.create(
        kind=kind, agency=agency, created_by=user, params=params or {}, total=total
    )
    record(f"job.{kind}.queued", actor=user, agency=agency, target=job, after=job.params)
    if settings.JOBS_BACKEND == "eager":
        dispatch(job.pk)
    else:
        transaction.on_commit(lambda: dispatch(job.pk))
    return job
