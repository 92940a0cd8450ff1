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
    raters = {world.people[p].pk for p in ("kasi", "kabid", "kadis", "sekda", "kaban")}
    assert keys == {
        f"realisasi:{plan.period.pk}:{world.staff.pk}",
        f"action:{action.pk}",
        f"feedback_request:{request.pk}",
        f"skp_returned:{note.pk}",
    } | {f"evaluation:{plan.period.pk}:{r}" for r in raters}
    # staff: realisasi + action + returned SKP; kasi: evaluation + feedback request
    assert (
        sorted(m.to[0] for m in mail.outbox)
        == ["citra@example.go.id"] * 2 + ["dewi@example.go.id"] * 3
    )
    assert first["created"] == len(keys) and first["emailed"] == 5
    again = send_reminders(agency=world.agency, today=due)
    assert again == {"due": len(keys), "created": 0, "emailed": 0}
    assert len(mail.outbox) == 5
    assert Notification.objects.count() == len(keys)


def test_preferences_switch_emails_off_but_keep_the_notification(world, plan, due):
    services.notification_preferences_save(
        actor=world.user("staff"), email_kinds={"realisasi", "skp_returned"}
    )
    send_reminders(agency=world.agency, today=due)
    staff_mails = [m for m in mail.outbox if m.to == ["dewi@example.go.id"]]
    assert len(staff_mails) == 2
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
