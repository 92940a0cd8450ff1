"""URL tenancy cases (kinerja/tests/test_url_tenancy.py): kwargs that reverse
each parametrised URL with an object of agency "tebingtinggi", in the fixed
year of the monitoring tests (whatever the calendar says)."""

from kinerja.testing import performance_year, staff_iki, staff_rhk

from .factories import TODAY, YEAR, noon


def _year(world):
    return performance_year(world, YEAR, periods=True)


def _rhk(world):
    return staff_rhk(world, _year(world), text="RHK pemantauan uji")


def _iki(world):
    return staff_iki(world, _year(world))


def _realisasi(world):
    from kinerja.monitoring.models import Realisasi
    from kinerja.planning.models import Period

    iki = _iki(world)
    period = Period.objects.filter(year=iki.rhk.skp.year).first()
    obj, _created = Realisasi.objects.get_or_create(
        iki=iki,
        period=period,
        defaults={"agency": world.agency, "employee": world.staff, "value": 1},
    )
    return obj


def _log(world):
    from kinerja.monitoring.models import DailyLog

    rhk = _rhk(world)
    return DailyLog.objects.filter(rhk=rhk).first() or DailyLog.objects.create(
        agency=world.agency,
        employee=world.staff,
        date=TODAY,
        rhk=rhk,
        text="Catatan uji",
    )


def _evidence(world):
    from kinerja.monitoring import uploads
    from kinerja.monitoring.models import Evidence

    realisasi = _realisasi(world)
    directory = uploads.evidence_dir(world.agency.pk)
    directory.mkdir(parents=True, exist_ok=True)
    name = "0" * 32
    (directory / name).write_bytes(b"%PDF-1.4\n%%EOF\n")
    return Evidence.objects.create(
        agency=world.agency,
        owner=world.staff,
        realisasi=realisasi,
        kind="file",
        stored_name=name,
        original_name="uji.pdf",
        content_type="application/pdf",
        size=15,
    )


def _feedback(world):
    from kinerja.monitoring.models import Feedback

    return Feedback.objects.create(
        agency=world.agency,
        employee=world.staff,
        author=world.kasi,
        value=1,
        source="superior",
        text="Umpan balik uji",
    )


def _step(world):
    from kinerja.monitoring.models import ActionPlanStep

    return ActionPlanStep.objects.create(
        agency=world.agency, rhk=_rhk(world), text="Langkah", due=TODAY
    )


def _dialogue(world):
    from kinerja.monitoring.models import Dialogue

    d = Dialogue.objects.create(
        agency=world.agency, superior=world.kasi, scheduled_at=noon(), agenda="Uji"
    )
    d.participants.add(world.staff)
    return d


def _action(world):
    from kinerja.monitoring.models import AgreedAction

    return AgreedAction.objects.create(
        agency=world.agency,
        dialogue=_dialogue(world),
        owner=world.staff,
        text="Aksi",
        due=TODAY,
    )


def _coaching(world):
    from kinerja.monitoring.models import CoachingSession

    return CoachingSession.objects.create(
        agency=world.agency,
        kind="coaching",
        employee=world.staff,
        coach=world.kasi,
        date=TODAY,
        topic="Uji",
    )


def _notification(world):
    from kinerja.monitoring.models import Notification

    return Notification.objects.create(
        agency=world.agency, recipient=world.user("staff"), kind="feedback", text="Uji"
    )


URL_CASES = {
    "monitoring:realisasi_edit": lambda world: {"pk": _iki(world).pk},
    "monitoring:realisasi_detail": lambda world: {"pk": _realisasi(world).pk},
    "monitoring:evidence_download": lambda world: {"pk": _evidence(world).pk},
    "monitoring:evidence_review": lambda world: {"pk": _evidence(world).pk},
    "monitoring:log_detail": lambda world: {"pk": _log(world).pk},
    "monitoring:log_edit": lambda world: {"pk": _log(world).pk},
    "monitoring:log_delete": lambda world: {"pk": _log(world).pk},
    "monitoring:feedback_new": lambda world: {"pk": world.staff.pk},
    "monitoring:feedback_reply": lambda world: {"pk": _feedback(world).pk},
    "monitoring:rhk_detail": lambda world: {"pk": _rhk(world).pk},
    "monitoring:step_done": lambda world: {"pk": _step(world).pk},
    "monitoring:dialogue_detail": lambda world: {"pk": _dialogue(world).pk},
    "monitoring:action_done": lambda world: {"pk": _action(world).pk},
    "monitoring:coaching_detail": lambda world: {"pk": _coaching(world).pk},
    # API detail routes
    "realisasi-detail": lambda world: {"pk": _realisasi(world).pk},
    "evidence-detail": lambda world: {"pk": _evidence(world).pk},
    "dailylog-detail": lambda world: {"pk": _log(world).pk},
    "feedback-detail": lambda world: {"pk": _feedback(world).pk},
    "actionplanstep-detail": lambda world: {"pk": _step(world).pk},
    "dialogue-detail": lambda world: {"pk": _dialogue(world).pk},
    "agreedaction-detail": lambda world: {"pk": _action(world).pk},
    "coachingsession-detail": lambda world: {"pk": _coaching(world).pk},
    "notification-detail": lambda world: {"pk": _notification(world).pk},
    "evidence-review": lambda world: {"pk": _evidence(world).pk},
    "evidence-download": lambda world: {"pk": _evidence(world).pk},
    "feedback-reply": lambda world: {"pk": _feedback(world).pk},
    "actionplanstep-done": lambda world: {"pk": _step(world).pk},
    "dialogue-record": lambda world: {"pk": _dialogue(world).pk},
    "dialogue-add-action": lambda world: {"pk": _dialogue(world).pk},
    "agreedaction-done": lambda world: {"pk": _action(world).pk},
    "coachingsession-employee-feedback": lambda world: {"pk": _coaching(world).pk},
    "coachingsession-competency": lambda world: {"pk": _coaching(world).pk},
    "notification-read": lambda world: {"pk": _notification(world).pk},
}

# Reached by their owner, not by admin BKD.
URL_CASE_OWNERS = {"notification-detail": "staff", "notification-read": "staff"}

# kinerja/tests/test_url_colleague.py: anyone may give feedback to a colleague
# of the agency (umpan balik berkelanjutan, 360°).
COLLEAGUE_VISIBLE = {"monitoring:feedback_new": "feedback may be given to any colleague"}
COLLEAGUE_MAY_ACT = {"monitoring:feedback_new": "feedback may be given to any colleague"}
