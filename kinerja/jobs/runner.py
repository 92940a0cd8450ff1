"""Running a background job: the registry of job kinds, progress, and the run
itself, shared by every backend (the web process's thread, a Celery worker, or
inline in the tests). Enqueueing and dispatching are in `services`.
"""

import logging
import traceback
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from kinerja.audit.services import record

from .models import Job

log = logging.getLogger(__name__)
# A job kind: reads job.params, returns a JSON-able result (or None).
JobFunction = Callable[[Job], dict[str, Any] | None]
REGISTRY: dict[str, JobFunction] = {}


class JobError(Exception):
    """A failure whose message is meant for the user (already translated)."""


def register(kind: str) -> Callable[[JobFunction], JobFunction]:
    def decorator(function: JobFunction) -> JobFunction:
        REGISTRY[kind] = function
        return function

    return decorator


def progress(job: Job, done: int, total: int | None = None, message: str | None = None) -> None:
    job.done = done
    fields = ["done"]
    if total is not None:
        job.total = total
        fields.append("total")
    if message is not None:
        job.message = message[:300]
        fields.append("message")
    Job.objects.filter(pk=job.pk).update(**{f: getattr(job, f) for f in fields})


def run(job_id: int) -> None:
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


def _finish(job: Job, status: str, result: dict[str, Any] | None = None, error: str = "") -> None:
    job.status = status
    job.result = result or {}
    job.error = error
    job.finished_at = timezone.now()
    if status == Job.Status.DONE and job.total:
        job.done = job.total
    job.save(update_fields=["status", "result", "error", "finished_at", "done"])
    record(
        "job.done" if status == Job.Status.DONE else "job.failed",
        actor=job.created_by,
        agency=job.agency,
        target=job,
        after={"result": job.result, "error": error[:500]},
    )
