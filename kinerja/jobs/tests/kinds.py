"""Job kinds registered for the jobs app's tests only."""

from kinerja.jobs.services import JobError, progress, register
from kinerja.org.models import OrgUnit


@register("jobs_test.count")
def count_job(job):
    """Reports progress three times; the test reads the row while it runs."""
    seen = []
    for done in range(1, 4):
        progress(job, done, 3, f"langkah {done}")
        seen.append(type(job).objects.values_list("done", "total", "message").get(pk=job.pk))
    return {"seen": seen}


@register("jobs_test.refuse")
def refuse_job(job):
    raise JobError("Berkas ini tidak dapat diproses.")


@register("jobs_test.crash")
def crash_job(job):
    raise RuntimeError("bug in the job")


@register("jobs_test.unit")
def unit_job(job):
    """Idempotent: creates the unit named in params once, whatever the runs."""
    unit, created = OrgUnit.objects.get_or_create(
        agency=job.agency,
        code=job.params["code"],
        defaults={"name": job.params["name"], "kind": OrgUnit.Kind.LAINNYA},
    )
    return {"unit": unit.pk, "created": created}
