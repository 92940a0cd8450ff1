"""Services of the follow-up app: candidates, rules, records, training, credit points."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.assessment.models import Appeal, Evaluation
from kinerja.audit.models import AuditEvent
from kinerja.followup import selectors, services
from kinerja.followup.models import (
    Award,
    Candidate,
    CreditPoints,
    FollowupRule,
    Sanction,
    TrainingCourse,
    TrainingRecord,
)
from kinerja.jobs.services import enqueue
from kinerja.org.models import Position, RoleGrant
from kinerja.rules.angka_kredit import ANNUAL_COEFFICIENT, credit_points
from kinerja.rules.predikat import PREDIKAT_ORDER

from .factories import PDF_BYTES, make_annual, make_year

pytestmark = pytest.mark.django_db
SB, B, BP, K, SK = "sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"


def run_candidates(world, year):
    job = enqueue(
        "followup.candidates",
        agency=world.agency,
        user=world.user("admin"),
        params={"year": make_year(world.agency, year).pk},
    )
    job.refresh_from_db()
    assert job.status == "done", job.error
    return job


def candidates_of(world):
    return sorted(
        Candidate.objects.filter(agency=world.agency).values_list("employee__name", "outcome")
    )


# --- history selector ----------------------------------------------------------------------


def test_history_uses_the_final_predikat_and_skips_drafts(world, django_assert_num_queries):
    make_annual(world.staff, 2026, BP, final=B)  # calibrated up
    make_annual(world.staff, 2025, SB)
    make_annual(world.peer, 2026, SB, status="draft")  # not counted
    make_annual(world.kasi, 2026, SB)
    with django_assert_num_queries(1):
        history = selectors.annual_predikat_history(
            world.agency, [world.staff.pk, world.peer.pk], [2025, 2026]
        )
    assert history == {world.staff.pk: [(2026, B), (2025, SB)]}


# --- the candidates job ----------------------------------------------------------------------


def test_candidates_job_applies_default_rules_and_is_idempotent(world):
    make_annual(world.staff, 2026, SB)
    make_annual(world.peer, 2026, K)
    make_annual(world.peer, 2025, SK)
    make_annual(world.kasi, 2026, B)
    make_annual(world.kasi, 2025, B)
    make_annual(world.kabid, 2026, BP)
    make_annual(world.kadis, 2025, SB)  # nothing for 2026: no candidate
    job = run_candidates(world, 2026)
    expected = [
        ("Budi Santoso", "coaching"),
        ("Citra Lestari", "promotion_priority"),
        ("Dewi Anggraini", "award"),
        ("Dewi Anggraini", "training_priority"),
        ("Eko Prasetyo", "coaching"),
        ("Eko Prasetyo", "sanction_process"),
    ]
    assert candidates_of(world) == expected
    assert job.result["created"] == 6
    award = Candidate.objects.get(employee=world.staff, outcome="award")
    assert award.history == [[2026, SB]]
    assert award.evaluation.employee == world.staff
    assert award.rule.outcome == "award"
    sanction = Candidate.objects.get(employee=world.peer, outcome="sanction_process")
    assert sanction.history == [[2026, K], [2025, SK]]
    # Defaults were created once, with the regulation's legal basis.
    assert FollowupRule.objects.filter(agency=world.agency).count() == 5
    assert "PP 30/2019" in FollowupRule.objects.get(outcome="sanction_process").legal_basis
    again = run_candidates(world, 2026)
    assert again.result["created"] == 0
    assert candidates_of(world) == expected
    assert not Candidate.objects.filter(agency=world.other_agency).exists()


def test_candidates_follow_edited_rules(world):
    services.rule_defaults_ensure(agency=world.agency)
    FollowupRule.objects.filter(agency=world.agency, outcome="award").update(years=2, predikat=[SB])
    make_annual(world.staff, 2026, SB)
    make_annual(world.peer, 2026, SB)
    make_annual(world.peer, 2025, SB)
    run_candidates(world, 2026)
    award = Candidate.objects.filter(outcome="award").values_list("employee__name", flat=True)
    assert list(award) == ["Eko Prasetyo"]


def test_inactive_rules_make_no_candidates(world):
    services.rule_defaults_ensure(agency=world.agency)
    FollowupRule.objects.filter(agency=world.agency).update(active=False)
    make_annual(world.staff, 2026, SB)
    run_candidates(world, 2026)
    assert candidates_of(world) == []


# --- rules and allowance -------------------------------------------------------------------


def test_rule_contradicting_another_is_refused_and_changes_nothing(world):
    admin = world.user("admin")
    services.rule_defaults_ensure(agency=world.agency)
    before = list(FollowupRule.objects.values_list("pk", "outcome", "predikat"))
    with pytest.raises(ValidationError) as exc:
        services.rule_save(
            actor=admin,
            agency=world.agency,
            outcome="sanction_process",
            years=1,
            predikat=[B, K],
            legal_basis="PP 30/2019",
        )
    message = exc.value.messages[0]
    assert message.startswith("Aturan ini bertentangan dengan aturan")
    assert "Prioritas kenaikan pangkat" in message
    assert list(FollowupRule.objects.values_list("pk", "outcome", "predikat")) == before


def test_rule_overlapping_the_same_outcome_is_refused(world):
    services.rule_defaults_ensure(agency=world.agency)
    with pytest.raises(ValidationError) as exc:
        services.rule_save(
            actor=world.user("admin"),
            agency=world.agency,
            outcome="award",
            years=3,
            predikat=[SB],
        )
    assert "tumpang tindih" in exc.value.messages[0]


def test_inactive_rule_may_overlap_and_edit_is_audited(world):
    admin = world.user("admin")
    services.rule_defaults_ensure(agency=world.agency)
    rule = services.rule_save(
        actor=admin, agency=world.agency, outcome="award", years=3, predikat=[SB], active=False
    )
    event = AuditEvent.objects.get(action="followup.rule.create", target_id=str(rule.pk))
    assert event.after["years"] == 3
    award = FollowupRule.objects.get(agency=world.agency, outcome="award", years=1)
    services.rule_save(
        actor=admin,
        agency=world.agency,
        rule=award,
        outcome="award",
        years=1,
        predikat=[SB, B],
        legal_basis="Perkada 1/2026",
    )
    event = AuditEvent.objects.get(action="followup.rule.update")
    assert event.before["predikat"] == [SB]
    assert event.after["predikat"] == [SB, B]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"years": 0}, "Jumlah tahun harus bilangan bulat 1 sampai 10."),
        ({"years": "x"}, "Jumlah tahun harus bilangan bulat 1 sampai 10."),
        ({"predikat": []}, "Pilih minimal satu predikat."),
        ({"predikat": ["luar_biasa"]}, "Predikat tidak dikenal."),
        ({"outcome": "bonus"}, "Hasil aturan tidak dikenal."),
        (
            {"outcome": "sanction_process", "legal_basis": ""},
            "Aturan proses sanksi wajib mencantumkan dasar hukum.",
        ),
    ],
)
def test_rule_bad_input(world, fields, message):
    data = {"outcome": "coaching", "years": 3, "predikat": [SK], "active": False, **fields}
    with pytest.raises(ValidationError) as exc:
        services.rule_save(actor=world.user("admin"), agency=world.agency, **data)
    assert exc.value.messages == [message]
    assert not FollowupRule.objects.exists()


def test_only_admin_edits_rules(world):
    with pytest.raises(PermissionDenied):
        services.rule_save(
            actor=world.user("kadis"),
            agency=world.agency,
            outcome="award",
            years=1,
            predikat=[SB],
        )
    with pytest.raises(PermissionDenied):
        services.rule_save(
            actor=world.user("outsider_admin"),
            agency=world.agency,
            outcome="award",
            years=1,
            predikat=[SB],
        )


def test_allowance_update_is_audited_and_validated(world):
    admin = world.user("admin")
    services.rule_defaults_ensure(agency=world.agency)
    services.allowance_update(actor=admin, agency=world.agency, cuts={SK: "2", K: "1"})
    cuts = selectors.cuts_for(world.agency)
    assert cuts["sangat_kurang"] == Decimal("2.00") and cuts["kurang"] == Decimal("1.00")
    assert cuts["baik"] == Decimal("0")
    event = AuditEvent.objects.get(action="followup.allowance.update")
    assert event.after == {SK: "2", K: "1"}
    with pytest.raises(ValidationError) as exc:
        services.allowance_update(actor=admin, agency=world.agency, cuts={SK: "150"})
    assert exc.value.messages == [
        "Potongan untuk Sangat Kurang harus antara 0 dan 100 persen (dua desimal)."
    ]
    assert selectors.cuts_for(world.agency)["sangat_kurang"] == Decimal("2.00")


# --- deciding candidates ---------------------------------------------------------------------


def _award_candidate(world, employee=None):
    make_annual(employee or world.staff, 2026, SB)
    run_candidates(world, 2026)
    return Candidate.objects.get(employee=employee or world.staff, outcome="award")


def test_non_admin_cannot_decide(world):
    candidate = _award_candidate(world)
    for name in ("peer", "staff", "outsider_admin"):
        with pytest.raises(PermissionDenied):
            services.candidate_decide(actor=world.user(name), candidate=candidate, accept=True)
    candidate.refresh_from_db()
    assert candidate.status == "pending"


def test_unit_head_decides_for_own_unit(world):
    candidate = _award_candidate(world)
    # Citra heads the seksi (holds the unit's head position).
    services.candidate_decide(
        actor=world.user("kasi"), candidate=candidate, accept=False, note="Belum tahun ini"
    )
    candidate.refresh_from_db()
    assert (candidate.status, candidate.note, candidate.decided_by) == (
        "rejected",
        "Belum tahun ini",
        world.user("kasi"),
    )
    assert AuditEvent.objects.filter(
        action="followup.candidate.decide", target_id=str(candidate.pk)
    ).exists()
    with pytest.raises(ValidationError) as exc:
        services.candidate_decide(actor=world.user("admin"), candidate=candidate, accept=True)
    assert exc.value.messages == ["Kandidat ini sudah diputuskan."]


def test_reject_needs_a_reason(world):
    candidate = _award_candidate(world)
    with pytest.raises(ValidationError) as exc:
        services.candidate_decide(actor=world.user("admin"), candidate=candidate, accept=False)
    assert exc.value.messages == ["Tuliskan alasan penolakan."]


# --- awards and sanctions --------------------------------------------------------------------


def test_award_from_candidate_accepts_it_and_stores_the_document(world, settings):
    candidate = _award_candidate(world)
    upload = SimpleUploadedFile("sk.pdf", PDF_BYTES, content_type="application/pdf")
    award = services.award_create(
        actor=world.user("admin"),
        employee=world.staff,
        kind="recognition",
        basis="SK Wali Kota 800/12/2027",
        date=dt.date(2027, 2, 1),
        candidate=candidate,
        upload=upload,
    )
    candidate.refresh_from_db()
    assert candidate.status == "accepted"
    assert award.evaluation == candidate.evaluation
    assert award.document_name == "sk.pdf" and award.document_type == "application/pdf"
    path = settings.PRIVATE_ROOT / "followup" / str(world.agency.pk) / award.document_stored
    assert path.read_bytes() == PDF_BYTES
    assert AuditEvent.objects.filter(action="followup.award.create", subject=world.staff).exists()


@pytest.mark.parametrize("how", ["status", "appeal"])
def test_award_blocked_while_evaluation_is_under_appeal(world, how):
    candidate = _award_candidate(world)
    evaluation = candidate.evaluation
    if how == "status":
        Evaluation.objects.filter(pk=evaluation.pk).update(status="appealed")
    else:
        Appeal.objects.create(
            agency=world.agency,
            evaluation=evaluation,
            filed_by=world.staff,
            filed_on=dt.date(2027, 1, 10),
            reasons="Tidak sesuai",
            decide_due=dt.date(2027, 1, 20),
            predikat_before=SB,
        )
    evaluation.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.award_create(
            actor=world.user("admin"),
            employee=world.staff,
            kind="bonus",
            basis="SK",
            date=dt.date(2027, 2, 1),
            candidate=candidate,
        )
    assert exc.value.messages == [
        "Evaluasi yang menjadi dasar penghargaan ini sedang dalam proses keberatan. "
        "Penghargaan baru dapat dicatat setelah keberatan diputus."
    ]
    with pytest.raises(ValidationError):
        services.candidate_decide(actor=world.user("admin"), candidate=candidate, accept=True)
    assert not Award.objects.exists()
    candidate.refresh_from_db()
    assert candidate.status == "pending"


def test_award_allowed_once_the_appeal_is_decided(world):
    candidate = _award_candidate(world)
    Appeal.objects.create(
        agency=world.agency,
        evaluation=candidate.evaluation,
        filed_by=world.staff,
        filed_on=dt.date(2027, 1, 10),
        reasons="x",
        decide_due=dt.date(2027, 1, 20),
        predikat_before=SB,
        status="decided",
        decision="confirm",
    )
    Evaluation.objects.filter(pk=candidate.evaluation_id).update(status="decided")
    services.award_create(
        actor=world.user("admin"),
        employee=world.staff,
        kind="bonus",
        basis="SK",
        date=dt.date(2027, 2, 1),
        candidate=candidate,
    )
    assert Award.objects.count() == 1


def test_award_document_must_be_pdf_or_image(world):
    html = SimpleUploadedFile("sk.pdf", b"<html><script>x</script></html>")
    with pytest.raises(ValidationError):
        services.award_create(
            actor=world.user("admin"),
            employee=world.staff,
            kind="bonus",
            basis="SK",
            date=dt.date(2027, 2, 1),
            upload=html,
        )
    docx = SimpleUploadedFile("sk.xlsx", b"PK\x03\x04" + b"\x00" * 50)
    with pytest.raises(ValidationError):
        services.award_create(
            actor=world.user("admin"),
            employee=world.staff,
            kind="bonus",
            basis="SK",
            date=dt.date(2027, 2, 1),
            upload=docx,
        )
    assert not Award.objects.exists()


def test_only_admin_records_awards(world):
    with pytest.raises(PermissionDenied):
        services.award_create(
            actor=world.user("kasi"),
            employee=world.staff,
            kind="bonus",
            basis="SK",
            date=dt.date(2027, 2, 1),
        )


def test_sanction_without_legal_basis_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.sanction_create(
            actor=world.user("admin"),
            employee=world.peer,
            kind="warning",
            legal_basis="  ",
            start=dt.date(2027, 2, 1),
        )
    assert exc.value.messages == [
        "Dasar hukum sanksi wajib diisi (mis. PP 30/2019 Pasal 56-58, PP 94/2021)."
    ]
    assert not Sanction.objects.exists()


def test_sanction_from_candidate_and_status_change(world):
    make_annual(world.peer, 2026, K)
    make_annual(world.peer, 2025, K)
    run_candidates(world, 2026)
    candidate = Candidate.objects.get(employee=world.peer, outcome="sanction_process")
    admin = world.user("admin")
    with pytest.raises(ValidationError):
        services.sanction_create(
            actor=admin,
            employee=world.peer,
            kind="demotion",
            legal_basis="PP 30/2019 Pasal 57",
            start=dt.date(2027, 3, 1),
            end=dt.date(2027, 2, 1),
            candidate=candidate,
        )
    sanction = services.sanction_create(
        actor=admin,
        employee=world.peer,
        kind="demotion",
        legal_basis="PP 30/2019 Pasal 57",
        start=dt.date(2027, 3, 1),
        candidate=candidate,
    )
    assert sanction.evaluation == candidate.evaluation
    candidate.refresh_from_db()
    assert candidate.status == "accepted"
    services.sanction_set_status(
        actor=admin, sanction=sanction, status="ended", end=dt.date(2028, 3, 1)
    )
    sanction.refresh_from_db()
    assert (sanction.status, sanction.end) == ("ended", dt.date(2028, 3, 1))
    event = AuditEvent.objects.get(action="followup.sanction.update")
    assert event.before == {"status": "proposed", "end": None}


# --- training ------------------------------------------------------------------------------


def _record(world, actor, **kw):
    data = {
        "employee": world.staff,
        "title": "Pelayanan prima",
        "kind": "course",
        "start": dt.date(2026, 3, 2),
        "end": dt.date(2026, 3, 3),
        "hours_jp": 16,
        "today": dt.date(2026, 6, 1),
        **kw,
    }
    return services.training_record_create(actor=actor, **data)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"hours_jp": 25},
            "Jumlah JP tidak masuk akal: 25 JP dalam 2 hari, padahal paling banyak 12 JP per hari.",
        ),
        ({"hours_jp": 0}, "Jumlah JP harus lebih dari 0."),
        ({"hours_jp": "dua"}, "Jumlah JP harus bilangan bulat."),
        ({"end": dt.date(2026, 3, 1)}, "Tanggal selesai tidak boleh sebelum tanggal mulai."),
        (
            {"start": dt.date(2024, 1, 1), "end": dt.date(2026, 1, 1)},
            "Satu catatan pelatihan paling lama 366 hari; pecah menjadi beberapa catatan.",
        ),
        (
            {"start": dt.date(1950, 1, 1), "end": dt.date(1950, 1, 2)},
            "Tanggal mulai tidak masuk akal (sebelum tahun 1980).",
        ),
        (
            {"start": dt.date(2030, 1, 1), "end": dt.date(2030, 1, 2)},
            "Tanggal selesai lebih dari setahun ke depan; periksa kembali tanggalnya.",
        ),
        ({"title": ""}, "Judul pelatihan wajib diisi."),
    ],
)
def test_impossible_training_records_are_refused(world, fields, message):
    with pytest.raises(ValidationError) as exc:
        _record(world, world.user("staff"), **fields)
    assert exc.value.messages == [message]
    assert not TrainingRecord.objects.exists()


def test_training_record_from_catalogue_and_permissions(world):
    course = services.course_save(
        actor=world.user("admin"),
        agency=world.agency,
        title="Literasi digital",
        kind="elearning",
        hours_jp=10,
    )
    row = _record(world, world.user("staff"), course=course, title="", kind=None, hours_jp=None)
    assert (row.title, row.kind, row.hours_jp) == ("Literasi digital", "elearning", 10)
    _record(world, world.user("kasi"))  # her head records for her
    with pytest.raises(PermissionDenied):
        _record(world, world.user("peer"))  # a colleague may not
    with pytest.raises(PermissionDenied):
        _record(world, world.user("outsider_admin"))


@pytest.mark.parametrize("hours", [0, -1, 1001, "x"])
def test_course_hours_must_be_sane(world, hours):
    with pytest.raises(ValidationError):
        services.course_save(
            actor=world.user("admin"),
            agency=world.agency,
            title="X",
            kind="course",
            hours_jp=hours,
        )
    assert not TrainingCourse.objects.exists()


# JP totals: records (employee, start, end, JP) -> total of 2026 and whether short of 20.
JP_TABLE = [
    ([], 0, True),
    ([("2026-01-05", "2026-01-05", 8)], 8, True),
    ([("2026-01-05", "2026-01-05", 8), ("2026-05-05", "2026-05-05", 11)], 19, True),
    ([("2026-01-05", "2026-01-05", 8), ("2026-05-05", "2026-05-05", 12)], 20, False),
    ([("2025-12-30", "2026-01-02", 24)], 24, False),  # counts in the year it ends
    ([("2025-12-01", "2025-12-03", 24)], 0, True),
    ([("2026-12-30", "2027-01-02", 24)], 0, True),
]


@pytest.mark.parametrize(("rows", "total", "short"), JP_TABLE)
def test_jp_totals_and_shortfall(world, rows, total, short):
    from kinerja.org.access import compute_access

    for start, end, hours in rows:
        TrainingRecord.objects.create(
            agency=world.agency,
            employee=world.staff,
            title="T",
            kind="course",
            start=dt.date.fromisoformat(start),
            end=dt.date.fromisoformat(end),
            hours_jp=hours,
        )
    assert selectors.jp_total(world.staff, 2026) == total
    access = compute_access(world.user("admin"))
    shortfall = {e.pk: e.jp for e in selectors.jp_shortfall(access, 2026, min_jp=20)}
    assert (world.staff.pk in shortfall) is short
    if short:
        assert shortfall[world.staff.pk] == total
    assert world.outsider.pk not in shortfall


# --- development plan and mentors ------------------------------------------------------------


def test_development_plan_suggests_areas_below_expectation(world):
    from kinerja.assessment.models import BehaviourAssessment, RhkAssessment
    from kinerja.planning.models import Rhk

    evaluation = make_annual(world.staff, 2026, BP)
    rhk = Rhk.objects.create(agency=world.agency, skp=evaluation.skp, text="Laporan layanan")
    RhkAssessment.objects.create(
        agency=world.agency, evaluation=evaluation, rhk=rhk, rating="di_bawah"
    )
    BehaviourAssessment.objects.create(
        agency=world.agency, evaluation=evaluation, value=3, rating="di_bawah"
    )
    BehaviourAssessment.objects.create(
        agency=world.agency, evaluation=evaluation, value=1, rating="sesuai"
    )
    course = TrainingCourse.objects.create(
        agency=world.agency, title="Kompetensi teknis", kind="course", hours_jp=20
    )
    plan = services.development_plan_save(
        actor=world.user("kasi"),
        employee=world.staff,
        year=2026,
        goals="Naik kompetensi",
        course_ids=[course.pk],
    )
    assert plan.areas == [
        {"source": "perilaku", "ref": 3, "label": "Kompeten"},
        {"source": "rhk", "ref": rhk.pk, "label": "Laporan layanan"},
    ]
    assert list(plan.planned_courses.all()) == [course]
    with pytest.raises(PermissionDenied):
        services.development_plan_save(actor=world.user("staff"), employee=world.staff, year=2026)


def test_mentor_suggestions_same_family(world):
    from kinerja.org.access import compute_access

    make_annual(world.staff, 2026, SB)  # pelaksana
    make_annual(world.peer, 2026, BP)  # pelaksana: Dewi suggested
    make_annual(world.admin, 2026, SB)  # pelaksana at BKPSDM: also suggested
    make_annual(world.fungsional, 2026, K)  # perawat: no nurse is Sangat Baik
    make_annual(world.kasi, 2026, SB)  # pengawas: other family
    access = compute_access(world.user("admin"))
    suggestions = {
        mentee.name: sorted(m.name for m in mentors)
        for mentee, mentors in selectors.mentor_suggestions(access, 2026)
    }
    assert suggestions == {
        "Eko Prasetyo": ["Dewi Anggraini", "Gita Permata"],
        "Fitri Handayani": [],
    }
    pairing = services.mentor_pairing_create(
        actor=world.user("kasi"),
        mentor=world.staff,
        mentee=world.peer,
        goals="Ketepatan laporan",
        start=dt.date(2027, 1, 15),
    )
    assert AuditEvent.objects.filter(
        action="followup.mentor.create", target_id=str(pairing.pk)
    ).exists()
    with pytest.raises(ValidationError):
        services.mentor_pairing_create(
            actor=world.user("kasi"),
            mentor=world.peer,
            mentee=world.peer,
            goals="x",
            start=dt.date(2027, 1, 15),
        )


# --- credit points ---------------------------------------------------------------------------


@pytest.mark.parametrize("jenjang", list(ANNUAL_COEFFICIENT))
@pytest.mark.parametrize("predikat", [p.value for p in PREDIKAT_ORDER])
def test_credit_points_for_every_jenjang_and_predikat(world, jenjang, predikat):
    position = Position.objects.create(
        agency=world.agency,
        unit=world.units["bidang"],
        code=f"JF-{jenjang}",
        name=f"Perawat {jenjang}",
        kind="fungsional",
        jenjang=jenjang,
    )
    world.fungsional.position = position
    world.fungsional.save()
    make_annual(world.fungsional, 2026, predikat)
    row = services.credit_points_record(
        actor=world.user("admin"), employee=world.fungsional, year=2026
    )
    assert row.points == credit_points(predikat, jenjang, 12)
    assert (row.jenjang, row.predikat, row.months) == (jenjang, predikat, 12)


def test_credit_points_worked_examples_and_accumulation(world):
    admin = world.user("admin")
    make_annual(world.fungsional, 2026, SB)
    row = services.credit_points_record(actor=admin, employee=world.fungsional, year=2026)
    assert row.points == Decimal("18.75")
    row = services.credit_points_record(
        actor=admin, employee=world.fungsional, year=2025, months=2, predikat=B
    )
    assert row.points == Decimal("2.08")
    summary = selectors.credit_summary(world.fungsional)
    assert (summary["total"], summary["next_jenjang"], summary["needed"]) == (
        Decimal("20.83"),
        "ahli_muda",
        Decimal("100"),
    )
    assert summary["remaining"] == Decimal("79.17")
    # Recording again replaces the year's row (no double counting).
    services.credit_points_record(actor=admin, employee=world.fungsional, year=2026)
    assert CreditPoints.objects.filter(employee=world.fungsional).count() == 2


@pytest.mark.parametrize("who", ["staff", "kasi", "kadis"])
def test_credit_points_refused_for_non_functional_positions(world, who):
    employee = world.people[who]
    make_annual(employee, 2026, SB)
    with pytest.raises(ValidationError) as exc:
        services.credit_points_record(actor=world.user("admin"), employee=employee, year=2026)
    kind = employee.position.get_kind_display()
    assert exc.value.messages == [
        f"Angka kredit hanya untuk jabatan fungsional; {employee.full_name} menduduki {kind}."
    ]
    assert not CreditPoints.objects.exists()


def test_credit_points_need_a_predikat_and_sane_months(world):
    admin = world.user("admin")
    with pytest.raises(ValidationError) as exc:
        services.credit_points_record(actor=admin, employee=world.fungsional, year=2026)
    assert exc.value.messages == ["Belum ada predikat tahunan 2026 untuk pegawai ini."]
    with pytest.raises(ValidationError):
        services.credit_points_record(
            actor=admin, employee=world.fungsional, year=2026, months=13, predikat=B
        )
    with pytest.raises(PermissionDenied):
        services.credit_points_record(
            actor=world.user("kabid"), employee=world.fungsional, year=2026, predikat=B
        )


def test_candidates_job_converts_credit_points_of_functional_employees(world):
    make_annual(world.fungsional, 2026, SB)
    make_annual(world.staff, 2026, SB)
    job = run_candidates(world, 2026)
    assert job.result["credit_points"] == 1
    row = CreditPoints.objects.get()
    assert (row.employee, row.points) == (world.fungsional, Decimal("18.75"))
    assert run_candidates(world, 2026).result["credit_points"] == 0


def test_granted_unit_head_decides_below_the_unit(world):
    # A pimpinan_unit grant over the bidang lets Joko decide for Dewi (in a seksi below it).
    RoleGrant.objects.create(
        agency=world.agency,
        user=world.user("kaban"),
        role="pimpinan_unit",
        unit=world.units["bidang"],
    )
    candidate = _award_candidate(world)
    services.candidate_decide(actor=world.user("kaban"), candidate=candidate, accept=True)
    candidate.refresh_from_db()
    assert candidate.status == "accepted"
