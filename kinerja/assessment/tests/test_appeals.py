"""Document workflow and appeals (keberatan), with working-day deadlines on the
agency's calendar (national holidays, weekends, the agency's own days off)."""

import datetime as dt

import pytest

from kinerja.assessment import selectors, services
from kinerja.assessment.models import Appeal, Evaluation, Notice

from .factories import Q1_DAY, fails, rate_all, refused

SIGN_DAY = dt.date(2026, 5, 8)  # Friday
DELIVER_DAY = dt.date(2026, 5, 11)  # Monday; 14 May, 27 May and 1 June are holidays
APPEAL_DUE = dt.date(2026, 6, 3)
DECIDE_DUE = dt.date(2026, 6, 12)


@pytest.fixture
def delivered(world, staff_eval):
    rate_all(world.user("kasi"), staff_eval, "sesuai")
    services.evaluation_finalise(actor=world.user("kasi"), evaluation=staff_eval, today=Q1_DAY)
    fails(
        "Dokumen evaluasi harus ditandatangani sebelum disampaikan.",
        services.evaluation_deliver,
        actor=world.user("kasi"),
        evaluation=staff_eval,
        today=SIGN_DAY,
    )
    signed = services.evaluation_sign(
        actor=world.user("kasi"), evaluation=staff_eval, today=SIGN_DAY
    )
    # 14 working days after Friday 8 May, over 14 May, 27 May and 1 June (holidays).
    assert signed.deliver_due == dt.date(2026, 6, 2)
    return services.evaluation_deliver(
        actor=world.user("kasi"), evaluation=staff_eval, today=DELIVER_DAY
    )


def test_deadlines_in_working_days(delivered):
    assert delivered.status == Evaluation.Status.DELIVERED
    assert delivered.appeal_due == APPEAL_DUE
    assert delivered.acknowledge_due == APPEAL_DUE
    # 30 working days after the period (31 March), over Good Friday and 1 May.
    assert delivered.report_due == dt.date(2026, 5, 15)


def test_agency_day_off_moves_the_deadline(world, staff_eval):
    services.day_off_add(
        actor=world.user("admin"),
        agency=world.agency,
        date=dt.date(2026, 6, 2),
        reason="Cuti bersama",
    )
    rate_all(world.user("kasi"), staff_eval, "sesuai")
    services.evaluation_finalise(actor=world.user("kasi"), evaluation=staff_eval, today=Q1_DAY)
    services.evaluation_sign(actor=world.user("kasi"), evaluation=staff_eval, today=SIGN_DAY)
    evaluation = services.evaluation_deliver(
        actor=world.user("kasi"), evaluation=staff_eval, today=DELIVER_DAY
    )
    assert evaluation.appeal_due == dt.date(2026, 6, 4)


def test_employee_acknowledges(world, delivered):
    refused(
        "Hanya pegawai yang dinilai yang dapat menerima dokumen ini.",
        services.evaluation_acknowledge,
        actor=world.user("peer"),
        evaluation=delivered,
    )
    evaluation = services.evaluation_acknowledge(actor=world.user("staff"), evaluation=delivered)
    assert evaluation.status == Evaluation.Status.ACKNOWLEDGED
    evaluation = services.evaluation_report(actor=world.user("admin"), evaluation=evaluation)
    assert evaluation.status == Evaluation.Status.REPORTED


def test_appeal_on_the_last_day_and_its_decision(world, delivered):
    refused(
        "Hanya pegawai yang dinilai yang dapat mengajukan keberatan.",
        services.appeal_file,
        actor=world.user("peer"),
        evaluation=delivered,
        reasons="x",
        today=APPEAL_DUE,
    )
    fails(
        "Alasan keberatan wajib diisi.",
        services.appeal_file,
        actor=world.user("staff"),
        evaluation=delivered,
        reasons=" ",
        today=APPEAL_DUE,
    )
    appeal = services.appeal_file(
        actor=world.user("staff"),
        evaluation=delivered,
        reasons="Realisasi triwulan I melampaui target",
        evidence="Laporan bulanan Januari-Maret",
        today=APPEAL_DUE,
    )
    assert appeal.decider == world.kabid
    assert appeal.decide_due == DECIDE_DUE
    assert Evaluation.objects.get(pk=delivered.pk).status == Evaluation.Status.APPEALED
    refused(
        "Hanya atasan pejabat penilai yang dapat memutus keberatan ini.",
        services.appeal_decide,
        actor=world.user("kasi"),
        appeal=appeal,
        decision="confirm",
        reason="x",
    )
    services.appeal_request_explanations(actor=world.user("kabid"), appeal=appeal)
    services.appeal_explain(actor=world.user("kasi"), appeal=appeal, text="Bukti tidak lengkap")
    services.appeal_explain(actor=world.user("staff"), appeal=appeal, text="Bukti ada di lampiran")
    refused(
        "Penjelasan hanya dari pejabat penilai atau pegawai yang dinilai.",
        services.appeal_explain,
        actor=world.user("peer"),
        appeal=appeal,
        text="x",
    )
    fails(
        "Predikat baru sama dengan predikat semula.",
        services.appeal_decide,
        actor=world.user("kabid"),
        appeal=appeal,
        decision="change",
        new_predikat="baik",
        reason="x",
    )
    services.appeal_decide(
        actor=world.user("kabid"),
        appeal=appeal,
        decision="change",
        new_predikat="sangat_baik",
        reason="Bukti lampiran menunjukkan target terlampaui",
        recommendation="Pertahankan",
        today=DECIDE_DUE,
    )
    appeal.refresh_from_db()
    evaluation = Evaluation.objects.get(pk=delivered.pk)
    assert (appeal.status, appeal.decision, appeal.predikat_before) == ("decided", "change", "baik")
    assert appeal.rater_explanation == "Bukti tidak lengkap"
    assert (evaluation.status, evaluation.predikat, evaluation.predikat_final) == (
        "decided",
        "baik",
        "sangat_baik",
    )
    fails(
        "Keberatan ini sudah diputus; keputusannya final.",
        services.appeal_decide,
        actor=world.user("kabid"),
        appeal=appeal,
        decision="confirm",
        reason="x",
    )
    texts = list(Notice.objects.filter(employee=world.staff).values_list("text", flat=True))
    assert "Keberatan Anda telah diputus: Mengubah hasil penilaian." in texts
    assert any(t.startswith("Keberatan Anda diterima") for t in texts)
    assert selectors.document_kinds(evaluation) == ("C.1.3", "D.1.3")


def test_appeal_after_the_deadline(world, delivered):
    fails(
        "Batas waktu pengajuan keberatan (03-06-2026) telah lewat.",
        services.appeal_file,
        actor=world.user("staff"),
        evaluation=delivered,
        reasons="Terlambat",
        today=APPEAL_DUE + dt.timedelta(days=1),
    )
    assert not Appeal.objects.exists()


def test_appeal_before_delivery(world, staff_eval):
    fails(
        "Keberatan hanya dapat diajukan setelah dokumen evaluasi disampaikan kepada Anda.",
        services.appeal_file,
        actor=world.user("staff"),
        evaluation=staff_eval,
        reasons="x",
        today=Q1_DAY,
    )


def test_lapsed_appeals_escalate_once(world, delivered):
    appeal = services.appeal_file(
        actor=world.user("staff"), evaluation=delivered, reasons="x", today=DELIVER_DAY
    )
    assert services.appeal_escalate_lapsed(agency=world.agency, today=appeal.decide_due) == 0
    later = appeal.decide_due + dt.timedelta(days=1)
    assert services.appeal_escalate_lapsed(agency=world.agency, today=later) == 1
    assert services.appeal_escalate_lapsed(agency=world.agency, today=later) == 0
    appeal.refresh_from_db()
    assert appeal.escalated is True
    assert Notice.objects.filter(
        employee=world.staff, text__contains="diteruskan ke admin BKD"
    ).exists()


def test_escalation_command(world, delivered):
    from io import StringIO

    from django.core.management import call_command

    appeal = services.appeal_file(
        actor=world.user("staff"), evaluation=delivered, reasons="x", today=DELIVER_DAY
    )
    Appeal.objects.filter(pk=appeal.pk).update(decide_due=dt.date(2026, 1, 2))
    out = StringIO()
    call_command("assessment_escalate", stdout=out)
    # The first line is the appeals; the next reports the rater's superior's
    # deadlines, which depend on the day the command runs.
    assert out.getvalue().splitlines()[0] == "1 keberatan diteruskan ke admin BKD."
    assert Appeal.objects.get(pk=appeal.pk).escalated is True
