"""Background job of the follow-up app: candidates lists after an annual close."""

from kinerja.jobs.services import JobError, progress, register
from kinerja.planning.models import PerformanceYear

from . import services


@register("followup.candidates")
def candidates(job):
    """Award, promotion/training priority, coaching and sanction-process candidates of the
    year from the agency's active rules, and the year's angka kredit of functional employees.
    Set-based and idempotent: a second run creates nothing."""
    year = PerformanceYear.objects.filter(pk=job.params.get("year"), agency=job.agency).first()
    if year is None:
        raise JobError("Periode penilaian tidak ditemukan.")
    progress(job, 0, 2, "Menyusun daftar kandidat")
    created = services.candidates_generate(agency=job.agency, year=year, actor=job.created_by)
    progress(job, 1, 2, "Menghitung angka kredit")
    converted = services.credit_points_convert(
        agency=job.agency, year=year.year, actor=job.created_by
    )
    progress(job, 2, 2, f"{created} kandidat baru, {converted} angka kredit baru")
    return {
        "created": created,
        "credit_points": converted,
        "redirect": f"/tindak-lanjut/kandidat/?tahun={year.pk}",
    }
