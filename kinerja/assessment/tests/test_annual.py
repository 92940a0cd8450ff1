"""Annual evaluation: derivation from the year's work, the set-based annual
close job (idempotent), and the mid-year move (both parts)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.assessment import services
from kinerja.assessment.jobs import annual_source_rule
from kinerja.assessment.models import Evaluation, RhkAssessment
from kinerja.jobs.services import enqueue
from kinerja.planning.models import PerformanceYear, Period, Rhk, Skp

from .factories import ANNUAL_DAY, approve, make_year, rate_all, skp_of

A, S, B = "di_atas", "sesuai", "di_bawah"


@pytest.mark.parametrize(
    ("source", "periodic", "expected"),
    [
        ("last_period", [(1, A, A), (4, B, S)], (B, S)),
        ("last_period", [(4, S, A), (2, B, B)], (S, A)),
        ("last_period", [(3, A, A)], (A, A)),
        ("last_period", [], None),
        ("annual", [(1, A, A), (4, B, S)], None),
    ],
)
def test_annual_source_rule(source, periodic, expected):
    assert annual_source_rule(source, periodic) == expected


def _periodic(skp, number, hasil, perilaku):
    period = Period.objects.get(year=skp.year, number=number)
    return Evaluation.objects.create(
        agency_id=skp.agency_id,
        year=skp.year,
        skp=skp,
        period=period,
        employee_id=skp.employee_id,
        unit_id=skp.unit_id,
        rater_id=skp.rater_id,
        hasil=hasil,
        perilaku=perilaku,
        org_grade="baik",
        status="finalised",
        predikat="baik",
        predikat_final="baik",
    )


def _close(world, year):
    job = enqueue(
        "assessment.annual_close",
        agency=world.agency,
        user=world.user("admin"),
        params={"year": year.pk},
    )
    job.refresh_from_db()
    assert job.status == "done", job.error
    return job.result


# (Q1 ratings, Q4 ratings) -> annual predikat with annual_source "last_period".
DERIVATION = [
    ((A, A), (B, S), "butuh_perbaikan"),
    ((B, B), (A, A), "sangat_baik"),
    ((S, S), (S, B), "kurang"),
    ((A, S), (B, B), "sangat_kurang"),
    ((B, S), (S, A), "baik"),
]


@pytest.mark.parametrize(("q1", "q4", "predikat"), DERIVATION)
def test_last_period_becomes_the_annual_result(world, q1, q4, predikat):
    year = make_year(world, annual_source=PerformanceYear.AnnualSource.LAST_PERIOD)
    skp = skp_of(world.staff, year)
    approve(skp)
    _periodic(skp, 1, *q1)
    _periodic(skp, 4, *q4)
    result = _close(world, year)
    annual = Evaluation.objects.get(employee=world.staff, year=year, period__isnull=True)
    assert (annual.hasil, annual.perilaku, annual.predikat) == (*q4, predikat)
    assert annual.status == "finalised" and annual.hasil_reasons == ["last_period"]
    assert annual.predikat_final == "" and annual.published is False  # awaits calibration
    assert result["derived"] == 1 and result["computed"] == 1
    assert result["total"] == 1  # the other SKP of the year were never set: no evaluation
    again = _close(world, year)
    assert (again["created"], again["derived"], again["computed"]) == (0, 0, 0)


def test_with_annual_source_the_rater_decides(world, graded):
    skp = skp_of(world.staff, graded)
    approve(skp)
    _periodic(skp, 4, A, A)
    result = _close(world, graded)
    annual = Evaluation.objects.get(employee=world.staff, year=graded, period__isnull=True)
    assert annual.hasil == "" and annual.predikat == ""
    assert result["derived"] == 0 and result["missing"] == result["total"]
    annual = services.evaluation_for(skp=skp)
    rate_all(world.user("kasi"), annual, S, perilaku=A, today=ANNUAL_DAY)
    done = services.evaluation_finalise(
        actor=world.user("kasi"), evaluation=annual, today=ANNUAL_DAY
    )
    assert (done.predikat, done.predikat_final, done.published) == ("baik", "", False)
    result = _close(world, graded)
    assert result["with_predikat"] == 1


def test_mid_year_move_shows_both_parts(world, graded):
    first = skp_of(world.staff, graded)
    approve(first)
    Skp.objects.filter(pk=first.pk).update(
        status=Skp.Status.DITUTUP, valid_until=dt.date(2026, 6, 30)
    )
    second = Skp.objects.create(
        agency=world.agency,
        year=graded,
        employee=world.staff,
        position=world.positions["fungsional"],
        unit=world.units["bidang"],
        rater=world.kabid,
        rater_position=world.positions["kabid"],
        form="non_jpt",
        approach="kuantitatif",
        valid_from=dt.date(2026, 7, 1),
    )
    approve(second, utama=1, tambahan=0)
    first.refresh_from_db()
    q1, q3 = Period.objects.get(year=graded, number=1), Period.objects.get(year=graded, number=3)
    with pytest.raises(ValidationError) as exc:
        services.evaluation_for(skp=first, period=q3)
    assert exc.value.messages == ["SKP ini tidak berlaku pada periode Triwulan III."]
    early = services.evaluation_for(skp=first, period=q1)
    assert early.rater == world.kasi
    annual = services.evaluation_for(skp=second)
    assert annual.rater == world.kabid and annual.skp == second
    parts = set(RhkAssessment.objects.filter(evaluation=annual).values_list("rhk__skp", flat=True))
    assert parts == {first.pk, second.pk}
    assert RhkAssessment.objects.filter(evaluation=annual).count() == 4
    with pytest.raises(PermissionDenied) as exc:
        services.evaluation_rate(
            actor=world.user("kasi"), evaluation=annual, hasil=S, today=ANNUAL_DAY
        )
    assert str(exc.value) == "Anda bukan pejabat penilai pegawai ini."
    rate_all(world.user("kabid"), annual, S, today=ANNUAL_DAY)
    done = services.evaluation_finalise(
        actor=world.user("kabid"), evaluation=annual, today=ANNUAL_DAY
    )
    assert done.predikat == "baik"
    assert Rhk.objects.filter(skp__employee=world.staff).count() == 4


def test_annual_close_builds_the_follow_up_candidates(world):
    """The close announces itself (assessment.signals.annual_closed); follow-up
    turns a Sangat Baik into an award candidate, once, however often it runs."""
    from kinerja.followup.models import Candidate

    year = make_year(world, annual_source=PerformanceYear.AnnualSource.LAST_PERIOD)
    skp = skp_of(world.staff, year)
    approve(skp)
    _periodic(skp, 4, A, A)
    _close(world, year)
    outcomes = sorted(
        Candidate.objects.filter(employee=world.staff, year=year).values_list("outcome", flat=True)
    )
    assert outcomes == ["award", "training_priority"]
    _close(world, year)
    assert Candidate.objects.filter(employee=world.staff, year=year).count() == 2


def _mover(world, year):
    """Dewi moves on 1 July: her first SKP (rated by Citra) closes, a second
    (rated by Budi) starts."""
    first = skp_of(world.staff, year)
    approve(first)
    Skp.objects.filter(pk=first.pk).update(
        status=Skp.Status.DITUTUP, valid_until=dt.date(2026, 6, 30)
    )
    second = Skp.objects.create(
        agency=world.agency,
        year=year,
        employee=world.staff,
        position=world.positions["fungsional"],
        unit=world.units["bidang"],
        rater=world.kabid,
        rater_position=world.positions["kabid"],
        form="non_jpt",
        approach="kuantitatif",
        valid_from=dt.date(2026, 7, 1),
    )
    approve(second, utama=1, tambahan=0)
    first.refresh_from_db()
    return first, second


def test_mid_year_mover_annual_opened_from_the_first_skp_belongs_to_the_year_end_skp(world, graded):
    first, second = _mover(world, graded)
    annual = services.evaluation_for(skp=first)
    assert (annual.skp_id, annual.rater_id, annual.unit_id) == (
        second.pk,
        world.kabid.pk,
        world.units["bidang"].pk,
    )
    assert services.evaluation_for(skp=second).pk == annual.pk
    assert RhkAssessment.objects.filter(evaluation=annual).count() == 4


def test_an_annual_evaluation_left_on_the_first_skp_moves_to_the_year_end_skp(world, graded):
    from kinerja.audit.models import AuditEvent

    first, second = _mover(world, graded)
    stale = Evaluation.objects.create(
        agency=world.agency,
        year=graded,
        skp=first,
        employee=world.staff,
        unit=first.unit,
        rater=world.kasi,
    )
    annual = services.evaluation_for(skp=first)
    assert annual.pk == stale.pk
    stale.refresh_from_db()
    assert (stale.skp_id, stale.rater_id) == (second.pk, world.kabid.pk)
    event = AuditEvent.objects.get(action="assessment.evaluation.move_to_year_end_skp")
    assert (event.before, event.after) == (
        {"skp": first.pk, "rater": world.kasi.pk},
        {"skp": second.pk, "rater": world.kabid.pk},
    )
    # Once finalised it stays where it is: only calibration or an appeal change it.
    Evaluation.objects.filter(pk=stale.pk).update(skp=first, status="finalised")
    assert services.evaluation_for(skp=second).skp_id == first.pk
