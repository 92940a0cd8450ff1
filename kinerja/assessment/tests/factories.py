"""Builders for the assessment tests: a year, an SKP set without the planning
flow, organisation grades, a whole rating, and many finalised annual
evaluations at once (bulk)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.assessment import services
from kinerja.assessment.models import Evaluation
from kinerja.org.models import Employee
from kinerja.planning import services as planning
from kinerja.planning.models import PerformanceYear, Rhk, Skp

# Inside Triwulan I's evaluation window (window_start 25 March, window_end 14
# working days after 31 March).
Q1_DAY = dt.date(2026, 4, 2)
ANNUAL_DAY = dt.date(2027, 1, 5)


def skp_of(employee, year):
    return (
        Skp.objects.select_related("year", "position", "rater_position", "employee", "rater")
        .exclude(status=Skp.Status.DITUTUP)
        .get(employee=employee, year=year)
    )


def approve(skp, utama=2, tambahan=1):
    """Give the SKP RHK rows and set it (ditetapkan) without the planning flow."""
    rows = [
        Rhk(agency_id=skp.agency_id, skp=skp, text=f"RHK utama {i}", kind=Rhk.Kind.UTAMA, order=i)
        for i in range(1, utama + 1)
    ] + [
        Rhk(
            agency_id=skp.agency_id,
            skp=skp,
            text=f"RHK tambahan {i}",
            kind=Rhk.Kind.TAMBAHAN,
            order=i,
        )
        for i in range(1, tambahan + 1)
    ]
    Rhk.objects.bulk_create(rows)
    Skp.objects.filter(pk=skp.pk).update(status=Skp.Status.DISETUJUI)
    skp.refresh_from_db()
    return list(Rhk.objects.filter(skp=skp).order_by("kind", "order"))


def make_year(world, annual_source=PerformanceYear.AnnualSource.ANNUAL):
    year = planning.year_create(
        actor=world.user("admin"),
        agency=world.agency,
        year=2026,
        frequency=PerformanceYear.Frequency.QUARTERLY,
        annual_source=annual_source,
    )
    planning.year_open(actor=world.user("admin"), year=year)
    year.refresh_from_db()
    return year


def grade(world, year, unit, value, period=None):
    return services.org_performance_set(
        actor=world.user("admin"), unit=unit, year=year, grade=value, period=period
    )


def rate_all(actor, evaluation, rhk_rating, perilaku="sesuai", hasil=None, today=Q1_DAY, **kw):
    """Rate every RHK with `rhk_rating` (a value or a list), every value with
    `perilaku`, and the overall ratings (hasil defaults to the proposal)."""
    rows = list(evaluation.rhk_rows.order_by("-rhk__kind", "rhk__order"))  # utama first
    ratings = rhk_rating if isinstance(rhk_rating, list) else [rhk_rating] * len(rows)
    services.evaluation_rate(
        actor=actor,
        evaluation=evaluation,
        rhk={r.rhk_id: {"rating": x, "feedback": "ok"} for r, x in zip(rows, ratings, strict=True)},
        behaviour={v: {"rating": perilaku} for v in range(1, 8)},
        perilaku=perilaku,
        today=today,
    )
    evaluation.refresh_from_db()
    return services.evaluation_rate(
        actor=actor,
        evaluation=evaluation,
        hasil=hasil or evaluation.hasil_proposed,
        today=today,
        **kw,
    )


HASIL_PERILAKU = {
    "sangat_baik": ("di_atas", "di_atas"),
    "baik": ("sesuai", "sesuai"),
    "butuh_perbaikan": ("di_bawah", "sesuai"),
    "kurang": ("sesuai", "di_bawah"),
    "sangat_kurang": ("di_bawah", "di_bawah"),
}
_SEQ = [0]


def populate(year, unit, predikats, *, rater=None, computed=True):
    """Bulk: one employee per predikat in `unit`, with an approved SKP and a
    finalised annual evaluation (predikat computed unless computed=False)."""
    start = _SEQ[0]
    _SEQ[0] += len(predikats)
    employees = Employee.objects.bulk_create(
        [
            Employee(
                agency_id=year.agency_id,
                nip=f"{900000000000000000 + start + i}",
                name=f"Pegawai {start + i:05d}",
                status="pns",
                gender="L",
                birth_date=dt.date(1990, 1, 1),
                unit=unit,
            )
            for i in range(len(predikats))
        ]
    )
    if any(e.pk is None for e in employees):
        employees = list(
            Employee.objects.filter(nip__in=[e.nip for e in employees]).order_by("nip")
        )
    skps = Skp.objects.bulk_create(
        [
            Skp(
                agency_id=year.agency_id,
                year=year,
                employee=e,
                unit=unit,
                rater=rater,
                form="non_jpt",
                approach="kuantitatif",
                status=Skp.Status.DISETUJUI,
                valid_from=year.start,
            )
            for e in employees
        ]
    )
    if any(s.pk is None for s in skps):
        skps = list(Skp.objects.filter(employee__in=employees).order_by("employee__nip"))
    Evaluation.objects.bulk_create(
        [
            Evaluation(
                agency_id=year.agency_id,
                year=year,
                skp=s,
                employee_id=s.employee_id,
                unit=unit,
                rater=rater,
                hasil=HASIL_PERILAKU[p][0],
                perilaku=HASIL_PERILAKU[p][1],
                predikat=p if computed else "",
                status=Evaluation.Status.FINALISED,
            )
            for s, p in zip(skps, predikats, strict=True)
        ],
        batch_size=1000,
    )
    return employees


def fails(message, service, **kwargs):
    """`service(**kwargs)` refuses by a rule: ValidationError with exactly `message`."""
    with pytest.raises(ValidationError) as exc:
        service(**kwargs)
    assert exc.value.messages == [message]


def refused(message, service, **kwargs):
    """`service(**kwargs)` refuses the actor: PermissionDenied with exactly `message`."""
    with pytest.raises(PermissionDenied) as exc:
        service(**kwargs)
    assert str(exc.value) == message
