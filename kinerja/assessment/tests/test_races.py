"""Actions that must happen once, asked for by several people at the same moment
(PostgreSQL, real transactions): exactly one succeeds, every other gets the
same clear refusal as when they come one after the other, and the audit trail
holds one event."""

import pytest
from django.db import connection

from kinerja.assessment import services
from kinerja.assessment.models import Appeal, Calibration, Evaluation
from kinerja.audit.models import AuditEvent
from kinerja.testing import race

from .factories import Q1_DAY, approve, grade, populate, rate_all, skp_of
from .test_appeals import DELIVER_DAY, SIGN_DAY

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent writers: SQLite serialises them (CI runs this on PostgreSQL)",
    ),
]

N = 6


def test_simultaneous_finalisations(world, staff_eval):
    rate_all(world.user("kasi"), staff_eval, "sesuai")
    outcomes = race(
        lambda: services.evaluation_finalise(
            actor=world.user("kasi"), evaluation=staff_eval, today=Q1_DAY
        )
    )
    assert outcomes.count("ok") == 1, outcomes
    refusals = set(outcomes) - {"ok"}
    assert len(refusals) == 1 and not next(iter(refusals)).startswith("ERROR"), outcomes
    assert AuditEvent.objects.filter(action="assessment.evaluation.finalise").count() == 1


def test_simultaneous_appeals(world, staff_eval):
    kasi = world.user("kasi")
    rate_all(kasi, staff_eval, "sesuai")
    services.evaluation_finalise(actor=kasi, evaluation=staff_eval, today=Q1_DAY)
    services.evaluation_sign(actor=kasi, evaluation=staff_eval, today=SIGN_DAY)
    services.evaluation_deliver(actor=kasi, evaluation=staff_eval, today=DELIVER_DAY)
    outcomes = race(
        lambda: services.appeal_file(
            actor=world.user("staff"),
            evaluation=staff_eval,
            reasons="Realisasi triwulan belum dihitung",
            today=DELIVER_DAY,
        )
    )
    assert outcomes.count("ok") == 1, outcomes
    assert not any(o.startswith("ERROR") for o in outcomes), outcomes
    assert Appeal.objects.filter(evaluation=staff_eval).count() == 1
    assert AuditEvent.objects.filter(action="assessment.appeal.file").count() == 1


def test_simultaneous_calibration_closes(world, year, forum):
    unit = world.units["seksi"]
    grade(world, year, unit, "baik")
    populate(year, unit, ["baik"] * 4 + ["sangat_baik", "butuh_perbaikan"])
    calibration = services.calibration_open(actor=forum, year=year, unit=unit)
    outcomes = race(lambda: services.calibration_close(actor=forum, calibration=calibration))
    assert outcomes == sorted(["ok"] + ["Kalibrasi sudah ditutup."] * (N - 1)), outcomes
    assert Calibration.objects.get(pk=calibration.pk).status == Calibration.Status.CLOSED
    assert AuditEvent.objects.filter(action="assessment.calibration.close").count() == 1


@pytest.mark.parametrize("periodic", [True, False], ids=["periodic", "annual"])
def test_simultaneous_first_opening_of_an_evaluation(world, graded, q1, periodic):
    """The rater and the employee (self-assessment) open the same evaluation at
    the same moment: one evaluation with one row per RHK and value, no error."""
    skp = skp_of(world.staff, graded)
    approve(skp)
    period = q1 if periodic else None
    outcomes = race(lambda: services.evaluation_for(skp=skp, period=period))
    assert outcomes == ["ok"] * N, outcomes
    evaluations = Evaluation.objects.filter(employee=world.staff, period=period)
    assert evaluations.count() == 1
    evaluation = evaluations.get()
    assert evaluation.rhk_rows.count() == skp.rhks.count()
    assert evaluation.behaviour_rows.count() == 7
