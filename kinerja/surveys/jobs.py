"""Background job of the survey app: write linked IKM into the realisasi of a period."""

from kinerja.jobs.services import JobError, progress, register
from kinerja.planning.models import Period

from .services import ikm_realisasi_sync


@register("surveys.sync_realisasi")
def sync_realisasi(job):
    """params: {"period": planning.Period id}."""
    from django.utils.translation import gettext as _

    period = (
        Period.objects.filter(agency=job.agency, pk=job.params.get("period")).first()
        if str(job.params.get("period", "")).isdigit()
        else None
    )
    if period is None:
        raise JobError(_("Periode tidak ditemukan."))
    written = ikm_realisasi_sync(agency=job.agency, period=period, actor=job.created_by)
    progress(job, 1, 1)
    return {"written": written, "period": period.pk}
