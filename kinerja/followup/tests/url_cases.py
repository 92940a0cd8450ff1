"""URL tenancy cases (kinerja/tests/test_url_tenancy.py): kwargs that reverse each
parametrised URL with an object of agency "tebingtinggi"."""

import datetime as dt


def _rule(world):
    from kinerja.followup.models import FollowupRule

    return FollowupRule.objects.create(
        agency=world.agency, outcome="award", years=1, predikat=["sangat_baik"]
    )


def _candidate(world):
    from kinerja.followup.models import Candidate

    from .factories import make_annual

    evaluation = make_annual(world.staff, 2025, "sangat_baik")
    return Candidate.objects.create(
        agency=world.agency,
        year=evaluation.year,
        employee=world.staff,
        outcome="award",
        evaluation=evaluation,
        history=[[2025, "sangat_baik"]],
    )


def _document(world):
    from kinerja.followup import documents

    directory = documents._dir(world.agency.pk)
    directory.mkdir(parents=True, exist_ok=True)
    name = "f" * 32
    (directory / name).write_bytes(b"%PDF-1.4\n%%EOF\n")
    return {
        "document_name": "uji.pdf",
        "document_stored": name,
        "document_type": "application/pdf",
        "document_size": 15,
    }


def _award(world):
    from kinerja.followup.models import Award

    return Award.objects.create(
        agency=world.agency,
        employee=world.staff,
        kind="recognition",
        basis="SK uji",
        date=dt.date(2026, 2, 1),
        **_document(world),
    )


def _sanction(world):
    from kinerja.followup.models import Sanction

    return Sanction.objects.create(
        agency=world.agency,
        employee=world.staff,
        kind="warning",
        legal_basis="PP 30/2019 Pasal 56",
        start=dt.date(2026, 2, 1),
        **_document(world),
    )


def _course(world):
    from kinerja.followup.models import TrainingCourse

    return TrainingCourse.objects.create(
        agency=world.agency, title="Pelatihan uji", kind="course", hours_jp=8
    )


def _record(world):
    from kinerja.followup.models import TrainingRecord

    return TrainingRecord.objects.create(
        agency=world.agency,
        employee=world.staff,
        title="Pelatihan uji",
        kind="course",
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 3, 1),
        hours_jp=8,
        **_document(world),
    )


def _credit(world):
    from kinerja.followup.models import CreditPoints

    return CreditPoints.objects.create(
        agency=world.agency,
        employee=world.fungsional,
        year=2025,
        jenjang="ahli_pertama",
        predikat="baik",
        months=12,
        points="12.50",
    )


def _pairing(world):
    from kinerja.followup.models import MentorPairing

    return MentorPairing.objects.create(
        agency=world.agency,
        mentor=world.kasi,
        mentee=world.staff,
        goals="Sasaran uji",
        start=dt.date(2026, 2, 1),
    )


def _plan(world):
    from kinerja.followup.models import DevelopmentPlan

    return DevelopmentPlan.objects.create(agency=world.agency, employee=world.staff, year=2026)


URL_CASES = {
    "followup-mentor-pairing-detail": lambda world: {"pk": _pairing(world).pk},
    "followup-mentor-pairing-correct": lambda world: {"pk": _pairing(world).pk},
    "followup-mentor-pairing-withdraw": lambda world: {"pk": _pairing(world).pk},
    "followup-development-plan-detail": lambda world: {"pk": _plan(world).pk},
    "followup-development-plan-withdraw": lambda world: {"pk": _plan(world).pk},
    "followup:employee": lambda world: {"pk": world.staff.pk},
    "followup:plan": lambda world: {"pk": world.staff.pk},
    "followup:rule_edit": lambda world: {"pk": _rule(world).pk},
    "followup:candidate_decide": lambda world: {"pk": _candidate(world).pk},
    "followup:award_document": lambda world: {"pk": _award(world).pk},
    "followup:award_correct": lambda world: {"pk": _award(world).pk},
    "followup:award_withdraw": lambda world: {"pk": _award(world).pk},
    "followup:sanction_correct": lambda world: {"pk": _sanction(world).pk},
    "followup:sanction_withdraw": lambda world: {"pk": _sanction(world).pk},
    "followup:credit_correct": lambda world: {"pk": _credit(world).pk},
    "followup:credit_withdraw": lambda world: {"pk": _credit(world).pk},
    "followup:pairing_correct": lambda world: {"pk": _pairing(world).pk},
    "followup:pairing_withdraw": lambda world: {"pk": _pairing(world).pk},
    "followup:plan_withdraw": lambda world: {"pk": _plan(world).pk},
    "followup:sanction_status": lambda world: {"pk": _sanction(world).pk},
    "followup:sanction_document": lambda world: {"pk": _sanction(world).pk},
    "followup:course_edit": lambda world: {"pk": _course(world).pk},
    "followup:record_document": lambda world: {"pk": _record(world).pk},
    "followup-rule-detail": lambda world: {"pk": _rule(world).pk},
    "followup-candidate-detail": lambda world: {"pk": _candidate(world).pk},
    "followup-candidate-decide": lambda world: {"pk": _candidate(world).pk},
    "followup-award-detail": lambda world: {"pk": _award(world).pk},
    "followup-sanction-detail": lambda world: {"pk": _sanction(world).pk},
    "followup-course-detail": lambda world: {"pk": _course(world).pk},
    "followup-training-record-detail": lambda world: {"pk": _record(world).pk},
    "followup-credit-points-detail": lambda world: {"pk": _credit(world).pk},
    "followup-award-correct": lambda world: {"pk": _award(world).pk},
    "followup-award-withdraw": lambda world: {"pk": _award(world).pk},
    "followup-sanction-correct": lambda world: {"pk": _sanction(world).pk},
    "followup-sanction-withdraw": lambda world: {"pk": _sanction(world).pk},
    "followup-credit-points-correct": lambda world: {"pk": _credit(world).pk},
    "followup-credit-points-withdraw": lambda world: {"pk": _credit(world).pk},
}

# kinerja/tests/test_url_colleague.py: the credit points belong to Fitri (the
# fungsional), so the unrelated colleague is Eko.
URL_CASE_COLLEAGUES = {
    name: "peer"
    for name in (
        "followup:credit_correct",
        "followup:credit_withdraw",
        "followup-credit-points-detail",
        "followup-credit-points-correct",
        "followup-credit-points-withdraw",
    )
}
COLLEAGUE_VISIBLE = {"followup-course-detail": "the agency's training catalogue"}
