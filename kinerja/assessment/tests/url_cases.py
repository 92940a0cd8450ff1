"""Tenancy cases for kinerja/tests/test_url_tenancy.py: each builds an object of
world.agency ("tebingtinggi") that the other agency's admin must get 404 for."""

import datetime as dt


def _year(world):
    from kinerja.planning.models import PerformanceYear

    year = PerformanceYear.objects.filter(agency=world.agency, year=2026).first()
    if year is None:
        year = PerformanceYear.objects.create(
            agency=world.agency,
            year=2026,
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 12, 31),
            frequency="triwulanan",
            skp_deadline=dt.date(2026, 1, 31),
            annual_deadline=dt.date(2027, 1, 31),
            annual_source="annual",
            status="open",
        )
    return year


def _skp(world):
    from kinerja.planning.models import Skp

    year = _year(world)
    skp = Skp.objects.filter(employee=world.staff, year=year).first()
    if skp is None:
        skp = Skp.objects.create(
            agency=world.agency,
            year=year,
            employee=world.staff,
            position=world.staff.position,
            unit=world.staff.unit,
            rater=world.kasi,
            rater_position=world.kasi.position,
            form="non_jpt",
            approach="kuantitatif",
            status="disetujui",
            valid_from=year.start,
        )
    return skp


def _evaluation(world, status="finalised"):
    from kinerja.assessment.models import Evaluation

    skp = _skp(world)
    return Evaluation.objects.filter(skp=skp, period__isnull=True).first() or (
        Evaluation.objects.create(
            agency=world.agency,
            year=skp.year,
            skp=skp,
            employee=world.staff,
            unit=world.staff.unit,
            rater=world.kasi,
            rater_unit=world.kasi.unit,
            hasil="sesuai",
            perilaku="sesuai",
            predikat="baik",
            predikat_final="baik",
            published=True,
            status=status,
        )
    )


def _peer(world):
    from kinerja.assessment.models import PeerInput

    evaluation = _evaluation(world)
    return PeerInput.objects.get_or_create(
        evaluation=evaluation, peer=world.peer, defaults={"agency": world.agency}
    )[0]


def _appeal(world):
    from kinerja.assessment.models import Appeal

    evaluation = _evaluation(world)
    return Appeal.objects.get_or_create(
        evaluation=evaluation,
        defaults={
            "agency": world.agency,
            "filed_by": world.staff,
            "filed_on": dt.date(2027, 2, 1),
            "reasons": "x",
            "decider": world.kabid,
            "decide_due": dt.date(2027, 2, 10),
            "predikat_before": "baik",
        },
    )[0]


def _appeal_evidence(world):
    from kinerja.assessment.models import AppealEvidence
    from kinerja.monitoring import uploads

    directory = uploads.evidence_dir(world.agency.pk, "appeals")
    directory.mkdir(parents=True, exist_ok=True)
    name = "0" * 32
    (directory / name).write_bytes(b"%PDF-1.4\n%%EOF\n")
    return AppealEvidence.objects.create(
        agency=world.agency,
        appeal=_appeal(world),
        uploaded_by=world.staff,
        stored_name=name,
        original_name="uji.pdf",
        content_type="application/pdf",
        size=15,
        sha256="0" * 64,
    )


def _calibration(world):
    from kinerja.assessment.models import Calibration

    _evaluation(world)
    return Calibration.objects.get_or_create(
        year=_year(world),
        unit=world.units["seksi"],
        defaults={"agency": world.agency, "member_unit_ids": [world.units["seksi"].pk]},
    )[0]


def _unit_to_grade(world):
    _year(world)  # the grades pages need the agency's year
    return {"pk": world.units["bidang"].pk}


URL_CASES = {
    "assessment:org_grade_children": _unit_to_grade,
    "assessment:org_grade_set": _unit_to_grade,
    "org-grade-detail": _unit_to_grade,
    "org-grade-set-grade": _unit_to_grade,
    "assessment:start": lambda world: {"pk": _skp(world).pk},
    "assessment:self_open": lambda world: {"pk": _skp(world).pk},
    "assessment:evaluation": lambda world: {"pk": _evaluation(world).pk},
    "assessment:sign": lambda world: {"pk": _evaluation(world).pk},
    "assessment:deliver": lambda world: {"pk": _evaluation(world).pk},
    "assessment:acknowledge": lambda world: {"pk": _evaluation(world).pk},
    "assessment:report": lambda world: {"pk": _evaluation(world).pk},
    "assessment:self_assess": lambda world: {"pk": _evaluation(world).pk},
    "assessment:peers": lambda world: {"pk": _evaluation(world).pk},
    "assessment:appeal_file": lambda world: {"pk": _evaluation(world).pk},
    "assessment:form_pdf": lambda world: {"pk": _evaluation(world).pk},
    "assessment:document_pdf": lambda world: {"pk": _evaluation(world).pk},
    "assessment:peer_input": lambda world: {"pk": _peer(world).pk},
    "assessment:appeal": lambda world: {"pk": _appeal(world).pk},
    "assessment:calibration_open": lambda world: {"pk": world.units["seksi"].pk},
    "assessment:calibration": lambda world: {"pk": _calibration(world).pk},
    "assessment:calibration_close": lambda world: {"pk": _calibration(world).pk},
    "assessment:calibration_reapply": lambda world: {"pk": _calibration(world).pk},
    "evaluation-detail": lambda world: {"pk": _evaluation(world).pk},
    "annualclose-detail": lambda world: {"pk": _year(world).pk},
    "annualclose-start": lambda world: {"pk": _year(world).pk},
    "evaluation-rate": lambda world: {"pk": _evaluation(world).pk},
    "evaluation-finalise": lambda world: {"pk": _evaluation(world).pk},
    "evaluation-sign": lambda world: {"pk": _evaluation(world).pk},
    "evaluation-deliver": lambda world: {"pk": _evaluation(world).pk},
    "evaluation-acknowledge": lambda world: {"pk": _evaluation(world).pk},
    "evaluation-appeal": lambda world: {"pk": _evaluation(world).pk},
    "evaluation-self-assessment": lambda world: {"pk": _evaluation(world).pk},
    "calibration-detail": lambda world: {"pk": _calibration(world).pk},
    "calibration-change": lambda world: {"pk": _calibration(world).pk},
    "calibration-close": lambda world: {"pk": _calibration(world).pk},
    "calibration-reapply-grades": lambda world: {"pk": _calibration(world).pk},
    "evaluation-peers": lambda world: {"pk": _evaluation(world).pk},
    "peerinput-detail": lambda world: {"pk": _peer(world).pk},
    "peerinput-submit": lambda world: {"pk": _peer(world).pk},
    "appeal-detail": lambda world: {"pk": _appeal(world).pk},
    "appeal-files": lambda world: {"pk": _appeal(world).pk},
    "assessment:appeal_evidence_add": lambda world: {"pk": _appeal(world).pk},
    "assessment:appeal_evidence": lambda world: {"pk": _appeal_evidence(world).pk},
    "appealevidence-detail": lambda world: {"pk": _appeal_evidence(world).pk},
    "appealevidence-download": lambda world: {"pk": _appeal_evidence(world).pk},
    "appeal-decide": lambda world: {"pk": _appeal(world).pk},
    "appeal-request-explanations": lambda world: {"pk": _appeal(world).pk},
    "appeal-explain": lambda world: {"pk": _appeal(world).pk},
}

# Only the employee who appealed and the decider see an appeal's evidence files.
URL_CASE_OWNERS = {
    "assessment:appeal_evidence": "staff",
    "appealevidence-detail": "staff",
    "appealevidence-download": "staff",
}

PUBLIC_URLS = {
    "assessment:verify": (
        "public by design: the QR code on a printed evaluation document points here; it "
        "shows only what the document prints (kind, version, hash, name, NIP, predikat) "
        "and is reached by an unguessable UUID token"
    ),
}

# kinerja/tests/test_url_colleague.py: a unit is on the org chart every employee
# sees; its organisation grade and calibration are changed by admin BKD and the
# tim penilai only (403 with the message).
COLLEAGUE_VISIBLE = {
    name: "the unit is on the org chart every employee sees"
    for name in (
        "assessment:calibration_open",
        "assessment:org_grade_children",
        "assessment:org_grade_set",
        "org-grade-detail",
        "org-grade-set-grade",
    )
}
