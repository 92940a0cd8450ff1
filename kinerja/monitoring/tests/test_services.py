import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.audit.models import AuditEvent
from kinerja.monitoring import services, uploads
from kinerja.monitoring.models import (
    DailyLog,
    Evidence,
    Feedback,
    Notification,
    Realisasi,
)
from kinerja.monitoring.selectors import takeovers_for_skp
from kinerja.planning.models import PerformanceYear

from .factories import PDF_BYTES, TODAY, mid_year

pytestmark = pytest.mark.django_db


def messages(exc):
    return exc.value.messages


# --- realisasi and periods ----------------------------------------------------


def test_realisasi_saved_and_updated(world, plan):
    today = mid_year(plan)
    q2 = plan.period_on(today)
    r = services.realisasi_save(
        actor=world.user("staff"), iki=plan.iki, period=q2, value="6,5", today=today
    )
    assert r.value == Decimal("6.5")
    services.realisasi_save(
        actor=world.user("staff"), iki=plan.iki, period=q2, value="7", narrative="ok", today=today
    )
    r = Realisasi.objects.get()
    assert (r.value, r.narrative, r.employee) == (Decimal("7"), "ok", world.staff)
    assert AuditEvent.objects.filter(action="monitoring.realisasi.save").count() == 2


def test_realisasi_closed_and_not_yet_open_periods(world, plan):
    today = mid_year(plan)
    q1 = plan.period_on(dt.date(plan.year.year, 2, 1))
    q3 = plan.period_on(dt.date(plan.year.year, 8, 1))
    with pytest.raises(ValidationError) as exc:
        services.realisasi_save(
            actor=world.user("staff"), iki=plan.iki, period=q1, value=1, today=today
        )
    assert messages(exc) == [
        f"Periode Triwulan I sudah ditutup (batas {q1.window_end:%d-%m-%Y}); "
        "realisasi tidak dapat diubah."
    ]
    with pytest.raises(ValidationError) as exc:
        services.realisasi_save(
            actor=world.user("staff"), iki=plan.iki, period=q3, value=1, today=today
        )
    assert messages(exc) == [
        f"Periode Triwulan III belum dibuka; realisasi dapat diisi mulai 01-07-{plan.year.year}."
    ]
    assert not Realisasi.objects.exists()


def test_realisasi_in_a_closed_year(world, plan):
    PerformanceYear.objects.filter(pk=plan.year.pk).update(status="closed")
    today = mid_year(plan)
    q2 = plan.period_on(today)
    with pytest.raises(ValidationError, match="sudah ditutup"):
        services.realisasi_save(
            actor=world.user("staff"), iki=plan.iki, period=q2, value=1, today=today
        )


def test_realisasi_only_by_the_owner_and_needs_content(world, plan):
    today = mid_year(plan)
    q2 = plan.period_on(today)
    with pytest.raises(PermissionDenied, match="SKP Anda sendiri"):
        services.realisasi_save(
            actor=world.user("kasi"), iki=plan.iki, period=q2, value=1, today=today
        )
    with pytest.raises(ValidationError, match="angka atau uraian"):
        services.realisasi_save(actor=world.user("staff"), iki=plan.iki, period=q2, today=today)
    with pytest.raises(ValidationError, match="tidak valid"):
        services.realisasi_save(
            actor=world.user("staff"), iki=plan.iki, period=q2, value="abc", today=today
        )


# --- evidence ---------------------------------------------------------------------


def _realisasi(world, plan):
    return services.realisasi_save(
        actor=world.user("staff"), iki=plan.iki, period=plan.period, value=3
    )


def test_file_is_stored_under_a_random_name_outside_the_web_root(world, plan, settings):
    r = _realisasi(world, plan)
    upload = SimpleUploadedFile("../../etc/passwd.pdf", PDF_BYTES)
    ev = services.evidence_add_file(actor=world.user("staff"), upload=upload, realisasi=r)
    assert ev.original_name == "passwd.pdf"
    assert ev.content_type == "application/pdf"
    assert ev.size == len(PDF_BYTES)
    path = uploads.stored_path(ev)
    assert path.parent == settings.PRIVATE_ROOT / "evidence" / str(world.agency.pk)
    assert path.read_bytes() == PDF_BYTES
    assert "passwd" not in path.name and len(path.name) == 32
    assert not (settings.PRIVATE_ROOT.parent / "etc").exists()


def test_refused_file_saves_nothing(world, plan, settings):
    r = _realisasi(world, plan)
    upload = SimpleUploadedFile("laporan.pdf", b"<html><script>x</script></html>")
    with pytest.raises(ValidationError):
        services.evidence_add_file(actor=world.user("staff"), upload=upload, realisasi=r)
    assert not Evidence.objects.exists()
    assert not (settings.PRIVATE_ROOT / "evidence").exists()


def test_link_evidence(world, plan):
    r = _realisasi(world, plan)
    ev = services.evidence_add_link(
        actor=world.user("staff"), url="https://drive.example.go.id/laporan", realisasi=r
    )
    assert ev.kind == "link"
    with pytest.raises(ValidationError, match="Tautan tidak valid"):
        services.evidence_add_link(
            actor=world.user("staff"), url="javascript:alert(1)", realisasi=r
        )


def test_superior_marks_evidence_insufficient_and_the_owner_is_told(world, plan):
    r = _realisasi(world, plan)
    ev = services.evidence_add_link(actor=world.user("staff"), url="https://x.id/a", realisasi=r)
    with pytest.raises(PermissionDenied, match="Hanya pejabat penilai"):
        services.evidence_review(actor=world.user("peer"), evidence=ev, insufficient=True, note="x")
    services.evidence_review(
        actor=world.user("kasi"),
        evidence=ev,
        insufficient=True,
        note="Ini daftar hadir, bukan hasil.",
    )
    ev.refresh_from_db()
    assert ev.status == "insufficient"
    note = Notification.objects.get(recipient=world.user("staff"))
    assert note.kind == "evidence"
    assert "Ini daftar hadir, bukan hasil." in note.text


# --- daily log ----------------------------------------------------------------------


def test_log_rules(world, plan):
    today = mid_year(plan)
    staff = world.user("staff")
    log = services.daily_log_create(
        actor=staff,
        rhk=plan.rhk,
        date=today,
        text="Menyusun laporan",
        duration_minutes="90",
        today=today,
    )
    assert (log.employee, log.duration_minutes) == (world.staff, 90)
    with pytest.raises(ValidationError) as exc:
        services.daily_log_create(
            actor=staff, rhk=plan.rhk, date=today + dt.timedelta(days=1), text="x", today=today
        )
    assert messages(exc) == ["Tanggal catatan tidak boleh di masa depan."]
    with pytest.raises(ValidationError) as exc:
        services.daily_log_create(
            actor=staff, rhk=plan.rhk, date=dt.date(plan.year.year, 2, 3), text="x", today=today
        )
    assert messages(exc) == [
        f"Periode Triwulan I sudah ditutup; catatan tanggal 03-02-{plan.year.year} "
        "tidak dapat diubah."
    ]
    with pytest.raises(ValidationError, match="RHK dari SKP Anda"):
        services.daily_log_create(
            actor=world.user("peer"), rhk=plan.rhk, date=today, text="x", today=today
        )
    with pytest.raises(ValidationError, match="wajib diisi"):
        services.daily_log_create(actor=staff, rhk=plan.rhk, date=today, text="  ", today=today)
    assert DailyLog.objects.count() == 1


# --- feedback -----------------------------------------------------------------------------


def test_scheduled_feedback_only_by_the_rater(world, plan):
    with pytest.raises(PermissionDenied) as exc:
        services.feedback_give(
            actor=world.user("peer"),
            employee=world.staff,
            text="Bagus",
            kind="scheduled",
            rhk=plan.rhk,
        )
    assert "hanya dapat dicatat oleh pejabat penilai" in str(exc.value)
    fb = services.feedback_give(
        actor=world.user("kasi"), employee=world.staff, text="Bagus", kind="scheduled", rhk=plan.rhk
    )
    assert (fb.source, fb.kind) == ("superior", "scheduled")
    assert mail.outbox == [] or mail.outbox[0].subject.startswith("[Kinerja]")
    assert Notification.objects.filter(recipient=world.user("staff"), kind="feedback").count() == 1


def test_sources_of_feedback(world, plan):
    peer = services.feedback_give(actor=world.user("peer"), employee=world.staff, text="a", value=4)
    other = services.feedback_give(
        actor=world.user("fungsional"), employee=world.staff, text="b", value=7
    )
    sub = services.feedback_give(actor=world.user("staff"), employee=world.kasi, text="c", value=1)
    assert (peer.source, other.source, sub.source) == ("peer", "other", "subordinate")


def test_feedback_on_someone_in_another_agency(world, plan):
    with pytest.raises(ValidationError) as exc:
        services.feedback_give(actor=world.user("kasi"), employee=world.outsider, text="x", value=1)
    assert messages(exc) == ["Pegawai berasal dari instansi lain."]
    assert not Feedback.objects.exists()


def test_feedback_target_must_belong_to_the_employee(world, plan):
    with pytest.raises(ValidationError, match="bukan milik"):
        services.feedback_give(
            actor=world.user("kasi"), employee=world.peer, text="x", rhk=plan.rhk
        )
    with pytest.raises(ValidationError, match="Pilih satu sasaran"):
        services.feedback_give(actor=world.user("kasi"), employee=world.staff, text="x")


def test_ask_for_feedback_and_answer_it(world, plan):
    req = services.feedback_ask(
        actor=world.user("staff"), asked=world.kasi, rhk=plan.rhk, message="Mohon masukan"
    )
    fb = services.feedback_give(
        actor=world.user("kasi"), employee=world.staff, text="Sudah baik", rhk=plan.rhk, request=req
    )
    req.refresh_from_db()
    assert req.answered_at is not None and fb.request == req
    reply = services.feedback_reply(actor=world.user("staff"), parent=fb, text="Terima kasih")
    assert (reply.parent, reply.source) == (fb, "self")
    assert Notification.objects.filter(recipient=world.user("kasi")).count() == 2


# --- takeover, coaching, dialogue -----------------------------------------------------------


def test_takeover_needs_coaching_and_is_shown_to_the_evaluation(world, plan):
    with pytest.raises(PermissionDenied, match="Hanya pejabat penilai"):
        services.rhk_take_over(actor=world.user("peer"), rhk=plan.rhk, note="x")
    with pytest.raises(ValidationError, match="pembinaan kinerja"):
        services.rhk_take_over(actor=world.user("kasi"), rhk=plan.rhk, note="x")
    services.coaching_session_create(
        actor=world.user("kasi"),
        employee=world.staff,
        kind="coaching",
        date=TODAY,
        topic="Laporan terlambat",
        details={"fakta": "Baru 2 dari 6 laporan", "unknown": "dropped"},
    )
    takeover = services.rhk_take_over(
        actor=world.user("kasi"), rhk=plan.rhk, note="Pegawai tidak dapat menyelesaikan."
    )
    assert takeovers_for_skp(plan.skp) == [takeover]


def test_coaching_forms(world, plan):
    session = services.coaching_session_create(
        actor=world.user("kasi"),
        employee=world.staff,
        kind="mentoring",
        date=TODAY,
        topic="Analisis data",
        details={"keahlian": "Excel"},
    )
    assert session.details == {"keahlian": "Excel"}
    with pytest.raises(ValidationError, match="kesembilan"):
        services.coaching_session_feedback_save(
            actor=world.user("staff"), session=session, answers=[True]
        )
    with pytest.raises(PermissionDenied, match="pegawai yang dibina"):
        services.coaching_session_feedback_save(
            actor=world.user("kasi"), session=session, answers=[True] * 9
        )
    services.coaching_session_feedback_save(
        actor=world.user("staff"), session=session, answers=[True] * 8 + [False]
    )
    with pytest.raises(ValidationError, match="1 sampai 5"):
        services.coaching_session_competency_save(
            actor=world.user("kasi"), session=session, scores=[{"name": "Integritas", "score": 6}]
        )
    services.coaching_session_competency_save(
        actor=world.user("kasi"), session=session, scores=[{"name": "Integritas", "score": 4}]
    )
    session.refresh_from_db()
    assert session.employee_answers[-1] is False
    assert session.competency_scores == [{"name": "Integritas", "score": 4, "reason": ""}]
    with pytest.raises(ValidationError, match="nilai dasar"):
        services.coaching_session_create(
            actor=world.user("kasi"),
            employee=world.staff,
            kind="counselling",
            date=TODAY,
            topic="Disiplin",
        )
    with pytest.raises(PermissionDenied, match="pejabat penilai atau atasan"):
        services.coaching_session_create(
            actor=world.user("peer"),
            employee=world.staff,
            kind="coaching",
            date=TODAY,
            topic="x",
        )


def test_dialogue_and_agreed_actions(world, plan):
    from django.utils import timezone

    with pytest.raises(PermissionDenied, match="bukan bawahan langsung"):
        services.dialogue_create(
            actor=world.user("kasi"),
            participants=[world.fungsional],
            scheduled_at=timezone.now(),
            agenda="x",
        )
    d = services.dialogue_create(
        actor=world.user("kasi"),
        participants=[world.staff, world.peer],
        scheduled_at=timezone.now(),
        agenda="Progres triwulan",
    )
    services.dialogue_notes_save(actor=world.user("kasi"), dialogue=d, notes="Dibahas")
    action = services.agreed_action_add(
        actor=world.user("kasi"),
        dialogue=d,
        owner=world.staff,
        text="Kirim data",
        due=TODAY,
    )
    with pytest.raises(ValidationError, match="peserta dialog"):
        services.agreed_action_add(
            actor=world.user("kasi"),
            dialogue=d,
            owner=world.fungsional,
            text="x",
            due=TODAY,
        )
    with pytest.raises(PermissionDenied):
        services.agreed_action_set_done(actor=world.user("peer"), action=action)
    services.agreed_action_set_done(actor=world.user("staff"), action=action)
    action.refresh_from_db()
    assert action.done_at is not None


def test_project_report_by_team_members(world, plan):
    r = services.project_report_save(
        actor=world.user("staff"), rhk=plan.rhk, achievements="Selesai", challenges="Data terlambat"
    )
    services.project_report_save(
        actor=world.user("staff"), rhk=plan.rhk, achievements="Selesai 100%", challenges="-"
    )
    r.refresh_from_db()
    assert r.achievements == "Selesai 100%"
    with pytest.raises(PermissionDenied, match="bukan anggota tim"):
        services.project_report_save(
            actor=world.user("peer"), rhk=plan.rhk, achievements="a", challenges="b"
        )
