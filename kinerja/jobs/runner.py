"""Running a background job: the registry of job kinds, progress, the run
itself with its heartbeat, and the detection of jobs whose process died; shared
by every backend (the web process's thread, a Celery worker, or inline in the
tests). Enqueueing and dispatching are in `services`.

Surviving a kill. Every job kind says how it behaves when its process dies
part-way (`register(kind, mode=...)`):
- ATOMIC: the job writes its data in one transaction of its own; a killed run
  leaves nothing, and running it again does all of it.
- RESUMABLE: the job commits as it goes and is idempotent; running it again
  does what is left, without duplicates.
While a job runs, a thread writes its heartbeat every HEARTBEAT_SECONDS. A
running job whose heartbeat is older than JOBS_STALE_SECONDS (default 60) is
marked failed with what it had done (`reap_stale`, called by the job page, by
`enqueue` and by `manage.py jobs_reap`), and can be run again (`services.job_rerun`).
"""

import datetime as dt
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from threading import Event, Thread
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.audit.services import record

from .models import Job

log = logging.getLogger(__name__)
# A job kind: reads job.params, returns a JSON-able result (or None).
JobFunction = Callable[[Job], dict[str, Any] | None]

ATOMIC = "atomic"
RESUMABLE = "resumable"
MODE_LABELS = {
    ATOMIC: gettext_lazy(
        "Semua atau tidak sama sekali: bila terhenti, tidak ada yang tersimpan; "
        "jalankan ulang untuk mengerjakan semuanya."
    ),
    RESUMABLE: gettext_lazy(
        "Dapat dilanjutkan: yang sudah selesai tetap tersimpan; menjalankan ulang "
        "mengerjakan sisanya tanpa menggandakan data."
    ),
}
HEARTBEAT_SECONDS = 10


@dataclass(frozen=True)
class JobKind:
    function: JobFunction
    mode: str


REGISTRY: dict[str, JobKind] = {}


class JobError(Exception):
    """A failure whose message is meant for the user (already translated)."""


def register(kind: str, *, mode: str = RESUMABLE) -> Callable[[JobFunction], JobFunction]:
    """Register a job kind. `mode` declares what a killed run leaves (module
    docstring); the kill tests in kinerja/jobs/tests hold each kind to it."""
    if mode not in MODE_LABELS:
        raise ValueError(f"unknown job mode {mode!r}")

    def decorator(function: JobFunction) -> JobFunction:
        REGISTRY[kind] = JobKind(function, mode)
        return function

    return decorator


def stale_seconds() -> int:
    return int(getattr(settings, "JOBS_STALE_SECONDS", 60))


class _Heartbeat:
    """Writes the job's heartbeat from a thread of its own (with its own
    database connection) until stopped."""

    def __init__(self, job_id: int, every: float | None = None):
        self.job_id = job_id
        self.every = every if every is not None else HEARTBEAT_SECONDS
        self.stop_event = Event()
        self.thread = Thread(target=self._beat, daemon=True)

    def _beat(self) -> None:
        try:
            while not self.stop_event.wait(self.every):
                try:
                    Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:  # SQLite busy under the job's own write: skip a beat
                    log.debug("heartbeat of job %s skipped", self.job_id)
        finally:
            close_old_connections()

    def __enter__(self) -> "_Heartbeat":
        if getattr(settings, "JOBS_BACKEND", "") != "eager":
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_event.set()
        if self.thread.is_alive():
            self.thread.join(timeout=self.every + 5)


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
    now = timezone.now()
    updated = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now
    )
    if not updated:
        return
    job = Job.objects.select_related("agency", "created_by").get(pk=job_id)
    kind = REGISTRY[job.kind]
    try:
        with _Heartbeat(job.pk):
            result = kind.function(job)
    except JobError as exc:
        _finish(job, Job.Status.FAILED, error=str(exc))
    except Exception:  # noqa: BLE001 - a job's crash must be visible on its page
        log.exception("job %s failed", job_id)
        _finish(job, Job.Status.FAILED, error=traceback.format_exc(limit=3)[-2000:])
    else:
        _finish(job, Job.Status.DONE, result=result or {})


def _finish(job: Job, status: str, result: dict[str, Any] | None = None, error: str = "") -> None:
    if Job.objects.filter(pk=job.pk, status=Job.Status.FAILED).exists():
        return  # reaped as dead meanwhile: its record stands
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


def died_message(job: Job) -> str:
    return _(
        "Proses terhenti tanpa selesai (prosesnya mati) setelah %(done)d dari %(total)d langkah. "
        "Jalankan ulang."
    ) % {"done": job.done, "total": job.total}


def reap_stale(*, now: dt.datetime | None = None, job_ids: list[int] | None = None) -> int:
    """Mark running jobs whose heartbeat stopped as failed, with what they had
    done. Returns how many. `job_ids` limits the check (the job page)."""
    now = now or timezone.now()
    limit = now - dt.timedelta(seconds=stale_seconds())
    stale = Job.objects.filter(status=Job.Status.RUNNING).filter(
        Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, started_at__lt=limit)
    )
    if job_ids is not None:
        stale = stale.filter(pk__in=job_ids)
    count = 0
    for job in stale.select_related("agency", "created_by"):
        message = died_message(job)
        changed = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
            status=Job.Status.FAILED, error=message, finished_at=now
        )
        if changed:
            count += 1
            record(
                "job.failed",
                actor=job.created_by,
                agency=job.agency,
                target=job,
                after={"error": message, "done": job.done, "total": job.total},
                note="heartbeat",
            )
    return count
