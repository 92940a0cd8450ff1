"""Background jobs of penilaian kinerja: the agency's annual close."""

from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from kinerja.audit.models import AuditEvent
from kinerja.audit.services import bulk_record
from kinerja.jobs.services import JobError, progress, register
from kinerja.planning.models import PerformanceYear, Period, Skp
from kinerja.rules.predikat import PREDIKAT_MATRIX

from . import signals
from .models import Evaluation
from .selectors.close import SKP_SET, close_gaps

BATCH = 2000
REASON_LAST_PERIOD = "last_period"


def annual_source_rule(annual_source, periodic):
    """The annual (hasil, perilaku) that the year's work gives by itself, or None
    when the rater decides (docs/domain.md §4, "Periodic vs annual").

    `periodic` is [(period number, hasil, perilaku)] of finalised periodic
    evaluations. With "last_period" the last period's result is the annual one
    (national practice: "Triwulan IV-Akhir"); with "annual" (the default reading
    of the regulation) the rater decides with the periodic results shown, so
    nothing is derived. The job below does the same in SQL."""
    if annual_source != REASON_LAST_PERIOD or not periodic:
        return None
    number, hasil, perilaku = max(periodic, key=lambda row: row[0])
    return hasil, perilaku


def _latest_skps(year):
    """Per employee: the SKP in force at year end (the open one, else the latest), among
    the SKP that were set (ditetapkan). An employee whose SKP was never set has none: no
    annual evaluation is created for them (close_gaps counts them as "SKP belum
    disetujui"), so they never wait in a calibration pool."""
    chosen = {}
    rows = Skp.objects.filter(year=year, status__in=SKP_SET).values_list(
        "employee_id",
        "pk",
        "unit_id",
        "rater_id",
        "rater_position__unit_id",
        "rater__unit_id",
        "status",
        "valid_from",
    )
    for employee_id, pk, unit_id, rater_id, rp_unit, r_unit, status, valid_from in rows:
        key = (status != Skp.Status.DITUTUP, valid_from)
        current = chosen.get(employee_id)
        if current is None or key > current[0]:
            chosen[employee_id] = (key, pk, unit_id, rater_id, rp_unit or r_unit)
    return chosen


DERIVED_FIELDS = (
    "hasil",
    "perilaku",
    "hasil_proposed",
    "org_grade",
    "rated_by_id",
    "is_final_no_appeal",
    "final_reason",
)


def _derive_from_last_period(annual, last):
    """Copy the last period's finalised ratings into the draft, unrated annual
    evaluations. Two reads, then one UPDATE per distinct set of values (a
    handful: ratings x grade x rater) over chunks of ids: no per-row query."""
    source = {}
    rows = (
        Evaluation.objects.filter(period=last, status__in=Evaluation.LOCKED)
        .order_by("skp__valid_from", "pk")
        .values_list("employee_id", *DERIVED_FIELDS)
    )
    for employee_id, *values in rows:
        source[employee_id] = tuple(values)  # the latest SKP's evaluation wins
    targets = annual.filter(status=Evaluation.Status.DRAFT, hasil="").values_list(
        "pk", "employee_id"
    )
    groups = defaultdict(list)
    for pk, employee_id in targets:
        if employee_id in source:
            groups[source[employee_id]].append(pk)
    now = timezone.now()
    derived = []
    with transaction.atomic():
        for values, ids in groups.items():
            for start in range(0, len(ids), BATCH):
                chunk = ids[start : start + BATCH]
                Evaluation.objects.filter(pk__in=chunk).update(
                    **dict(zip(DERIVED_FIELDS, values, strict=True)),
                    hasil_reasons=[REASON_LAST_PERIOD],
                    status=Evaluation.Status.FINALISED,
                    finalised_at=now,
                )
            derived += ids
    return derived


@register("assessment.annual_close")
def annual_close(job):
    """Predikat for every employee of the agency for the year, set-based:
    1. an annual evaluation for every employee with an SKP (bulk insert);
    2. with annual_source "last_period", the last period's finalised ratings
       become the annual ones (grouped UPDATEs, see _derive_from_last_period);
    3. the predikat from the matrix for every annual evaluation rated but not
       yet computed (one UPDATE per matrix cell).
    Idempotent: a second run creates and changes nothing."""
    year = PerformanceYear.objects.filter(pk=job.params.get("year"), agency=job.agency).first()
    if year is None:
        raise JobError("Periode penilaian tidak ditemukan.")
    annual = Evaluation.objects.filter(year=year, period__isnull=True)
    progress(job, 0, 3, "Membuat evaluasi tahunan")

    chosen = _latest_skps(year)
    existing = set(annual.values_list("employee_id", flat=True))
    todo = [(emp, row) for emp, row in chosen.items() if emp not in existing]
    created = 0
    for start in range(0, len(todo), BATCH):
        chunk = todo[start : start + BATCH]
        with transaction.atomic():
            Evaluation.objects.bulk_create(
                [
                    Evaluation(
                        agency_id=year.agency_id,
                        year=year,
                        skp_id=skp_id,
                        employee_id=employee_id,
                        unit_id=unit_id,
                        rater_id=rater_id,
                        rater_unit_id=rater_unit_id,
                    )
                    for employee_id, (_key, skp_id, unit_id, rater_id, rater_unit_id) in chunk
                ],
                batch_size=BATCH,
            )
        created += len(chunk)
    progress(job, 1, 3, "Menurunkan rating dari periode terakhir")

    derived_ids = []
    if year.annual_source == REASON_LAST_PERIOD:
        last = Period.objects.filter(year=year).order_by("-number").first()
        if last is not None:
            derived_ids = _derive_from_last_period(annual, last)
    progress(job, 2, 3, "Menghitung predikat")

    computed_ids = list(
        annual.filter(status__in=Evaluation.LOCKED, predikat="")
        .exclude(hasil="")
        .exclude(perilaku="")
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        for (hasil, perilaku), value in PREDIKAT_MATRIX.items():
            annual.filter(
                status__in=Evaluation.LOCKED, predikat="", hasil=hasil.value, perilaku=perilaku
            ).update(predikat=value.value)
        actor_label = job.created_by.get_username() if job.created_by else "sistem"
        bulk_record(
            [
                AuditEvent(
                    agency_id=year.agency_id,
                    actor=job.created_by,
                    actor_label=actor_label,
                    action="assessment.evaluation.annual_close",
                    target_type="assessment.evaluation",
                    target_id=str(pk),
                    after={"job": job.pk, "derived": pk in set_derived},
                )
                for set_derived in [set(derived_ids)]
                for pk in computed_ids
            ]
        )
    total = annual.count()
    with_predikat = annual.exclude(predikat="").count()
    gaps = close_gaps(year)
    progress(
        job,
        3,
        3,
        # Out of the active employees, so that the reasons below add up to the rest.
        f"{gaps.with_result} dari {gaps.employees} pegawai memiliki predikat; "
        f"{gaps.without_result} pegawai "
        f"aktif tanpa hasil akhir (tanpa SKP {gaps.no_skp}, SKP belum disetujui "
        f"{gaps.skp_not_approved}, belum dinilai {gaps.not_rated}, "
        f"belum difinalkan {gaps.not_finalised})",
    )
    signals.annual_closed.send(
        sender=Evaluation, agency=job.agency, year=year, actor=job.created_by
    )
    return {
        **{f"gaps_{name}": value for name, value in gaps.as_dict().items()},
        "created": created,
        "derived": len(derived_ids),
        "computed": len(computed_ids),
        "total": total,
        "with_predikat": with_predikat,
        "missing": total - with_predikat,
        "redirect": f"/penilaian/admin/tahun/{year.pk}/",
    }
