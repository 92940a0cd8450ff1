import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from kinerja.jobs.services import enqueue
from kinerja.monitoring import services
from kinerja.monitoring.models import AgreedAction, Dialogue, FeedbackRequest, Notification
from kinerja.monitoring.reminders import send_reminders
from kinerja.planning.models import ReviewNote, Skp

pytestmark = pytest.mark.django_db


def _emails(world):
    for name, address in (("staff", "dewi@example.go.id"), ("kasi", "citra@example.go.id")):
        employee = world.people[name]
        employee.email = address
        employee.save(update_fields=["email"])


@pytest.fixture
def due(world, plan):
    """In the last week of the current period: the staff's realisasi is
    missing, one agreed action is due, one feedback request is old, her SKP
    was returned; plus things that are NOT due."""
    _emails(world)
    today = plan.period.end
    d = Dialogue.objects.create(
        agency=world.agency, superior=world.kasi, scheduled_at=timezone.now(), agenda="x"
    )
    AgreedAction.objects.create(
        agency=world.agency, dialogue=d, owner=world.staff, text="Kirim data", due=today
    )
    AgreedAction.objects.create(
        agency=world.agency,
        dialogue=d,
        owner=world.staff,
        text="Nanti",
        due=today + dt.timedelta(days=10),
    )
    AgreedAction.objects.create(
        agency=world.agency,
        dialogue=d,
        owner=world.staff,
        text="Sudah",
        due=today,
        done_at=timezone.now(),
    )
    old = FeedbackRequest.objects.create(
        agency=world.agency, employee=world.staff, asked=world.kasi
    )
    FeedbackRequest.objects.filter(pk=old.pk).update(
        created_at=timezone.make_aware(
            dt.datetime.combine(today - dt.timedelta(days=5), dt.time(9))
        )
    )
    recent = FeedbackRequest.objects.create(
        agency=world.agency, employee=world.staff, asked=world.kasi
    )
    FeedbackRequest.objects.filter(pk=recent.pk).update(
        created_at=timezone.make_aware(dt.datetime.combine(today, dt.time(9)))
    )
    Skp.objects.filter(pk=plan.skp.pk).update(status=Skp.Status.DIKEMBALIKAN)
    note = ReviewNote.objects.create(
        agency=world.agency,
        skp=plan.skp,
        author=world.kasi,
        author_name="Citra",
        kind="return",
        text="Perbaiki target",
    )
    ReviewNote.objects.filter(pk=note.pk).update(
        created_at=timezone.make_aware(
            dt.datetime.combine(today - dt.timedelta(days=2), dt.time(9))
        )
    )
    return today


def test_sends_exactly_the_due_reminders_once(world, plan, due):
    first = send_reminders(agency=world.agency, today=due)
    keys = set(Notification.objects.values_list("dedupe_key", flat=True))
    action = AgreedAction.objects.get(text="Kirim data")
    request = FeedbackRequest.objects.order_by("created_at").first()
    note = ReviewNote.objects.get()
    holders = Skp.objects.filter(year=plan.year, employee__user__isnull=False).values_list(
        "employee_id", flat=True
    )
    assert keys == {
        f"realisasi:{plan.period.pk}:{world.staff.pk}",
        f"action:{action.pk}",
        f"feedback_request:{request.pk}",
        f"skp_returned:{note.pk}",
        f"grades_missing:{plan.year.pk}:{plan.period.pk}:{world.user('admin').pk}",
    } | {f"realisasi_open:{plan.period.pk}:{e}" for e in holders}
    # No SKP is approved yet: no rater is told that an evaluation window opened.
    assert not Notification.objects.filter(kind="evaluation").exists()
    # staff: realisasi open + incomplete + action + returned SKP; kasi: realisasi open +
    # feedback request
    assert (
        sorted(m.to[0] for m in mail.outbox)
        == ["citra@example.go.id"] * 2 + ["dewi@example.go.id"] * 4
    )
    assert first["created"] == len(keys) and first["emailed"] == 6
    again = send_reminders(agency=world.agency, today=due)
    assert again == {"due": len(keys), "created": 0, "emailed": 0}
    assert len(mail.outbox) == 6
    assert Notification.objects.count() == len(keys)


def test_preferences_switch_emails_off_but_keep_the_notification(world, plan, due):
    services.notification_preferences_save(
        actor=world.user("staff"), email_kinds={"realisasi", "skp_returned"}
    )
    send_reminders(agency=world.agency, today=due)
    staff_mails = [m for m in mail.outbox if m.to == ["dewi@example.go.id"]]
    assert len(staff_mails) == 3  # realisasi open, realisasi incomplete, returned SKP
    assert Notification.objects.filter(recipient=world.user("staff"), kind="action").exists()


def test_skp_deadline_reminder(world, plan):
    today = plan.year.skp_deadline - dt.timedelta(days=1)
    send_reminders(agency=world.agency, today=today)
    drafts = Skp.objects.filter(
        year=plan.year, status__in=Skp.EDITABLE, employee__user__isnull=False
    )
    assert Notification.objects.filter(kind="skp").count() == drafts.count() > 0


def test_job_and_command_run_the_same_thing(world, plan, due):
    job = enqueue(
        "monitoring.reminders",
        agency=world.agency,
        user=world.user("admin"),
        params={"today": due.isoformat()},
    )
    job.refresh_from_db()
    assert job.status == "done" and job.result["created"] > 0
    call_command("send_reminders", "--agency", "tebingtinggi", "--date", due.isoformat())
    assert job.result["created"] == Notification.objects.count()


def test_feedback_notifies_at_once_by_email(world, plan):
    _emails(world)
    services.feedback_give(actor=world.user("kasi"), employee=world.staff, text="Bagus", value=3)
    assert [m.to for m in mail.outbox] == [["dewi@example.go.id"]]
    assert "Bagus" in mail.outbox[0].body


def test_skp_deadline_follows_the_units_own_date(world, plan):
    from kinerja.planning import services as planning

    year = plan.year
    later = year.skp_deadline + dt.timedelta(days=14)
    planning.calendar_override_add(
        actor=world.user("admin"),
        year=year,
        unit=world.units["seksi"],
        window="skp",
        start=year.start,
        end=later,
        reason="Kepala seksi baru",
        today=year.start,
    )
    Notification.objects.all().delete()
    skp_notes = Notification.objects.filter(kind="skp")
    send_reminders(agency=world.agency, today=year.skp_deadline - dt.timedelta(days=1))
    told = set(skp_notes.values_list("recipient__employee__name", flat=True))
    # The Seksi (Citra, Dewi, Eko) has two more weeks; the Bidang (Budi, Fitri) does not.
    assert {"Budi Santoso", "Fitri Handayani"} <= told
    assert not told & {"Citra Lestari", "Dewi Anggraini", "Eko Prasetyo"}
    send_reminders(agency=world.agency, today=later - dt.timedelta(days=1))
    note = skp_notes.get(recipient=world.user("staff"))
    assert note.text == (
        f"SKP Anda tahun {year.year} harus ditetapkan paling lambat {later:%d-%m-%Y}."
    )


def test_realisasi_about_to_close_is_reminded_once(world, plan):
    from kinerja.planning.selectors.calendar import calendar_for
    from kinerja.rules.workdays import add_working_days, national_holidays

    window = calendar_for(world.staff, plan.year).period(plan.period.pk).realisasi
    off = national_holidays([plan.year.year])
    day = window.end
    while add_working_days(day, 3, off) > window.end:
        day -= dt.timedelta(days=1)
    closing = Notification.objects.filter(dedupe_key__startswith="realisasi_closing:")
    send_reminders(agency=world.agency, today=day - dt.timedelta(days=1))
    assert not closing.filter(recipient=world.user("staff")).exists()
    send_reminders(agency=world.agency, today=day)
    send_reminders(agency=world.agency, today=day + dt.timedelta(days=1))
    assert list(closing.values_list("recipient", "text")) == [
        (
            world.user("staff").pk,
            f"Pengisian realisasi {plan.period.label} segera ditutup pada "
            f"{window.end:%d-%m-%Y}; baru 0 dari 2 IKI yang terisi.",
        )
    ]
